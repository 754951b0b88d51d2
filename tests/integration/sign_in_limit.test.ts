// The sign-in limiter counts an address the way sign-in reads it: padding, case, non-breaking
// spaces or full-width letters are the same email, so they buy no new guesses; and one client
// address trying many emails is limited too (each try costs a 32 MiB scrypt hash). The counts live
// in the database: a second web process on it refuses what the first has used up.
import { describe, expect, it } from 'vitest';
import { normaliseEmail } from '../../server/api';
import { startTestApp, useTestApp } from '../helpers/test_app';
import { testDatabaseKind } from '../helpers/test_database';

const PER_EMAIL = 4;

describe(`the sign-in limit on the ${testDatabaseKind()} database`, () => {
  const ctx = useTestApp({ env: { ATALAYA_LOGIN_ATTEMPTS_PER_15_MIN: String(PER_EMAIL) } });

  const attempt = (email: string) =>
    fetch(`${ctx.app.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'guess guess guess' }) });

  it('folds every spelling of one email to the same key', () => {
    const variants = ['  victim@test.example ', 'VICTIM@Test.Example', '\u00a0victim@test.example\u2003', 'ｖｉｃｔｉｍ@test.example', '\tvictim@test.example\n'];
    for (const v of variants) expect(normaliseEmail(v)).toBe('victim@test.example');
  });

  it('refuses the next guess whatever variant of the email it uses', async () => {
    const variants = ['  victim@test.example ', 'VICTIM@Test.Example', '\u00a0victim@test.example\u2003', 'ｖｉｃｔｉｍ@test.example'];
    for (const v of variants.slice(0, PER_EMAIL)) expect((await attempt(v)).status).toBe(401);
    for (const v of [...variants, '\tvictim@test.example\n', 'victim@test.example']) {
      const refused = await attempt(v);
      expect(refused.status, JSON.stringify(v)).toBe(429);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/wait 15 minutes/);
    }
  }, 60_000);

  it('limits one client address across many emails', async () => {
    // The address has used PER_EMAIL + 6 tries above; its own limit is five emails' worth.
    let refusedAt = -1;
    for (let i = 0; i < PER_EMAIL * 5 && refusedAt < 0; i++) {
      const res = await attempt(`someone${i}@test.example`);
      if (res.status === 429) refusedAt = i;
      else expect(res.status).toBe(401);
    }
    expect(refusedAt).toBeGreaterThan(0);
    expect(refusedAt).toBeLessThan(PER_EMAIL * 5);
  }, 120_000);

  it('counts the tries of every web process on the database together', async () => {
    await ctx.database.db.deleteFrom('rate_limit').execute(); // the address's tries above are used up
    const other = await startTestApp(ctx.database, { ATALAYA_LOGIN_ATTEMPTS_PER_15_MIN: String(PER_EMAIL) });
    try {
      const at = (base: string) =>
        fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'shared@test.example', password: 'guess guess guess' }) });
      // Alternate the two processes: each has seen only half the tries, the database all of them.
      const statuses: number[] = [];
      for (let i = 0; i < PER_EMAIL + 2; i++) statuses.push((await at(i % 2 ? other.baseUrl : ctx.app.baseUrl)).status);
      expect(statuses).toEqual([...Array<number>(PER_EMAIL).fill(401), 429, 429]);
      const row = await ctx.database.db.selectFrom('rate_limit').select(['hits']).where('key', 'like', 'login:%shared@test.example').executeTakeFirstOrThrow();
      expect(row.hits).toBe(PER_EMAIL + 2);
    } finally {
      await other.close();
    }
  }, 60_000);
});
