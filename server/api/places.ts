// Real places in Peru, typed in as facts (lon, lat; approximate to ~1 km). The client labels the
// offline basemap with them and finds them in search; the demo data places its synthetic shapes
// around them. A leaf module like the rest of the contract.
export type LonLat = [number, number];

export interface Place {
  name: string;
  at: LonLat;
  /** 1: regional capital or large city (labelled from a low zoom); 2: town. */
  rank: 1 | 2;
}

export const peruPlaces = {
  lima: { name: 'Lima', at: [-77.0428, -12.0464], rank: 1 },
  puertoMaldonado: { name: 'Puerto Maldonado', at: [-69.1891, -12.5933], rank: 1 },
  iberia: { name: 'Iberia', at: [-69.4897, -11.4083], rank: 2 },
  inapari: { name: 'Iñapari', at: [-69.5867, -10.95], rank: 2 },
  laberinto: { name: 'Laberinto', at: [-69.5833, -12.7167], rank: 2 },
  mazuko: { name: 'Mazuko', at: [-70.385, -13.1], rank: 2 },
  bocaColorado: { name: 'Boca Colorado', at: [-70.51, -12.58], rank: 2 },
  huepetuhe: { name: 'Huepetuhe', at: [-70.52, -12.99], rank: 2 },
  pucallpa: { name: 'Pucallpa', at: [-74.5539, -8.3791], rank: 1 },
  atalaya: { name: 'Atalaya', at: [-73.75, -10.73], rank: 2 },
  iquitos: { name: 'Iquitos', at: [-73.2538, -3.7491], rank: 1 },
  huaraz: { name: 'Huaraz', at: [-77.5278, -9.5278], rank: 2 },
  cusco: { name: 'Cusco', at: [-71.9675, -13.532], rank: 1 },
  puno: { name: 'Puno', at: [-70.0199, -15.8402], rank: 1 },
  juliaca: { name: 'Juliaca', at: [-70.1333, -15.5], rank: 2 },
  tarapoto: { name: 'Tarapoto', at: [-76.3733, -6.4825], rank: 1 },
  moyobamba: { name: 'Moyobamba', at: [-76.9717, -6.0342], rank: 2 },
  cajamarca: { name: 'Cajamarca', at: [-78.5003, -7.1638], rank: 1 },
  piura: { name: 'Piura', at: [-80.6328, -5.1945], rank: 1 },
  huancabamba: { name: 'Huancabamba', at: [-79.45, -5.2389], rank: 2 },
  chachapoyas: { name: 'Chachapoyas', at: [-77.869, -6.2317], rank: 2 },
  tumbes: { name: 'Tumbes', at: [-80.451, -3.5669], rank: 2 },
  arequipa: { name: 'Arequipa', at: [-71.5375, -16.409], rank: 1 },
  huancayo: { name: 'Huancayo', at: [-75.2049, -12.0651], rank: 1 },
  tingoMaria: { name: 'Tingo María', at: [-75.995, -9.295], rank: 2 },
  elEstrecho: { name: 'El Estrecho', at: [-72.446, -2.4533], rank: 2 },
  caballococha: { name: 'Caballococha', at: [-70.5167, -3.9167], rank: 2 },
  pantoja: { name: 'Pantoja', at: [-75.1778, -0.9606], rank: 2 },
  puertoEsperanza: { name: 'Puerto Esperanza', at: [-70.7167, -9.7667], rank: 2 },
  pisco: { name: 'Pisco', at: [-76.2, -13.71], rank: 2 },
  paita: { name: 'Paita', at: [-81.1144, -5.0892], rank: 2 },
  chimbote: { name: 'Chimbote', at: [-78.5783, -9.0853], rank: 1 },
  callao: { name: 'Callao', at: [-77.1181, -12.0566], rank: 2 },
} satisfies Record<string, Place>;
