import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { runServerExpectingFailure, startServer, waitForLine, type ServerProcess } from '../helpers/server-process.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../src/api/field-service/examples/${name}.json`, import.meta.url), 'utf8'));

const keyOf = (lines: string[], tenant: string) => {
  const line = lines.find((l) => l.includes(`API key for tenant ${tenant}:`));
  return line ? (JSON.parse(line) as { apiKey: string }).apiKey : null;
};

describe('the server process, as `npm start` runs it', () => {
  let dir: string;
  let server: ServerProcess;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sched-e2e-'));
    server = await startServer({ DATA_DIR: dir, ADMIN_TOKEN: 'e2e-admin-token-0123456789' });
  });
  after(async () => {
    server.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'starts on an empty embedded database with the demo ' + 'tenants and prints each key once, naming the tenant',
    async () => {
      for (const tenant of ['masmovil', 'contact-center', 'branch-bank'])
        assert.match(keyOf(server.lines, tenant) ?? '', new RegExp(`^${tenant}\\.`));
      const health = await fetch(`${server.baseUrl}/health`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok', database: 'pglite' });
    },
  );

  it("answers a tenant's slot search with its printed key, and logs JSON lines with a request id", async () => {
    const res = await fetch(
      `${server.baseUrl}/admin/v1/tenants/masmovil/slots?serviceIds=installation&postalCode=28036` +
        '&from=2030-03-05T00:00:00Z&to=2030-03-06T00:00:00Z',
      { headers: { authorization: `Bearer ${keyOf(server.lines, 'masmovil')}`, 'x-request-id': 'trace-me-123' } },
    );
    // 2030 is beyond the demo horizon: a valid, empty answer.
    assert.equal(res.status, 200);
    assert.deepEqual((await res.json()).slots, []);
    const requestLine = await waitForLine(server, (l) => l.includes('trace-me-123'));
    assert.equal(JSON.parse(requestLine).reqId, 'trace-me-123');
    assert.equal(JSON.parse(requestLine).statusCode, 200, 'one line per request, with its status');
  });

  it('books a demo technician through the field-service API with the documented example, a week ahead', async () => {
    const headers = { authorization: `Bearer ${keyOf(server.lines, 'masmovil')}`, 'content-type': 'application/json' };
    // The real clock runs this process: ask for the whole day a week from now.
    const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const search = {
      ...fixture('tmf-search.request'),
      requestedTimeSlot: [{ validFor: { startDateTime: `${day}T00:00:00Z`, endDateTime: `${day}T23:59:59Z` } }],
    };
    const found = await fetch(`${server.baseUrl}/v1/orgs/masmovil/appointments/searchTimeSlot`, {
      method: 'POST',
      headers,
      body: JSON.stringify(search),
    });
    assert.equal(found.status, 200);
    const windows = (await found.json()).availableTimeSlot;
    assert.ok(windows.length > 0, 'the demo territory of the example address has windows');
    const create = { ...fixture('tmf-create.request'), id: `E2E_${day}`, validFor: windows[0].validFor };
    const created = await fetch(`${server.baseUrl}/v1/orgs/masmovil/appointments`, {
      method: 'POST',
      headers,
      body: JSON.stringify(create),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const read = await fetch(`${server.baseUrl}/v1/orgs/masmovil/appointments/E2E_${day}`, { headers });
    const booked = (await read.json()).validFor;
    assert.equal(Date.parse(booked.startDateTime), Date.parse(windows[0].validFor.startDateTime));
  });

  it('serves the OpenAPI document and the docs UI', async () => {
    const doc = await (await fetch(`${server.baseUrl}/openapi.json`)).json();
    assert.ok(Object.keys(doc.paths).some((p) => p.startsWith('/admin/v1/tenants')));
    assert.ok(Object.keys(doc.paths).some((p) => p.startsWith('/v1/orgs/{org}/appointments')));
    assert.equal((await fetch(`${server.baseUrl}/docs/`)).status, 200);
  });

  it('shuts down gracefully on SIGTERM, and keeps its data for the next start', async () => {
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    assert.ok(server.lines.some((l) => l.includes('shutting down')));
    const oldKey = keyOf(server.lines, 'masmovil');
    server = await startServer({ DATA_DIR: dir });
    assert.equal(keyOf(server.lines, 'masmovil'), null, 'no new demo data, no new key');
    const res = await fetch(`${server.baseUrl}/admin/v1/tenants/masmovil/sites`, {
      headers: { authorization: `Bearer ${oldKey}` },
    });
    assert.equal(res.status, 200, await res.text());
  });
});

describe('a bad configuration', () => {
  it('stops the process with a message naming every bad key', async () => {
    const { code, output } = await runServerExpectingFailure({ PORT: 'x', DATABASE_URL: 'nope', LOG_LEVEL: 'chatty' });
    assert.equal(code, 2);
    for (const key of ['PORT', 'DATABASE_URL', 'LOG_LEVEL']) assert.match(output, new RegExp(key));
  });
});
