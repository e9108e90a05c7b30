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

  it('reads the edge settings: JWT lifetime, metrics token, CORS origins, rate limit', () => {
    const defaults = loadConfig({});
    assert.equal(defaults.jwtMaxTtlSeconds, 86_400);
    assert.equal(defaults.metricsToken, null);
    assert.deepEqual(defaults.corsOrigins, []);
    assert.equal(defaults.rateLimitPerMinute, 600);
    const c = loadConfig({
      JWT_MAX_TTL: '30m',
      METRICS_TOKEN: 'scrape-token-0123456789',
      CORS_ORIGINS: 'https://crm.example.com, http://localhost:3000/',
      RATE_LIMIT_PER_MINUTE: '0',
    });
    assert.equal(c.jwtMaxTtlSeconds, 1800);
    assert.equal(c.metricsToken, 'scrape-token-0123456789');
    assert.deepEqual(c.corsOrigins, ['https://crm.example.com', 'http://localhost:3000']);
    assert.equal(c.rateLimitPerMinute, 0);
    assert.equal(loadConfig({ JWT_MAX_TTL: '3600' }).jwtMaxTtlSeconds, 3600);
  });

  it('refuses edge settings that would open the service up', () => {
    for (const [key, value] of [
      ['JWT_MAX_TTL', 'forever'],
      ['JWT_MAX_TTL', '400d'],
      ['METRICS_TOKEN', 'short'],
      ['CORS_ORIGINS', '*'],
      ['CORS_ORIGINS', 'https://crm.example.com/app'],
      ['CORS_ORIGINS', 'ftp://files.example.com'],
      ['RATE_LIMIT_PER_MINUTE', '-1'],
    ]) {
      assert.throws(
        () => loadConfig({ [key]: value }),
        (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.startsWith(key)),
        `${key}=${value}`,
      );
    }
  });

  it('names every bad key in one message', () => {
    const env = {
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
      ADMIN_TOKEN: 'short',
      JWT_SECRET: 'tiny',
      DEMO_DATA: 'perhaps',
    };
    assert.throws(
      () => loadConfig(env),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        for (const key of Object.keys(env))
          assert.ok(
            e.problems.some((p) => p.startsWith(key)),
            `mentions ${key}: ${e.message}`,
          );
        return true;
      },
    );
  });
});
