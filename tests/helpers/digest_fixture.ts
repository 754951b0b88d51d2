// A small world for alert digests: a department with two concessions and a protected area inside,
// an alert layer (GFW integrated encoding) with alerts at known pixels and days, an in-process SMTP
// server that parses what it receives, and a webhook receiver that keeps what it is sent.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/db/schema';
import { encodeUint8GeoTiff } from '../../server/demo/geotiff_writer';
import { upsertArea } from '../../server/db/repositories/areas.repository';
import { registerAlertLayer } from '../../server/services/alerts.service';
import { today } from '../../server/alerts/alert_encoding';

export const GRID = { west: -69.5, north: -12.5, pixelSize: 0.00025, width: 400, height: 400 };
const lon = (col: number) => GRID.west + col * GRID.pixelSize;
const lat = (row: number) => GRID.north - row * GRID.pixelSize;
/** A polygon over pixel columns c0..c1-1 and rows r0..r1-1 (edges on pixel edges: centres inside). */
export const pixelBox = (c0: number, r0: number, c1: number, r1: number) => ({ type: 'Polygon', coordinates: [[[lon(c0), lat(r1)], [lon(c1), lat(r1)], [lon(c1), lat(r0)], [lon(c0), lat(r0)], [lon(c0), lat(r1)]]] });

export interface Alert {
  col: number;
  row: number;
  /** Days before today. */
  age: number;
  /** GFW: 2 low, 3 high, 4 highest. */
  conf: 2 | 3 | 4;
}

export const BOXES = { concessionA: [0, 0, 100, 100], concessionB: [200, 200, 300, 300], park: [300, 0, 400, 100] } as const;

/** Alerts per box: recent ones, and in B three older than any subscription's floor. */
export function firstAlerts(): Alert[] {
  const out: Alert[] = [];
  for (let i = 0; i < 10; i++) out.push({ col: 10 + i, row: 20, age: 3, conf: 3 });
  for (let i = 0; i < 5; i++) out.push({ col: 210 + i, row: 250, age: 1, conf: 2 });
  for (let i = 0; i < 3; i++) out.push({ col: 250, row: 210 + i, age: 40, conf: 4 });
  for (let i = 0; i < 4; i++) out.push({ col: 350, row: 50 + i, age: 2, conf: 4 });
  return out;
}

export async function writeAlertFile(file: string, alerts: Alert[], now = Date.now()): Promise<void> {
  const values = new Uint16Array(GRID.width * GRID.height);
  for (const a of alerts) values[a.row * GRID.width + a.col] = a.conf * 10000 + today(now) - a.age;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, await encodeUint8GeoTiff(GRID, values, 'test alerts, GFW integrated encoding'));
}

export async function addAlertLayer(db: Kysely<Database>, dir: string, alerts: Alert[], name = 'test_alerts', tag = 'a'): Promise<void> {
  const file = path.join(dir, `${tag}.tif`);
  await writeAlertFile(file, alerts);
  await registerAlertLayer(db, { files: [file], source: 'gfw-integrated', name, dataDir: dir, onTileGrid: false });
}

/** The department, two concessions and a park; their ids. */
export async function addAreas(db: Kysely<Database>) {
  await db.insertInto('area_kind').values({ code: 'department', label_en: 'Department', label_es: 'Departamento' }).onConflict((oc) => oc.doNothing()).execute();
  const department = await upsertArea(db, { kind: 'department', sourceId: 'D17', name: 'Madre de Dios', properties: {}, geojson: JSON.stringify(pixelBox(-20, -20, 420, 420)) });
  const box = (b: readonly number[]) => JSON.stringify(pixelBox(b[0]!, b[1]!, b[2]!, b[3]!));
  const concessionA = await upsertArea(db, { kind: 'forest_concession', sourceId: 'CA', name: 'Concesión A', properties: {}, geojson: box(BOXES.concessionA) });
  const concessionB = await upsertArea(db, { kind: 'forest_concession', sourceId: 'CB', name: 'Concesión B', properties: {}, geojson: box(BOXES.concessionB) });
  const park = await upsertArea(db, { kind: 'protected_area', sourceId: 'P1', name: 'Parque', properties: {}, geojson: box(BOXES.park) });
  return { department, concessionA, concessionB, park };
}

export interface Received {
  mail: ParsedMail;
  raw: string;
}

/** An SMTP server on an ephemeral port; `hold(to)` delays the answer to messages for that address. */
export async function startSmtp() {
  const received: Received[] = [];
  const holds = new Set<string>();
  let onReceived: ((r: Received) => void) | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        void simpleParser(raw).then((mail) => {
          const r = { mail, raw };
          received.push(r);
          onReceived?.(r);
          const to = session.envelope.rcptTo.map((a) => a.address);
          // Held: the message is here, but the sender never hears it was accepted.
          if (to.some((a) => holds.has(a))) return;
          callback();
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    hold: (address: string) => holds.add(address),
    release: () => holds.clear(),
    next: () => new Promise<Received>((resolve) => (onReceived = resolve)),
    /** The first message (already received or still to come) that passes the test. */
    waitFor: (test: (r: Received) => boolean) =>
      new Promise<Received>((resolve) => {
        const found = received.find(test);
        if (found) return resolve(found);
        onReceived = (r) => test(r) && resolve(r);
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An HTTP server that keeps every POST (headers and body) and answers 204. */
export async function startWebhookReceiver() {
  const calls: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      calls.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, calls, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
