// The map client's features, each in a real browser with a screenshot: layers, years, search, the
// activity browser and matrix, URL round-trip and back button, language, drawing and uploading,
// keyboard and tablet use. Run on the demo data (tests/helpers/e2e_app.ts).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { starPolygon } from '../helpers/star_polygon';
import { formatNumber } from '../../server/api';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, lossPixels, mapIdle, onMap, shots, startE2eApp, type E2eApp, type MapHandle } from '../helpers/e2e_app';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';
import { writePeruProtomapsFixture } from '../helpers/protomaps_fixture';
import { createTestUser } from '../helpers/accounts';
import { startSmtp } from '../helpers/digest_fixture';
import { dictionaries } from '../../client/i18n';
import { codeLabels } from '../../client/i18n/codes';

const require = createRequire(import.meta.url);

describe.skipIf(!fs.existsSync(chromiumPath))(`map client features in Chromium (${testDatabaseKind()} database)`, () => {
  let app: E2eApp;
  let browser: Browser;
  let baseUrl: string;
  let database: Awaited<ReturnType<typeof getTestDatabase>>;

  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    app = await startE2eApp(database);
    ({ browser, baseUrl } = app);
  }, 240_000);
  afterAll(async () => app?.close());

  async function open(query = '', viewport = { width: 1400, height: 900 }, bypassCSP = false): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport, bypassCSP });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The server's content security policy must let the whole client run.
    page.on('console', (m) => m.text().includes('Content Security Policy') && errors.push(m.text()));
    await page.goto(`${baseUrl}/${query}`);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
    return { page, errors };
  }
  const rendered = (page: Page) => page.evaluate(() => Number(document.body.dataset.renderedFeatures));

  it('toggles every layer on and off, and changes its opacity', async () => {
    const { page, errors } = await open('?map=8/-12.75/-69.8');
    const groups = await page.locator('input[data-group]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).dataset.group!));
    expect(groups).toEqual(['watershed', 'protected_area', 'glacier_highland', 'forest_concession', 'sites', 'context_gef_projects', 'loss', 'treecover', 'alerts']);
    const layerOf: Record<string, string> = { sites: 'sites-point', context_gef_projects: 'context-gef_projects', loss: 'forest-loss', treecover: 'treecover', alerts: 'alerts' };
    for (const g of groups) {
      const id = layerOf[g] ?? `areas-${g}-fill`;
      const box = page.locator(`input[data-group="${g}"]`);
      const wasOn = await box.isChecked();
      await box.setChecked(!wasOn);
      expect(await onMap(page, new Function('m', `return m.getLayoutProperty('${id}', 'visibility')`) as (m: MapHandle) => unknown)).toBe(wasOn ? 'none' : 'visible');
      expect(page.url()).toContain(wasOn ? 'hide=' : 'show=');
      await box.setChecked(wasOn);
      expect(await onMap(page, new Function('m', `return m.getLayoutProperty('${id}', 'visibility')`) as (m: MapHandle) => unknown)).toBe(wasOn ? 'visible' : 'none');
    }
    // Hiding the concessions removes their features from what the map draws.
    await mapIdle(page);
    const before = await rendered(page);
    await page.locator('input[data-group="forest_concession"]').uncheck();
    await page.waitForFunction((b) => Number(document.body.dataset.renderedFeatures) < b, before, { timeout: 10_000 });
    // Opacity: the slider sets the layer's paint opacity and lands in the URL.
    await page.locator('input[data-opacity="protected_area"]').fill('40');
    expect(await onMap(page, (m) => m.getPaintProperty('areas-protected_area-fill', 'fill-opacity'))).toBeCloseTo(0.35 * 0.4, 5);
    expect(page.url()).toContain('opacity=protected_area:0.4');
    await page.locator('input[data-group="treecover"]').check();
    await mapIdle(page);
    await page.screenshot({ path: path.join(shots, 'client-layers.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('redraws fewer loss pixels for a shorter year range, and the open chart follows', async () => {
    const { page, errors } = await open('?map=10/-12.62/-69.9&hide=watershed,protected_area,forest_concession,glacier_highland,sites,alerts&sel=place:laberinto');
    await page.locator('.details .loss-chart canvas').waitFor({ timeout: 20_000 });
    expect(await page.locator('.details .loss-chart').innerText()).toContain('(2001–2023)');
    await mapIdle(page);
    const all = await lossPixels(page);
    await page.screenshot({ path: path.join(shots, 'client-years-all.png') });
    await page.locator('input[data-years="from"]').fill('2019');
    await page.waitForURL(/years=2019-2023/);
    await mapIdle(page);
    const recent = await lossPixels(page);
    await page.screenshot({ path: path.join(shots, 'client-years-2019.png') });
    expect(await page.locator('.details .loss-chart').innerText()).toContain('(2019–2023)');
    expect(all).toBeGreaterThan(2000);
    expect(recent).toBeGreaterThan(0);
    expect(recent).toBeLessThan(all * 0.6);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('finds an activity, a site, an area and a place, with the keyboard', async () => {
    const { page, errors } = await open('?lang=es');
    await page.locator('#search').focus();
    await page.keyboard.type('tambopata');
    await page.waitForSelector('#search-results li[role="option"]');
    const options = await page.locator('#search-results li[role="option"]').allInnerTexts();
    expect(options.some((o) => o.includes('Reserva Nacional Tambopata') && o.includes('Área natural protegida'))).toBe(true);
    expect(options.some((o) => o.includes('B-12'))).toBe(true);
    await page.screenshot({ path: path.join(shots, 'client-search.png') });
    // Arrow down to the protected area, Enter opens it in the side panel and in the URL.
    const index = options.findIndex((o) => o.includes('Reserva Nacional Tambopata'));
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('details-title')?.textContent === 'Reserva Nacional Tambopata', undefined, { timeout: 15_000 });
    expect(page.url()).toMatch(/sel=area:protected_area:\d+/);
    // A place from the typed-in list: the panel shows the loss within 10 km of it.
    await page.locator('#search').fill('Puerto Maldo');
    await page.waitForSelector('#search-results li[role="option"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('details-title')?.textContent === 'Puerto Maldonado');
    await page.locator('.details .loss-chart canvas').waitFor({ timeout: 15_000 });
    expect(page.url()).toContain('sel=place:puertoMaldonado');
    const center = await onMap(page, (m) => m.getCenter());
    expect(center.lng).toBeCloseTo(-69.19, 1);
    await page.screenshot({ path: path.join(shots, 'client-place.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('filters the activity browser, the map follows, and the programme matrix opens a filtered list', async () => {
    const { page, errors } = await open('?panel=activities');
    await page.locator('.activity-table tbody tr').first().waitFor();
    const total = await page.locator('.activity-table tbody tr').count();
    await mapIdle(page);
    const sitesBefore = await onMap(page, (m) => m.queryRenderedFeatures({ layers: ['sites-point', 'sites-cluster', 'sites-polygon', 'sites-line'] }).length);
    await page.locator('select[name="priorityArea"]').selectOption('C');
    await page.waitForURL(/priorityArea=C/);
    await page.waitForFunction(() => [...document.querySelectorAll('.activity-table tbody tr td:nth-child(3)')].every((td) => td.textContent === 'C'));
    expect(await page.locator('.activity-table tbody tr').count()).toBeLessThan(total);
    await page.locator('select[name="status"]').selectOption('ongoing');
    await page.waitForURL(/status=ongoing/);
    await mapIdle(page);
    const sitesAfter = await onMap(page, (m) => m.queryRenderedFeatures({ layers: ['sites-point', 'sites-cluster', 'sites-polygon', 'sites-line'] }).length);
    expect(sitesAfter).toBeLessThan(sitesBefore);
    await page.screenshot({ path: path.join(shots, 'client-activities.png') });
    // A row opens the activity: attributes, progress and its sites.
    await page.locator('.activity-table tbody tr').first().click();
    await page.waitForURL(/sel=activity:\d+/);
    await page.locator('.details .facts').first().waitFor();
    // The attributes arrive after the progress block on a loaded machine ("Loading…" meanwhile): wait for them.
    await page.locator('.details', { hasText: 'Lead agency' }).waitFor();
    expect(await page.locator('.details').innerText()).toMatch(/Lead agency/);
    // The matrix: rows by priority area, kinds across; a cell lists its activities.
    await page.locator('[data-drawer="matrix"]').click();
    await page.locator('table.matrix button.cell').first().waitFor();
    expect(await page.locator('table.matrix tbody tr').count()).toBe(5);
    await page.screenshot({ path: path.join(shots, 'client-matrix.png') });
    await page.locator('table.matrix tbody tr').nth(1).locator('button.cell').first().click();
    await page.waitForURL(/panel=activities/);
    expect(page.url()).toContain('priorityArea=B');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  for (const lang of ['en', 'es'] as const) {
    it(`offers every export in the interface, and each answers with its format (${lang})`, async () => {
      const types: Record<string, RegExp> = { geojson: /geo\+json/, csv: /text\/csv/, gpkg: /geopackage/, shp: /zip/ };
      const check = async (page: Page, selector: string, least: number) => {
        const hrefs = await page.locator(selector).evaluateAll((els) => els.map((e) => (e as HTMLAnchorElement).getAttribute('href')!));
        expect(hrefs.length).toBeGreaterThanOrEqual(least);
        for (const href of hrefs) {
          const res = await page.request.get(`${baseUrl}${href}`);
          expect(res.status(), href).toBe(200);
          const format = new URL(href, baseUrl).searchParams.get('format') ?? 'geojson';
          expect(res.headers()['content-type'], href).toMatch(types[format] ?? /./);
        }
        return hrefs;
      };
      // The activity browser, filtered: the matching activities in every format, exactly those listed.
      const { page, errors } = await open(`?panel=activities&priorityArea=C&lang=${lang}`);
      await page.waitForFunction(() => [...document.querySelectorAll('.activity-table tbody tr td:nth-child(3)')].every((td) => td.textContent === 'C'));
      const hrefs = await check(page, '#drawer .downloads a', 4);
      const listed = Number((await page.locator('.browser-summary').innerText()).match(/\d+/)![0]);
      const geojson = await (await page.request.get(`${baseUrl}${hrefs.find((h) => h.includes('format=geojson'))}`)).json();
      expect(geojson.features).toHaveLength(listed);
      expect(await page.locator('#drawer .hint').first().innerText()).toMatch(lang === 'es' ? /borradores/ : /drafts/);
      await page.screenshot({ path: path.join(shots, `client-exports-activities-${lang}.png`) });
      // The matrix as CSV, for the same filter.
      await page.locator('[data-drawer="matrix"]').click();
      await page.locator('table.matrix button.cell').first().waitFor();
      await check(page, '#drawer .filters a[download]', 1);
      // An area and an activity in the side panel: the feature in every format, its links as CSV.
      await page.goto(`${baseUrl}/?sel=area:protected_area:2&lang=${lang}`);
      await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
      await page.locator('.details .downloads a').first().waitFor();
      await check(page, '.details .downloads a', 5);
      const activity = geojson.features[0].id as number;
      await page.goto(`${baseUrl}/?sel=activity:${activity}&lang=${lang}`);
      await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
      await page.locator('.details .downloads a').first().waitFor();
      await check(page, '.details .downloads a', 6);
      await page.screenshot({ path: path.join(shots, `client-exports-activity-${lang}.png`) });
      expect(errors).toEqual([]);
      await page.close();
    }, 180_000);
  }

  for (const lang of ['en', 'es'] as const) {
    it(`draws the buffer and the comparison ring of a selected activity and site, with the before/after chart (${lang})`, async () => {
      const activities = (await (await fetch(`${baseUrl}/api/activities?limit=100`)).json()).activities as { id: number; siteCount: number }[];
      const activity = activities.find((a) => a.siteCount > 0)!;
      const { page, errors } = await open(`?lang=${lang}&sel=activity:${activity.id}`);
      await page.locator('.details .trend-chart canvas').waitFor({ timeout: 30_000 });
      const zones = await onMap(page, async (m) => (await m.getSource('trend-zones')?.getData())?.features.map((f) => [f.properties!.zone, f.geometry.type]));
      expect(zones).toEqual([['ring', expect.stringMatching(/Polygon/)], ['buffer', expect.stringMatching(/Polygon/)]]);
      expect(await page.locator('.details .trend-chart .trend-summary').innerText()).toMatch(lang === 'es' ? /asociación|no prueba/i : /association|not proof/i);
      await mapIdle(page);
      await page.screenshot({ path: path.join(shots, `client-trend-${lang}.png`) });
      // Closing the panel clears them; a site draws its own.
      await page.locator('.details .close').click();
      await expect.poll(() => onMap(page, async (m) => (await m.getSource('trend-zones')?.getData())?.features.length)).toBe(0);
      const site = (await (await fetch(`${baseUrl}/api/sites?limit=1`)).json()).features[0].id as number;
      await page.goto(`${baseUrl}/?lang=${lang}&sel=site:${site}`);
      await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
      await page.locator('.details .trend-chart').waitFor({ timeout: 30_000 });
      expect(errors).toEqual([]);
      await page.close();
    }, 120_000);
  }

  for (const lang of ['en', 'es'] as const) {
    it(`lists every loss layer; the map, the panel, the review, the sheet and the report follow the one picked (${lang})`, async () => {
      const { page, errors } = await open(`?lang=${lang}&map=10/-12.62/-69.9&hide=watershed,protected_area,forest_concession,glacier_highland,sites,alerts&sel=place:laberinto`);
      const picker = page.locator('select[data-loss-layer]');
      const options = await picker.locator('option').allInnerTexts();
      expect(options).toHaveLength(2);
      expect(options[0]).toMatch(lang === 'es' ? /^amw_mining_first_year \(2025Q3\) · 2018–2025 · Earth Genome \/ Amazon Mining Watch$/ : /^amw_mining_first_year \(2025Q3\) · 2018–2025 · Earth Genome \/ Amazon Mining Watch$/);
      expect(options[1]).toBe(lang === 'es' ? 'demo_lossyear (atalaya-demo-v2) · 2001–2023 · ráster sintético de demostración · predeterminada' : 'demo_lossyear (atalaya-demo-v2) · 2001–2023 · synthetic demo raster · default');
      expect(await picker.inputValue()).toBe('demo_lossyear');
      const chart = page.locator('.details .loss-chart');
      await chart.locator('canvas').waitFor({ timeout: 20_000 });
      expect(await chart.locator('.layer-note').innerText()).toContain('demo_lossyear');
      // Pick the mining layer: its tiles, its years, its figures, its name everywhere.
      await picker.selectOption('amw_mining_first_year');
      await page.waitForURL(/loss=amw_mining_first_year/);
      await expect.poll(() => chart.locator('.layer-note').innerText().catch(() => ''), { timeout: 20_000 }).toContain('amw_mining_first_year (2025Q3)');
      expect(await chart.locator('.layer-note').innerText()).toContain(lang === 'es' ? 'todo píxel cuenta como bosque' : 'every pixel counts as forest');
      expect(await chart.innerText()).toContain('(2018–2025)');
      expect(await chart.innerText()).not.toContain('Hansen');
      expect(await page.locator('input[data-years="from"]').getAttribute('min')).toBe('2018');
      expect(await page.locator('.layer-loss .layer-about').innerText()).toBe(lang === 'es' ? 'Fuente: Earth Genome / Amazon Mining Watch · Licencia: CC BY 4.0' : 'Source: Earth Genome / Amazon Mining Watch · Licence: CC BY 4.0');
      // The map swaps its loss source once the layer's bounds are known, which may come after the panel's note.
      const lossTiles = () => onMap(page, (m) => ((m as unknown as { getSource(id: string): { tiles: string[] } | undefined }).getSource('forest-loss')?.tiles ?? []).join(' '));
      await expect.poll(lossTiles, { timeout: 20_000 }).toContain('/tiles/rasters/amw_mining_first_year/');
      const tiles = await lossTiles();
      expect(tiles).not.toContain('treecover='); // it has no tree cover partner
      expect(await page.locator('.maplibregl-ctrl-attrib').innerText()).toContain('Earth Genome / Amazon Mining Watch (CC BY 4.0)');
      await mapIdle(page);
      expect(await lossPixels(page)).toBeGreaterThan(100); // the mining scars around Laberinto
      await page.screenshot({ path: path.join(shots, `client-loss-layer-${lang}.png`) });
      // The report link carries the layer, and the report names it.
      const report = await page.locator('#report-link').getAttribute('href');
      expect(report).toBe(`/report?lang=${lang}&layer=amw_mining_first_year`);
      // The review says which layer its figures come from, and its sheets carry it.
      await page.locator('button[data-drawer="review"]').click();
      await expect.poll(() => page.locator('.review-layer').innerText().catch(() => ''), { timeout: 20_000 }).toContain('amw_mining_first_year (2025Q3)');
      const sheet = await page.locator('table a', { hasText: lang === 'es' ? 'Ficha' : 'Sheet' }).first().getAttribute('href');
      expect(sheet).toMatch(/layer=amw_mining_first_year/);
      await page.screenshot({ path: path.join(shots, `client-loss-layer-review-${lang}.png`) });
      const reportPage = await (await fetch(`${baseUrl}${report}`)).text();
      expect(reportPage).toContain(`${lang === 'es' ? 'Capa de pérdida' : 'Loss layer'}: amw_mining_first_year (2025Q3)`);
      // Back to the default layer with the browser's back button.
      await page.goBack();
      await page.goBack();
      await expect.poll(() => picker.inputValue()).toBe('demo_lossyear');
      expect(errors).toEqual([]);
      await page.close();
    }, 120_000);
  }

  it('shows the alerts of the last 7, 30 or 90 days or two dates, by confidence, and weekly bars near a site', async () => {
    const api = async (p: string) => (await fetch(`${baseUrl}${p}`)).json();
    const [layer] = (await api('/api/alerts/layers')) as { name: string; synthetic: boolean; last_date: string }[];
    expect(layer).toMatchObject({ name: 'demo_alerts', synthetic: true });
    // The site with the most alerts in 90 days: the demo clusters alerts around some interventions.
    const sites = ((await api('/api/sites?limit=1000')) as { features: { id: number }[] }).features.map((f) => f.id);
    const to = layer!.last_date;
    const from90 = new Date(Date.parse(`${to}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);
    let best = { id: 0, px: -1 };
    // Eight requests at a time (one after another, the sites alone took most of a minute on a loaded machine).
    for (let i = 0; i < sites.length; i += 8) {
      const batch = sites.slice(i, i + 8);
      const answers = await Promise.all(batch.map((id) => api(`/api/sites/${id}/alerts?from=${from90}&to=${to}`)));
      answers.forEach((a, k) => {
        if (typeof a.total_px === 'number' && a.total_px > best.px) best = { id: batch[k]!, px: a.total_px };
      });
    }
    expect(best.px).toBeGreaterThan(0);
    // The concession review counts each concession's alerts of the last 90 days as its own endpoint does, and "—" (null) where no alert layer reaches.
    const review = (await api('/api/concessions/review?limit=200')).items as { id: number; alerts_90d_px: number | null; alerts_contract_px: number | null }[];
    const counted = review.filter((r) => r.alerts_90d_px !== null);
    expect(counted.length).toBeGreaterThan(0);
    expect(review.some((r) => r.alerts_90d_px === null)).toBe(true); // the concessions beyond the demo alert grid
    for (const r of counted.slice(0, 5)) expect(r.alerts_90d_px).toBe((await api(`/api/areas/${r.id}/alerts?from=${from90}&to=${to}`)).total_px);
    expect(counted.some((r) => (r.alerts_contract_px ?? 0) >= (r.alerts_90d_px ?? 0) && (r.alerts_contract_px ?? 0) > 0)).toBe(true);
    // The programme report gives each activity its alerts of the last 90 days near its sites, as the activity's endpoint counts them.
    const report = await api('/api/report');
    const withAlerts = (report.priority_areas as { activities: { id: number; alerts: { px: number; from: string; to: string } | null }[] }[]).flatMap((p) => p.activities).filter((a) => a.alerts);
    expect(withAlerts.length).toBeGreaterThan(0);
    for (const a of withAlerts.slice(0, 3)) expect(a.alerts!.px).toBe((await api(`/api/activities/${a.id}/alerts?from=${a.alerts!.from}&to=${a.alerts!.to}`)).total_px);
    expect(await (await fetch(`${baseUrl}/report?lang=es`)).text()).toContain('Alertas de deforestación a menos de 5 km, últimos 90 días');
    for (const lang of ['en', 'es'] as const) {
      const tiles: string[] = [];
      const { page, errors } = await open(`?lang=${lang}&alerts=90&sel=site:${best.id}`);
      page.on('response', (r) => r.url().includes('/tiles/alerts/demo_alerts/') && r.status() === 200 && tiles.push(r.url()));
      const chart = page.locator('.alert-chart');
      await expect.poll(() => chart.locator('canvas').count(), { timeout: 30_000 }).toBe(1);
      const text = await chart.innerText();
      expect(text).toContain(lang === 'es' ? 'Alertas por semana' : 'Alerts per week');
      expect(text).toContain(`${formatNumber(lang, best.px)} ${lang === 'es' ? 'píxeles de alerta' : 'alert pixels'}`);
      expect(await page.locator('select[data-alert-window]').inputValue()).toBe('90');
      // The confidence boxes are the legend and the filter: the tiles follow, and the URL keeps it.
      await page.locator('input[data-alert-confidence="low"]').uncheck();
      await expect.poll(() => decodeURIComponent(page.url())).toContain('alertconf=high,highest');
      await page.evaluate(() => (window as unknown as { atalayaMap: { jumpTo(o: object): void } }).atalayaMap.jumpTo({ center: [-69.7, -12.7], zoom: 11 }));
      await expect.poll(() => tiles.some((u) => u.includes('confidence=high%2Chighest')), { timeout: 30_000 }).toBe(true);
      // Two dates instead of a window.
      await page.locator('select[data-alert-window]').selectOption('custom');
      await page.locator('input[data-alert-date="from"]').fill('2024-01-01');
      await page.locator('input[data-alert-date="from"]').dispatchEvent('change');
      await expect.poll(() => decodeURIComponent(page.url())).toContain(`alerts=2024-01-01..${to}`);
      await mapIdle(page); // the screenshot shows this zoom's tiles, not the parents drawn while they load
      await page.screenshot({ path: path.join(shots, `alerts-${lang}.png`) });
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 180_000);

  it('follows a concession’s alerts from its panel, and reads the digest in the drawer and by e-mail, in each language', async () => {
    const smtp = await startSmtp();
    // A server of the same app with a mail server: the admin's "send now" e-mails there.
    const mailing = await app.serve({ ATALAYA_SMTP_URL: smtp.url });
    try {
      const api = async (p: string) => (await fetch(`${mailing.baseUrl}${p}`)).json();
      const [layer] = (await api('/api/alerts/layers')) as { last_date: string }[];
      const from = new Date(Date.parse(`${layer!.last_date}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
      const review = (await api('/api/concessions/review?limit=200')).items as { id: number }[];
      let best = { id: 0, px: 0 };
      for (const r of review) {
        const a = await api(`/api/areas/${r.id}/alerts?from=${from}&to=${layer!.last_date}`);
        if (typeof a.total_px === 'number' && a.total_px > best.px) best = { id: r.id, px: a.total_px };
      }
      expect(best.px).toBeGreaterThan(0); // the demo has alerts of the last week in some concession
      for (const lang of ['en', 'es'] as const) {
        const admin = await createTestUser(database, 'admin');
        const context = await browser.newContext({ viewport: { width: 1400, height: 950 } });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        const url = `${mailing.baseUrl}/?lang=${lang}&sel=area:forest_concession:${best.id}`;
        await page.goto(url);
        await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
        await page.locator('.follow-alerts').filter({ hasText: lang === 'es' ? 'Inicie sesión para seguir' : 'Sign in to follow' }).waitFor();
        await page.locator('#account').click();
        await page.locator('#sign-in-email').fill(admin.email);
        await page.locator('#sign-in-password').fill(admin.password);
        await page.locator('#sign-in button[type="submit"]').click();
        await page.locator('button[data-drawer="subscriptions"]').waitFor({ state: 'visible' });
        await page.goto(url);
        await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
        await page.locator('button[data-follow="here"]').click();
        await page.locator('.follow-alerts .status').filter({ hasText: lang === 'es' ? /^Siguiendo: / : /^Following: / }).waitFor();
        await page.locator('button[data-drawer="subscriptions"]').click();
        await page.locator('.subscription-list li').first().waitFor();
        expect(await page.locator('select[name="language"]').inputValue()).toBe(lang); // the first subscription took the reader's language
        await page.locator('select[name="frequency"]').selectOption('daily');
        await page.locator('button[data-action="save-digest-settings"]').click();
        await page.locator('.digest-settings .status').filter({ hasText: lang === 'es' ? 'Guardado.' : 'Saved.' }).waitFor();
        const mailed = smtp.next();
        await page.locator('button[data-action="run-digests"]').click();
        const digest = page.locator('article[data-digest]').first();
        await digest.waitFor({ timeout: 60_000 });
        const heading = await digest.locator('h3').innerText();
        expect(heading).toContain(`${formatNumber(lang, best.px)} ${lang === 'es' ? 'alertas' : 'alerts'}`);
        expect(await digest.innerText()).toContain(lang === 'es' ? 'e-mail: enviado' : 'e-mail: sent');
        await expect.poll(() => digest.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(16);
        const mail = (await mailed).mail;
        expect(mail.subject).toContain(lang === 'es' ? `Atalaya: ${formatNumber(lang, best.px)} nuevas alertas de deforestación` : `Atalaya: ${formatNumber(lang, best.px)} new deforestation alerts`);
        expect(JSON.stringify(mail.to)).toContain(admin.email);
        await page.screenshot({ path: path.join(shots, `subscriptions-${lang}.png`) });
        expect(errors).toEqual([]);
        await context.close();
      }
    } finally {
      await mailing.close();
      await smtp.close();
    }
  }, 240_000);

  it('installs as an app whose shell opens with the network off, and says the data needs the network', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${baseUrl}/?lang=es`);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
    // Chromium's own installability check: manifest, icons, a service worker with a fetch handler
    // (a test's browser context is a private one, which Chromium never installs from: that one is left out).
    const cdp = await context.newCDPSession(page);
    await expect.poll(async () => ((await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] }).installabilityErrors.map((e) => e.errorId).filter((e) => e !== 'in-incognito'), { timeout: 30_000 }).toEqual([]);
    const manifest = (await (await fetch(`${baseUrl}/manifest.webmanifest`)).json()) as { name: string; start_url: string; display: string };
    expect(manifest).toMatchObject({ start_url: '/', display: 'standalone' });
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 30_000 }).toBe(true);
    // No network: the shell and its code come from the service worker's cache.
    await context.setOffline(true);
    await page.reload();
    await page.locator('#account').waitFor();
    expect(await page.locator('button[data-drawer="activities"]').innerText()).toBe('Actividades');
    await page.locator('#panel .status.error').filter({ hasText: 'Sin conexión: los datos del mapa vienen del servidor' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.layer-sites .count').count()).toBe(0); // no data is no count, not 0
    // Pages the server renders are never answered with the cached shell.
    expect(await page.evaluate(async () => (await fetch('/report').catch(() => null))?.status ?? 'offline')).toBe('offline');
    await page.screenshot({ path: path.join(shots, 'offline-shell-es.png') });
    await context.setOffline(false);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('leaves no English interface string and no raw code on any screen in Spanish', async () => {
    const { en, es } = dictionaries;
    // Interface strings whose Spanish differs, and labels of codes: none may show on a Spanish page.
    const english = new Set([
      ...(Object.keys(en) as (keyof typeof en)[]).filter((k) => en[k] !== es[k]).map((k) => en[k]),
      ...Object.values(codeLabels).filter((l) => l.en !== l.es).map((l) => l.en),
      // MapLibre's own tooltips and labels, English unless the map is given them in Spanish.
      'Toggle attribution', 'Zoom in', 'Zoom out', 'Map', 'Map feedback', 'Close popup', 'Drag to rotate map, click to reset north',
    ].filter((v) => v.length > 2 && !v.includes('{')));
    const api = async (p: string) => (await fetch(`${baseUrl}${p}`)).json();
    const concession = (await api('/api/concessions/review?limit=1')).items[0].id as number;
    const site = (await api('/api/sites?limit=1')).features[0].id as number;
    const activity = (await api('/api/activities?limit=1')).activities[0].id as number;
    const screens: [string, string, string][] = [
      ['map', '', '.layer'],
      ['activities', 'panel=activities', '.activity-table tbody tr'],
      ['matrix', 'panel=matrix', 'table.matrix button.cell'],
      ['review', 'panel=review', '#drawer tbody tr'],
      ['concession', `sel=area:forest_concession:${concession}`, '.details .facts dd'],
      ['protected-area', 'sel=area:protected_area:2', '.details .facts dd'],
      ['site', `sel=site:${site}`, '.details .facts dd'],
      ['activity', `sel=activity:${activity}`, '.details .facts dd'],
      ['place', 'sel=place:puertoMaldonado', '.details .loss-chart'],
    ];
    const offending: string[] = [];
    for (const [name, query, ready] of screens) {
      const { page, errors } = await open(`?lang=es&${query}`);
      await page.locator(ready).first().waitFor({ timeout: 20_000 });
      await page.waitForTimeout(800); // panels that fill in after their first part
      const texts = await page.evaluate(() => {
        const out: string[] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const parent = n.parentElement;
          if (!parent || parent.closest('script, style, [hidden]')) continue;
          const text = n.textContent!.trim();
          if (text) out.push(text);
        }
        for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
          for (const a of ['title', 'aria-label', 'placeholder']) if (el.getAttribute(a)) out.push(el.getAttribute(a)!.trim());
        }
        return out;
      });
      for (const text of texts) {
        // A whole text equal to an English string, or a snake_case code, is left untranslated.
        if (english.has(text) || /^[a-z]+(_[a-z0-9]+)+$/.test(text)) offending.push(`${name}: "${text}"`);
      }
      await page.screenshot({ path: path.join(shots, `es-${name}.png`) });
      expect(errors).toEqual([]);
      await page.close();
    }
    expect(offending).toEqual([]);
  }, 300_000);

  it('restores a shared URL exactly, and the back button steps through selections', async () => {
    const query = '?map=9.5/-12.7/-69.6&hide=watershed&opacity=forest_concession:0.5&years=2010-2020&status=ongoing&sel=area:protected_area:2&panel=activities&lang=es';
    const { page, errors } = await open(query);
    await page.waitForFunction(() => document.getElementById('details-title')?.textContent !== 'Cargando…');
    const view = await onMap(page, (m) => ({ c: m.getCenter(), z: m.getZoom() }));
    expect(view.z).toBeCloseTo(9.5, 1);
    expect(view.c.lat).toBeCloseTo(-12.7, 2);
    expect(view.c.lng).toBeCloseTo(-69.6, 2);
    expect(await page.locator('input[data-group="watershed"]').isChecked()).toBe(false);
    expect(await page.locator('input[data-opacity="forest_concession"]').inputValue()).toBe('50');
    expect(await page.locator('input[data-years="from"]').inputValue()).toBe('2010');
    expect(await page.locator('input[data-years="to"]').inputValue()).toBe('2020');
    expect(await page.locator('select[name="status"]').inputValue()).toBe('ongoing');
    // The filter applies, not only shows: every listed activity is ongoing.
    await page.waitForFunction(() => [...document.querySelectorAll('.activity-table tbody tr td:nth-child(4)')].every((td) => td.textContent === 'en curso') && document.querySelectorAll('.activity-table tbody tr').length > 0);
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect(await page.locator('#panel h2').innerText()).toBe('CAPAS');
    await page.screenshot({ path: path.join(shots, 'client-shared-url.png') });
    // The URL the page writes back holds the same state.
    for (const part of ['hide=watershed', 'opacity=forest_concession:0.5', 'years=2010-2020', 'status=ongoing', 'sel=area:protected_area:2', 'panel=activities', 'lang=es']) expect(page.url()).toContain(part);
    // Open an activity, then a site; back returns to the activity, then to the protected area.
    await page.locator('.activity-table tbody tr').first().click();
    await page.waitForURL(/sel=activity:/);
    const activityUrl = page.url();
    await page.locator('.details section .link-list .linkish').last().waitFor();
    await page.evaluate(() => [...document.querySelectorAll<HTMLButtonElement>('.details .linkish')].at(-1)!.click());
    await page.waitForURL((u) => u.toString() !== activityUrl);
    await page.goBack();
    await page.waitForURL(/sel=activity:/);
    await page.waitForFunction(() => document.querySelector('.details .details-kind')?.textContent === 'Actividad');
    await page.goBack();
    await page.waitForURL(/sel=area:protected_area:2/);
    await page.waitForFunction(() => document.querySelector('.details .details-kind')?.textContent === 'Área natural protegida');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('switches language everywhere and remembers it', async () => {
    const { page, errors } = await open('?panel=matrix');
    await page.locator('table.matrix').waitFor();
    await page.locator('[data-lang="es"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'es');
    await page.locator('table.matrix caption').filter({ hasText: 'Matriz del programa' }).waitFor();
    expect(await page.locator('[data-drawer="activities"]').innerText()).toBe('Actividades');
    expect(await page.locator('#search').getAttribute('placeholder')).toMatch(/^Buscar/);
    expect(await page.locator('.layer-row').first().innerText()).toContain('Cuenca transfronteriza');
    // Numbers localised: Spanish groups thousands with a dot or a space, never a comma.
    expect(await page.locator('.layer-sites .count').innerText()).toMatch(/^\d+$/);
    await page.screenshot({ path: path.join(shots, 'client-es.png') });
    await page.goto(`${baseUrl}/`);
    await page.waitForSelector('body[data-map-ready="true"]');
    expect(await page.locator('html').getAttribute('lang')).toBe('es'); // from localStorage
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('analyses a drawn polygon, and explains a bad upload', async () => {
    const { page, errors } = await open('?map=9/-12.7/-69.75');
    await page.locator('[data-draw="polygon"]').click();
    await page.waitForTimeout(500); // terra-draw loads on first use
    const box = (await page.locator('#map').boundingBox())!;
    for (const [x, y] of [[300, 300], [520, 300], [520, 440], [300, 440], [300, 300]] as const) {
      await page.mouse.click(box.x + x, box.y + y);
      await page.waitForTimeout(150);
    }
    await page.locator('.details .loss-chart canvas').waitFor({ timeout: 20_000 });
    expect(await page.locator('#details-title').innerText()).toBe('Drawn shape');
    expect(await page.locator('.details .facts').innerText()).toMatch(/\d ha/);
    expect(page.url()).not.toContain('sel=');
    await page.screenshot({ path: path.join(shots, 'client-draw.png') });
    // A point is analysed within the site buffer around it; so is a line.
    await page.locator('[data-draw="point"]').click();
    await page.mouse.click(box.x + 600, box.y + 350);
    await page.waitForFunction(() => document.querySelector('.details .details-kind')?.textContent === 'Forest loss within 5 km');
    await page.locator('.details .loss-chart canvas').waitFor({ timeout: 20_000 });
    await page.locator('[data-draw="linestring"]').click();
    for (const [x, y] of [[350, 500], [450, 520], [550, 560], [550, 560]] as const) {
      await page.mouse.click(box.x + x, box.y + y);
      await page.waitForTimeout(150);
    }
    await page.locator('.details .loss-chart canvas').waitFor({ timeout: 20_000 });
    expect(await page.locator('.details .loss-chart h4').innerText()).toContain('within 5 km');
    // A projected file (UTM metres) is refused with what to do about it; nothing else changes.
    const utm = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[480000, 8600000], [490000, 8600000], [490000, 8610000], [480000, 8600000]]] } };
    await page.locator('.draw-tools input[type="file"]').setInputFiles({ name: 'utm.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(utm)) });
    await page.locator('#panel .status.error').waitFor();
    expect(await page.locator('#panel .status.error').innerText()).toContain('EPSG:4326');
    // A good upload is analysed.
    const square = { type: 'Polygon', coordinates: [[[-69.9, -12.7], [-69.8, -12.7], [-69.8, -12.6], [-69.9, -12.6], [-69.9, -12.7]]] };
    await page.locator('.draw-tools input[type="file"]').setInputFiles({ name: 'square.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(square)) });
    await page.waitForFunction(() => document.getElementById('details-title')?.textContent === 'Uploaded shape');
    await page.locator('.details .loss-chart canvas').waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("explains, in the reader's language, an upload too large to analyse", async () => {
    const { page } = await open('?map=9/-12.7/-69.75&lang=es');
    await page.locator('.draw-tools input[type="file"]').setInputFiles({ name: 'estrella.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(starPolygon(46_000))) });
    const refusal = page.locator('.details .status.error');
    await refusal.waitFor({ timeout: 20_000 });
    expect(await refusal.innerText()).toMatch(/^El análisis falló: La forma tiene demasiados vértices o partes/);
    await page.screenshot({ path: path.join(shots, 'client-upload-too-large-es.png') });
    await page.close();
  }, 120_000);

  it('works on a tablet: panels fold over the map, controls stay reachable', async () => {
    const { page, errors } = await open('?sel=activity:1', { width: 820, height: 1180 });
    await page.locator('.details .facts').first().waitFor();
    expect(await page.locator('#panel').isVisible()).toBe(false);
    await page.locator('#layers-toggle').click();
    expect(await page.locator('#panel').isVisible()).toBe(true);
    expect(await page.locator('#layers-toggle').getAttribute('aria-expanded')).toBe('true');
    await page.screenshot({ path: path.join(shots, 'client-tablet.png') });
    // Every control has an accessible name.
    const unnamed = await page.evaluate(() => [...document.querySelectorAll('button, input, select, a')].filter((el) => {
      const e = el as HTMLElement;
      return !(e.getAttribute('aria-label') || e.textContent?.trim() || (e as HTMLInputElement).labels?.length || e.getAttribute('title'));
    }).map((el) => el.outerHTML.slice(0, 80)));
    expect(unnamed).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('passes axe-core WCAG 2 A/AA checks (contrast, names, roles) with the side panel and a drawer open', async () => {
    for (const lang of ['en', 'es']) {
      // axe is injected as an inline script, which the server's content security policy refuses.
      const { page, errors } = await open(`?sel=activity:12&panel=activities&lang=${lang}`, undefined, true);
      await page.locator('.details .facts').first().waitFor();
      await page.locator('.activity-table tbody tr').first().waitFor();
      await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(ctx: object, o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
        // The map canvas is a picture for axe; what it draws is described by the panels around it.
        const r = await axe.run({ exclude: [['.maplibregl-canvas-container']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")} ${(n as unknown as { html: string; failureSummary: string }).html} ${(n as unknown as { failureSummary: string }).failureSummary}`) }));
      });
      expect(violations).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 120_000);

  it('sends the built files gzipped to browsers that accept it', async () => {
    const html = await (await fetch(`${baseUrl}/`)).text();
    const script = /src="(\/assets\/index-[^"]+\.js)"/.exec(html)![1]!;
    const res = await fetch(`${baseUrl}${script}`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect((await res.text()).length).toBeGreaterThan(500_000); // decoded by fetch: the whole bundle
  });

  it('lets an editor sign in, create a draft activity with errors shown by each field, draw its site, add a measurement and publish it', async () => {
    const editor = await createTestUser(database, 'editor', ['SERFOR']);
    const { page, errors } = await open('?map=9/-12.7/-69.6');
    const publicSearch = async (q: string) => ((await (await fetch(`${baseUrl}/api/search?q=${encodeURIComponent(q)}`)).json()) as { hits: unknown[] }).hits.length;
    await page.locator('#account').click();
    await page.locator('#sign-in-email').fill(editor.email);
    await page.locator('#sign-in-password').fill('not the password at all');
    await page.locator('#sign-in button[type="submit"]').click();
    await page.locator('#sign-in-password-error').filter({ hasText: 'Wrong email or password' }).waitFor();
    await page.locator('#sign-in-password').fill(editor.password);
    await page.locator('#sign-in button[type="submit"]').click();
    await page.waitForURL(/panel=edit/);
    await page.locator('#new-activity').waitFor();
    expect(await page.locator('#account').innerText()).toContain(editor.email);
    // A new activity: submitted empty, each field says what it needs, next to it.
    await page.locator('#new-activity').click();
    await page.locator('#f-code').waitFor();
    await page.locator('#details .edit-form button[type="submit"]').click();
    expect(await page.locator('#f-code-error').innerText()).toMatch(/code is the priority area letter/);
    expect(await page.locator('#f-title-error').innerText()).toMatch(/title is required/);
    expect(await page.locator('#f-title').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: path.join(shots, 'client-edit-errors.png') });
    await page.locator('#f-code').fill('B-77');
    await page.locator('#f-title').fill('Drone patrols over Tambopata');
    await page.locator('#f-priorityArea').selectOption('B');
    await page.locator('#f-actionAreas').fill('B2');
    await page.locator('#details .edit-form button[type="submit"]').click();
    await page.waitForURL(/sel=edit:\d+/);
    const id = Number(/sel=edit:(\d+)/.exec(page.url())![1]);
    expect(await publicSearch('Drone patrols')).toBe(0); // a draft: not public
    // Its site, drawn on the map.
    await page.locator('input[name="site-name"]').fill('Drone base');
    await page.locator('[data-new-site="point"]').click();
    await page.waitForTimeout(500);
    const box = (await page.locator('#map').boundingBox())!;
    await page.mouse.click(box.x + 380, box.y + 320);
    await page.locator('.edit-sites li', { hasText: 'Drone base (Point)' }).waitFor({ timeout: 15_000 });
    // A measurement, with a wrong value first.
    const created = await fetch(`${baseUrl}/api/activities/${id}/indicators`, { method: 'POST', headers: { authorization: `Bearer ${editor.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Flights', unit: 'flights', direction: 'higher_is_better', kind: 'manual', target_value: 100, target_year: 2027 }) });
    expect(created.status).toBe(201);
    await page.goto(`${baseUrl}/?sel=edit:${id}&panel=edit`);
    await page.locator('.edit-indicator form').waitFor({ timeout: 20_000 });
    const m = page.locator('.edit-indicator form');
    await m.locator('input[name="measured_at"]').fill('2026-06-30');
    await m.locator('button[type="submit"]').click();
    expect(await m.locator('.field-error[data-for="value"]').innerText()).not.toBe('');
    await m.locator('input[name="value"]').fill('12');
    await m.locator('button[type="submit"]').click();
    await m.locator('.form-status', { hasText: 'Saved.' }).waitFor();
    // Published: now the public finds it.
    await page.locator('#f-published').check();
    // The activity form's own status (the measurement form above says "Saved." already).
    const activityStatus = page.locator('#details form.edit-form:not(.inline) .form-status');
    expect(await activityStatus.innerText()).toBe('');
    await page.locator('#details form.edit-form:not(.inline) button[type="submit"]').click();
    await activityStatus.filter({ hasText: 'Saved.' }).waitFor();
    expect(await publicSearch('Drone patrols')).toBe(1);
    // The panel's history shows the change, by whom.
    await page.goto(`${baseUrl}/?sel=edit:${id}&panel=edit`);
    await page.locator('.edit-history li', { hasText: 'published' }).first().waitFor({ timeout: 20_000 });
    expect(await page.locator('.edit-history').innerText()).toContain(editor.email);
    await page.screenshot({ path: path.join(shots, 'client-edit.png') });
    // Every step is in the audit log under the editor's name.
    const audit = (await (await fetch(`${baseUrl}/api/audit?table=activity&id=${id}`, { headers: { authorization: `Bearer ${editor.token}` } })).json()) as { actor: string; action: string }[];
    expect(audit.map((a) => `${a.action} ${a.actor}`)).toEqual(expect.arrayContaining([`insert ${editor.email}`, `update ${editor.email}`]));
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('draws a configured PMTiles basemap (Protomaps schema) read with range requests from its own server', async () => {
    const file = path.join(app.work, 'peru.pmtiles');
    writePeruProtomapsFixture(file);
    const other = await app.serve({ ATALAYA_BASEMAP_PMTILES: file });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors: string[] = [];
      const ranges: number[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('response', (r) => {
        if (r.url().endsWith('/basemap/basemap.pmtiles')) ranges.push(r.status());
      });
      await page.goto(`${other.baseUrl}/?map=5.2/-9.5/-75&lang=es`);
      await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
      await mapIdle(page);
      expect(ranges.length).toBeGreaterThan(1);
      expect(ranges.every((s) => s === 206)).toBe(true);
      const drawn = await onMap(page, (m) => (m.queryRenderedFeatures() as { source: string; sourceLayer: string }[]).filter((f) => f.source === 'protomaps').map((f) => f.sourceLayer));
      expect(new Set(drawn)).toEqual(new Set(['earth', 'boundaries', 'places']));
      expect(await page.locator('.maplibregl-ctrl-attrib').innerText()).toContain('Protomaps');
      await page.screenshot({ path: path.join(shots, 'client-pmtiles.png') });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await other.close();
    }
  }, 120_000);
});
