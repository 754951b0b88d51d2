// The digest run killed with SIGKILL while it delivers: `npm run alerts:digest` (its own process,
// on the embedded database in its folder or on the PostGIS server) has made three users' digests
// and sent the first; the SMTP server has the second message but never acknowledges it, and the
// process is killed there. Run again, nothing is reported twice: no new digest is made, the
// unacknowledged message is sent again as the same digest (same Message-ID: a mail client shows it
// once), the third is sent, and every subscription's alerts are in exactly one digest.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db/database';
import { migrateToLatest } from '../../server/db/migrate';
import { insertSubscription, upsertSetting } from '../../server/db/repositories/alert_subscriptions.repository';
import { dateOfDay, today } from '../../server/alerts/alert_encoding';
import type { Digest } from '../../server/api';
import { createTestUser } from '../helpers/accounts';
import { addAlertLayer, addAreas, startSmtp } from '../helpers/digest_fixture';
import { processes } from '../helpers/processes';
import { createServerDatabase, testDatabaseKind } from '../helpers/test_database';

const { run, exitOf, killAll } = processes();
afterAll(killAll);

describe(`alert digests killed mid-delivery (${testDatabaseKind()} database)`, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-digest-kill-'));
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const env: Record<string, string> = { ATALAYA_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ATALAYA_PUBLIC_URL: 'https://atalaya.example.org' };
  const emails: string[] = [];
  const open = () => openDatabase(loadConfig(env), { purpose: 'digest kill test' });

  beforeAll(async () => {
    smtp = await startSmtp();
    env.ATALAYA_SMTP_URL = smtp.url;
    const target = inject('testDatabase');
    if (target) env.DATABASE_URL = await createServerDatabase(target.adminUrl, `${target.prefix}_digest_kill`);
    const database = await open();
    try {
      await migrateToLatest(database.db);
      const areas = await addAreas(database.db);
      await addAlertLayer(database.db, dataDir, [
        ...Array.from({ length: 6 }, (_, i) => ({ col: 5 + i, row: 5, age: 2, conf: 3 as const })),
        ...Array.from({ length: 4 }, (_, i) => ({ col: 220 + i, row: 220, age: 1, conf: 2 as const })),
      ]);
      for (const [i, area] of [areas.concessionA, areas.concessionB, areas.concessionA].entries()) {
        const user = await createTestUser(database, 'editor');
        emails.push(user.email);
        await upsertSetting(database.db, user.id, { language: i === 1 ? 'es' : 'en' });
        await insertSubscription(database.db, { userId: user.id, kind: 'area', areaId: area, label: `area ${area}`, layer: null, confidence: ['low', 'high', 'highest'], since: dateOfDay(today() - 7) });
      }
    } finally {
      await database.close();
    }
  }, 120_000);
  afterAll(async () => {
    await smtp?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports every alert once per subscription after a kill and a rerun', async () => {
    smtp.hold(emails[1]!);
    const first = run('scripts/alerts_digest.ts', ['--force'], env);
    const exited = exitOf(first);
    await smtp.waitFor((r) => JSON.stringify(r.mail.to).includes(emails[1]!));
    first.kill('SIGKILL');
    expect((await exited).code).toBe(null); // killed, not finished
    expect(smtp.received.map((r) => r.mail.messageId)).toHaveLength(2);

    smtp.release();
    const again = await exitOf(run('scripts/alerts_digest.ts', ['--force'], env));
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('3 users due, 0 digests made; 2 deliveries sent, 0 failed');

    const byUser = emails.map((e) => smtp.received.filter((r) => JSON.stringify(r.mail.to).includes(e)));
    expect(byUser.map((m) => m.length)).toEqual([1, 2, 1]);
    // The repeat is the same digest: same Message-ID, same content.
    expect(byUser[1]![0]!.mail.messageId).toBe(byUser[1]![1]!.mail.messageId);
    expect(byUser[1]![0]!.mail.text).toBe(byUser[1]![1]!.mail.text);
    expect(byUser[1]![0]!.mail.subject).toMatch(/^Atalaya: 4 nuevas alertas/);

    const database = await open();
    try {
      const digests = await database.db.selectFrom('alert_digest').select(['user_id', 'content']).orderBy('id').execute();
      expect(digests.map((d) => (d.content as unknown as Digest).total_px)).toEqual([6, 4, 6]);
      const deliveries = await database.db.selectFrom('alert_delivery').select(['status', 'attempts']).orderBy('digest_id').execute();
      expect(deliveries).toEqual([{ status: 'sent', attempts: 1 }, { status: 'sent', attempts: 1 }, { status: 'sent', attempts: 1 }]);
    } finally {
      await database.close();
    }
  }, 240_000);
});
