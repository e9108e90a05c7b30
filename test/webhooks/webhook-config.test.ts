import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('webhook settings from the environment', () => {
  it('defaults to the documented schedule (10 delays, 11 attempts), 10 s and public https only', () => {
    const c = loadConfig({});
    assert.deepEqual(
      c.webhooks.retryScheduleMs,
      [5, 30, 120, 600, 1800, 3600, 10_800, 21_600, 43_200, 86_400].map((s) => s * 1000),
    );
    assert.equal(c.webhooks.timeoutMs, 10_000);
    assert.equal(c.webhooks.allowPrivateNetworks, false);
  });

  it('reads WEBHOOK_RETRY_SCHEDULE, WEBHOOK_TIMEOUT_MS and WEBHOOK_ALLOW_PRIVATE_NETWORKS', () => {
    const c = loadConfig({
      WEBHOOK_RETRY_SCHEDULE: '500ms, 2s,1m,1h,1d',
      WEBHOOK_TIMEOUT_MS: '2500',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    });
    assert.deepEqual(c.webhooks.retryScheduleMs, [500, 2000, 60_000, 3_600_000, 86_400_000]);
    assert.equal(c.webhooks.timeoutMs, 2500);
    assert.equal(c.webhooks.allowPrivateNetworks, true);
  });

  it('refuses a malformed schedule or timeout, naming the key', () => {
    for (const env of [
      { WEBHOOK_RETRY_SCHEDULE: '5s,soon' },
      { WEBHOOK_RETRY_SCHEDULE: '8d' },
      { WEBHOOK_TIMEOUT_MS: '0' },
      { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'maybe' },
    ]) {
      assert.throws(
        () => loadConfig(env),
        (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.startsWith(Object.keys(env)[0])),
      );
    }
  });
});
