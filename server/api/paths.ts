// Path builders shared by the server routes and the client fetchers.
export const apiPaths = {
  health: '/api/health',
  programme: '/api/programme',
  areas: '/api/areas',
  areaKinds: '/api/area-kinds',
  sites: '/api/sites',
  activities: '/api/activities',
  activity: (id: number | string) => `/api/activities/${id}`,
  imports: '/api/imports',
} as const;
