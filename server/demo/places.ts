// Coordinates of real places in Peru and its borders, typed in as facts (lon, lat; approximate to ~1 km).
// The synthetic demo shapes are placed around them so that the map looks like Peru's real geography.
export type LonLat = [number, number];

export const towns = {
  lima: [-77.0428, -12.0464],
  puertoMaldonado: [-69.1891, -12.5933],
  iberia: [-69.4897, -11.4083],
  inapari: [-69.5867, -10.95],
  laberinto: [-69.5833, -12.7167],
  mazuko: [-70.385, -13.1],
  bocaColorado: [-70.51, -12.58],
  huepetuhe: [-70.52, -12.99],
  pucallpa: [-74.5539, -8.3791],
  atalaya: [-73.75, -10.73],
  iquitos: [-73.2538, -3.7491],
  huaraz: [-77.5278, -9.5278],
  cusco: [-71.9675, -13.532],
  puno: [-70.0199, -15.8402],
  juliaca: [-70.1333, -15.5],
  tarapoto: [-76.3733, -6.4825],
  moyobamba: [-76.9717, -6.0342],
  cajamarca: [-78.5003, -7.1638],
  piura: [-80.6328, -5.1945],
  huancabamba: [-79.45, -5.2389],
  chachapoyas: [-77.869, -6.2317],
  tumbes: [-80.451, -3.5669],
  arequipa: [-71.5375, -16.409],
  huancayo: [-75.2049, -12.0651],
  tingoMaria: [-75.995, -9.295],
  elEstrecho: [-72.446, -2.4533],
  caballococha: [-70.5167, -3.9167],
  pantoja: [-75.1778, -0.9606],
  puertoEsperanza: [-70.7167, -9.7667],
  pisco: [-76.2, -13.71],
  paita: [-81.1144, -5.0892],
  chimbote: [-78.5783, -9.0853],
  callao: [-77.1181, -12.0566],
} satisfies Record<string, LonLat>;

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
