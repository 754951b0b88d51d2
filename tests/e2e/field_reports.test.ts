// Reports from the field, in Chromium on a phone-sized screen with an emulated position: an editor
// takes a site and its surroundings offline, the network goes, the app reloads from its service
// worker and shows the stored package; a tap on an alert opens its verification (a position too
// coarse is refused and said so; a photo is added and resized; an outline drawn on the map), a tap on
// the site files a visit with its indicators' values, the
// app is closed and opened again (the queue is still there), the network comes back and the queue is
// sent; the server is taken away in the middle (the line cut while a photo goes up) and, once back,
// the queue finishes with nothing lost and nothing stored twice; the same queue sent again stores
// nothing new. Screenshots of the field screens in both languages; every control named and
// finger-sized.
import path from 'node:path';
import fs from 'node:fs';
import sharp from 'sharp';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, mapIdle, onMap, shots, signInOnPage, startE2eApp, type E2eApp } from '../helpers/e2e_app';
import { checkTouchControls } from '../helpers/touch_controls';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';
import { createTestUser, type TestUser } from '../helpers/accounts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp_proxy';
import type { DatabaseHandle } from '../../server/db/database';

interface Alert { id: string; lon: number; lat: number; date: string }
interface Site { id: number; name: string; lon: number; lat: number }

describe.skipIf(!fs.existsSync(chromiumPath))(`field reports in Chromium on a phone (${testDatabaseKind()} database)`, () => {
  let app: E2eApp;
  let proxy: TcpProxy;
  let database: DatabaseHandle;
  let baseUrl: string;
  let editor: TestUser;
  /** The site with the most alerts in its surroundings: its package holds alerts and the site itself. */
  let site: { id: number; name: string };
  let agency = '';
  /** Set to cut the line when the next photo upload starts (the server taken away mid-sync). */
  let cutOnPhoto = false;

  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    app = await startE2eApp(database);
    const port = Number(new URL(app.baseUrl).port);
    proxy = await startTcpProxy('127.0.0.1', port, (chunk) => {
      if (cutOnPhoto && /^POST \/api\/field-reports\/[0-9a-f-]+\/photos\//.test(chunk.toString('latin1', 0, 120))) {
        cutOnPhoto = false;
        proxy.cut();
      }
    });
    baseUrl = `http://127.0.0.1:${proxy.port}`;
    const sites = (await (await fetch(`${baseUrl}/api/sites?limit=1000`)).json()) as { features: { id: number; geometry: { coordinates: unknown }; properties: { name: string; activityId: number } }[] };
    const from = new Date(Date.now() - 300 * 86400_000).toISOString().slice(0, 10);
    const to = new Date().toISOString().slice(0, 10);
    // Only sites within 3 km of the alert layer can have alerts around them: ask those, four at a time.
    const [w, s, e, n] = ((await (await fetch(`${baseUrl}/api/alerts/layers`)).json()) as { bounds: [number, number, number, number] }[])[0]!.bounds;
    const near = sites.features.filter((f) => {
      const xy = [f.geometry.coordinates].flat(3) as number[]; // a point, a line or a polygon's vertices, as x, y, x, y, ...
      const xs = xy.filter((_, i) => i % 2 === 0);
      const ys = xy.filter((_, i) => i % 2 === 1);
      return Math.max(...xs) > w - 0.03 && Math.min(...xs) < e + 0.03 && Math.max(...ys) > s - 0.03 && Math.min(...ys) < n + 0.03;
    });
    let best = { px: 0, id: 0, name: '', activityId: 0 };
    for (let i = 0; i < near.length; i += 4) {
      await Promise.all(near.slice(i, i + 4).map(async (f) => {
        const a = (await (await fetch(`${baseUrl}/api/sites/${f.id}/alerts?from=${from}&to=${to}&buffer_m=3000`)).json()) as { total_px?: number };
        if ((a.total_px ?? 0) > best.px || ((a.total_px ?? 0) === best.px && f.id < best.id)) best = { px: a.total_px!, id: f.id, name: f.properties.name, activityId: f.properties.activityId };
      }));
    }
    expect(best.px).toBeGreaterThan(1);
    site = best;
    // The inspector and the supervisor work for the site's activity's agency (a visit is made by its members).
    agency = ((await (await fetch(`${baseUrl}/api/activities/${best.activityId}`)).json()) as { leadAgency: string }).leadAgency;
    editor = await createTestUser(database, 'editor', [agency]);
  }, 240_000);
  afterAll(async () => {
    await proxy?.close();
    await app?.close();
  });

  const counts = async () => {
    const n = async (table: 'field_report' | 'field_photo') => Number((await database.db.selectFrom(table).select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    return { reports: await n('field_report'), photos: await n('field_photo') };
  };
  /** Taps the map at a position (page coordinates from the map's projection). */
  async function tapAt(page: Page, lon: number, lat: number, dx = 0, dy = 0): Promise<void> {
    const p = await onMap(page, new Function('m', `const p = m.project([${lon}, ${lat}]); const r = m.getContainer().getBoundingClientRect(); return { x: r.left + p.x, y: r.top + p.y };`) as never) as unknown as { x: number; y: number };
    await page.mouse.click(p.x + dx, p.y + dy);
  }
  const queueStates = (page: Page) => page.locator('#drawer li[data-report]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.state).sort());

  it('files two reports offline, keeps them through a restart, and sends each once, even when the server goes away mid-sync', async () => {
    const context: BrowserContext = await app.browser.newContext({
      viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2,
      permissions: ['geolocation'], geolocation: { latitude: -12.5, longitude: -69.5, accuracy: 200 },
    });
    let page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${baseUrl}/?lang=es`);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
    await signInOnPage(page, editor);

    // Take the site and its surroundings offline (z8-13 keeps the test quick).
    await page.goto(`${baseUrl}/?lang=es&sel=site:${site.id}&panel=offline`);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
    await page.locator('#drawer select[name="max_zoom"]').selectOption('13');
    await page.locator('button[data-action="estimate-package"]').click();
    await page.locator('#drawer .estimate').filter({ hasText: site.name }).waitFor();
    await page.locator('button[data-action="download-package"]').click();
    const item = page.locator('#drawer li[data-package]');
    await item.waitFor({ timeout: 120_000 });
    const packageId = Number(await item.getAttribute('data-package'));
    const content = (await (await fetch(`${baseUrl}/api/packages/${packageId}/content.json`, { headers: { authorization: `Bearer ${editor.token}` } })).json()) as { alerts: { points: Alert[] }; sites: { items: Site[] } };
    const alerts = content.alerts.points;
    expect(alerts.length).toBeGreaterThan(0);
    // An alert away from the site, so a tap on one is not a tap on the other.
    const siteAt = content.sites.items.find((x) => x.id === site.id)!;
    const first = alerts.find((a) => Math.abs(a.lon - siteAt.lon) + Math.abs(a.lat - siteAt.lat) > 0.002) ?? alerts[0]!;

    // No network: the app from its service worker, the package from the device.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    await context.setOffline(true);
    await page.reload();
    await item.waitFor({ timeout: 60_000 });
    await page.locator('button[data-action="show-package"]').click();
    await page.waitForFunction((pid) => document.body.dataset.packagesShown === String(pid), packageId);

    // First report: tap the alert, verify it.
    await page.evaluate(`window.atalayaMap.jumpTo({ center: [${first.lon}, ${first.lat}], zoom: 16 })`);
    await mapIdle(page);
    await tapAt(page, first.lon, first.lat);
    const form = page.locator('#drawer form.field-report');
    await form.filter({ hasText: 'Verificación de alerta' }).waitFor();
    // A position too coarse is refused, and the form says why and what to do.
    await page.locator('button[data-action="take-position"]').click();
    await page.locator('#drawer [data-role="position"]').filter({ hasText: '200 m' }).waitFor();
    expect(await page.locator('#drawer [data-role="position"]').innerText()).toMatch(/precisión de 200 m; los reportes necesitan 50 m o menos/);
    await page.locator('button[data-action="save-report"]').click();
    await page.locator('#drawer .status.error').filter({ hasText: 'Primero tome la posición' }).waitFor();
    await context.setGeolocation({ latitude: first.lat + 0.0001, longitude: first.lon, accuracy: 7 });
    await page.locator('button[data-action="take-position"]').click();
    await page.locator('#drawer [data-role="position"]').filter({ hasText: 'precisión 7 m' }).waitFor();
    await form.locator('input[name="result"][value="confirmed"]').check();
    await form.locator('select[name="cause"]').selectOption('mining');
    await form.locator('textarea[name="notes"]').fill('Pozas de minería junto al río');
    // A 3000 x 2000 photo: resized on the device before it is kept.
    const photo = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 90, g: 140, b: 70 } } }).jpeg({ quality: 90 }).toBuffer();
    await form.locator('input[name="photos"]').setInputFiles({ name: 'pozas.jpg', mimeType: 'image/jpeg', buffer: photo });
    await form.locator('.photos').filter({ hasText: '1 foto' }).waitFor();
    // The refined outline: four corners around the alert, then the first again.
    await page.locator('button[data-action="draw-outline"]').click();
    await form.locator('.outline').filter({ hasText: 'esquinas del claro' }).waitFor();
    for (const [dx, dy] of [[-30, -30], [30, -30], [30, 30], [-30, 30], [-30, -30]] as const) {
      await tapAt(page, first.lon, first.lat, dx, dy);
      await page.waitForTimeout(150);
    }
    await form.locator('.outline').filter({ hasText: 'esquinas: 4' }).waitFor();
    await checkTouchControls(page);
    await form.locator('h2').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'field-report-top-es.png') });
    await form.locator('.buttons').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'field-report-es.png') });
    await page.locator('button[data-action="save-report"]').click();
    await page.locator('#drawer li[data-report]').first().waitFor();

    // Second report: a visit to the site, with a value for each of its activity's indicators.
    const visited = content.sites.items.find((x) => x.id === site.id)!;
    expect(visited).toBeDefined();
    await page.evaluate(`window.atalayaMap.jumpTo({ center: [${visited.lon}, ${visited.lat}], zoom: 16 })`);
    await mapIdle(page);
    await context.setGeolocation({ latitude: visited.lat, longitude: visited.lon, accuracy: 5 });
    await tapAt(page, visited.lon, visited.lat);
    await form.filter({ hasText: 'Visita al sitio' }).waitFor();
    await form.locator('textarea[name="observations"]').fill('Puesto de control con 3 guardaparques');
    const indicatorInputs = form.locator('input[type="number"]'); // the manual indicators only: computed ones are not asked
    const measuredCount = await indicatorInputs.count();
    for (let i = 0; i < measuredCount; i++) await indicatorInputs.nth(i).fill(String(3 + i));
    await checkTouchControls(page);
    await form.locator('h2').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'field-visit-es.png') });
    await page.locator('button[data-action="take-position"]').click();
    await page.locator('#drawer [data-role="position"]').filter({ hasText: 'precisión 5 m' }).waitFor();
    await page.locator('button[data-action="save-report"]').click();
    await page.locator('#drawer li[data-report]').nth(1).waitFor();
    expect(await queueStates(page)).toEqual(['pending', 'pending']);
    expect(await counts()).toEqual({ reports: 0, photos: 0 });

    // Close the app and open it again, still offline: the queue is on the device.
    await page.close();
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${baseUrl}/?lang=en&panel=offline`);
    await page.locator('#drawer li[data-report]').nth(1).waitFor({ timeout: 60_000 });
    expect(await queueStates(page)).toEqual(['pending', 'pending']);
    const queueText = await page.locator('#drawer .field-reports').innerText();
    expect(queueText).toMatch(/waiting to be sent/);
    expect(queueText).toMatch(/Alert of [A-Z][a-z]{2} \d{1,2}, \d{4}: Confirmed/); // saved in Spanish, listed in English
    await checkTouchControls(page);
    await page.locator('#drawer .field-reports').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'field-queue-en.png') });

    // The network comes back, and the server goes away while the first photo goes up.
    cutOnPhoto = true;
    await context.setOffline(false);
    await page.locator('#drawer li[data-report]').filter({ hasText: 'will try again' }).first().waitFor({ timeout: 60_000 });
    expect(await counts()).toEqual({ reports: 1, photos: 0 });
    expect(await queueStates(page)).toEqual(['pending', 'pending']);
    // Back: "Send now" finishes the queue; the first report is sent again and stored once.
    proxy.restore();
    await page.locator('button[data-action="send-reports"]').click();
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLElement>('#drawer li[data-report]')].every((li) => li.dataset.state === 'sent'), null, { timeout: 60_000 });
    expect(await counts()).toEqual({ reports: 2, photos: 1 });
    const stored = await database.db.selectFrom('field_report').select(['kind', 'result', 'cause', 'review_status', 'outline_ha', 'accuracy_m', 'measurements']).orderBy('received_at').execute();
    expect(stored[0]).toMatchObject({ kind: 'alert', result: 'confirmed', cause: 'mining', review_status: 'pending', accuracy_m: 7 });
    expect(stored[0]!.outline_ha).toBeGreaterThan(0);
    expect(stored[1]).toMatchObject({ kind: 'visit', accuracy_m: 5 });
    expect((stored[1]!.measurements as unknown[]).length).toBe(measuredCount);
    const photoRow = await database.db.selectFrom('field_photo').select(['width', 'height', 'lon', 'lat']).executeTakeFirstOrThrow();
    expect(Math.max(photoRow.width, photoRow.height)).toBe(1600);
    expect(photoRow.lat).toBeCloseTo(first.lat + 0.0001, 4);

    // The same queue sent twice: every report marked waiting again on the device, sent again, stored once.
    await page.evaluate(() => new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('atalaya-field');
      open.onsuccess = () => {
        const tx = open.result.transaction('reports', 'readwrite');
        const store = tx.objectStore('reports');
        const all = store.getAll();
        all.onsuccess = () => {
          for (const r of all.result as { state: string; photos: { sent: boolean }[] }[]) {
            r.state = 'pending';
            for (const p of r.photos) p.sent = false;
            store.put(r);
          }
        };
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      };
    }));
    await page.reload();
    await page.waitForFunction(() => {
      const items = [...document.querySelectorAll<HTMLElement>('#drawer li[data-report]')];
      return items.length === 2 && items.every((li) => li.dataset.state === 'sent');
    }, null, { timeout: 60_000 });
    expect(await counts()).toEqual({ reports: 2, photos: 1 });
    await page.locator('#drawer .field-reports').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'field-sent-en.png') });
    await page.locator('button[data-lang="es"]').click();
    await page.locator('#drawer .field-reports').filter({ hasText: 'enviado' }).waitFor();
    await page.locator('#drawer .field-reports').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'field-sent-es.png') });
    expect(errors).toEqual([]);
    await context.close();

    // A supervisor of the agency reviews them: the photo shown, one accepted, one rejected.
    const supervisor = await createTestUser(database, 'editor', [agency]);
    const office = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const desk = await office.newPage();
    desk.on('pageerror', (e) => errors.push(e.message));
    await desk.goto(`${baseUrl}/?lang=es`);
    await desk.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
    await signInOnPage(desk, supervisor);
    await desk.goto(`${baseUrl}/?lang=es&panel=edit`);
    const pending = desk.locator('#drawer .report-review li[data-field-report]');
    await pending.nth(1).waitFor({ timeout: 60_000 });
    const confirmedItem = pending.filter({ hasText: 'Confirmada' });
    expect(await confirmedItem.innerText()).toMatch(/Minería/);
    await desk.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('#drawer .report-review img')].some((i) => i.complete && i.naturalWidth === 1600));
    await confirmedItem.locator('input[name="review-note"]').fill('Coincide con la imagen');
    await confirmedItem.locator('button[data-action="accept-report"]').click();
    await confirmedItem.locator('.status').filter({ hasText: 'Aceptado' }).waitFor();
    const visitItem = pending.filter({ hasText: 'Visita a' });
    expect(await visitItem.innerText()).toMatch(/3 guardaparques/);
    await visitItem.locator('button[data-action="reject-report"]').click();
    await desk.locator('#drawer .report-review .status').filter({ hasText: 'Rechazado' }).waitFor();
    await desk.locator('#drawer .report-review').scrollIntoViewIfNeeded();
    await desk.screenshot({ path: path.join(shots, 'field-review-es.png') });
    const statuses = await database.db.selectFrom('field_report').select(['result', 'review_status']).orderBy('received_at').execute();
    expect(statuses.map((r) => r.review_status)).toEqual(['accepted', 'rejected']);
    const status = (await (await fetch(`${baseUrl}/api/alerts/status?ids=${encodeURIComponent(first.id)}`)).json()) as Record<string, { status: string }>;
    expect(status[first.id]!.status).toBe('confirmed');
    expect(errors).toEqual([]);
    await office.close();
  }, 300_000);
});
