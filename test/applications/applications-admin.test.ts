/**
 * The admin API of video-call applications (/admin/v1/tenants/{t}/applications) and the `applications` section of
 * tenant configuration documents, including the demo tenant contact-center.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { applyConfigurations, readConfigurationFile } from '../../src/runtime.ts';
import { admin, ADMIN_TOKEN, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { appInput, createVideoTenants, SEED_NOTIFICATIONS, videoTenant } from './application-helpers.ts';

const DEMO = fileURLToPath(new URL('../../config/demo-tenants.yaml', import.meta.url));
const DEMO_APP = 'bf8215e5-a39e-490a-a0e2-07df6a3d8c1f';
const silent = { info() {}, warn() {}, error() {} };

describe('admin API: /admin/v1/tenants/{t}/applications', () => {
  let t: TestApp;
  let keyA: string;
  let keyB: string;
  const base = '/admin/v1/tenants/apps-a/applications';
  const call = (method: string, url: string, payload?: unknown, key = keyA) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  before(async () => {
    t = await createTestApp();
    await createVideoTenants(t, 'apps-a', 'apps-b');
    keyA = await t.apiKeyFor('apps-a', ['tenant-admin']);
    keyB = await t.apiKeyFor('apps-b', ['tenant-admin']);
  });
  after(() => t.close());

  it('creates (201 with id), reads, lists a page at a time, patches and deletes', async () => {
    const created = await call(
      'POST',
      base,
      appInput({ notifications: SEED_NOTIFICATIONS, timezone: 'Europe/Berlin' }),
    );
    assert.equal(created.statusCode, 201, created.body);
    const a = created.json();
    assert.match(a.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(a.activationLeadTime, 'PT10M');
    assert.equal(a.notificationsActive, true);
    assert.equal(a.senderVerification, null);
    assert.equal(a.tenantId, undefined, 'the tenant is the path');
    assert.deepEqual(a.notifications, SEED_NOTIFICATIONS);

    const one = await call('GET', `${base}/${a.id}`);
    assert.equal(one.statusCode, 200);
    assert.equal(one.json().timezone, 'Europe/Berlin');
    assert.equal((await call('POST', base, appInput({ name: 'Second' }))).statusCode, 201);
    const page = await call('GET', `${base}?limit=1&offset=0`);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(
      { total: page.json().total, limit: page.json().limit, n: page.json().items.length },
      { total: 2, limit: 1, n: 1 },
    );

    const patched = await call('PATCH', `${base}/${a.id}`, { activationLeadTime: 'PT5M', timezone: null });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().activationLeadTime, 'PT5M');
    assert.equal(patched.json().timezone, null);
    assert.equal(patched.json().name, 'Product video calls');

    assert.equal((await call('DELETE', `${base}/${a.id}`)).statusCode, 204);
    const gone = await call('GET', `${base}/${a.id}`);
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().code, 'NOT_FOUND');
  });

  it('answers 400 in the admin error format naming the field: placeholder, service, site, zone, URL, duration', async () => {
    const stored = (await call('GET', base)).json().total;
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [
        { notifications: [{ channel: 'SMS', type: 'CREATE', textBody: 'Hi {{nickname}}' }] },
        'notifications[0].textBody',
        /unknown placeholder \{\{nickname\}\}/,
      ],
      [{ serviceId: 'haircut' }, 'serviceId', /no service haircut/],
      [{ siteId: 'moon' }, 'siteId', /no site moon/],
      [{ timezone: 'Europe/Atlantis' }, 'timezone', /IANA/],
      [{ videoBaseUrl: 'https://' }, 'videoBaseUrl', /URL/],
      [{ videoBaseUrl: 'mailto:x@example.com' }, 'videoBaseUrl', /./],
      [{ activationLeadTime: 'P30D' }, 'activationLeadTime', /at most 7 days/],
      [{ notifications: [{ channel: 'SMS', type: 'ROOM', textBody: 'x' }] }, 'notifications[0].period', /required/],
      [{ senderEmail: '' }, 'senderEmail', /e-mail address/],
      [{ unknown: 1 }, 'unknown', /not allowed/],
    ];
    for (const [over, field, message] of cases) {
      const res = await call('POST', base, appInput(over));
      assert.equal(res.statusCode, 400, `${JSON.stringify(over)}: ${res.body}`);
      const body = res.json();
      assert.equal(body.code, 'INVALID_INPUT');
      const issue = body.details.find((d: { field: string }) => d.field === field);
      assert.ok(issue, `${field} in ${res.body}`);
      assert.match(`${issue.message} ${body.message}`, message);
    }
    assert.equal((await call('GET', base)).json().total, stored, 'nothing stored');
    const missing = await call('POST', base, { name: 'x' });
    assert.equal(missing.statusCode, 400);
    assert.deepEqual(
      missing
        .json()
        .details.map((d: { field: string }) => d.field)
        .sort(),
      ['serviceId', 'siteId', 'videoBaseUrl'],
    );
  });

  it("refuses another tenant's key with 403 and shows it nothing; unknown ids are 404", async () => {
    const a = (await call('POST', base, appInput())).json();
    for (const [method, url, body] of [
      ['GET', base],
      ['GET', `${base}/${a.id}`],
      ['POST', base, appInput()],
      ['PATCH', `${base}/${a.id}`, { name: 'Stolen' }],
      ['DELETE', `${base}/${a.id}`],
    ] as const) {
      const res = await call(method, url, body, keyB);
      assert.equal(res.statusCode, 403, `${method} ${url}`);
      assert.doesNotMatch(res.body, new RegExp(a.id));
    }
    const own = await call('GET', `/admin/v1/tenants/apps-b/applications/${a.id}`, undefined, keyB);
    assert.equal(own.statusCode, 404, 'ids are global, but a tenant only finds its own');
    assert.equal((await call('GET', `${base}/${a.id}`)).json().name, 'Product video calls');
  });

  it('appears in /openapi/admin.json', async () => {
    const doc = (await t.app.inject('/openapi/admin.json')).json();
    const paths = doc.paths as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(paths['/admin/v1/tenants/{tenantId}/applications']).sort(), ['get', 'post']);
    assert.deepEqual(Object.keys(paths['/admin/v1/tenants/{tenantId}/applications/{id}']).sort(), [
      'delete',
      'get',
      'patch',
    ]);
  });

  it('PUT /admin/v1/configuration sets applications by id, idempotently; an id of another tenant is a 409', async () => {
    const id = '6d1f7c1e-2a8b-4c55-9f3e-0a1b2c3d4e5f';
    const doc = {
      ...videoTenant('apps-config'),
      applications: [{ id, ...appInput({ notifications: SEED_NOTIFICATIONS }) }],
    };
    const put = (body: unknown) =>
      t.app.inject({
        method: 'PUT',
        url: '/admin/v1/configuration',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        payload: body as object,
      });
    const first = await put(doc);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal((await put(doc)).statusCode, 200);
    const stored = await t.core.applications.findById(id);
    assert.equal(stored?.tenantId, 'apps-config');
    assert.equal(stored?.notifications.length, 4);
    assert.equal((await t.core.applications.list(admin, 'apps-config', {})).total, 1);

    const thief = await put({ ...videoTenant('apps-thief'), applications: [{ id, ...appInput() }] });
    assert.equal(thief.statusCode, 409, thief.body);
    assert.equal((await t.core.applications.findById(id))?.tenantId, 'apps-config');
    assert.equal(
      (await t.core.catalog.listTenants(admin, {})).items.some((x) => x.id === 'apps-thief'),
      false,
    );

    const bad = await put({ ...doc, applications: [{ id, ...appInput({ siteId: 'moon' }) }] });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().message, /siteId/);
    const notUuid = await put({ ...doc, applications: [{ id: 'demo-app', ...appInput() }] });
    assert.equal(notUuid.statusCode, 400);
  });

  it('the demo tenant contact-center has agents, a video-call service on a grid, a site and its application', async () => {
    const docs = await readConfigurationFile(DEMO);
    await applyConfigurations(t.core, docs, silent);
    await applyConfigurations(t.core, docs, silent);
    const app = await t.core.applications.get(admin, 'contact-center', DEMO_APP);
    assert.equal(app.serviceId, 'video-call');
    assert.equal(app.siteId, 'remote');
    assert.deepEqual(
      app.notifications.map((n) => [n.type, n.channel, n.period ?? null]),
      [
        ['CREATE', 'EMAIL', null],
        ['CREATE', 'SMS', null],
        ['REMINDER', 'SMS', 'P1D'],
        ['ROOM', 'SMS', 'PT5M'],
      ],
    );
    assert.match(app.notifications[3].textBody, /\{\{roomLink\}\}/);
    const agents = await t.core.catalog.listResources(admin, 'contact-center', {});
    assert.ok(agents.items.filter((r) => r.kind === 'agent' && r.serviceIds.includes('video-call')).length >= 2);
    const [service] = (await t.core.catalog.listServices(admin, 'contact-center', {})).items;
    assert.equal(service.slotPolicy.kind, 'grid');
  });
});
