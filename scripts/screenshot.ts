// tsx scripts/screenshot.ts [url] [out.png] [lang] [lon,lat,zoom] — a headless Chromium screenshot of the running app.
import { chromium } from 'playwright-core';

const url = process.argv[2] ?? 'http://localhost:8080/';
const out = process.argv[3] ?? 'docs/screenshot.png';
const lang = process.argv[4] ?? 'en';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: lang === 'es' ? 'es-PE' : 'en-US' });
page.on('console', (m) => m.type() === 'error' && console.error('browser:', m.text()));
await page.goto(url);
await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
const view = process.argv[5]?.split(',').map(Number);
if (view && view.length === 3) {
  await page.evaluate(([lon, lat, zoom]) => (window as unknown as { atalayaMap: { jumpTo(o: object): void } }).atalayaMap.jumpTo({ center: [lon, lat], zoom }), view);
  await page.waitForTimeout(3000);
}
await page.screenshot({ path: out });
await browser.close();
console.log(`screenshot written to ${out}`);
