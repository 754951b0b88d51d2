// A built client served by a real Atalaya server on the demo data, and Debian's Chromium: what the
// browser tests and the first-idle benchmark run against.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { generateDemoData } from '../../server/demo/generate';
import { ensureDemoRasterStore, loadDemoData } from '../../server/demo/load_demo';
import { createLogger } from '../../server/log';
import { createAnalysisContext, refreshEverything } from '../../server/services/analysis_context';
import type { DatabaseHandle } from '../../server/db/database';
import { ensureContextLayer } from '../../server/seed/context_points';
import { ensureDemoAlerts } from '../../server/demo/alerts';
import { loadStarterManifest, STARTER_DIR } from '../../server/seed/starter_layers';
import { registerRasterLayer } from '../../server/services/raster_layers.service';

const AMW_ABOUT = { source: 'Earth Genome / Amazon Mining Watch', licence: 'CC BY 4.0', description: 'First period each pixel was mapped as mining-scarred land (2018-2025); not Hansen data', methodNote: 'none' } as const;

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!fs.existsSync(chromiumPath)) console.warn(`browser tests skip: ${chromiumPath} is missing (apt-get install chromium, or set CHROMIUM_PATH)`);
export const root = fileURLToPath(new URL('../..', import.meta.url));
export const shots = path.join(root, 'tests/e2e/screenshots');
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking'];

export interface E2eApp {
  baseUrl: string;
  browser: Browser;
  work: string;
  /** Another server on the same database with other settings (a PMTiles basemap, say). */
  serve(env: Record<string, string>): Promise<{ baseUrl: string; close(): Promise<void> }>;
  close(): Promise<void>;
}

/** Every file the client build reads: its sources, the shared API contract, the build's configuration and the lockfile. */
function clientSourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else hash.update(path.relative(root, p)).update(fs.readFileSync(p));
    }
  };
  for (const dir of ['client', 'server/api', 'scripts']) walk(path.join(root, dir));
  for (const file of ['vite.config.ts', 'package-lock.json']) hash.update(file).update(fs.readFileSync(path.join(root, file)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The built client, built once per source version and shared by every browser test file and run
 * (a build takes a minute on two cores; CI runs the browser files twice, once per database). Built
 * aside and renamed into place, so a file running alongside never sees half a build.
 */
async function builtClient(work: string): Promise<string> {
  const dir = path.join(os.tmpdir(), `atalaya-e2e-client-${clientSourceHash()}`);
  if (fs.existsSync(path.join(dir, 'index.html'))) return dir;
  const aside = path.join(work, 'client');
  await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'error', build: { outDir: aside, emptyOutDir: true } });
  try {
    fs.renameSync(aside, dir);
  } catch {
    if (!fs.existsSync(path.join(dir, 'index.html'))) throw new Error(`could not place the client build at ${dir}`);
    return dir; // another file placed the same build first
  }
  return dir;
}

/** Builds the client, loads the demo data (small raster grid over Madre de Dios), starts the server. */
export async function startE2eApp(database: DatabaseHandle): Promise<E2eApp> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-e2e-'));
  const clientDir = await builtClient(work);
  const demo = path.join(work, 'demo');
  await loadDemoData(database.db, demo, await generateDemoData({ outDir: demo, grid: { west: -70.3, north: -12.2, pixelSize: 0.001, width: 1200, height: 1000 } }));
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  await ensureDemoRasterStore(database.db, { dataDir: work }, createLogger(config));
  // A second loss layer of another origin (the Amazon Mining Watch first-year raster), as an analyst adds one.
  await registerRasterLayer(database.db, { files: [path.join(root, 'data/starter/amw_mining_firstyear_madre_de_dios_derived.tif')], kind: 'lossyear', name: 'amw_mining_first_year', version: '2025Q3', dataDir: work, about: AMW_ABOUT });
  // The starter's context layer of other cooperation projects (AidData's GEF locations), as a first start loads it.
  await ensureContextLayer(database.db, STARTER_DIR, loadStarterManifest().points[0]!);
  await ensureDemoAlerts(database.db, work, createLogger(config));
  // As a first start does: the statistics of every area, site and activity, and the concession rings.
  const analysis = createAnalysisContext(database.db, createLogger(config));
  await analysis.jobs.start();
  await refreshEverything(database.db, analysis);
  await analysis.jobs.idle();
  const serve = async (env: Record<string, string>) => {
    // Its own data folder: packages and photos of another test file's database (same ids) never meet these.
    const c = loadConfig({ LOG_LEVEL: 'silent', ATALAYA_DATA_DIR: work, ...env });
    const server = createApp({ config: c, database, log: createLogger(c), clientDir, analysis }).listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
  };
  const main = await serve({});
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_FLAGS });
  fs.mkdirSync(shots, { recursive: true });
  return {
    baseUrl: main.baseUrl,
    browser,
    work,
    serve,
    close: async () => {
      await browser.close();
      await main.close();
      await analysis.close();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

/** What the tests ask of the page's maplibregl.Map (exposed read-only as window.atalayaMap). */
export type MapHandle = { getLayoutProperty(id: string, p: string): unknown; getPaintProperty(id: string, p: string): unknown; getCenter(): { lng: number; lat: number }; getZoom(): number; queryRenderedFeatures(o?: object): unknown[]; getSource(id: string): { getData(): Promise<GeoJSON.FeatureCollection> } | undefined };

/** Runs `f` on the page's map (it is sent as source text, so it may use nothing from the test's scope). */
export const onMap = <T>(page: Page, f: (map: MapHandle) => T) => page.evaluate(`(${f.toString()})(window.atalayaMap)`) as Promise<T>;

/** Signs in through the account dialog, as a user does, and waits for the account button to name them. */
export async function signInOnPage(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.locator('#account').click();
  await page.locator('#sign-in-email').fill(user.email);
  await page.locator('#sign-in-password').fill(user.password);
  await page.locator('#sign-in button[type="submit"]').click();
  await page.waitForFunction((email) => document.getElementById('account')!.textContent!.includes(email), user.email);
}

/** Resolves once the map has drawn everything it asked for after the last change. */
export async function mapIdle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => {
    const map = (window as unknown as { atalayaMap: { loaded(): boolean; once(e: string, f: () => void): void; triggerRepaint(): void } }).atalayaMap;
    map.once('idle', () => resolve());
    map.triggerRepaint();
  }));
}

/**
 * Counts the pixels of a screenshot of the map that have the loss palette's colours (saturated
 * yellow to red, none of the basemap's or the areas' greys, greens and blues), decoded in the page.
 */
export async function lossPixels(page: Page): Promise<number> {
  const png = await page.locator('#map canvas').screenshot();
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, img.width, img.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! > 170 && d[i + 2]! < 90 && d[i]! - d[i + 1]! > 40) n++;
    return n;
  }, png.toString('base64'));
}
