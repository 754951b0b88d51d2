// Subscriptions and digests over HTTP: a signed-in user's subscriptions, digest settings and
// digests; the Atom feed by its token; an admin's "run the digests now". Thin: the work is in
// services/alert_subscriptions.service.ts and services/digest_jobs.ts.
import { Router, type Response } from 'express';
import { z } from 'zod';
import { apiPaths, digestPreviewQuerySchema, digestSettingsInputSchema, idParamSchema, subscriptionInputSchema } from '../api';
import type { AppDeps } from '../app_deps';
import type { AnalysisContext } from '../services/analysis_context';
import { changeDigestSettings, digestFeed, digestMapFor, digestSettingsOf, digestsOf, subscribe, subscriptionsOf, unsubscribe, userOfFeed } from '../services/alert_subscriptions.service';
import { DIGEST_JOB } from '../services/digest_jobs';
import { previewDigest } from '../services/alert_digests.service';
import { settingsUrl } from '../services/digest_delivery.service';
import { requirePublished } from '../services/access.service';
import { digestPreviewPage } from '../reports/digest_message';
import { NotFoundError } from '../errors';
import { limitsFor } from '../geometry/limits';
import { requireRole, userOf } from './authenticate';
import { parseInput } from './validate';

const mapParams = z.object({ id: z.coerce.number().int().positive(), n: z.coerce.number().int().min(0).max(10_000) });
const feedParams = z.object({ token: z.string().max(100) });
const feedMapParams = feedParams.extend({ digest: z.coerce.number().int().positive(), n: z.coerce.number().int().min(0).max(10_000) });
const runBody = z.object({ force: z.boolean().optional() }).strict();

export function alertSubscriptionRoutes({ database, config, analysis }: AppDeps & { analysis: AnalysisContext }): Router {
  const db = database.db;
  const smtp = Boolean(config.digests.smtpUrl);
  const png = (res: Response, body: Buffer) => res.type('image/png').set('cache-control', 'private, max-age=86400').send(body);
  return Router()
    .get(apiPaths.alertSubscriptions, async (_req, res) => {
      res.json(await subscriptionsOf(db, userOf(res)));
    })
    .post(apiPaths.alertSubscriptions, async (req, res) => {
      const user = userOf(res);
      const body = parseInput(subscriptionInputSchema, req.body, 'body');
      res.status(201).json(await subscribe(db, user, body, { geometry: analysis.geometry, limits: limitsFor(user), siteBufferM: analysis.siteBufferM }));
    })
    .post(`${apiPaths.alertSubscription(':id')}/delete`, async (req, res) => {
      const { id } = parseInput(idParamSchema, req.params, 'path');
      await unsubscribe(db, userOf(res), id);
      res.status(204).end();
    })
    .get(apiPaths.alertDigestSettings, async (_req, res) => {
      res.json(await digestSettingsOf(db, userOf(res), smtp));
    })
    .post(apiPaths.alertDigestSettings, async (req, res) => {
      const body = parseInput(digestSettingsInputSchema, req.body, 'body');
      res.json(await changeDigestSettings(db, userOf(res), body, { smtp, publicUrl: config.digests.publicUrl, webhookPrivateHosts: config.digests.webhookPrivateHosts }));
    })
    .get(apiPaths.alertDigests, async (_req, res) => {
      res.json(await digestsOf(db, userOf(res)));
    })
    .post(apiPaths.alertDigestsRun, requireRole('admin'), async (req, res) => {
      const body = parseInput(runBody, req.body ?? {}, 'body');
      const job = await analysis.jobs.enqueue(DIGEST_JOB, body.force ? { force: true } : {});
      res.status(202).location(apiPaths.job(job.id)).json(job);
    })
    .get('/api/alerts/digests/:id/maps/:n.png', async (req, res) => {
      const { id, n } = parseInput(mapParams, req.params, 'path');
      png(res, await digestMapFor(db, userOf(res).id, id, n));
    })
    // What a digest of an area, activity or site would say about its last days: public, nothing stored.
    .get(apiPaths.digestPreview, async (req, res) => {
      const q = parseInput(digestPreviewQuerySchema, req.query, 'query');
      await requirePublished(db, q.subject, q.id);
      const preview = await previewDigest({ db, rasters: analysis.rasters, siteBufferM: analysis.siteBufferM, publicUrl: config.digests.publicUrl, smtp }, q.subject, q.id, q.days, q.lang);
      if (!preview) throw new NotFoundError(`No ${q.subject} ${q.id} with a zone to count alerts in.`);
      res.type('html').send(digestPreviewPage(preview.content, preview.label, q.days, preview.maps, settingsUrl(config.digests.publicUrl, q.lang)));
    })
    .get('/api/alerts/feed/:token.atom', async (req, res) => {
      const { token } = parseInput(feedParams, req.params, 'path');
      res.type('application/atom+xml; charset=utf-8').set('cache-control', 'private, no-cache').send(await digestFeed(db, token, config.digests.publicUrl));
    })
    .get('/api/alerts/feed/:token/maps/:digest/:n.png', async (req, res) => {
      const { token, digest, n } = parseInput(feedMapParams, req.params, 'path');
      const user = await userOfFeed(db, token);
      png(res, await digestMapFor(db, user.id, digest, n));
    });
}
