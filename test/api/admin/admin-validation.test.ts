import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { createScenario } from '../../helpers/scenario.ts';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('admin API: bad input gets a clear 4xx and changes nothing', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ bodyLimitBytes: 64 * 1024 });
    await createScenario(t.core, { tenantId: 'acme', resources: 1 });
  });
  after(() => t.close());

  const snapshot = async () =>
    (
      await t.db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM tenants) + (SELECT count(*) FROM sites) + (SELECT count(*) FROM services) +
          (SELECT count(*) FROM resources) AS n`,
      )
    ).rows[0].n;
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, headers: { ...auth, ...headers }, payload: payload as any });

  const cases: Array<[string, string, unknown, number, RegExp]> = [
    [
      'a wrong type',
      '/admin/v1/tenants/acme/services',
      { id: 'x', name: 'X', durationMin: 'sixty', slotPolicy: { kind: 'grid', stepMin: 15 } },
      400,
      /durationMin/,
    ],
    ['a missing field', '/admin/v1/tenants/acme/sites', { id: 'x', name: 'X' }, 400, /timeZone.*required/],
    [
      'an unknown field',
      '/admin/v1/tenants/acme/sites',
      { id: 'x', name: 'X', timeZone: 'UTC', colour: 'red' },
      400,
      /colour/,
    ],
    [
      'an unknown time zone',
      '/admin/v1/tenants/acme/sites',
      { id: 'x', name: 'X', timeZone: 'Mars/Olympus' },
      400,
      /IANA/,
    ],
    [
      'windows ending before they start',
      '/admin/v1/tenants/acme/services',
      {
        id: 'x',
        name: 'X',
        durationMin: 30,
        slotPolicy: { kind: 'windows', windows: [{ start: '11:00', end: '09:00' }] },
      },
      400,
      /end must be after start/,
    ],
    [
      'an unknown site id',
      '/admin/v1/tenants/acme/resources',
      {
        id: 'r',
        kind: 'technician',
        name: 'R',
        serviceIds: ['install'],
        siteIds: ['nowhere'],
        workingHours: { weekly: {} },
      },
      400,
      /unknown site nowhere/,
    ],
    [
      'an unknown tenant',
      '/admin/v1/tenants/ghost/sites',
      { id: 'x', name: 'X', timeZone: 'UTC' },
      404,
      /Tenant ghost not found/,
    ],
    [
      'an existing id',
      '/admin/v1/tenants/acme/sites',
      { id: 'site-1', name: 'X', timeZone: 'UTC' },
      409,
      /already exists/,
    ],
    ['a duplicate tenant', '/admin/v1/tenants', { id: 'acme', name: 'Again' }, 409, /already exists/],
  ];
  for (const [what, url, body, status, message] of cases) {
    it(`${what} → ${status}`, async () => {
      const before = await snapshot();
      const res = await post(url, body);
      assert.equal(res.statusCode, status, res.body);
      const err = res.json();
      assert.match(err.message, message);
      assert.ok(['INVALID_INPUT', 'NOT_FOUND', 'CONFLICT'].includes(err.code));
      assert.ok(Array.isArray(err.details));
      assert.equal(await snapshot(), before);
    });
  }

  it('malformed JSON → 400 "not valid JSON"', async () => {
    const res = await post('/admin/v1/tenants', '{"id": "x",', { 'content-type': 'application/json' });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().message, /not valid JSON/);
  });

  it('an oversized body → 413, nothing written', async () => {
    const before = await snapshot();
    const res = await post('/admin/v1/tenants', { id: 'big', name: 'x'.repeat(100 * 1024) });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().code, 'PAYLOAD_TOO_LARGE');
    assert.equal(await snapshot(), before);
  });

  it('an unknown resource id → 404 in the admin error format', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/admin/v1/tenants/acme/resources/nobody', headers: auth });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { code: 'NOT_FOUND', message: 'Resource nobody not found', details: [] });
  });

  it('a PATCH validates the merged entity and keeps the old one on error', async () => {
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/admin/v1/tenants/acme/sites/site-1',
      headers: auth,
      payload: { timeZone: 'Nowhere/City' },
    });
    assert.equal(bad.statusCode, 400);
    const good = await t.app.inject({
      method: 'PATCH',
      url: '/admin/v1/tenants/acme/sites/site-1',
      headers: auth,
      payload: { name: 'Renamed' },
    });
    assert.equal(good.statusCode, 200);
    assert.equal(good.json().timeZone, 'Europe/Madrid');
    assert.equal(good.json().name, 'Renamed');
  });
});

describe('input no schema accepts, on any route', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    await createScenario(t.core, { tenantId: 'acme', resources: 1 });
  });
  after(() => t.close());

  it('a NUL character in a body, a path or a query → 400, nothing written', async () => {
    const body = await t.app.inject({
      method: 'POST',
      url: '/admin/v1/tenants/acme/sites',
      headers: auth,
      payload: { id: 'nul', name: 'a\u0000b', timeZone: 'UTC' },
    });
    assert.equal(body.statusCode, 400);
    assert.match(body.json().message, /name contains a NUL character/);
    assert.equal((await t.app.inject({ url: '/admin/v1/tenants/acme/sites/nul', headers: auth })).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/admin/v1/tenants/acme/sites/a%00b', headers: auth })).statusCode, 400);
    assert.equal(
      (await t.app.inject({ url: '/admin/v1/tenants/acme/appointments?externalRef=%00', headers: auth })).statusCode,
      400,
    );
  });

  it('JSON nested thousands of levels deep → 400', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const res = await t.app.inject({
      method: 'POST',
      url: '/admin/v1/tenants',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: `{"id":"deep","name":"x","extra":${deep}}`,
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().message, /nested more than 32 levels/);
  });

  it('an offset past any page → 400, not a database overflow', async () => {
    const res = await t.app.inject({ url: '/admin/v1/tenants/acme/sites?offset=99999999999999999999', headers: auth });
    assert.equal(res.statusCode, 400);
  });
});
