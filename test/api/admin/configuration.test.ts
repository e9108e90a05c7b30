import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { applyConfigurations, readConfigurationFile } from '../../../src/runtime.ts';
import { ADMIN_TOKEN, admin, createTestApp, type TestApp } from '../../helpers/test-app.ts';

const DEMO = fileURLToPath(new URL('../../../config/demo-tenants.yaml', import.meta.url));

describe('tenant configuration files and PUT /admin/v1/configuration', () => {
  let t: TestApp;
  const logged: string[] = [];
  const log = { info: (_o: object, m?: string) => void logged.push(m ?? ''), warn() {}, error() {} };
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('loads the demo tenants, logging each new tenant key once on a line naming the tenant', async () => {
    await applyConfigurations(t.core, await readConfigurationFile(DEMO), log, { revealNewKeys: true });
    const tenants = await t.core.catalog.listTenants(admin);
    assert.deepEqual(tenants.items.map((x) => x.id).sort(), [
      'benelux-bank',
      'branch-bank',
      'contact-center',
      'masmovil',
    ]);
    for (const id of ['masmovil', 'contact-center', 'branch-bank', 'benelux-bank']) {
      const lines = logged.filter((m) => m.startsWith(`API key for tenant ${id}:`));
      assert.equal(lines.length, 1, id);
    }
  });

  it('is idempotent: a second load changes nothing and issues no new key', async () => {
    const count = async () =>
      (
        await t.db.query<{ n: number }>(
          'SELECT (SELECT count(*) FROM resources) + (SELECT count(*) FROM api_keys) AS n',
        )
      ).rows[0].n;
    const before = await count();
    logged.length = 0;
    await applyConfigurations(t.core, await readConfigurationFile(DEMO), log, { revealNewKeys: true });
    assert.equal(await count(), before);
    assert.equal(logged.filter((m) => m.startsWith('API key')).length, 0);
  });

  it('outside the demo, a new tenant key never reaches the log; the line says how to issue one', async () => {
    const lines: Array<{ obj: object; msg: string }> = [];
    const capture = {
      info: (obj: object, msg?: string) => void lines.push({ obj, msg: msg ?? '' }),
      warn() {},
      error() {},
    };
    const doc = { ...(await readConfigurationFile(DEMO))[0], tenant: { id: 'configured', name: 'From CONFIG_FILE' } };
    const issued = async () =>
      (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM api_keys WHERE tenant_id = 'configured'"))
        .rows[0].n;
    await applyConfigurations(t.core, [doc], capture);
    assert.equal(await issued(), 1);
    const text = JSON.stringify(lines);
    assert.doesNotMatch(text, /configured\.[A-Za-z0-9_-]{8,}/, 'no key in any message or field');
    assert.ok(
      lines.some((l) => l.msg.includes('POST /admin/v1/tenants/configured/api-keys')),
      text,
    );
  });

  it('names the problems of an invalid file and writes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'tenant: { id: Bad Id, name: x }\nservices: [{ id: s, name: S }]\n');
    await assert.rejects(
      readConfigurationFile(file),
      /not a valid configuration[\s\S]*\/tenant\/id[\s\S]*\/services\/0/,
    );
    await rm(dir, { recursive: true });
  });

  it('checks the dates of a file as the API does: a real time off passes, 31 November does not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'time-off.yaml');
    const doc = (start: string) =>
      `tenant: { id: dated, name: Dated }\nresources: [{ id: r, kind: agent, name: R, serviceIds: [], siteIds: [], ` +
      `workingHours: { weekly: {} }, timeOff: [{ start: '${start}', end: '2030-12-02T00:00:00Z' }] }]\n`;
    await writeFile(file, doc('2030-12-01T00:00:00Z'));
    assert.equal((await readConfigurationFile(file)).length, 1);
    await writeFile(file, doc('2030-11-31T00:00:00Z'));
    await assert.rejects(readConfigurationFile(file), /\/resources\/0\/timeOff\/0\/start/);
    await rm(dir, { recursive: true });
  });

  it('applies a configuration over HTTP with the operator token only', async () => {
    const doc = {
      tenant: { id: 'http-tenant', name: 'Over HTTP' },
      sites: [{ id: 's', name: 'S', timeZone: 'America/New_York' }],
      services: [{ id: 'v', name: 'V', durationMin: 30, slotPolicy: { kind: 'grid', stepMin: 30 } }],
      resources: [
        {
          id: 'r',
          kind: 'agent',
          name: 'R',
          serviceIds: ['v'],
          siteIds: ['s'],
          workingHours: { weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
        },
      ],
    };
    const first = await t.app.inject({
      method: 'PUT',
      url: '/admin/v1/configuration',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: doc,
    });
    assert.equal(first.statusCode, 200, first.body);
    assert.match(first.json().newApiKey, /^http-tenant\./);
    const second = await t.app.inject({
      method: 'PUT',
      url: '/admin/v1/configuration',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: doc,
    });
    assert.equal(second.json().newApiKey, null);
    const asTenant = await t.app.inject({
      method: 'PUT',
      url: '/admin/v1/configuration',
      headers: { authorization: `Bearer ${first.json().newApiKey}` },
      payload: doc,
    });
    assert.equal(asTenant.statusCode, 403);
  });
});
