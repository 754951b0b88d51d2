// npm run icons: the installable app's icons (client/public/icon-192.png, icon-512.png) drawn from
// client/favicon.svg by Chromium, on a white square with room around the mark (the maskable safe
// zone is the centre 80 %). Run after changing the favicon; the PNGs are committed.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { projectPath } from '../server/util/project_root';

const svg = fs.readFileSync(projectPath('client', 'favicon.svg'), 'utf8');
const out = projectPath('client', 'public');
fs.mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const mark = Math.round(size * 0.6);
    await page.setContent(`<html><body style="margin:0;background:#fff;display:flex;align-items:center;justify-content:center;width:${size}px;height:${size}px">${svg.replace('<svg ', `<svg width="${mark}" height="${mark}" `)}</body></html>`);
    await page.screenshot({ path: path.join(out, `icon-${size}.png`) });
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`icons written to ${out}`);
