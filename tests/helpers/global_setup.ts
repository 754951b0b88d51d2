// Runs once per `vitest run`, in the main process. With TEST_DATABASE_URL set, every test worker gets
// a fresh database on that PostGIS server (created on first use, dropped here at the end); without
// it, every worker runs its own embedded PostGIS in memory.
import pg from 'pg';
import type { TestProject } from 'vitest/node';

export interface TestDatabaseTarget {
  adminUrl: string;
  prefix: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: TestDatabaseTarget | null;
  }
}

export default function setup(project: TestProject): () => Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_URL || undefined;
  const prefix = `atalaya_test_${Date.now().toString(36)}_${process.pid}`;
  project.provide('testDatabase', adminUrl ? { adminUrl, prefix } : null);
  console.log(adminUrl ? `integration tests on the PostGIS server ${new URL(adminUrl).host} (databases ${prefix}_*)` : 'integration tests on the embedded PostGIS (PGlite)');
  return async () => {
    if (!adminUrl) return;
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}_%`]);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
}
