import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

describe('liveness and readiness probes', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const get = async (url: string) => {
    const res = await t.app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json() };
  };

  it('is live and ready when the database answers, every migration is applied and the job queue runs', async () => {
    assert.deepEqual(await get('/health/live'), { status: 200, body: { status: 'ok' } });
    const ready = await get('/health/ready');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, 'ok');
    assert.equal(ready.body.migrations, 'applied');
    assert.match(ready.body.jobs, /^running/);
    assert.equal((await get('/health')).status, 200, '/health answers as before');
  });

  it('is not ready while a migration of this code is not applied', async () => {
    await t.db.query("DELETE FROM schema_migrations WHERE version = '001'");
    const ready = await get('/health/ready');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.status, 'unavailable');
    assert.match(ready.body.migrations, /001_init\.sql/);
    assert.equal((await get('/health/live')).status, 200, 'still live: restarting would not help');
  });

  it('is not ready once the job queue has stopped', async () => {
    await t.runtime.jobs.stop();
    const ready = await get('/health/ready');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.jobs, 'stopped');
  });

  it('is not ready when the database does not answer, and still live', async () => {
    await t.runtime.jobs.stop();
    await t.db.close();
    const ready = await get('/health/ready');
    assert.equal(ready.status, 503);
    assert.match(ready.body.database, /not answering/);
    assert.equal((await get('/health/live')).status, 200);
  });
});
