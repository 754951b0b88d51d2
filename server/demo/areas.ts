import type { Feature, MultiPolygon, Position } from 'geojson';
import { blobRing, rectangleRing, offsetKm } from './shapes';
import type { Random } from '../util/random';
import type { LonLat } from './places';

export interface DemoAreaProperties {
  kind: string;
  source_id: string;
  name: string;
  synthetic: true;
  [key: string]: unknown;
}
export type DemoArea = Feature<MultiPolygon, DemoAreaProperties>;

const SYNTHETIC_NOTE = 'Synthetic demo shape placed near the real place it is named after; not an official boundary.';

function area(kind: string, sourceId: string, name: string, rings: Position[][], attrs: Record<string, unknown>): DemoArea {
  return {
    type: 'Feature',
    geometry: { type: 'MultiPolygon', coordinates: rings.map((r) => [r]) },
    properties: { kind, source_id: sourceId, name, synthetic: true, note: SYNTHETIC_NOTE, ...attrs },
  };
}

/** radius from hectares for a roughly round blob: r = sqrt(ha / 100 / pi) km. */
function radiusKm(ha: number): number {
  return Math.sqrt(ha / 100 / Math.PI);
}

const protectedAreas: { code: string; name: string; center: LonLat; ha: number; category: string; iucn: string; level: string }[] = [
  { code: 'PN03', name: 'Parque Nacional del Manu', center: [-71.7, -11.9], ha: 1716295, category: 'Parque Nacional', iucn: 'II', level: 'national' },
  { code: 'RN09', name: 'Reserva Nacional Tambopata', center: [-69.3, -12.9], ha: 274690, category: 'Reserva Nacional', iucn: 'VI', level: 'national' },
  { code: 'PN08', name: 'Parque Nacional Bahuaja-Sonene', center: [-69.6, -13.65], ha: 1091416, category: 'Parque Nacional', iucn: 'II', level: 'national' },
  { code: 'RC03', name: 'Reserva Comunal Amarakaeri', center: [-70.85, -12.9], ha: 402335, category: 'Reserva Comunal', iucn: 'VI', level: 'national' },
  { code: 'PN11', name: 'Parque Nacional Alto Purús', center: [-71.4, -10.4], ha: 2510694, category: 'Parque Nacional', iucn: 'II', level: 'national' },
  { code: 'RN04', name: 'Reserva Nacional Pacaya Samiria', center: [-74.9, -5.2], ha: 2080000, category: 'Reserva Nacional', iucn: 'VI', level: 'national' },
  { code: 'PN05', name: 'Parque Nacional Huascarán', center: [-77.55, -9.25], ha: 340000, category: 'Parque Nacional', iucn: 'II', level: 'national' },
  { code: 'RN02', name: 'Reserva Nacional de Paracas', center: [-76.3, -14.0], ha: 335000, category: 'Reserva Nacional', iucn: 'VI', level: 'national' },
  { code: 'PN10', name: 'Parque Nacional Cordillera Azul', center: [-75.9, -7.6], ha: 1353190, category: 'Parque Nacional', iucn: 'II', level: 'national' },
  { code: 'PN06', name: 'Parque Nacional Yanachaga-Chemillén', center: [-75.4, -10.4], ha: 122000, category: 'Parque Nacional', iucn: 'II', level: 'national' },
  { code: 'RN07', name: 'Reserva Nacional del Titicaca', center: [-69.95, -15.75], ha: 36180, category: 'Reserva Nacional', iucn: 'VI', level: 'national' },
  { code: 'SH04', name: 'Santuario Histórico de Machu Picchu', center: [-72.55, -13.17], ha: 32592, category: 'Santuario Histórico', iucn: 'III', level: 'national' },
  { code: 'BP06', name: 'Bosque de Protección Alto Mayo', center: [-77.3, -5.75], ha: 182000, category: 'Bosque de Protección', iucn: 'VI', level: 'national' },
  { code: 'SN07', name: 'Santuario Nacional Tabaconas Namballe', center: [-79.05, -5.2], ha: 32125, category: 'Santuario Nacional', iucn: 'III', level: 'national' },
  { code: 'ACR-MDD', name: 'Área de Conservación Regional Madre de Dios (demo)', center: [-69.95, -11.75], ha: 60000, category: 'Área de Conservación Regional', iucn: 'VI', level: 'regional' },
  { code: 'ACP-LA', name: 'Área de Conservación Privada Los Amigos (demo)', center: [-70.1, -12.52], ha: 14600, category: 'Área de Conservación Privada', iucn: 'IV', level: 'private' },
];

const highlands: { id: string; name: string; center: LonLat; ha: number; type: string; cordillera: string }[] = [
  { id: 'GH-BLANCA-N', name: 'Cordillera Blanca norte (nevados Huascarán-Alpamayo)', center: [-77.6, -9.0], ha: 26000, type: 'glacier', cordillera: 'Cordillera Blanca' },
  { id: 'GH-BLANCA-S', name: 'Cordillera Blanca sur (Pastoruri)', center: [-77.4, -9.75], ha: 14000, type: 'glacier', cordillera: 'Cordillera Blanca' },
  { id: 'GH-HUAYHUASH', name: 'Cordillera Huayhuash', center: [-76.9, -10.27], ha: 9000, type: 'glacier', cordillera: 'Cordillera Huayhuash' },
  { id: 'GH-QUELCCAYA', name: 'Quelccaya ice cap', center: [-70.82, -13.93], ha: 4400, type: 'glacier', cordillera: 'Cordillera Vilcanota' },
  { id: 'GH-AUSANGATE', name: 'Nevado Ausangate', center: [-71.23, -13.79], ha: 8000, type: 'glacier', cordillera: 'Cordillera Vilcanota' },
  { id: 'GH-SALKANTAY', name: 'Nevado Salkantay', center: [-72.55, -13.33], ha: 5000, type: 'glacier', cordillera: 'Cordillera Vilcabamba' },
  { id: 'GH-PARIACACA', name: 'Nevado Pariacaca', center: [-75.98, -12.04], ha: 3000, type: 'glacier', cordillera: 'Cordillera Central' },
  { id: 'PU-JUNIN', name: 'Puna de Junín (meseta de Bombón)', center: [-76.05, -11.0], ha: 250000, type: 'puna', cordillera: 'Cordillera Central' },
  { id: 'PU-ALTIPLANO', name: 'Puna húmeda del Altiplano (Puno)', center: [-70.6, -15.1], ha: 400000, type: 'puna', cordillera: 'Altiplano' },
  { id: 'PU-SECA-AQP', name: 'Puna seca de Arequipa (Salinas y Aguada Blanca)', center: [-71.15, -16.05], ha: 300000, type: 'puna', cordillera: 'Cordillera Occidental' },
  { id: 'PA-HUANCABAMBA', name: 'Páramo de Huancabamba y Ayabaca', center: [-79.5, -4.95], ha: 60000, type: 'paramo', cordillera: 'Cordillera de Huancabamba' },
  { id: 'JA-CAJAMARCA', name: 'Jalca de Cajamarca', center: [-78.45, -6.95], ha: 120000, type: 'jalca', cordillera: 'Cordillera Occidental' },
];

const watersheds: { id: string; name: string; center: LonLat; radiusKm: number; countries: string[]; basin: string }[] = [
  { id: 'WS-TITICACA', name: 'Cuenca del Lago Titicaca', center: [-69.6, -15.7], radiusKm: 110, countries: ['PE', 'BO'], basin: 'Titicaca' },
  { id: 'WS-PUTUMAYO', name: 'Cuenca del río Putumayo', center: [-72.6, -2.3], radiusKm: 85, countries: ['PE', 'CO', 'EC', 'BR'], basin: 'Amazonas' },
  { id: 'WS-NAPO', name: 'Cuenca del río Napo', center: [-74.6, -1.9], radiusKm: 75, countries: ['PE', 'EC'], basin: 'Amazonas' },
  { id: 'WS-YAVARI', name: 'Cuenca del río Yavarí', center: [-71.6, -5.6], radiusKm: 80, countries: ['PE', 'BR'], basin: 'Amazonas' },
  { id: 'WS-MADREDEDIOS', name: 'Cuenca del río Madre de Dios', center: [-69.6, -11.9], radiusKm: 110, countries: ['PE', 'BO', 'BR'], basin: 'Madeira' },
  { id: 'WS-ACRE', name: 'Cuenca alta del río Acre', center: [-69.9, -10.9], radiusKm: 40, countries: ['PE', 'BR', 'BO'], basin: 'Purús' },
  { id: 'WS-PURUS', name: 'Cuenca alta del río Purús', center: [-70.9, -9.9], radiusKm: 60, countries: ['PE', 'BR'], basin: 'Purús' },
  { id: 'WS-CHIRA', name: 'Cuenca Catamayo-Chira', center: [-80.05, -4.55], radiusKm: 55, countries: ['PE', 'EC'], basin: 'Pacífico' },
  { id: 'WS-ZARUMILLA', name: 'Cuenca del río Zarumilla', center: [-80.22, -3.62], radiusKm: 18, countries: ['PE', 'EC'], basin: 'Pacífico' },
];

type ConcessionType = 'timber' | 'brazil_nut' | 'ecotourism' | 'conservation' | 'reforestation';
const statuses = ['active', 'active', 'active', 'active', 'expired', 'suspended', 'caducated'] as const;

function concessionBlock(
  rng: Random,
  prefix: string,
  region: string,
  origin: LonLat,
  cols: number,
  rows: number,
  cellKm: number,
  type: ConcessionType,
  counter: { n: number },
): DemoArea[] {
  const out: DemoArea[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (rng.next() < 0.12) continue; // gaps, as in real concession maps
      const center = offsetKm(offsetKm(origin, c * cellKm, 90), r * cellKm, 180);
      const w = cellKm * rng.range(0.75, 0.95);
      const h = cellKm * rng.range(0.75, 0.95);
      const start = rng.int(2002, 2016);
      const n = ++counter.n;
      out.push(
        area('forest_concession', `${prefix}-${String(n).padStart(3, '0')}`, `Concesión ${typeLabel[type]} demo ${prefix}-${n}`, [rectangleRing(center, w, h, rng.range(-8, 8))], {
          holder: `Titular demo ${String(n).padStart(3, '0')} S.A.C.`,
          concession_type: type,
          region,
          contract_start: `${start}-0${rng.int(1, 9)}-15`,
          contract_end: `${start + (type === 'timber' ? 40 : 20)}-12-31`,
          status: rng.pick(statuses),
        }),
      );
    }
  }
  return out;
}

const typeLabel: Record<ConcessionType, string> = {
  timber: 'maderable',
  brazil_nut: 'castañera',
  ecotourism: 'de ecoturismo',
  conservation: 'de conservación',
  reforestation: 'de reforestación',
};

/** All demo areas of the four kinds, deterministic for a given generator. */
export function generateDemoAreas(rng: Random): DemoArea[] {
  const out: DemoArea[] = [];
  for (const p of protectedAreas) {
    out.push(area('protected_area', p.code, p.name, [blobRing(rng, p.center, radiusKm(p.ha), 64, 0.25)], {
      category: p.category, iucn_category: p.iucn, level: p.level, legal_ha: p.ha,
    }));
  }
  for (const g of highlands) {
    // Glaciers are several small bodies along a range; highland grasslands are one wide unit.
    const parts = g.type === 'glacier' ? 4 : 1;
    const rings: Position[][] = [];
    for (let i = 0; i < parts; i++) {
      const c = parts === 1 ? g.center : offsetKm(g.center, i * radiusKm(g.ha / parts) * 2.6, 150);
      rings.push(blobRing(rng, c, radiusKm(g.ha / parts), 32, 0.35));
    }
    out.push(area('glacier_highland', g.id, g.name, rings, { highland_type: g.type, cordillera: g.cordillera }));
  }
  for (const w of watersheds) {
    out.push(area('watershed', w.id, w.name, [blobRing(rng, w.center, w.radiusKm, 72, 0.3)], {
      basin: w.basin, countries: w.countries, transboundary: w.countries.length > 1,
    }));
  }
  const counter = { n: 0 };
  out.push(
    ...concessionBlock(rng, 'MDD', 'Madre de Dios', [-69.95, -11.1], 6, 5, 14, 'timber', counter),
    ...concessionBlock(rng, 'MDD', 'Madre de Dios', [-69.55, -12.3], 6, 2, 4, 'brazil_nut', counter),
    ...concessionBlock(rng, 'MDD', 'Madre de Dios', [-69.95, -12.85], 4, 1, 5, 'reforestation', counter),
    ...concessionBlock(rng, 'MDD', 'Madre de Dios', [-70.3, -12.4], 2, 2, 8, 'conservation', counter),
    ...concessionBlock(rng, 'MDD', 'Madre de Dios', [-69.42, -12.8], 2, 1, 5, 'ecotourism', counter),
    ...concessionBlock(rng, 'UCA', 'Ucayali', [-74.4, -9.5], 6, 5, 13, 'timber', counter),
    ...concessionBlock(rng, 'UCA', 'Ucayali', [-73.9, -10.3], 3, 2, 10, 'conservation', counter),
    ...concessionBlock(rng, 'UCA', 'Ucayali', [-74.75, -8.5], 3, 1, 5, 'reforestation', counter),
  );
  return out;
}

