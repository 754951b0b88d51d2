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
  activityLinks: (id: number | string) => `/api/activities/${id}/links`,
  areaActivities: (id: number | string) => `/api/areas/${id}/activities`,
  matrix: '/api/programme/matrix',
  matrixCell: '/api/programme/matrix/cell',
  rasters: '/api/rasters',
} as const;
