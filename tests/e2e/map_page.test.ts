// The first page in a real browser (Debian's chromium through playwright-core) on the demo data.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, shots, startE2eApp, type E2eApp } from '../helpers/e2e_app';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

describe.skipIf(!fs.existsSync(chromiumPath))(`map page in Chromium (${testDatabaseKind()} database; skipped when ${chromiumPath} is missing: apt-get install chromium)`, () => {
  let app: E2eApp;
  let browser: Browser;
  let baseUrl: string;
  const requests: string[] = [];

  beforeAll(async () => {
    const database = await getTestDatabase();
    await resetData(database);
    app = await startE2eApp(database);
    ({ browser, baseUrl } = app);
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  for (const lang of ['en', 'es'] as const) {
    it(`shows the outline, the areas of every kind and the sites (${lang})`, async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: lang === 'es' ? 'es-PE' : 'en-US' });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(baseUrl);
      await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
      await page.screenshot({ path: path.join(shots, `map-${lang}.png`) });
      expect(errors).toEqual([]);
      const rendered = Number(await page.getAttribute('body', 'data-rendered-features'));
      expect(rendered).toBeGreaterThan(100); // basemap countries + demo areas + sites
      const rows = await page.locator('.layer-row').allInnerTexts();
      expect(rows).toHaveLength(9);
      const expected = lang === 'es'
        ? ['Cuenca transfronteriza', 'Área natural protegida', 'Zona altoandina glaciar', 'Concesión forestal', 'Sitios de intervención', 'Otra cooperación: proyectos del GEF (AidData)', 'Pérdida de bosque', 'Cobertura arbórea', 'Alertas de deforestación (sintética)']
        : ['Cross-boundary watershed', 'Protected area', 'Glacier highland', 'Forest concession', 'Intervention sites', 'Other cooperation: GEF projects (AidData)', 'Forest loss', 'Tree cover', 'Deforestation alerts (synthetic)'];
      expected.forEach((label, i) => expect(rows[i]).toContain(label));
      // The loss raster draws over Madre de Dios, and the year sliders refetch it for the chosen years.
      const lossTile = page.waitForResponse((r) => /\/tiles\/rasters\/demo_lossyear\/(9|10)\//.test(r.url()) && r.status() === 200, { timeout: 60_000 }); // generous: in CI the other test worker may be saturating both cores
      await page.evaluate(() => (window as unknown as { atalayaMap: { jumpTo(o: object): void } }).atalayaMap.jumpTo({ center: [-69.75, -12.7], zoom: 9 }));
      const tile = await lossTile;
      expect(tile.headers()['content-type']).toBe('image/png');
      await page.waitForFunction(() => document.body.dataset.renderedFeatures !== undefined);
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(shots, `map-loss-${lang}.png`) });
      const filtered = page.waitForRequest((r) => r.url().includes('/tiles/rasters/demo_lossyear/') && r.url().includes('from=2015'), { timeout: 10_000 });
      await page.locator('input[data-years="from"]').fill('2015');
      await filtered;
      await page.evaluate(() => (window as unknown as { atalayaMap: { jumpTo(o: object): void } }).atalayaMap.jumpTo({ center: [-75.5, -9.4], zoom: 4.6 }));
      await page.waitForTimeout(500);
      // Clicking a site opens it in the side panel, with its activity's progress.
      const point = await page.evaluate(() => {
        const map = (window as unknown as { atalayaMap: { queryRenderedFeatures(o: object): { geometry: { coordinates: [number, number] } }[]; project(c: [number, number]): { x: number; y: number } } }).atalayaMap;
        const site = map.queryRenderedFeatures({ layers: ['sites-point'] })[0]!;
        return map.project(site.geometry.coordinates);
      });
      const box = (await page.locator('#map').boundingBox())!;
      await page.mouse.click(box.x + point.x, box.y + point.y);
      await page.locator('.details .details-kind').waitFor({ timeout: 10_000 });
      expect(await page.locator('.details .details-kind').innerText()).toBe(lang === 'es' ? 'Sitio de intervención' : 'Intervention site');
      // And the progress of its activity: indicators with their status, a link to the report.
      await page.locator('.details .progress li').first().waitFor({ timeout: 10_000 });
      expect(await page.locator('.details .progress h4').innerText()).toBe(lang === 'es' ? 'Avance de esta actividad' : 'Progress of this activity');
      expect(await page.locator('.details .progress .status').first().innerText()).toMatch(lang === 'es' ? /en curso|en riesgo|desviado|sin datos|sin meta/ : /on track|at risk|off track|no data|no target/);
      await page.screenshot({ path: path.join(shots, `map-site-${lang}.png`) });
      // Clicking a concession on the loss raster opens its loss-per-year chart, with forest in 2000.
      await page.evaluate(() => (window as unknown as { atalayaMap: { jumpTo(o: object): void } }).atalayaMap.jumpTo({ center: [-69.95, -12.85], zoom: 10 }));
      await page.waitForTimeout(800);
      const concession = await page.evaluate(() => {
        const map = (window as unknown as { atalayaMap: { queryRenderedFeatures(o: object): { id: number }[]; getCanvas(): HTMLCanvasElement } }).atalayaMap;
        const canvas = map.getCanvas();
        const hits = (map as unknown as { queryRenderedFeatures(p: [number, number], o: object): unknown[] }).queryRenderedFeatures([canvas.clientWidth / 2, canvas.clientHeight / 2], { layers: ['areas-forest_concession-fill'] });
        return { hits: hits.length, x: canvas.clientWidth / 2, y: canvas.clientHeight / 2 };
      });
      expect(concession.hits).toBeGreaterThan(0);
      await page.mouse.click(box.x + concession.x, box.y + concession.y);
      await page.locator('.details .loss-chart canvas').waitFor({ timeout: 15_000 });
      const chartText = await page.locator('.details .loss-chart').innerText();
      expect(chartText).toContain(lang === 'es' ? 'Bosque en 2000' : 'Forest in 2000');
      expect(chartText).toMatch(/2011/); // the Hansen method note comes with a series spanning 2011, in the page's language
      expect(chartText).toContain(lang === 'es' ? 'método mejorado' : 'improved method');
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(shots, `map-chart-${lang}.png`) });
      expect(page.url()).toMatch(/sel=area:forest_concession:\d+/);
      await page.evaluate(() => (window as unknown as { atalayaMap: { jumpTo(o: object): void } }).atalayaMap.jumpTo({ center: [-75.5, -9.4], zoom: 4.6 }));
      await page.waitForTimeout(500);
      // Hiding a layer through the panel removes its features from the map.
      await page.locator('input[data-group="forest_concession"]').uncheck();
      await page.waitForFunction((before) => Number(document.body.dataset.renderedFeatures) < before, rendered, { timeout: 10_000 });
      await page.close();
    }, 180_000);
  }

  for (const lang of ['en', 'es'] as const) {
    it(`shows other cooperation projects as context points, each with its source, licence and facts in the reader's language (${lang})`, async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: lang === 'es' ? 'es-PE' : 'en-US' });
      await page.goto(`${baseUrl}/?lang=${lang}&map=5.2/-10.5/-75.2`);
      await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
      await page.waitForFunction(() => (window as unknown as { atalayaMap: { queryRenderedFeatures(o: object): unknown[] } }).atalayaMap.queryRenderedFeatures({ layers: ['context-gef_projects'] }).length > 0, undefined, { timeout: 30_000 });
      // The GEF location at Chimbote (AidData precision 2: near the place).
      const at = await page.evaluate(() => {
        const map = (window as unknown as { atalayaMap: { project(c: [number, number]): { x: number; y: number }; getCanvas(): HTMLCanvasElement } }).atalayaMap;
        const p = map.project([-78.40119, -8.87769]);
        const r = map.getCanvas().getBoundingClientRect();
        return { x: p.x + r.left, y: p.y + r.top };
      });
      await page.mouse.click(at.x, at.y);
      const popup = await page.locator('.context-popup').innerText();
      expect(popup).toContain('A Participatory Approach to Managing the Environment');
      expect(popup).toContain(lang === 'es' ? '11 ene 1997' : 'Jan 11, 1997');
      expect(popup).toContain(lang === 'es' ? 'US$ 695.000' : 'US$ 695,000');
      expect(popup).toContain(lang === 'es' ? 'cerca del lugar' : 'near the place');
      expect(popup).toContain('ODC-By 1.0');
      expect(await page.locator('.maplibregl-ctrl-attrib-inner').innerText()).toContain('AidData, GEF geocoded release v1.1.0 (ODC-By 1.0)');
      await page.screenshot({ path: path.join(shots, `context-points-${lang}.png`) });
      await page.close();
    });

    it(`shows the concession review table, sorts and filters it, opens a row on the map and a printable sheet (${lang})`, async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: lang === 'es' ? 'es-PE' : 'en-US' });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(baseUrl);
      await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
      await page.locator('[data-drawer="review"]').click();
      await page.locator('#drawer tbody tr').first().waitFor({ timeout: 20_000 });
      expect(await page.locator('#drawer h2').innerText()).toBe(lang === 'es' ? 'Revisión de concesiones' : 'Concession review');
      expect(await page.locator('#drawer tbody tr').count()).toBe(25); // 83 demo concessions, 25 a page
      expect(await page.locator('#drawer .rows').innerText()).toMatch(/1–25 (of|de) 83/);
      // Sorted by the loss rate during the contract, highest first; a click turns the order round.
      const during = async () => (await page.locator('#drawer tbody tr td:nth-child(6)').allInnerTexts()).filter((v) => /\d/.test(v)).map((v) => Number(lang === 'es' ? v.replace(/\./g, '').replace(',', '.') : v.replace(/,/g, ''))); // es: 1.234,5; en: 1,234.5; '—' and 'no data' are not numbers
      const desc = await during();
      expect(desc).toEqual([...desc].sort((a, b) => b - a));
      await page.locator('#drawer th button[data-sort="rate_during_pct"]').click();
      await page.waitForSelector('#drawer th[aria-sort="ascending"]');
      const asc = await during();
      expect(asc).toEqual([...asc].sort((a, b) => a - b));
      // Filter to one type, then to flagged ones.
      await page.locator('#drawer select[data-filter="type"]').selectOption('timber');
      await page.waitForFunction((label) => [...document.querySelectorAll('#drawer tbody tr td:nth-child(2)')].every((td) => td.textContent === label), lang === 'es' ? 'maderable' : 'timber'); // the code's label, never the code
      await page.locator('#drawer select[data-filter="type"]').selectOption('');
      await page.locator('#drawer input[data-filter="flagged"]').check();
      await page.waitForFunction(() => [...document.querySelectorAll('#drawer tbody tr')].every((tr) => tr.classList.contains('flagged')));
      await page.locator('#drawer input[data-filter="flagged"]').uncheck();
      await page.waitForFunction(() => document.querySelectorAll('#drawer tbody tr').length === 25);
      // A row opens its concession on the map, with its loss chart.
      await page.locator('#drawer th button[data-sort="rate_during_pct"]').click();
      await page.waitForSelector('#drawer th[aria-sort="descending"]');
      const first = page.locator('#drawer tbody tr').first();
      const id = await first.getAttribute('data-id');
      await first.click();
      await page.locator('.details .loss-chart').waitFor({ timeout: 15_000 });
      expect(page.url()).toContain(`sel=area:forest_concession:${id}`);
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(shots, `review-${lang}.png`) });
      expect(errors).toEqual([]);
      // The side panel's sheet link is the table's: the printable sheet, one A4 page.
      const sheetLink = await page.locator('.details a', { hasText: lang === 'es' ? 'Ficha' : 'Sheet' }).first().getAttribute('href');
      expect(sheetLink).toBe(`/concessions/${id}/sheet?lang=${lang}&layer=demo_lossyear`); // the figures of the layer picked (the default)
      await page.goto(`${baseUrl}${sheetLink}`);
      expect(await page.locator('h1').innerText()).toMatch(/Concesión/);
      expect(await page.locator('svg rect').count()).toBeGreaterThan(10);
      expect(await page.locator('body').innerText()).toContain(lang === 'es' ? 'Tasa de pérdida durante el contrato' : 'Loss rate during the contract');
      await page.screenshot({ path: path.join(shots, `sheet-${lang}.png`), fullPage: true });
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
      await page.close();
    }, 180_000);
  }

  for (const lang of ['en', 'es'] as const) {
    it(`opens the progress report from the map, filters it and prints it to PDF (${lang})`, async () => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1400 }, locale: lang === 'es' ? 'es-PE' : 'en-US' });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // The report's print button must run under the server's content security policy.
      page.on('console', (m) => m.text().includes('Content Security Policy') && errors.push(m.text()));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`${baseUrl}/?lang=${lang}`);
      await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
      if (lang === 'es') await page.locator('[data-lang="es"]').click();
      await page.locator('#report-link').click();
      await page.waitForSelector('h1');
      expect(await page.locator('h1').innerText()).toBe(lang === 'es' ? 'Informe de avance del programa' : 'Programme progress report');
      const activities = page.locator('article.activity');
      expect(await activities.count()).toBeGreaterThan(20);
      // Trend charts for the activities the demo raster covers, with the "association" wording.
      expect(await page.locator('article.activity svg.trend-chart').count()).toBeGreaterThan(5);
      expect(await page.locator('body').innerText()).toContain(lang === 'es' ? 'no una prueba' : 'not proof');
      // The filter form reloads the page with the filter in the URL; every activity left serves goal B.
      await page.locator('select[name="goal"]').selectOption('B');
      await Promise.all([page.waitForURL(/goal=B/), page.locator('form.filters button[type="submit"]').click()]);
      const metas = await page.locator('article.activity .meta').allInnerTexts();
      expect(metas.length).toBeGreaterThan(5);
      for (const m of metas) expect(m).toMatch(lang === 'es' ? /metas [A-E, ]*B/ : /goals [A-E, ]*B/);
      await page.goto(`${baseUrl}/report?lang=${lang}&priority_area=B`);
      await page.screenshot({ path: path.join(shots, `report-${lang}.png`), fullPage: true });
      // Printing leaves out the form and the links, and keeps each activity on one page.
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('form.filters').isVisible()).toBe(false);
      const pdf = await page.pdf({ format: 'A4' });
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
      expect(pages).toBeGreaterThan(1);
      expect(pages).toBeLessThan(12);
      fs.writeFileSync(path.join(shots, `report-${lang}.pdf`), pdf);
      expect(errors).toEqual([]);
      await page.close();
    }, 180_000);
  }

  it('asks nothing of any host but its own server', () => {
    const foreign = requests.filter((u) => !u.startsWith(baseUrl) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(foreign).toEqual([]);
  });
});
