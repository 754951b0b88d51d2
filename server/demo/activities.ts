import type { Geometry, Position } from 'geojson';
import type { ActivityInput } from '../db/repositories/activities.repository';
import type { Random } from '../util/random';
import { blobRing, offsetKm } from './shapes';
import { madreDeDiosLines, towns, type LonLat } from './places';

export interface DemoSite {
  name: string;
  kind: string;
  geometry: Geometry;
}

/** An activity as the repository takes it, with its sites; statuses narrowed to what the demo uses. */
export interface DemoActivity extends Omit<ActivityInput, 'fundingStatus' | 'status' | 'properties' | 'startDate' | 'endDate'> {
  fundingStatus: 'funded' | 'partially_funded' | 'seeking_funding' | 'unfunded';
  startDate: string;
  endDate: string;
  status: 'planned' | 'ongoing' | 'completed' | 'suspended';
  properties: { synthetic: true; note: string };
  sites: DemoSite[];
}

type SiteShape = 'point' | 'line' | 'polygon';
interface Template {
  title: string;
  actionAreas: string[];
  goals: string[];
  lead: string;
  partners: string[];
  places: LonLat[];
  shape: SiteShape;
  siteKind: string;
}

const t = towns;
// Two or three activities per action area, placed where such work really happens in Peru.
const templates: Template[] = [
  { title: 'Environmental inspection training for regional prosecutors', actionAreas: ['A1'], goals: ['A', 'B'], lead: 'OEFA', partners: ['U.S. EPA', 'Ministerio Público'], places: [t.puertoMaldonado, t.pucallpa], shape: 'point', siteKind: 'training_centre' },
  { title: 'Environmental impact assessment review support for the Interoceanic corridor', actionAreas: ['A1'], goals: ['A'], lead: 'SENACE', partners: ['U.S. EPA'], places: [t.mazuko, t.laberinto], shape: 'line', siteKind: 'corridor' },
  { title: 'CITES permit system for mahogany and cedar exports', actionAreas: ['A2', 'B3'], goals: ['A', 'B'], lead: 'SERFOR', partners: ['U.S. Fish and Wildlife Service'], places: [t.callao, t.pucallpa], shape: 'point', siteKind: 'checkpoint' },
  { title: 'CITES scientific authority capacity for vicuña and wildlife', actionAreas: ['A2'], goals: ['B'], lead: 'MINAM', partners: ['U.S. Fish and Wildlife Service'], places: [t.puno, t.arequipa], shape: 'point', siteKind: 'office' },
  { title: 'Artisanal fisheries monitoring against IUU fishing', actionAreas: ['A3'], goals: ['B'], lead: 'PRODUCE', partners: ['NOAA'], places: [t.paita, t.chimbote, t.pisco], shape: 'point', siteKind: 'landing_site' },
  { title: 'Marine reserve surveillance in Paracas', actionAreas: ['A3'], goals: ['B'], lead: 'SERNANP', partners: ['NOAA', 'U.S. Coast Guard'], places: [t.pisco], shape: 'polygon', siteKind: 'patrol_zone' },
  { title: 'Minamata national action plan: mercury baseline in Madre de Dios', actionAreas: ['A4', 'E2'], goals: ['A', 'E'], lead: 'MINAM', partners: ['U.S. EPA', 'CINCIA'], places: [t.huepetuhe, t.laberinto, t.bocaColorado], shape: 'point', siteKind: 'monitoring_station' },
  { title: 'Mercury-free gold processing pilot in La Pampa', actionAreas: ['A4', 'E2'], goals: ['E'], lead: 'Gobierno Regional de Madre de Dios', partners: ['USAID', 'Artisanal Gold Council'], places: [[-69.9, -12.95]], shape: 'polygon', siteKind: 'pilot_plant' },
  { title: 'Community forest management with Ese Eja and Harakbut communities', actionAreas: ['B1'], goals: ['B', 'C'], lead: 'SERNANP', partners: ['USAID', 'FENAMAD'], places: [[-70.75, -12.75], [-69.35, -12.45]], shape: 'polygon', siteKind: 'community_territory' },
  { title: 'Indigenous forest monitoring in Ucayali', actionAreas: ['B1'], goals: ['B', 'D'], lead: 'SERFOR', partners: ['USAID', 'AIDESEP'], places: [t.atalaya, t.pucallpa], shape: 'point', siteKind: 'monitoring_post' },
  { title: 'Gender and traditional knowledge in protected area management', actionAreas: ['B1', 'C3'], goals: ['B', 'C'], lead: 'SERNANP', partners: ['U.S. Forest Service'], places: [t.moyobamba, t.chachapoyas], shape: 'point', siteKind: 'community' },
  { title: 'Tambopata buffer zone forest conservation', actionAreas: ['B2'], goals: ['B', 'D'], lead: 'SERNANP', partners: ['USAID', 'AIDER'], places: [[-69.4, -12.7]], shape: 'polygon', siteKind: 'buffer_zone' },
  { title: 'Migratory bird habitat protection in Alto Mayo', actionAreas: ['B2'], goals: ['B'], lead: 'SERNANP', partners: ['U.S. Fish and Wildlife Service', 'Conservation International'], places: [[-77.3, -5.75]], shape: 'polygon', siteKind: 'habitat' },
  { title: 'Illegal logging deterrence along the Las Piedras river', actionAreas: ['B2', 'B3'], goals: ['B'], lead: 'OSINFOR', partners: ['U.S. Forest Service'], places: [[-69.9, -11.8]], shape: 'line', siteKind: 'patrol_route' },
  { title: 'Timber chain of custody and inventory system', actionAreas: ['B3'], goals: ['A', 'B'], lead: 'SERFOR', partners: ['U.S. Forest Service', 'SUNAT'], places: [t.pucallpa, t.iquitos, t.puertoMaldonado], shape: 'point', siteKind: 'checkpoint' },
  { title: 'Supervision of forest concessions in Tahuamanu', actionAreas: ['B3'], goals: ['A', 'E'], lead: 'OSINFOR', partners: ['U.S. Forest Service'], places: [t.iberia, t.inapari], shape: 'point', siteKind: 'field_office' },
  { title: 'Anti-corruption plan for the forest and wildlife sector', actionAreas: ['B3', 'C2'], goals: ['A', 'C'], lead: 'SERFOR', partners: ['U.S. Department of State'], places: [t.lima], shape: 'point', siteKind: 'office' },
  { title: 'Wildlife trafficking interdiction at Iquitos river ports', actionAreas: ['B4'], goals: ['B'], lead: 'SERFOR', partners: ['U.S. Fish and Wildlife Service', 'WCS'], places: [t.iquitos, t.caballococha], shape: 'point', siteKind: 'port' },
  { title: 'Wildlife rescue centre network', actionAreas: ['B4'], goals: ['B'], lead: 'SERFOR', partners: ['U.S. Fish and Wildlife Service'], places: [t.puertoMaldonado, t.tarapoto], shape: 'point', siteKind: 'rescue_centre' },
  { title: 'Titicaca wastewater treatment and binational monitoring', actionAreas: ['B5'], goals: ['B'], lead: 'ANA', partners: ['U.S. EPA', 'ALT Perú-Bolivia'], places: [t.puno, t.juliaca], shape: 'point', siteKind: 'treatment_plant' },
  { title: 'Binational water quality monitoring of the Putumayo', actionAreas: ['B5'], goals: ['B'], lead: 'ANA', partners: ['U.S. Geological Survey'], places: [t.elEstrecho], shape: 'line', siteKind: 'river_stretch' },
  { title: 'Zarumilla and Catamayo-Chira shared basin management', actionAreas: ['B5'], goals: ['B', 'D'], lead: 'ANA', partners: ['U.S. Army Corps of Engineers'], places: [[-80.25, -3.6], [-80.3, -4.65]], shape: 'point', siteKind: 'gauging_station' },
  { title: 'Public participation in environmental impact hearings', actionAreas: ['C1'], goals: ['C'], lead: 'SENACE', partners: ['U.S. EPA'], places: [t.cajamarca, t.huaraz], shape: 'point', siteKind: 'hearing_venue' },
  { title: 'Forest decision-making dialogues with vulnerable populations', actionAreas: ['C1'], goals: ['C'], lead: 'SERFOR', partners: ['USAID'], places: [t.atalaya, t.puertoEsperanza], shape: 'point', siteKind: 'community' },
  { title: 'Open forest data portal and concession transparency', actionAreas: ['C2'], goals: ['C'], lead: 'OSINFOR', partners: ['U.S. Forest Service'], places: [t.lima, t.puertoMaldonado], shape: 'point', siteKind: 'office' },
  { title: 'Environmental education in Amazonian schools', actionAreas: ['C3'], goals: ['C', 'B'], lead: 'MINAM', partners: ['Peace Corps'], places: [t.iquitos, t.pucallpa, t.puertoMaldonado], shape: 'point', siteKind: 'school' },
  { title: 'National GHG inventory for land use and forestry', actionAreas: ['D1'], goals: ['D'], lead: 'MINAM', partners: ['U.S. EPA', 'USFS International Programs'], places: [t.lima], shape: 'point', siteKind: 'office' },
  { title: 'Forest carbon MRV pilot in San Martín', actionAreas: ['D1', 'D2'], goals: ['D'], lead: 'Gobierno Regional de San Martín', partners: ['USAID', 'NASA SERVIR'], places: [[-76.6, -6.9]], shape: 'polygon', siteKind: 'pilot_area' },
  { title: 'Low emission development plan for Madre de Dios', actionAreas: ['D2'], goals: ['D'], lead: 'Gobierno Regional de Madre de Dios', partners: ['USAID'], places: [[-69.6, -12.9]], shape: 'polygon', siteKind: 'planning_area' },
  { title: 'Municipal low emission transport in Lima and Callao', actionAreas: ['D2'], goals: ['D'], lead: 'MINAM', partners: ['U.S. Department of Energy'], places: [t.lima, t.callao], shape: 'point', siteKind: 'municipality' },
  { title: 'Landfill methane capture pilot', actionAreas: ['D3'], goals: ['D', 'E'], lead: 'MINAM', partners: ['U.S. EPA Global Methane Initiative'], places: [t.huancayo, t.arequipa], shape: 'point', siteKind: 'landfill' },
  { title: 'Black carbon reduction in brick kilns', actionAreas: ['D3', 'E1'], goals: ['D', 'E'], lead: 'PRODUCE', partners: ['Climate and Clean Air Coalition'], places: [t.cusco], shape: 'point', siteKind: 'kiln_cluster' },
  { title: 'Glacier lake monitoring in the Cordillera Blanca', actionAreas: ['D4'], goals: ['D'], lead: 'INAIGEM', partners: ['USAID', 'NASA'], places: [[-77.55, -9.05], [-77.42, -9.7]], shape: 'point', siteKind: 'glacier_lake' },
  { title: 'Puna wetland (bofedal) restoration in Puno', actionAreas: ['D4'], goals: ['D', 'B'], lead: 'INAIGEM', partners: ['USAID', 'The Mountain Institute'], places: [[-70.5, -15.05]], shape: 'polygon', siteKind: 'wetland' },
  { title: 'Páramo water fund in Piura highlands', actionAreas: ['D4', 'D5'], goals: ['D'], lead: 'Gobierno Regional de Piura', partners: ['The Nature Conservancy'], places: [[-79.5, -4.97]], shape: 'polygon', siteKind: 'watershed_plot' },
  { title: 'Vilcanota glacier retreat and community adaptation', actionAreas: ['D4'], goals: ['D'], lead: 'INAIGEM', partners: ['U.S. Geological Survey'], places: [[-71.2, -13.8], [-70.85, -13.95]], shape: 'point', siteKind: 'monitoring_station' },
  { title: 'Climate finance facility for adaptation investment', actionAreas: ['D5'], goals: ['D', 'E'], lead: 'MEF', partners: ['U.S. Treasury'], places: [t.lima], shape: 'point', siteKind: 'office' },
  { title: 'Cleaner production in Amazonian sawmills', actionAreas: ['E1'], goals: ['E'], lead: 'PRODUCE', partners: ['U.S. Forest Service'], places: [t.pucallpa, t.puertoMaldonado], shape: 'point', siteKind: 'sawmill' },
  { title: 'Reforestation of degraded mining land along the Interoceanic highway', actionAreas: ['E2', 'B2'], goals: ['E', 'D'], lead: 'SERFOR', partners: ['USAID', 'CINCIA'], places: [[-70.0, -12.97]], shape: 'polygon', siteKind: 'restoration_plot' },
  { title: 'Brazil nut value chain and forest investment', actionAreas: ['E3'], goals: ['E', 'B'], lead: 'SERFOR', partners: ['USAID', 'Rainforest Alliance'], places: [[-69.45, -12.3]], shape: 'polygon', siteKind: 'concession_cluster' },
  { title: 'Access to credit for certified timber producers', actionAreas: ['E3'], goals: ['E'], lead: 'Agrobanco', partners: ['USAID'], places: [t.pucallpa, t.iberia], shape: 'point', siteKind: 'office' },
];

/** The Spanish title of each template (the demo gives user-written text in both languages). */
const titlesEs: Record<string, string> = {
  'Environmental inspection training for regional prosecutors': 'Capacitación en fiscalización ambiental para fiscales regionales',
  'Environmental impact assessment review support for the Interoceanic corridor': 'Apoyo a la revisión de estudios de impacto ambiental del corredor Interoceánico',
  'CITES permit system for mahogany and cedar exports': 'Sistema de permisos CITES para exportaciones de caoba y cedro',
  'CITES scientific authority capacity for vicuña and wildlife': 'Capacidades de la autoridad científica CITES para la vicuña y la fauna silvestre',
  'Artisanal fisheries monitoring against IUU fishing': 'Monitoreo de la pesca artesanal contra la pesca INDNR',
  'Marine reserve surveillance in Paracas': 'Vigilancia de la reserva marina de Paracas',
  'Minamata national action plan: mercury baseline in Madre de Dios': 'Plan de acción nacional de Minamata: línea de base de mercurio en Madre de Dios',
  'Mercury-free gold processing pilot in La Pampa': 'Piloto de procesamiento de oro sin mercurio en La Pampa',
  'Community forest management with Ese Eja and Harakbut communities': 'Manejo forestal comunitario con comunidades ese eja y harakbut',
  'Indigenous forest monitoring in Ucayali': 'Monitoreo forestal indígena en Ucayali',
  'Gender and traditional knowledge in protected area management': 'Género y conocimientos tradicionales en la gestión de áreas protegidas',
  'Tambopata buffer zone forest conservation': 'Conservación de bosques en la zona de amortiguamiento de Tambopata',
  'Migratory bird habitat protection in Alto Mayo': 'Protección del hábitat de aves migratorias en el Alto Mayo',
  'Illegal logging deterrence along the Las Piedras river': 'Disuasión de la tala ilegal a lo largo del río Las Piedras',
  'Timber chain of custody and inventory system': 'Sistema de cadena de custodia e inventario de madera',
  'Supervision of forest concessions in Tahuamanu': 'Supervisión de concesiones forestales en Tahuamanu',
  'Anti-corruption plan for the forest and wildlife sector': 'Plan anticorrupción del sector forestal y de fauna silvestre',
  'Wildlife trafficking interdiction at Iquitos river ports': 'Interdicción del tráfico de fauna silvestre en los puertos fluviales de Iquitos',
  'Wildlife rescue centre network': 'Red de centros de rescate de fauna silvestre',
  'Titicaca wastewater treatment and binational monitoring': 'Tratamiento de aguas residuales y monitoreo binacional del Titicaca',
  'Binational water quality monitoring of the Putumayo': 'Monitoreo binacional de la calidad del agua del Putumayo',
  'Zarumilla and Catamayo-Chira shared basin management': 'Gestión de las cuencas compartidas Zarumilla y Catamayo-Chira',
  'Public participation in environmental impact hearings': 'Participación ciudadana en audiencias de impacto ambiental',
  'Forest decision-making dialogues with vulnerable populations': 'Diálogos sobre decisiones forestales con poblaciones vulnerables',
  'Open forest data portal and concession transparency': 'Portal de datos forestales abiertos y transparencia de concesiones',
  'Environmental education in Amazonian schools': 'Educación ambiental en escuelas amazónicas',
  'National GHG inventory for land use and forestry': 'Inventario nacional de GEI de uso de la tierra y silvicultura',
  'Forest carbon MRV pilot in San Martín': 'Piloto de MRV de carbono forestal en San Martín',
  'Low emission development plan for Madre de Dios': 'Plan de desarrollo bajo en emisiones para Madre de Dios',
  'Municipal low emission transport in Lima and Callao': 'Transporte municipal bajo en emisiones en Lima y Callao',
  'Landfill methane capture pilot': 'Piloto de captura de metano en rellenos sanitarios',
  'Black carbon reduction in brick kilns': 'Reducción de carbono negro en ladrilleras',
  'Glacier lake monitoring in the Cordillera Blanca': 'Monitoreo de lagunas glaciares en la Cordillera Blanca',
  'Puna wetland (bofedal) restoration in Puno': 'Restauración de bofedales altoandinos en Puno',
  'Páramo water fund in Piura highlands': 'Fondo de agua del páramo en la sierra de Piura',
  'Vilcanota glacier retreat and community adaptation': 'Retroceso glaciar en el Vilcanota y adaptación comunitaria',
  'Climate finance facility for adaptation investment': 'Mecanismo de financiamiento climático para inversión en adaptación',
  'Cleaner production in Amazonian sawmills': 'Producción más limpia en aserraderos amazónicos',
  'Reforestation of degraded mining land along the Interoceanic highway': 'Reforestación de tierras degradadas por la minería a lo largo de la carretera Interoceánica',
  'Brazil nut value chain and forest investment': 'Cadena de valor de la castaña e inversión forestal',
  'Access to credit for certified timber producers': 'Acceso al crédito para productores de madera certificada',
};

const statuses: DemoActivity['status'][] = ['ongoing', 'ongoing', 'ongoing', 'completed', 'planned', 'suspended'];
const funding: DemoActivity['fundingStatus'][] = ['funded', 'funded', 'partially_funded', 'seeking_funding', 'unfunded'];
const NOTE = 'Synthetic demo activity: plausible under the Work Program but invented; not a real programme record.';
const NOTE_ES = 'Actividad de demostración sintética: verosímil en el Programa de Trabajo, pero inventada; no es un registro real del programa.';

function siteGeometry(rng: Random, place: LonLat, shape: SiteShape): Geometry {
  const jittered = offsetKm(place, rng.range(0.5, 4), rng.range(0, 360));
  if (shape === 'point') return { type: 'Point', coordinates: jittered };
  if (shape === 'polygon') return { type: 'Polygon', coordinates: [blobRing(rng, jittered, rng.range(2, 6), 24, 0.3)] };
  const bearing = rng.range(0, 360);
  const coords: Position[] = [jittered];
  for (let i = 1; i <= 6; i++) coords.push(offsetKm(coords[i - 1]!, rng.range(2, 5), bearing + rng.range(-35, 35)));
  return { type: 'LineString', coordinates: coords };
}

/**
 * The years of an activity that agree with its status as of `asOfYear`: a completed one ended
 * before it, an ongoing or suspended one runs past it, a planned one starts after it. The drawn
 * years are kept where they already agree, so most activities keep the 2009-2017 starts the
 * before/after trends need.
 */
export function yearsForStatus(status: DemoActivity['status'], startYear: number, endYear: number, asOfYear: number): [number, number] {
  const length = endYear - startYear;
  if (status === 'planned') {
    const start = asOfYear + 1 + (startYear % 2);
    return [start, start + length];
  }
  if (status === 'completed') return [startYear, Math.min(endYear, asOfYear - 1)];
  return [startYear, Math.max(endYear, asOfYear + 1 + (endYear % 3))];
}

/**
 * About 40 activities over every action area, each with its sites; deterministic for a given
 * generator and year (statuses and periods agree as of `asOfYear`, by default this year).
 */
export function generateDemoActivities(rng: Random, asOfYear = new Date().getUTCFullYear()): DemoActivity[] {
  return templates.map((tpl, i) => {
    const pa = tpl.actionAreas[0]!.charAt(0);
    const drawnStart = rng.int(2009, 2017);
    const status = rng.pick(statuses);
    const [startYear, endYear] = yearsForStatus(status, drawnStart, drawnStart + rng.int(2, 6), asOfYear);
    const sites: DemoSite[] = tpl.places.map((place, j) => ({
      name: tpl.places.length > 1 ? `${tpl.title} — site ${j + 1}` : tpl.title,
      kind: tpl.siteKind,
      geometry: siteGeometry(rng, place, tpl.shape),
    }));
    // The Madre de Dios road corridor activities also get a stretch of the real highway as a line site.
    if (tpl.actionAreas.includes('E2') && tpl.shape === 'polygon') {
      sites.push({ name: 'Interoceanic highway corridor', kind: 'corridor', geometry: { type: 'LineString', coordinates: madreDeDiosLines.interoceanicHighway.slice(0, 6) } });
    }
    return {
      code: `${pa}-${String(i + 1).padStart(2, '0')}`,
      title: tpl.title,
      summary: `${tpl.title}. Led by ${tpl.lead} with ${tpl.partners.join(', ')}. ${NOTE}`,
      titleEs: titlesEs[tpl.title] ?? null,
      summaryEs: titlesEs[tpl.title] ? `${titlesEs[tpl.title]}. A cargo de ${tpl.lead} con ${tpl.partners.join(', ')}. ${NOTE_ES}` : null,
      priorityArea: pa,
      actionAreas: tpl.actionAreas,
      goals: tpl.goals,
      leadAgency: tpl.lead,
      implementingPartners: tpl.partners,
      fundingStatus: rng.pick(funding),
      startDate: `${startYear}-${String(rng.int(1, 12)).padStart(2, '0')}-01`,
      endDate: `${endYear}-12-31`,
      status,
      published: i % 9 !== 8, // a few drafts, so publishing can be shown
      properties: { synthetic: true, note: NOTE },
      sites,
    };
  });
}
