import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactedConfig } from '../../../server/config';

describe('loadConfig', () => {
  it('defaults to the embedded database in ./var on port 8080', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c).toMatchObject({ databaseUrl: undefined, dataDir: path.resolve('/srv/app/var'), port: 8080, host: '0.0.0.0', demoData: true });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('treats empty values as unset, as an .env copied from .env.example has them', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).databaseUrl).toBeUndefined();
  });

  it('names each bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://x' })).toThrow(/PORT.*DATABASE_URL|DATABASE_URL.*PORT/);
    expect(() => loadConfig({ ATALAYA_DEMO_DATA: 'maybe' })).toThrow(/ATALAYA_DEMO_DATA/);
  });

  it('never logs the database password', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://atalaya:s3cret@db.example:5432/atalaya' });
    expect(JSON.stringify(redactedConfig(c))).not.toContain('s3cret');
    expect(redactedConfig(c).databaseUrl).toBe('postgres://atalaya:***@db.example:5432/atalaya');
  });
});
