// The signed-in user's alert subscriptions, digest settings and digests.
import { apiPaths, digestSettingsSchema, digestWithDeliveriesSchema, jobSchema, subscriptionSchema, type DigestSettingsInput, type SubscriptionInput } from '@atalaya/api';
import { z } from 'zod';
import { answerOf } from './client';
import { send } from './session';

const get = async <T>(path: string, schema: z.ZodType<T>) => answerOf(await fetch(path, { headers: { Accept: 'application/json' } }), schema);

export const fetchSubscriptions = () => get(apiPaths.alertSubscriptions, z.array(subscriptionSchema));
export const subscribe = (input: SubscriptionInput) => send('POST', apiPaths.alertSubscriptions, input, subscriptionSchema);
export const unsubscribe = (id: number) => send('POST', `${apiPaths.alertSubscription(id)}/delete`);
export const fetchDigestSettings = () => get(apiPaths.alertDigestSettings, digestSettingsSchema);
export const saveDigestSettings = (input: DigestSettingsInput) => send('POST', apiPaths.alertDigestSettings, input, digestSettingsSchema);
export const fetchDigests = () => get(apiPaths.alertDigests, z.array(digestWithDeliveriesSchema));
export const runDigestsNow = () => send('POST', apiPaths.alertDigestsRun, { force: true }, jobSchema);
export const digestMapUrl = (id: number, n: string) => apiPaths.alertDigestMap(id, n);
