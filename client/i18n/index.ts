// Every visible string goes through here; Spanish and English.
const en = {
  subtitle: 'U.S.-Peru Environmental Cooperation Work Program on the map',
  layers: 'Layers',
  sites: 'Intervention sites',
  loading: 'Loading…',
  loadFailed: 'Could not load data from the server:',
  syntheticNote: 'Demo data: the areas, activities and sites shown are synthetic, placed in real Peruvian geography. Basemap: Natural Earth.',
  database: 'Database',
  embedded: 'embedded PostGIS',
  server: 'PostGIS server',
  kind: 'Kind',
  area: 'Area',
  activity: 'Activity',
  status: 'Status',
  priorityArea: 'Priority area',
  hectares: 'ha',
  activitiesHere: 'Activities here or nearby',
  linkedAreas: 'Ecosystems linked to this activity',
  none: 'none',
  inside: 'inside',
  overlaps: 'overlaps',
  within: 'within',
  forestLoss: 'Forest loss (synthetic demo raster)',
  years: 'Years',
  planned: 'planned',
  ongoing: 'ongoing',
  completed: 'completed',
  suspended: 'suspended',
  lossPerYear: 'Forest loss per year',
  lossInBuffer: 'Forest loss per year within {km} km',
  forest2000: 'Forest in 2000',
  totalLoss: 'Loss in the selected years',
  downloadCsv: 'Download CSV',
  coveredPart: 'Share on the raster',
  noRaster: 'No loss raster covers this place.',
  hansenNote: 'From 2011 on, Hansen et al. detect loss with an improved method: compare years before and after 2011 with care.',
} as const;

export type MessageKey = keyof typeof en;
const es: Record<MessageKey, string> = {
  subtitle: 'Programa de Trabajo de Cooperación Ambiental Estados Unidos-Perú en el mapa',
  layers: 'Capas',
  sites: 'Sitios de intervención',
  loading: 'Cargando…',
  loadFailed: 'No se pudieron cargar los datos del servidor:',
  syntheticNote: 'Datos de demostración: las áreas, actividades y sitios son sintéticos, ubicados en la geografía real del Perú. Mapa base: Natural Earth.',
  database: 'Base de datos',
  embedded: 'PostGIS embebido',
  server: 'servidor PostGIS',
  kind: 'Tipo',
  area: 'Superficie',
  activity: 'Actividad',
  status: 'Estado',
  priorityArea: 'Área prioritaria',
  hectares: 'ha',
  activitiesHere: 'Actividades aquí o cerca',
  linkedAreas: 'Ecosistemas vinculados a esta actividad',
  none: 'ninguna',
  inside: 'dentro',
  overlaps: 'superpuesta',
  within: 'cerca',
  forestLoss: 'Pérdida de bosque (ráster sintético de demostración)',
  years: 'Años',
  planned: 'planificada',
  ongoing: 'en curso',
  completed: 'concluida',
  suspended: 'suspendida',
  lossPerYear: 'Pérdida de bosque por año',
  lossInBuffer: 'Pérdida de bosque por año a menos de {km} km',
  forest2000: 'Bosque en 2000',
  totalLoss: 'Pérdida en los años elegidos',
  downloadCsv: 'Descargar CSV',
  coveredPart: 'Parte cubierta por el ráster',
  noRaster: 'Ningún ráster de pérdida cubre este lugar.',
  hansenNote: 'Desde 2011, Hansen et al. detectan la pérdida con un método mejorado: compare con cuidado los años antes y después de 2011.',
};

export type Lang = 'en' | 'es';
const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, es };

export function translate(lang: Lang, key: MessageKey): string {
  return dictionaries[lang][key];
}

export function initialLang(): Lang {
  const saved = localStorage.getItem('atalaya.lang');
  if (saved === 'en' || saved === 'es') return saved;
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

/** A translated label for a code when there is one (statuses, relations), else the code itself. */
export function translateCode(lang: Lang, code: string): string {
  return code in dictionaries[lang] ? dictionaries[lang][code as MessageKey] : code;
}
