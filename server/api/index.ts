// The API contract shared by server and client: zod schemas, inferred types, error codes, paths.
// A leaf module: it imports nothing from the server or the database.
export * from './common';
export * from './health';
export * from './programme';
export * from './areas';
export * from './sites';
export * from './activities';
export * from './paths';
export * from './imports';
export * from './links';
export * from './rasters';
export * from './analysis';
export * from './concessions';
export * from './indicators';
export * from './tiles';
export * from './exports';
export * from './places';
export * from './search';
export * from './client_config';
export * from './auth';
export * from './editing';
export * from './ogc';
export * from './format';
export * from './sources';
export * from './context';
export * from './alerts';
export * from './subscriptions';
