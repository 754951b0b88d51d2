// Taking an area into the field, in Chromium on a phone-sized screen: an editor signs in, picks the
// concession with the most alerts, estimates and downloads its package into the device's storage;
// with the network off the app reloads from its service worker, lists the package, and draws its
// alerts, loss and areas from the stored file while the map pans and zooms; deleting it removes it
// from the device and from the server. Every control of the drawer has a name and a finger-sized
// target. Screenshots in both languages. A download cut by closing the app is listed on the next
// start and resumes from the bytes already stored; a package taken where the server has a Protomaps
// basemap carries it and draws it with the network off.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, mapIdle, onMap, shots, signInOnPage, startE2eApp, type E2eApp } from '../helpers/e2e_app';
import { writePeruProtomapsFixture } from '../helpers/protomaps_fixture';
import { checkTouchControls } from '../helpers/touch_controls';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';
import { createTestUser, type TestUser } from '../helpers/accounts';

describe.skipIf(!fs.existsSync(chromiumPath))(`offline areas in Chromium on a phone (${testDatabaseKind()} database)`, () => {
  let app: E2eApp;
  let browser: Browser;
  let baseUrl: string;
  let editor: TestUser;
  let concession: { id: number; name: string; alerts_contract_px: number };

  beforeAll(async () => {
    const database = await getTestDatabase();
    await resetData(database);
    app = await startE2eApp(database);
    ({ browser, baseUrl } = app);
    editor = await createTestUser(database, 'editor', ['SERFOR']);
    const review = (await (await fetch(`${baseUrl}/api/concessions/review?limit=200`)).json()) as { items: { id: number; name: string; alerts_contract_px: number | null }[] };
    concession = review.items.map((i) => ({ ...i, alerts_contract_px: i.alerts_contract_px ?? 0 })).sort((a, b) => b.alerts_contract_px - a.alerts_contract_px)[0]!;
  }, 240_000);
  afterAll(async () => app?.close());

  const phone = () => browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  const packageFeatures = (page: Page) => onMap(page, (m) => {
    const counts: Record<string, number> = {};
    for (const f of m.queryRenderedFeatures() as { source: string; sourceLayer?: string }[]) if (f.source.startsWith('package-') && f.sourceLayer) counts[f.sourceLayer] = (counts[f.sourceLayer] ?? 0) + 1;
    return counts;
  });

  it('takes a concession offline, opens it with the network off, pans and zooms it, and deletes it', async () => {
    expect(concession.alerts_contract_px).toBeGreaterThan(0);
    const context: BrowserContext = await phone();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${baseUrl}/?lang=es`);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
    await signInOnPage(page, editor);

    await page.goto(`${baseUrl}/?lang=es&sel=area:forest_concession:${concession.id}&panel=offline`);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
    await page.locator('button[data-action="estimate-package"]').click();
    await page.locator('#drawer .estimate').filter({ hasText: concession.name }).waitFor();
    expect(await page.locator('#drawer .estimate').innerText()).toMatch(/\d+ teselas, aproximadamente [\d,.]+ (kB|MB)/);
    await checkTouchControls(page);
    await page.screenshot({ path: path.join(shots, 'offline-take-es.png') });
    await page.locator('button[data-action="download-package"]').click();
    const item = page.locator('#drawer li[data-package]');
    await item.waitFor({ timeout: 120_000 });
    expect(await item.innerText()).toContain(concession.name);
    expect(await item.innerText()).toMatch(/[1-9][\d.]* alertas/);
    const id = Number(await item.getAttribute('data-package'));

    // No network: the app from its service worker, the package from the device.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    await context.setOffline(true);
    await page.reload();
    await item.waitFor({ timeout: 60_000 });
    await page.locator('#drawer .take-offline').filter({ hasText: 'requiere la red' }).waitFor();
    await page.locator('button[data-action="show-package"]').click();
    await page.waitForFunction((pid) => document.body.dataset.packagesShown === String(pid), id);
    await mapIdle(page);
    const atFit = await packageFeatures(page);
    expect(atFit.alerts ?? 0).toBeGreaterThan(0);
    expect(atFit.forest_concession ?? 0).toBeGreaterThan(0);
    expect(atFit.loss ?? 0).toBeGreaterThan(0);
    await checkTouchControls(page);
    await page.screenshot({ path: path.join(shots, 'offline-package-es.png') });
    // Pan and zoom within the package: tiles of other zooms come from the same stored file.
    const centre = await onMap(page, (m) => m.getCenter());
    for (const zoom of [15, 11]) {
      await page.evaluate(`window.atalayaMap.jumpTo({ center: [${centre.lng + 0.003}, ${centre.lat - 0.002}], zoom: ${zoom} })`);
      await mapIdle(page);
      const f = await packageFeatures(page);
      expect(f.forest_concession ?? 0, `zoom ${zoom}`).toBeGreaterThan(0);
    }
    // The same screen in English.
    await page.locator('button[data-lang="en"]').click();
    await page.locator('#drawer .take-offline').filter({ hasText: 'needs the network' }).waitFor();
    expect(await item.innerText()).toMatch(/[1-9][\d,]* alerts/);
    await page.screenshot({ path: path.join(shots, 'offline-package-en.png') });

    // Back online: deleting it removes it from the device and from the server.
    await context.setOffline(false);
    await page.reload();
    await page.locator('button[data-action="delete-package"]').click();
    await page.locator('#drawer .device-packages').filter({ hasText: 'No area is stored on this device yet.' }).waitFor();
    expect(await page.evaluate(async () => { const d = await (await navigator.storage.getDirectory()).getDirectoryHandle('atalaya-packages'); const names: string[] = []; for await (const [n] of (d as unknown as { entries(): AsyncIterable<[string]> }).entries()) names.push(n); return names; })).toEqual([]);
    const server = (await (await fetch(`${baseUrl}/api/packages`, { headers: { authorization: `Bearer ${editor.token}` } })).json()) as unknown[];
    expect(server).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('resumes a download cut by closing the app, and draws the basemap the package carries', async () => {
    // A server with a Protomaps basemap (Natural Earth in its schema) to z12 over the demo area.
    const basemapFile = path.join(app.work, 'basemap.pmtiles');
    writePeruProtomapsFixture(basemapFile, 12, [-70.3, -13.2, -69.1, -12.2]);
    const server = await app.serve({ ATALAYA_BASEMAP_PMTILES: basemapFile });
    const context = await phone();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${server.baseUrl}/?lang=es`);
      await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
      await signInOnPage(page, editor);
      await page.goto(`${server.baseUrl}/?lang=es&sel=area:forest_concession:${concession.id}&panel=offline`);
      await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });

      // The third range of the archive never arrives: the app is closed while it waits.
      const ranges: string[] = [];
      let held: Route | undefined;
      const third = new Promise<void>((resolve) => {
        void context.route('**/archive.pmtiles*', async (route) => {
          ranges.push(route.request().headers().range ?? '');
          if (ranges.length < 3) return route.continue();
          held = route;
          resolve();
        });
      });
      await page.locator('button[data-action="estimate-package"]').click();
      await page.locator('#drawer .estimate').filter({ hasText: concession.name }).waitFor();
      await page.locator('button[data-action="download-package"]').click();
      await third;
      expect(ranges.slice(0, 2)).toEqual([expect.stringMatching(/^bytes=0-\d+$/), expect.stringMatching(/^bytes=\d+-\d+$/)]);
      const stored = Number(/^bytes=(\d+)-/.exec(ranges[2]!)![1]);
      expect(stored).toBeGreaterThan(0);
      await context.unroute('**/archive.pmtiles*');
      await page.reload();
      await held?.abort().catch(() => undefined);

      // On the next start: listed as unfinished with what it holds, and resumed from there.
      const unfinished = page.locator('#drawer li[data-unfinished]');
      await unfinished.waitFor({ timeout: 60_000 });
      expect(await unfinished.innerText()).toContain(concession.name);
      expect(await unfinished.innerText()).toMatch(/[\d,.]+ (kB|MB) de [\d,.]+ (kB|MB)/);
      expect(await page.locator('#drawer li[data-package]').count()).toBe(0);
      await checkTouchControls(page);
      await page.screenshot({ path: path.join(shots, 'offline-resume-es.png') });
      const after: string[] = [];
      page.on('request', (r) => {
        if (r.url().endsWith('/archive.pmtiles')) after.push(r.headers().range ?? '');
      });
      await page.locator('button[data-action="resume-package"]').click();
      const item = page.locator('#drawer li[data-package]');
      await item.waitFor({ timeout: 120_000 });
      expect(after[0]).toBe(ranges[2]); // from the first byte it did not have, not from 0
      expect(await unfinished.count()).toBe(0);
      const id = Number(await item.getAttribute('data-package'));

      // With the network off, the package's basemap draws under its layers.
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
      await context.setOffline(true);
      await page.reload();
      await item.waitFor({ timeout: 60_000 });
      await page.locator('button[data-action="show-package"]').click();
      await page.waitForFunction((pid) => document.body.dataset.packagesShown === String(pid), id);
      await page.evaluate('window.atalayaMap.jumpTo({ zoom: 11 })');
      await mapIdle(page);
      const drawn = await onMap(page, (m) => {
        const counts: Record<string, number> = {};
        for (const f of m.queryRenderedFeatures() as { layer: { id: string }; sourceLayer?: string }[]) if (/^package-\d+-basemap-/.test(f.layer.id) && f.sourceLayer) counts[f.sourceLayer] = (counts[f.sourceLayer] ?? 0) + 1;
        return counts;
      });
      expect(drawn.earth ?? 0).toBeGreaterThan(0);
      expect((await packageFeatures(page)).forest_concession ?? 0).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(shots, 'offline-basemap-es.png') });

      await context.setOffline(false);
      await page.reload();
      await page.locator('button[data-action="delete-package"]').click();
      await page.locator('#drawer .device-packages').filter({ hasText: 'Todavía no hay áreas guardadas' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await server.close();
    }
  }, 300_000);
});
