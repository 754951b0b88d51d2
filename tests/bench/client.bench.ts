// The client (BENCH.md (f)): navigation to the first idle map with every default layer, in headless
// Chromium, against the real server started as `npm start` starts it (embedded PostGIS, full demo
// data); the JavaScript the first load ships, gzipped, next to MapLibre's own bundle; and how long
// the year slider takes to show the new loss (the server colours loss tiles by year, so a new range
// is new tiles: MapLibre 6 has no per-pixel raster colour expression to recolour them in place).
// Also the first *useful* map (basemap, areas and sites drawn; the loss raster may still come), on a
// warm server and again while statistics jobs run on it (what a user meets right after an import).
// usage: npm run bench -- tests/bench/client.bench.ts [--rounds 7]
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath, root } from '../helpers/e2e_app';
import { median, recordResult } from './report';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' } } });
const rounds = Number(values.rounds);
if (!fs.existsSync(chromiumPath)) {
  console.log(`client bench skipped: no Chromium at ${chromiumPath} (apt-get install chromium)`);
  process.exit(0);
}
console.log('building the client');
execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
execFileSync('npx', ['tsx', 'scripts/build_server.ts'], { cwd: root, stdio: 'inherit' });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-bench-client-'));
const port = 18000 + (process.pid % 1000);
// An admin, made before the server holds the embedded database, queues the statistics jobs below.
const admin = { email: 'bench-admin@example.org', password: 'bench-password-of-the-client' };
execFileSync('npx', ['tsx', 'scripts/user_admin.ts', '--email', admin.email, '--name', 'Bench'], { cwd: root, env: { ...process.env, DATABASE_URL: '', ATALAYA_DATA_DIR: dataDir, ATALAYA_ADMIN_PASSWORD: admin.password, ATALAYA_DEMO_DATA: 'true' }, stdio: 'ignore' });
// The compiled server, as `npm start` runs it.
const server = spawn(process.execPath, ['--enable-source-maps', 'dist/server/main.js'], { cwd: root, env: { ...process.env, DATABASE_URL: '', PORT: String(port), HOST: '127.0.0.1', ATALAYA_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'inherit', 'inherit'] });
const baseUrl = `http://127.0.0.1:${port}`;
try {
  console.log('starting the server on the embedded database (the first start loads the demo data)');
  for (let i = 0; ; i++) {
    const ok = await fetch(`${baseUrl}/api/health`).then((r) => r.ok).catch(() => false);
    if (ok && (await fetch(`${baseUrl}/api/rasters`).then((r) => r.json()) as { ready: boolean }[]).some((r) => r.ready)) break;
    if (i > 600) throw new Error('the server did not come up in 10 minutes');
    await new Promise((r) => setTimeout(r, 1000));
  }
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_FLAGS });
  const firstIdle: number[] = [];
  const firstUseful: number[] = [];
  const slider: number[] = [];
  let coldFirstIdle = 0;
  let coldFirstUseful = 0;
  let shipped: { url: string; bytes: number; gzip: number }[] = [];
  for (let round = 0; round <= rounds; round++) {
    // A new context each round: an empty HTTP cache, as a first visit.
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script' || r.url().endsWith('.js')) scripts.push(r.url());
    });
    await page.goto(`${baseUrl}/?map=9/-12.7/-69.75`);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
    const ms = Number(await page.getAttribute('body', 'data-first-idle-ms'));
    const useful = Number(await page.getAttribute('body', 'data-first-useful-ms'));
    // Year slider: from the input event to the map idle again with the new tiles drawn.
    const t = await page.evaluate(() => new Promise<number>((resolve) => {
      const map = (window as unknown as { atalayaMap: { once(e: string, f: () => void): void } }).atalayaMap;
      const input = document.querySelector<HTMLInputElement>('input[data-years="from"]')!;
      const start = performance.now();
      input.value = String(Number(input.value) + 8);
      input.dispatchEvent(new Event('input'));
      map.once('idle', () => resolve(performance.now() - start));
    }));
    if (round === 0) {
      coldFirstIdle = ms;
      coldFirstUseful = useful;
    } else {
      // Round 0 warms the server's caches (tiles, statistics), as any visit after the first has them.
      firstIdle.push(ms);
      firstUseful.push(useful);
      slider.push(t);
    }
    if (round === 1) {
      shipped = [...new Set(scripts)].map((url) => {
        const file = path.join(root, 'dist/client', new URL(url).pathname);
        const bytes = fs.readFileSync(file);
        return { url: new URL(url).pathname, bytes: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
      });
    }
    await context.close();
  }
  // The same visit while statistics jobs run on the server (forced recomputations of every area,
  // site and activity, queued back to back): only rounds that start and end with a job running count.
  const login = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const jobIds: number[] = [];
  // A forced recomputation of the demo's 233 subjects takes about a second (the zonal counts run on
  // worker threads): 150 of them, with wide buffers, keep the server busy through the rounds.
  for (const buffer of Array.from({ length: 150 }, (_, i) => 10_000 + (i % 30) * 1000)) {
    const res = await fetch(`${baseUrl}/api/statistics/jobs`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ areas: true, sites: true, activities: true, buffer_m: buffer, force: true }) });
    if (!res.ok) throw new Error(`could not queue a statistics job: ${res.status} ${await res.text()}`);
    jobIds.push(((await res.json()) as { id: number }).id);
  }
  const jobRunning = async () => {
    for (const id of jobIds) if (((await (await fetch(`${baseUrl}/api/jobs/${id}`, { headers: { cookie } })).json()) as { status: string }).status === 'running') return true;
    return false;
  };
  console.log(`queued ${jobIds.length} statistics jobs (jobs ${jobIds[0]}-${jobIds.at(-1)}), each a forced recomputation of every area, site and activity`);
  const busyUseful: number[] = [];
  const busyIdle: number[] = [];
  for (let round = 0; round < rounds * 2 && busyUseful.length < rounds; round++) {
    if (!(await jobRunning())) {
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/?map=9/-12.7/-69.75`);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
    const useful = Number(await page.getAttribute('body', 'data-first-useful-ms'));
    const idle = Number(await page.getAttribute('body', 'data-first-idle-ms'));
    await context.close();
    if (await jobRunning()) {
      busyUseful.push(useful);
      busyIdle.push(idle);
    }
  }
  await browser.close();
  const maplibreFiles = ['maplibre-gl.mjs', 'maplibre-gl-shared.mjs', 'maplibre-gl-worker.mjs'].map((f) => path.join(root, 'node_modules/maplibre-gl/dist', f)).filter((f) => fs.existsSync(f));
  const maplibreGzip = maplibreFiles.reduce((s, f) => s + zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length, 0);
  const shippedGzip = shipped.reduce((s, f) => s + f.gzip, 0);
  const result = {
    rounds,
    firstIdleMedianMs: median(firstIdle),
    firstIdleMs: firstIdle,
    firstIdleTargetMs: 2000,
    coldServerFirstIdleMs: coldFirstIdle,
    firstUsefulMedianMs: median(firstUseful),
    firstUsefulMs: firstUseful,
    firstUsefulTargetMs: 2000,
    coldServerFirstUsefulMs: coldFirstUseful,
    busyFirstUsefulMedianMs: busyUseful.length ? median(busyUseful) : null,
    busyFirstUsefulMs: busyUseful,
    busyFirstUsefulTargetMs: 4000,
    busyFirstIdleMedianMs: busyIdle.length ? median(busyIdle) : null,
    yearSliderMedianMs: Math.round(median(slider)),
    shippedScripts: shipped,
    shippedGzipKiB: Math.round(shippedGzip / 1024),
    maplibreGzipKiB: Math.round(maplibreGzip / 1024),
    ratioToMaplibre: Number((shippedGzip / maplibreGzip).toFixed(2)),
  };
  console.log(`first idle map (fresh context, ${rounds} rounds): median ${result.firstIdleMedianMs} ms [${firstIdle.join(', ')}] (target <= 2000 ms); first visit after a server start ${coldFirstIdle} ms`);
  console.log(`first useful map (basemap, areas, sites): median ${result.firstUsefulMedianMs} ms [${firstUseful.join(', ')}] (target <= 2000 ms); first visit after a start ${coldFirstUseful} ms`);
  console.log(`with statistics jobs running: first useful map median ${result.busyFirstUsefulMedianMs} ms [${busyUseful.join(', ')}] (target <= 4000 ms), first idle median ${result.busyFirstIdleMedianMs} ms`);
  console.log(`year slider to idle: median ${result.yearSliderMedianMs} ms`);
  console.log(`JavaScript on first load: ${result.shippedGzipKiB} KiB gzip in ${shipped.length} files; MapLibre GL JS alone ${result.maplibreGzipKiB} KiB gzip (ratio ${result.ratioToMaplibre})`);
  for (const s of shipped) console.log(`  ${s.url}: ${Math.round(s.bytes / 1024)} KiB, ${Math.round(s.gzip / 1024)} KiB gzip`);
  recordResult('client', result);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
