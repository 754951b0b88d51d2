// The parts of a digest that need no database: the set of reported alerts, the static map image,
// and the webhook's refusal of private addresses (checked in the connection's own DNS lookup).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { alertKey, dropDaysBefore, hasKey, keysFromBytes, keysToBytes, mergeKeys } from '../../../../server/alerts/seen_keys';
import { renderStaticMap } from '../../../../server/alerts/static_map';
import { isPrivateAddress, postWebhook, signWebhook } from '../../../../server/alerts/webhook_post';
import { BLOCK, BlockStore, LevelWriter, levelMeta } from '../../../../server/raster/block_store';
import { polygonsFromGeoJson } from '../../../../server/analysis/zonal/wkb';

describe('reported alert keys', () => {
  it('merge sorted without duplicates, survive bytes, and tell a re-detected pixel from the old alert', () => {
    const a = mergeKeys(new Float64Array(0), [alertKey(5, 2, 1000, 300), alertKey(1, 0, 1000, 10), alertKey(5, 2, 1000, 300)]);
    expect(Array.from(a)).toEqual([alertKey(1, 0, 1000, 10), alertKey(5, 2, 1000, 300)]);
    const b = keysFromBytes(Buffer.from(keysToBytes(mergeKeys(a, [alertKey(0, 0, 1000, 20)]))).subarray(0)); // unaligned copy from the driver
    expect(b.length).toBe(3);
    expect(hasKey(b, alertKey(5, 2, 1000, 300))).toBe(true);
    expect(hasKey(b, alertKey(5, 2, 1000, 301))).toBe(false); // same pixel, a later alert: new
    expect(Array.from(dropDaysBefore(b, 15))).toEqual([alertKey(0, 0, 1000, 20), alertKey(5, 2, 1000, 300)]);
    // The largest layer the key allows is still exact in a float64.
    expect(alertKey(739_999, 739_999, 740_000, 16_383)).toBeLessThan(2 ** 53);
  });
});

describe('the static map of a digest', () => {
  it('paints the alerts of the filter in their confidence colours inside the outline, and nothing else', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-static-map-'));
    const lv = levelMeta(BLOCK, BLOCK, 0.001, 0);
    const w = new LevelWriter(dir, lv);
    const block = new Uint16Array(BLOCK * BLOCK);
    block[100 * BLOCK + 100] = 500 * 4 + 3; // day 500, highest
    block[120 * BLOCK + 60] = 400 * 4 + 1; // day 400, low: outside the filter below
    block[10 * BLOCK + 10] = 500 * 4 + 2; // day 500, high: in the filter, outside the polygon
    w.write(new Uint8Array(block.buffer));
    w.finish();
    fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ version: 1, kind: 'alert', bytesPerPixel: 2, west: -70, north: -10, pixelSize: 0.001, width: BLOCK, height: BLOCK, maxValue: 500, minValue: 400, levels: [lv] }));
    const store = new BlockStore(dir);
    const polygon = polygonsFromGeoJson({ type: 'Polygon', coordinates: [[[-69.95, -10.15], [-69.85, -10.15], [-69.85, -10.05], [-69.95, -10.05], [-69.95, -10.15]]] });
    const png = PNG.sync.read(renderStaticMap(store, polygon, { fromDay: 450, toDay: 600, confidenceMask: 0b1110 }));
    expect(png.width).toBeLessThanOrEqual(480);
    expect(png.height).toBeLessThanOrEqual(360);
    const colours = new Map<string, number>();
    for (let i = 0; i < png.data.length; i += 4) {
      const c = `#${[0, 1, 2].map((k) => png.data[i + k]!.toString(16).padStart(2, '0')).join('')}`;
      colours.set(c, (colours.get(c) ?? 0) + 1);
    }
    expect(colours.get('#200090')).toBeGreaterThan(0); // the highest-confidence alert, as on the map
    expect(colours.has('#a090f0')).toBe(false); // the low one is outside the days asked for
    expect(colours.has('#703060')).toBe(false); // a neighbour's alert is not the subject's
    expect(colours.get('#1b5e20')).toBeGreaterThan(100); // the outline
    store.close();
  });
});

describe('webhooks', () => {
  it('refuse private, loopback and link-local addresses, by literal or by name, unless allowed', async () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '192.168.0.9', '169.254.169.254', '::1', 'fd00::1', '::ffff:127.0.0.1']) expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '190.117.1.1', '2001:4860::8888']) expect(isPrivateAddress(a), a).toBe(false);
    const seen: { signature: string; body: string; timestamp: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ signature: String(req.headers['x-atalaya-signature']), timestamp: String(req.headers['x-atalaya-timestamp']), body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      const options = { secret: 's3cret', deliveryId: 'digest-1', allowPrivate: false };
      await expect(postWebhook(`http://127.0.0.1:${port}/h`, '{}', options)).rejects.toThrow(/private address/);
      await expect(postWebhook(`http://localhost:${port}/h`, '{}', options)).rejects.toThrow(/resolves to .*private address/);
      expect(seen).toHaveLength(0);
      await expect(postWebhook(`http://localhost:${port}/h`, '{"a":1}', { ...options, allowPrivate: true })).resolves.toBe(200);
      expect(seen[0]!.signature).toBe(signWebhook('s3cret', Number(seen[0]!.timestamp), '{"a":1}'));
    } finally {
      server.close();
    }
  });
});
