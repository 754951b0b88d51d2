// Field photos in S3-compatible object storage (ATALAYA_PHOTO_STORE=s3://bucket/prefix), against a
// local S3 server: a photo sent to the app is stored as an object under the prefix (and not on the
// server's disk), read back through the app, and sent twice is one object; the store's own calls
// put, read and remove objects by report and photo UUID.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3PhotoStore } from '../../server/field/photo_store';
import { createTestUser } from '../helpers/accounts';
import { addAlertLayer, firstAlerts, GRID } from '../helpers/digest_fixture';
import { startLocalS3, type LocalS3 } from '../helpers/s3_server';
import { useTestApp } from '../helpers/test_app';
import { today } from '../../server/alerts/alert_encoding';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-s3-photos-'));
let s3: LocalS3;
const saved = { ...process.env };
beforeAll(async () => {
  s3 = await startLocalS3('atalaya-photos');
  // The AWS SDK reads credentials from the environment, as in a deployment.
  Object.assign(process.env, s3.env);
}, 30_000);
afterAll(async () => {
  for (const k of Object.keys(s3?.env ?? {})) if (saved[k] === undefined) delete process.env[k];
  await s3?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('field photos in S3-compatible storage', () => {
  it('puts, reads and removes objects by report and photo', async () => {
    const store = s3PhotoStore('s3://atalaya-photos/unit', s3.env);
    const [r, p] = [randomUUID(), randomUUID()];
    await store.put(r, p, Buffer.from('jpeg bytes'));
    expect((await store.read(r, p)).toString()).toBe('jpeg bytes');
    await store.remove(r, p);
    await expect(store.read(r, p)).rejects.toThrow();
    expect(() => s3PhotoStore('s3://Bad_Bucket')).toThrow(/s3:\/\/bucket\/prefix/);
  });

  const t = useTestApp({
    env: { ATALAYA_DATA_DIR: path.join(work, 'data'), ATALAYA_PHOTO_STORE: 's3://atalaya-photos/field' },
    seed: async (database) => {
      await addAlertLayer(database.db, work, firstAlerts());
      await database.db.insertInto('agency').values({ code: 'SERFOR', name: 'SERFOR' }).onConflict((oc) => oc.doNothing()).execute();
    },
  }, 120_000);

  it('stores a report\'s photo as one object under the prefix, never on the server\'s disk', async () => {
    const ana = await createTestUser(t.database, 'editor', ['SERFOR']);
    const auth = { authorization: `Bearer ${ana.token}` };
    const id = randomUUID();
    const lonLat = { lon: GRID.west + 10.5 * GRID.pixelSize, lat: GRID.north - 20.5 * GRID.pixelSize };
    const report = { id, kind: 'alert', alert: `test_alerts:10:20:${today() - 3}`, result: 'confirmed', cause: 'logging', position: { ...lonLat, accuracy_m: 5 }, observed_at: new Date().toISOString(), photo_count: 1 };
    expect((await fetch(`${t.app.baseUrl}/api/field-reports`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(report) })).status).toBe(201);
    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#507040' } }).jpeg().toBuffer();
    const photoId = randomUUID();
    const url = `${t.app.baseUrl}/api/field-reports/${id}/photos/${photoId}`;
    for (const status of [201, 200]) expect((await fetch(url, { method: 'POST', headers: { ...auth, 'content-type': 'image/jpeg' }, body: new Uint8Array(photo) })).status).toBe(status);
    const got = await fetch(url, { headers: auth });
    expect(got.status).toBe(200);
    const bytes = Buffer.from(await got.arrayBuffer());
    expect((await sharp(bytes).metadata()).width).toBe(640);
    const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'atalaya-photos', Prefix: 'field/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([`field/${id}/${photoId}.jpg`]);
    const object = await client.send(new GetObjectCommand({ Bucket: 'atalaya-photos', Key: `field/${id}/${photoId}.jpg` }));
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(bytes)).toBe(true);
    expect(fs.existsSync(path.join(work, 'data', 'field-photos'))).toBe(false);
  });
});
