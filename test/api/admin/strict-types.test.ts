/**
 * No body coercion in the admin API: a number is a JSON number. "Infinity", "1e400" and even "60"
 * in an integer field are refused with a 400 and write nothing; the query string is converted
 * strictly (plain decimals only). The probe stored "Infinity" as 0, below the schema minimum.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin, ADMIN_TOKEN, createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { createScenario } from '../../helpers/scenario.ts';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
const TEXTS = ['Infinity', '-Infinity', '1e400', '60', 'NaN', ' 60', '0x3c', ''];

describe('admin API: integers are JSON integers, nothing is coerced', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    await createScenario(t.core, { tenantId: 'acme', resources: 1 });
  });
  after(() => t.close());

  const send = (method: 'POST' | 'PATCH' | 'PUT' | 'GET', url: string, payload?: string) =>
    t.app.inject({ method, url, headers: auth, ...(payload === undefined ? {} : { payload }) });
  const services = async () =>
    (
      await t.db.query<{ id: string; duration_min: number; rules: unknown }>(
        'SELECT service_id AS id, duration_min, rules FROM services ORDER BY 1',
      )
    ).rows;

  for (const text of TEXTS) {
    it(`"${text}" in an integer body field → 400, nothing written (create, update, configuration)`, async () => {
      const before = await services();
      const created = await send(
        'POST',
        '/admin/v1/tenants/acme/services',
        JSON.stringify({ id: 'svc-x', name: 'X', durationMin: text, slotPolicy: { kind: 'grid', stepMin: 15 } }),
      );
      assert.equal(created.statusCode, 400, created.body);
      assert.equal(created.json().code, 'INVALID_INPUT');
      assert.match(created.json().message, /durationMin/);
      const patched = await send(
        'PATCH',
        '/admin/v1/tenants/acme/services/install',
        JSON.stringify({ rules: { minNoticeMin: text, horizonDays: 30 } }),
      );
      assert.equal(patched.statusCode, 400, patched.body);
      const doc = {
        tenant: { id: 'acme', name: 'Acme' },
        services: [{ id: 'install', name: 'Install', durationMin: text, slotPolicy: { kind: 'grid', stepMin: 15 } }],
      };
      assert.equal((await send('PUT', '/admin/v1/configuration', JSON.stringify(doc))).statusCode, 400);
      const hold = await send(
        'POST',
        '/admin/v1/tenants/acme/holds',
        JSON.stringify({ serviceIds: ['install'], siteId: 'site-1', start: '2030-01-07T09:00:00Z', ttlSec: text }),
      );
      assert.equal(hold.statusCode, 400, hold.body);
      assert.deepEqual(await services(), before);
    });
  }

  it('JSON numbers out of range (1e400 parses as Infinity, 1e308, 1.5) → 400', async () => {
    const before = await services();
    for (const n of ['1e400', '-1e400', '1e308', '1.5', '0']) {
      const res = await send(
        'POST',
        '/admin/v1/tenants/acme/services',
        `{"id":"svc-y","name":"Y","durationMin":${n},"slotPolicy":{"kind":"grid","stepMin":15}}`,
      );
      assert.equal(res.statusCode, 400, `${n}: ${res.body}`);
    }
    assert.deepEqual(await services(), before);
  });

  it('a tenant setting is no looser: "48" hours → 400', async () => {
    const res = await send(
      'PATCH',
      '/admin/v1/tenants/acme',
      JSON.stringify({ settings: { riskNotice: { scorings: ['RISK'], hours: '48' } } }),
    );
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual(await t.core.catalog.getTenantSettings(admin, 'acme'), {
      riskNotice: null,
      defaultPhoneCountry: null,
    });
  });

  it('query strings: plain decimals are converted, anything looser is a 400', async () => {
    const ok = await send('GET', '/admin/v1/tenants?limit=60');
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().limit, 60);
    for (const q of [
      'limit=Infinity',
      'limit=1e400',
      'limit=1e2',
      'limit=5.5',
      'limit=0x10',
      'limit=%2060',
      'limit=',
      'limit=-1',
      'limit=501',
      'offset=NaN',
      'limit=1&limit=2',
    ]) {
      const res = await send('GET', `/admin/v1/tenants?${q}`);
      assert.equal(res.statusCode, 400, `${q}: ${res.body}`);
      assert.equal(res.json().code, 'INVALID_INPUT');
    }
  });
});
