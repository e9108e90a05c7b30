/**
 * Every role × every operation: the roles the document lists ("Required authorization") pass, a valid
 * token without one of them is a 403, no credentials or bad ones a 401; the public operations answer
 * anyone. A tenant API key acts as SUPERVISOR, CLIENT_SERVICE and ADMIN.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Appointment } from '../../../src/core/types.ts';
import { AGENTS, createVideoCallTest, fixture, type VideoCallTest } from './video-call.helpers.ts';

type Role = 'AGENT' | 'SUPERVISOR' | 'CLIENT_SERVICE' | 'ADMIN' | 'CUSTOMER';
const ROLES: Role[] = ['AGENT', 'SUPERVISOR', 'CLIENT_SERVICE', 'ADMIN', 'CUSTOMER'];
const PUBLIC = 'public';

interface Operation {
  name: string;
  allowed: Role[] | typeof PUBLIC;
  request(a: Appointment, appId: string): { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; body?: unknown };
}

const customerPid = (a: Appointment) => a.participants.find((p) => p.role === 'customer')!.id;
const otherAgent = (a: Appointment) => AGENTS.find((x) => x !== a.resourceId)!;

const OPERATIONS: Operation[] = [
  {
    name: 'find all',
    allowed: ['AGENT', 'SUPERVISOR', 'CLIENT_SERVICE'],
    request: () => ({ method: 'GET', url: '/api/appointments/' }),
  },
  {
    name: 'find',
    allowed: ['AGENT', 'SUPERVISOR', 'CUSTOMER', 'CLIENT_SERVICE'],
    request: (a) => ({ method: 'GET', url: `/api/appointments/${a.id}` }),
  },
  {
    name: 'update',
    allowed: ['AGENT', 'SUPERVISOR', 'CLIENT_SERVICE'],
    request: (a) => ({ method: 'PUT', url: '/api/appointments/', body: { ...fixture('update.request'), id: a.id } }),
  },
  {
    name: 'delete',
    allowed: ['AGENT', 'SUPERVISOR', 'CLIENT_SERVICE'],
    request: (a) => ({ method: 'DELETE', url: `/api/appointments/${a.id}` }),
  },
  { name: 'end', allowed: ['AGENT'], request: (a) => ({ method: 'PUT', url: `/api/appointments/${a.id}/end` }) },
  {
    name: 'delete participant',
    allowed: ['AGENT', 'SUPERVISOR'],
    request: (a) => ({ method: 'DELETE', url: `/api/appointments/${a.id}/participants/${customerPid(a)}` }),
  },
  {
    name: 'get participant',
    allowed: ['AGENT', 'SUPERVISOR', 'CUSTOMER'],
    request: (a) => ({ method: 'GET', url: `/api/appointments/${a.id}/participants/${customerPid(a)}` }),
  },
  {
    name: 'activate',
    allowed: ['CLIENT_SERVICE'],
    request: (a) => ({ method: 'POST', url: `/api/appointments/activate/${a.id}` }),
  },
  {
    name: 'eligible',
    allowed: ['CLIENT_SERVICE'],
    request: () => ({ method: 'GET', url: '/api/appointments/eligible/?timeFrame=PT1H' }),
  },
  {
    name: 'add agent',
    allowed: ['AGENT', 'SUPERVISOR'],
    request: (a) => ({
      method: 'POST',
      url: '/api/appointments/participants/agents/',
      body: { id: a.id, userId: otherAgent(a) },
    }),
  },
  {
    name: 'add customer',
    allowed: ['AGENT', 'SUPERVISOR'],
    request: (a) => ({
      method: 'POST',
      url: '/api/appointments/participants/customers/',
      body: { ...fixture('add-customer.request'), id: a.id },
    }),
  },
  {
    name: 'reassign',
    allowed: ['AGENT', 'SUPERVISOR'],
    request: (a) => ({ method: 'PUT', url: '/api/appointments/reassign/', body: { id: a.id, userId: otherAgent(a) } }),
  },
  {
    name: 'reschedule',
    allowed: ['AGENT', 'SUPERVISOR', 'CLIENT_SERVICE'],
    request: (a) => ({
      method: 'PUT',
      url: '/api/appointments/reschedule/',
      body: {
        ...fixture('reschedule.request'),
        id: a.id,
        start: new Date(a.start!.getTime() + 86_400_000).toISOString(),
      },
    }),
  },
  {
    name: 'confirm sender',
    allowed: ['ADMIN'],
    request: (_a, appId) => ({
      method: 'POST',
      url: '/api/notifications/emails/confirm',
      body: { applicationId: appId, code: '123456' },
    }),
  },
  {
    name: 'test e-mail',
    allowed: ['ADMIN'],
    request: (_a, appId) => ({
      method: 'POST',
      url: '/api/notifications/emails/test',
      body: { ...fixture('test-email.request'), applicationId: appId },
    }),
  },
  {
    name: 'count',
    allowed: PUBLIC,
    request: (a, appId) => ({
      method: 'GET',
      url: `/api/appointments/count?applicationId=${appId}&start=${a.start!.toISOString()}&timeFrame=PT1H`,
    }),
  },
  {
    name: 'overlap count',
    allowed: PUBLIC,
    request: (a, appId) => ({
      method: 'GET',
      url: `/api/appointments/overlap/count?applicationId=${appId}&start=${a.start!.toISOString()}&duration=PT5M`,
    }),
  },
  {
    name: 'google event',
    allowed: PUBLIC,
    request: (a) => ({ method: 'GET', url: `/api/cal/events/google/${a.id}/event` }),
  },
  {
    name: 'ical event',
    allowed: PUBLIC,
    request: (a) => ({ method: 'GET', url: `/api/cal/events/ical/${a.id}/event` }),
  },
];

describe('video-call API: every role × every operation', () => {
  let t: VideoCallTest;
  let apiKey: string;
  let slot = 0;
  /** A fresh call for each case: what one case changes never decides another's answer. */
  const fresh = () => {
    const start = new Date(Date.parse('2030-01-31T08:00:00Z') + Math.floor(slot++ / 2) * 300_000);
    return t.book({ start: start.toISOString() });
  };
  before(async () => {
    t = await createVideoCallTest();
    apiKey = await t.apiKeyFor(t.tenantId);
  });
  after(() => t.close());

  /** Passed the role check: whatever the operation then answers (a test send without SMTP is a 503). */
  const passed = (status: number) => status !== 401 && status !== 403 && (status < 500 || status === 503);
  const send = async (op: Operation, a: Appointment, authorization: string | null) => {
    const req = op.request(a, t.application.id);
    const res = await t.app.inject({
      method: req.method,
      url: req.url,
      headers: authorization ? { authorization } : {},
      ...(req.body ? { payload: req.body as object } : {}),
    });
    return res.statusCode;
  };

  for (const op of OPERATIONS) {
    it(`${op.name}: ${op.allowed === PUBLIC ? 'anyone' : op.allowed.join(', ')}`, async () => {
      for (const role of ROLES) {
        const a = await fresh();
        const token = await t.token([`ROLE_${role}`], role === 'CUSTOMER' ? { sub: 'cust-1', conferenceId: a.id } : {});
        const status = await send(op, a, `Bearer ${token}`);
        const allowed = op.allowed === PUBLIC || op.allowed.includes(role);
        if (allowed) assert.ok(passed(status), `${role}: ${status}`);
        else assert.equal(status, 403, `${role} is refused`);
      }
      const a = await fresh();
      const keyStatus = await send(op, a, `Bearer ${apiKey}`);
      const keyAllowed =
        op.allowed === PUBLIC || op.allowed.some((r) => ['SUPERVISOR', 'CLIENT_SERVICE', 'ADMIN'].includes(r));
      if (keyAllowed) assert.ok(passed(keyStatus), `API key: ${keyStatus}`);
      else assert.equal(keyStatus, 403, 'API key is refused');
      for (const authorization of [null, 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.bad', 'Bearer not-a-key']) {
        const status = await send(op, await fresh(), authorization);
        if (op.allowed === PUBLIC) assert.ok(status < 400 || status === 404, `${authorization}: ${status}`);
        else assert.equal(status, 401, `${authorization ?? 'no credentials'}: 401`);
      }
    });
  }

  it('schedule as customer: a bearer token is no OTP credential (401)', async () => {
    for (const role of ROLES) {
      const r = await t.call('POST', '/api/appointments/basic', {
        token: await t.token(role),
        body: { ...fixture('schedule.request'), applicationId: t.application.id },
      });
      assert.equal(r.status, 401, role);
    }
  });

  it('a CUSTOMER token reads only the call of its conferenceId', async () => {
    const mine = await fresh();
    const other = await fresh();
    const token = await t.token('CUSTOMER', { sub: 'cust-1', conferenceId: mine.id });
    assert.equal((await t.call('GET', `/api/appointments/${mine.id}`, { token })).status, 200);
    assert.equal((await t.call('GET', `/api/appointments/${other.id}`, { token })).status, 404);
    const pid = other.participants[0].id;
    assert.equal((await t.call('GET', `/api/appointments/${other.id}/participants/${pid}`, { token })).status, 404);
    const none = await t.token('CUSTOMER', { sub: 'cust-1' });
    assert.equal((await t.call('GET', `/api/appointments/${mine.id}`, { token: none })).status, 404);
  });
});
