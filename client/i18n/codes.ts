// Labels of the enumerated values data carries (site kinds, legal statuses, levels, highland types,
// supervision statuses): a code is never shown raw. Codes the data brings that are not here are
// shown humanised ("buffer_zone" -> "buffer zone") rather than as the code.
type Labels = Record<string, { en: string; es: string }>;

export const codeLabels: Labels = {
  // Legal status of areas and concessions.
  active: { en: 'active', es: 'vigente' },
  expired: { en: 'expired', es: 'vencida' },
  caducated: { en: 'forfeited', es: 'caducada' },
  // Administration level of protected areas.
  national: { en: 'national', es: 'nacional' },
  regional: { en: 'regional', es: 'regional' },
  private: { en: 'private', es: 'privada' },
  // Glacier and high Andean ecosystems.
  glacier: { en: 'glacier', es: 'glaciar' },
  puna: { en: 'puna', es: 'puna' },
  jalca: { en: 'jalca', es: 'jalca' },
  paramo: { en: 'páramo', es: 'páramo' },
  // Supervision status of a concession review.
  watch: { en: 'watch', es: 'en observación' },
  field_visit: { en: 'field visit', es: 'visita de campo' },
  sanction_process: { en: 'sanction process', es: 'proceso sancionador' },
  cleared: { en: 'cleared', es: 'sin observaciones' },
  // Kinds of intervention sites.
  buffer_zone: { en: 'buffer zone', es: 'zona de amortiguamiento' },
  checkpoint: { en: 'checkpoint', es: 'puesto de control' },
  community: { en: 'community', es: 'comunidad' },
  community_territory: { en: 'community territory', es: 'territorio comunal' },
  concession_cluster: { en: 'concession cluster', es: 'grupo de concesiones' },
  corridor: { en: 'corridor', es: 'corredor' },
  field_office: { en: 'field office', es: 'oficina de campo' },
  gauging_station: { en: 'gauging station', es: 'estación hidrométrica' },
  glacier_lake: { en: 'glacier lake', es: 'laguna glaciar' },
  habitat: { en: 'habitat', es: 'hábitat' },
  hearing_venue: { en: 'hearing venue', es: 'sede de audiencias' },
  kiln_cluster: { en: 'brick kiln cluster', es: 'grupo de ladrilleras' },
  landfill: { en: 'landfill', es: 'relleno sanitario' },
  landing_site: { en: 'landing site', es: 'desembarcadero' },
  monitoring_post: { en: 'monitoring post', es: 'puesto de vigilancia' },
  monitoring_station: { en: 'monitoring station', es: 'estación de monitoreo' },
  municipality: { en: 'municipality', es: 'municipalidad' },
  office: { en: 'office', es: 'oficina' },
  patrol_route: { en: 'patrol route', es: 'ruta de patrullaje' },
  patrol_zone: { en: 'patrol zone', es: 'zona de patrullaje' },
  pilot_area: { en: 'pilot area', es: 'área piloto' },
  pilot_plant: { en: 'pilot plant', es: 'planta piloto' },
  planning_area: { en: 'planning area', es: 'área de planificación' },
  port: { en: 'port', es: 'puerto' },
  rescue_centre: { en: 'wildlife rescue centre', es: 'centro de rescate de fauna' },
  restoration_plot: { en: 'restoration plot', es: 'parcela de restauración' },
  river_stretch: { en: 'river stretch', es: 'tramo de río' },
  sawmill: { en: 'sawmill', es: 'aserradero' },
  school: { en: 'school', es: 'escuela' },
  training_centre: { en: 'training centre', es: 'centro de capacitación' },
  treatment_plant: { en: 'treatment plant', es: 'planta de tratamiento' },
  watershed_plot: { en: 'watershed plot', es: 'parcela de cuenca' },
  wetland: { en: 'wetland', es: 'humedal' },
};

/** "buffer_zone" -> "buffer zone": how a code nobody labelled yet is shown. */
export const humanise = (code: string): string => code.replace(/_/g, ' ');
