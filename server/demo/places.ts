// The synthetic demo shapes are placed around real places (server/api/places.ts, typed in as facts)
// so that the map looks like Peru's real geography.
import { peruPlaces, type LonLat } from '../api/places';
export type { LonLat };

export const towns = Object.fromEntries(Object.entries(peruPlaces).map(([key, place]) => [key, place.at])) as { [K in keyof typeof peruPlaces]: LonLat };

/** Polylines of rivers and the Interoceanic highway around Puerto Maldonado (approximate courses). */
export const madreDeDiosLines = {
  madreDeDiosRiver: [
    [-70.9, -12.3], [-70.6, -12.45], [-70.51, -12.58], [-70.3, -12.62], [-70.05, -12.58],
    [-69.83, -12.69], [-69.58, -12.72], [-69.35, -12.64], [-69.19, -12.6], [-68.95, -12.45],
  ],
  inambariRiver: [[-70.385, -13.1], [-70.25, -13.0], [-70.1, -12.92], [-69.95, -12.8], [-69.83, -12.69]],
  tambopataRiver: [[-69.75, -13.3], [-69.6, -13.1], [-69.45, -12.95], [-69.3, -12.75], [-69.19, -12.6]],
  interoceanicHighway: [
    [-70.385, -13.1], [-70.2, -13.0], [-70.02, -12.98], [-69.88, -12.96], [-69.7, -12.88],
    [-69.55, -12.75], [-69.4, -12.68], [-69.19, -12.6], [-69.3, -12.3], [-69.4897, -11.4083],
  ],
} satisfies Record<string, LonLat[]>;
