// Offline packages on the server: estimate, ask for one, follow its build, download, delete.
import { apiPaths, areaPackageSchema, jobSchema, packageEstimateSchema, type PackageRequest } from '@atalaya/api';
import type { z } from 'zod';
import { answerOf } from './client';
import { send } from './session';

const get = async <T>(path: string, schema: z.ZodType<T>) => answerOf(await fetch(path, { headers: { Accept: 'application/json' } }), schema);

export const estimatePackage = (r: PackageRequest) => send('POST', apiPaths.packageEstimate, r, packageEstimateSchema);
export const requestPackage = (r: PackageRequest) => send('POST', apiPaths.packages, r, areaPackageSchema);
export const fetchPackage = (id: number) => get(apiPaths.package(id), areaPackageSchema);
export const fetchPackageJob = (id: number) => get(apiPaths.job(id), jobSchema);
export const deleteServerPackage = (id: number) => send('POST', `${apiPaths.package(id)}/delete`);
