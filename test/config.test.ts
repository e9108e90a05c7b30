import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('configuration from the environment', () => {
  it('has defaults that start the embedded database on port 8080', () => {
    const c = loadConfig({});
    assert.equal(c.port, 8080);
    assert.equal(c.dataDir, './data');
    assert.equal(c.databaseUrl, null);
    assert.equal(c.demoData, true);
  });

  it('names every bad key in one message', () => {
    const env = { PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', ADMIN_TOKEN: 'short', JWT_SECRET: 'tiny', DEMO_DATA: 'perhaps' };
    assert.throws(
      () => loadConfig(env),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        for (const key of Object.keys(env)) assert.ok(e.problems.some((p) => p.startsWith(key)), `mentions ${key}: ${e.message}`);
        return true;
      },
    );
  });
});
