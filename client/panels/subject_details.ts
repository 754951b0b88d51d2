// What the side panel shows for each kind of subject. Each loads its parts in parallel and adds them
// as they arrive; a part that fails (no raster, no links) is left out, never blocks the rest.
import { apiPaths, formatDate, formatMonth, formatHectares, formatNumber, localized, type LossAnswerBody, type Trend } from '@atalaya/api';
import { ApiError, EXPORT_FORMATS, csvUrl, exportUrl, fetchActivity, fetchActivityLinks, fetchAreaActivities, fetchAreaItem, fetchIndicators, fetchLoss, fetchSiteItem, fetchTrendWithZones, analyseGeometry, lossUrl, concessionSheetUrl, reportUrl } from '../api/client';
import type { Lang, MessageKey } from '../i18n';
import { translate, translateCode } from '../i18n';
import type { Selection } from '../state/app_state';
import { appendProgress } from './progress_summary';
import { alertExportUrl, fetchSubjectAlerts, fetchSubjectVectorAlerts, subjectAlertsUrl, type AlertSubject, type AlertWindow } from '../api/alerts';
import { bboxOf } from '../layers/geometry_bounds';
import { appendFollow, digestPreviewUrl } from './follow_alerts';
import { downloadLinks, factList, sectionTitle, selectableList, type DetailsPanel, type LossYears } from './details_panel';

export interface SubjectContext {
  lang: Lang;
  panel: DetailsPanel;
  /** Absent when no loss raster is registered. */
  years?: LossYears;
  /** The loss layer the user picked (its name), and its tree cover partner. */
  lossLayer?: string;
  treecover?: string;
  /** The alert window the map shows; absent when no alert layer is registered. */
  alerts?: AlertWindow;
  /** Layers of alerts published as points or polygons (GeoBosques) that have alerts. */
  vectorAlertLayers: string[];
  siteBufferKm: number;
  /** The area kinds with their labels in the reader's language. */
  areaKinds: { code: string; label: string }[];
  kindLabel(code: string): string;
  select(s: Selection): void;
  /** Draws (or, with undefined, clears) a trend's buffer and comparison ring on the map. */
  showTrendZones(zones: Trend['zones']): void;
}

/** The trend near a site or an activity: its zones on the map, its before/after chart in the panel. */
function trendSection(ctx: SubjectContext, body: HTMLElement, subject: 'site' | 'activity', id: number, signal: AbortSignal): void {
  const box = document.createElement('section');
  body.append(box);
  // Chart.js loads with the first chart, not with the page.
  void Promise.all([fetchTrendWithZones(subject, id, ctx.lossLayer, signal), import('./trend_chart')])
    .then(([trend, { appendTrendChart }]) => {
      if (signal.aborted) return;
      ctx.showTrendZones(trend.zones);
      appendTrendChart(box, ctx.lang, trend);
    })
    .catch(ignore);
}

/** The subject's alerts in the map's window, per week by confidence (Chart.js loads with it). */
function alertSection(ctx: SubjectContext, body: HTMLElement, subject: AlertSubject, id: number, signal: AbortSignal, bufferKm?: number): void {
  const w = ctx.alerts;
  if (!w) return;
  const box = document.createElement('section');
  box.className = 'alerts-box';
  body.append(box);
  void Promise.all([fetchSubjectAlerts(subject, id, w, signal), import('./alert_chart')])
    .then(([answer, { appendAlertChart }]) => {
      if (signal.aborted) return;
      appendAlertChart(box, ctx.lang, answer, subjectAlertsUrl(subject, id, w, 'csv'), bufferKm);
      // The alert pixels themselves, as points, where there are any.
      if (answer.total_px > 0) box.append(downloadLinks([['GeoJSON', 'geojson'], ['CSV', 'csv'], ['GeoPackage', 'gpkg']].map(([label, f]) => ({ label: `${translate(ctx.lang, 'alertPoints')} ${label}`, href: alertExportUrl(subject, id, w, f as 'geojson' | 'csv' | 'gpkg') }))));
    })
    .catch(ignore);
  // Alerts published as points or polygons (GeoBosques) over the same dates: counted, their own rule.
  for (const layer of ctx.vectorAlertLayers) {
    const line = document.createElement('p');
    line.className = 'vector-alerts';
    box.after(line);
    void fetchSubjectVectorAlerts(subject, id, layer, w, signal)
      .then((a) => {
        if (signal.aborted) return;
        const t = (k: MessageKey) => translate(ctx.lang, k);
        // Points have no area: no hectares are shown for them, never 0.
        const area = a.total_ha === null ? '' : `, ${formatHectares(ctx.lang, a.total_ha)} (${t('vectorAlertPolygons')})`;
        line.textContent = `${layer}: ${formatNumber(ctx.lang, a.total_alerts)} ${t('alertsWord')}${area} · ${formatDate(ctx.lang, w.from)} – ${formatDate(ctx.lang, w.to)}`;
      })
      .catch(() => line.remove());
  }
}

const ignore = () => undefined;
const distance = (lang: Lang, relation: string, m: number) =>
  relation === 'within' ? `${translateCode(lang, relation)} · ${formatNumber(lang, m / 1000, 1)} km` : translateCode(lang, relation);
const ha = (lang: Lang, v: number) => formatHectares(lang, v);

function lossSection(ctx: SubjectContext, body: HTMLElement, load: Promise<LossAnswerBody>, csvUrl: string, bufferKm?: number): void {
  // No loss layer known (offline, or none registered): nothing to draw, and the answer's failure is no error.
  if (!ctx.years) return void load.catch(ignore);
  const years = ctx.years;
  const box = document.createElement('section');
  body.append(box);
  void load.then((answer) => ctx.panel.addLossChart(box, ctx.lang, answer, csvUrl, years, bufferKm)).catch(ignore);
}

export function showArea(ctx: SubjectContext, kind: string, id: number): void {
  const t = (k: MessageKey) => translate(ctx.lang, k);
  const { body, signal, setTitle } = ctx.panel.open(ctx.lang, t('loading'), ctx.kindLabel(kind));
  const facts = document.createElement('div');
  const links = document.createElement('section');
  body.append(facts);
  lossSection(ctx, body, fetchLoss('area', id, ctx.lossLayer, signal), lossUrl('area', id, 'csv', ctx.lossLayer));
  alertSection(ctx, body, 'area', id, signal);
  if (ctx.alerts) appendFollow(body, ctx.lang, { input: { kind: 'area', area_id: id }, preview: digestPreviewUrl('area', id, ctx.lang), inside: { areaId: id, kinds: ctx.areaKinds.filter((k) => k.code !== kind) } });
  body.append(links);
  void fetchAreaItem(kind, id, signal)
    .then((item) => {
      const p = item.properties;
      setTitle(String(p.name ?? `#${id}`));
      facts.append(factList([
        [t('area'), typeof p.area_ha === 'number' ? ha(ctx.lang, p.area_ha) : undefined],
        [t('category'), p.category],
        [t('concessionType'), p.concession_type ? translateCode(ctx.lang, String(p.concession_type)) : undefined],
        [t('holder'), p.holder],
        [t('region'), p.region],
        [t('statusLabel'), p.status ? translateCode(ctx.lang, String(p.status)) : undefined],
        [t('level'), p.level ? translateCode(ctx.lang, String(p.level)) : undefined],
        [t('highlandType'), p.highland_type ? translateCode(ctx.lang, String(p.highland_type)) : undefined],
        [t('sourceId'), p.source_id],
      ]));
    })
    .catch(() => setTitle(`#${id}`));
  void fetchAreaActivities(id, signal)
    .then((r) => {
      links.append(sectionTitle(`${t('activitiesHere')} (${r.activities.length})`));
      links.append(selectableList(r.activities.map((a) => ({ label: `${a.code} ${a.title}`, note: distance(ctx.lang, a.relation, a.distanceM), selection: { type: 'activity', id: a.activityId } })), ctx.select, t('none')));
    })
    .catch(ignore);
  const downloads: { label: string; href: string }[] = [
    ...EXPORT_FORMATS.map((f) => ({ label: f.label, href: exportUrl({ what: 'areas', ids: [id], format: f.format }) })),
    { label: `${t('activitiesHere')} CSV`, href: csvUrl(apiPaths.areaActivities(id)) },
  ];
  if (kind === 'forest_concession') downloads.push({ label: t('colSheet'), href: concessionSheetUrl(id, ctx.lang, ctx.lossLayer) });
  body.append(sectionTitle(t('downloads')), downloadLinks(downloads));
}

export function showSite(ctx: SubjectContext, id: number): void {
  const t = (k: MessageKey) => translate(ctx.lang, k);
  const { body, signal, setTitle } = ctx.panel.open(ctx.lang, t('loading'), t('site'));
  const facts = document.createElement('div');
  const progress = document.createElement('section');
  body.append(facts);
  lossSection(ctx, body, fetchLoss('site', id, ctx.lossLayer, signal), lossUrl('site', id, 'csv', ctx.lossLayer), ctx.siteBufferKm);
  alertSection(ctx, body, 'site', id, signal, ctx.siteBufferKm);
  if (ctx.alerts) appendFollow(body, ctx.lang, { preview: digestPreviewUrl('site', id, ctx.lang) });
  trendSection(ctx, body, 'site', id, signal);
  body.append(progress, sectionTitle(t('downloads')), downloadLinks(EXPORT_FORMATS.map((f) => ({ label: f.label, href: exportUrl({ what: 'sites', ids: [id], format: f.format }) }))));
  void fetchSiteItem(id, signal)
    .then((item) => {
      const p = item.properties;
      setTitle(String(p.name ?? `#${id}`));
      const activityId = Number(p.activity_id);
      facts.append(factList([[t('kind'), translateCode(ctx.lang, String(p.kind ?? ''))], [t('priorityArea'), p.priority_area], [t('status'), translateCode(ctx.lang, String(p.status ?? ''))], [t('leadAgency'), p.lead_agency]]));
      if (Number.isInteger(activityId)) {
        facts.append(sectionTitle(t('activity')), selectableList([{ label: String(p.activity_code ?? activityId), selection: { type: 'activity', id: activityId } }], ctx.select, t('none')));
        // The site's own trend has its section: the progress lists its activity's indicators.
        void fetchIndicators(activityId, signal)
          .then((list) => appendProgress(progress, ctx.lang, list.indicators, reportUrl(ctx.lang, ctx.lossLayer, `activity-${activityId}`)))
          .catch(ignore);
      }
    })
    .catch(() => setTitle(`#${id}`));
}

export function showActivity(ctx: SubjectContext, id: number, onSites: (bbox: [number, number, number, number]) => void): void {
  const t = (k: MessageKey) => translate(ctx.lang, k);
  const { body, signal, setTitle } = ctx.panel.open(ctx.lang, t('loading'), t('activity'));
  const facts = document.createElement('div');
  const progress = document.createElement('section');
  const links = document.createElement('section');
  const sites = document.createElement('section');
  body.append(facts, progress);
  lossSection(ctx, body, fetchLoss('activity', id, ctx.lossLayer, signal), lossUrl('activity', id, 'csv', ctx.lossLayer), ctx.siteBufferKm);
  alertSection(ctx, body, 'activity', id, signal, ctx.siteBufferKm);
  if (ctx.alerts) appendFollow(body, ctx.lang, { input: { kind: 'activity', activity_id: id }, preview: digestPreviewUrl('activity', id, ctx.lang) });
  trendSection(ctx, body, 'activity', id, signal);
  body.append(links, sites, sectionTitle(t('downloads')), downloadLinks([
    ...EXPORT_FORMATS.map((f) => ({ label: `${t('sites')} ${f.label}`, href: exportUrl({ what: 'sites', activityId: id, format: f.format }) })),
    { label: `${t('linkedAreas')} CSV`, href: csvUrl(apiPaths.activityLinks(id)) },
    { label: `${t('lossPerYear')} CSV`, href: lossUrl('activity', id, 'csv', ctx.lossLayer) },
  ]));
  void fetchActivity(id, signal)
    .then((a) => {
      setTitle(`${a.code} ${localized(ctx.lang, a.title, a.titleEs)}`);
      facts.append(factList([
        [t('status'), translateCode(ctx.lang, a.status)],
        [t('priorityArea'), a.priorityArea],
        [t('actionArea'), a.actionAreas.join(', ')],
        [t('goal'), a.goals.join(', ')],
        [t('leadAgency'), a.leadAgency],
        [t('partners'), a.implementingPartners.join(', ')],
        [t('funding'), translateCode(ctx.lang, a.fundingStatus)],
        [t('period'), [a.startDate, a.endDate].filter(Boolean).map((d) => formatMonth(ctx.lang, d!)).join(' – ')],
      ]));
      const summary = localized(ctx.lang, a.summary, a.summaryEs);
      if (summary) {
        const p = document.createElement('p');
        p.className = 'summary';
        p.textContent = summary;
        facts.append(p);
      }
      sites.append(sectionTitle(`${t('sites')} (${a.sites.features.length})`));
      sites.append(selectableList(a.sites.features.map((f) => ({ label: String(f.properties.name), selection: { type: 'site', id: Number(f.id) } })), ctx.select, t('none')));
      const bbox = bboxOf(a.sites.features.map((f) => f.geometry as GeoJSON.Geometry));
      if (bbox) onSites(bbox);
    })
    .catch(() => setTitle(`#${id}`));
  // The trend has its own section (chart and summary): the progress lists the indicators.
  void fetchIndicators(id, signal)
    .then((list) => appendProgress(progress, ctx.lang, list.indicators, reportUrl(ctx.lang, ctx.lossLayer, `activity-${id}`)))
    .catch(ignore);
  void fetchActivityLinks(id, signal)
    .then((l) => {
      links.append(sectionTitle(`${t('linkedAreas')} (${l.length})`));
      links.append(selectableList(l.map((x) => ({ label: x.name, note: distance(ctx.lang, x.relation, x.distanceM), selection: { type: 'area', kind: x.kind, id: x.areaId } })), ctx.select, t('none')));
    })
    .catch(ignore);
}

/** A place or a drawn/uploaded shape: the loss inside it (polygons) or within a buffer (points, lines). */
export function showShape(ctx: SubjectContext, title: string, subtitle: string, geometry: GeoJSON.Geometry, bufferM: number | undefined, facts: [string, unknown][] = []): void {
  const t = (k: MessageKey) => translate(ctx.lang, k);
  const { body, signal } = ctx.panel.open(ctx.lang, title, subtitle);
  body.append(factList(facts));
  if (ctx.alerts && (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon') && !bufferM) appendFollow(body, ctx.lang, { input: { kind: 'polygon', geometry: { type: geometry.type, coordinates: geometry.coordinates } } });
  if (!ctx.years) return;
  const years = ctx.years;
  const box = document.createElement('section');
  const status = document.createElement('p');
  status.className = 'status';
  status.setAttribute('role', 'status');
  status.textContent = t('analysing');
  body.append(box, status);
  void analyseGeometry(geometry, bufferM, { loss: ctx.lossLayer, treecover: ctx.treecover }, signal)
    .then((answer) => {
      status.remove();
      // The answer came from a POST, so its CSV is made here from the same figures.
      const csv = ['year,loss_ha,loss_px', ...answer.years.map((y) => `${y.year},${y.loss_ha},${y.loss_px}`)].join('\n');
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      ctx.panel.addLossChart(box, ctx.lang, answer, url, years, bufferM ? bufferM / 1000 : undefined);
    })
    .catch((e: Error) => {
      if (signal.aborted) return;
      status.className = 'status error';
      // Refusals the user can act on are said in the user's language; others with the server's words.
      const known: Partial<Record<string, MessageKey>> = { payload_too_large: 'geometryTooLarge', unprocessable: 'geometryTooIntricate', database_busy: 'serverBusy', database_unavailable: 'databaseUnavailable', storage_unavailable: 'serverBusy' };
      const key = e instanceof ApiError ? known[e.code] : undefined;
      status.textContent = `${t('analysisFailed')} ${key ? t(key) : e.message}`;
    });
}
