/** Every appointment operation of the video-call API over HTTP, with the document's examples as fixtures. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin, createTestApp } from '../../helpers/test-app.ts';
import {
  AGENTS,
  assertSameShape,
  assertSpringError,
  createVideoCallTest,
  fixture,
  START,
  type VideoCallTest,
} from './video-call.helpers.ts';

describe('video-call API: appointments', () => {
  let t: VideoCallTest;
  let agent: string;
  let supervisor: string;
  let clientService: string;
  before(async () => {
    t = await createVideoCallTest();
    agent = await t.token(['ROLE_AGENT']);
    supervisor = await t.token(['ROLE_SUPERVISOR'], { sub: 'sup-1' });
    clientService = await t.token('CLIENT_SERVICE', { sub: 'cs-1' });
  });
  after(() => t.close());

  it('finds a call by id in the documented shape', async () => {
    const a = await t.book();
    const r = await t.call('GET', `/api/appointments/${a.id}`, { token: agent });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assertSameShape(r.body, fixture('appointment.response'));
    assert.equal(r.body.start, START);
    assert.equal(r.body.end, '2030-01-31T19:05:00.000Z');
    assert.equal(r.body.duration, 'PT5M');
    assert.equal(r.body.applicationId, t.application.id);
    assert.equal(r.body.title, 'Product installation review');
    assert.equal(r.body.organizer.type, 'CUSTOMER');
    assert.deepEqual(
      r.body.participantIds.map((p: { type: string }) => p.type),
      ['CUSTOMER', 'AGENT'],
    );
    assert.ok(AGENTS.includes(r.body.participantIds[1].id));
    assert.deepEqual(r.body.interaction, fixture('appointment.response').interaction);
    assert.deepEqual(r.body.notifications, t.application.notifications, 'the application’s templates, snapshotted');
    assert.equal(r.body.notificationsActive, true);
  });

  it('assigns the free agent with the fewest calls that day first (ties by id)', async () => {
    const agents = [];
    for (const start of ['09:00', '09:30', '10:00', '10:30', '11:00'])
      agents.push((await t.book({ start: `2030-02-05T${start}:00.000Z` })).resourceId);
    const [first, second] = [...AGENTS].sort();
    assert.deepEqual(agents, [first, second, first, second, first]);
    // At a time one agent is busy, the other takes it whatever the day's counts.
    const busy = (await t.book({ start: '2030-02-05T12:00:00.000Z' })).resourceId;
    assert.equal(busy, second);
    assert.equal((await t.book({ start: '2030-02-05T12:00:00.000Z' })).resourceId, first);
  });

  it('updates title, notes, metadata and interaction with replace semantics', async () => {
    const a = await t.book({ start: '2030-01-31T19:10:00.000Z' });
    const body = { ...fixture('update.request'), id: a.id, title: 'Second review', metadata: { ref: 1 } };
    const r = await t.call('PUT', '/api/appointments/', { token: clientService, body });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.title, 'Second review');
    assert.deepEqual(r.body.metadata, { ref: 1 });
    const cleared = await t.call('PUT', '/api/appointments/', { token: agent, body: { id: a.id, notes: '' } });
    assert.equal(cleared.status, 200);
    assert.equal(cleared.body.title, null, 'absent is cleared');
    assert.equal(cleared.body.notes, null, 'empty is cleared');
    assert.equal(cleared.body.interaction, null);
    assert.equal(cleared.body.start, '2030-01-31T19:10:00.000Z', 'the time is not touched');
  });

  it('reschedules keeping the agent when free, else another; none free is a 409', async () => {
    const a = await t.book({ start: '2030-01-31T20:00:00.000Z' });
    const body = { ...fixture('reschedule.request'), id: a.id, start: '2030-01-31T20:30:00.000Z' };
    const moved = await t.call('PUT', '/api/appointments/reschedule/', { token: supervisor, body });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.start, '2030-01-31T20:30:00.000Z');
    assert.equal(moved.body.locale, 'en-GB');
    assert.equal(moved.body.participantIds[1].id, a.resourceId, 'same agent');
    // Its agent busy at 20:40: the other agent takes it.
    const other = await t.book({ start: '2030-01-31T20:40:00.000Z' });
    const busy = await t.book({ start: '2030-01-31T20:40:00.000Z' });
    assert.notEqual(other.resourceId, busy.resourceId);
    const b = await t.book({ start: '2030-01-31T20:50:00.000Z' });
    const full = await t.call('PUT', '/api/appointments/reschedule/', {
      token: agent,
      body: { id: b.id, start: '2030-01-31T20:40:00.000Z' },
    });
    assertSpringError(full, 409, '/api/appointments/reschedule/');
    const c = await t.call('PUT', '/api/appointments/reschedule/', {
      token: agent,
      body: { id: a.id, start: '2030-01-31T18:00:00.000Z', duration: 'PT10M' },
    });
    assertSpringError(c, 400, '/api/appointments/reschedule/');
    assert.match(c.body.message, /end does not match/);
    const grid = await t.call('PUT', '/api/appointments/reschedule/', {
      token: agent,
      body: { id: a.id, start: '2030-01-31T21:02:00.000Z' },
    });
    assertSpringError(grid, 400, '/api/appointments/reschedule/');
  });

  it('reassigns to a free agent, and refuses a busy one with 409', async () => {
    const a = await t.book({ start: '2030-02-01T10:00:00.000Z' });
    const other = AGENTS.find((x) => x !== a.resourceId)!;
    const r = await t.call('PUT', '/api/appointments/reassign/', { token: agent, body: { id: a.id, userId: other } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.participantIds.at(-1), { id: other, type: 'AGENT' });
    const b = await t.book({ start: '2030-02-01T10:00:00.000Z' });
    assert.equal(b.resourceId, a.resourceId, 'the freed agent took the second call');
    const busy = await t.call('PUT', '/api/appointments/reassign/', {
      token: supervisor,
      body: { id: b.id, userId: other },
    });
    assertSpringError(busy, 409, '/api/appointments/reassign/');
  });

  it('adds an agent (409 when already there) and a customer, gets and removes participants', async () => {
    const a = await t.book({ start: '2030-02-01T11:00:00.000Z' });
    const other = AGENTS.find((x) => x !== a.resourceId)!;
    const added = await t.call('POST', '/api/appointments/participants/agents/', {
      token: agent,
      body: { id: a.id, userId: other },
    });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.equal(added.body.participantIds.length, 3);
    for (const userId of [other, a.resourceId]) {
      const again = await t.call('POST', '/api/appointments/participants/agents/', {
        token: supervisor,
        body: { id: a.id, userId },
      });
      assertSpringError(again, 409, '/api/appointments/participants/agents/');
    }
    const notAgent = await t.call('POST', '/api/appointments/participants/agents/', {
      token: agent,
      body: { id: a.id, userId: 'nobody' },
    });
    assertSpringError(notAgent, 400, '/api/appointments/participants/agents/');

    const body = { ...fixture('add-customer.request'), id: a.id };
    const withCustomer = await t.call('POST', '/api/appointments/participants/customers/', { token: agent, body });
    assert.equal(withCustomer.status, 200, JSON.stringify(withCustomer.body));
    const pid = withCustomer.body.participantIds.filter((p: { type: string }) => p.type === 'CUSTOMER')[1].id;
    const details = await t.call('GET', `/api/appointments/${a.id}/participants/${pid}`, { token: supervisor });
    assert.equal(details.status, 200);
    assert.deepEqual(details.body, { ...fixture('participant.response'), id: pid });
    const agentDetails = await t.call('GET', `/api/appointments/${a.id}/participants/${other}`, { token: agent });
    assert.deepEqual(agentDetails.body, { id: other, type: 'AGENT' });

    const removed = await t.call('DELETE', `/api/appointments/${a.id}/participants/${pid}`, { token: agent });
    assert.equal(removed.status, 200);
    assert.equal(removed.body.participantIds.length, 3);
    const gone = await t.call('GET', `/api/appointments/${a.id}/participants/${pid}`, { token: agent });
    assertSpringError(gone, 404, `/api/appointments/${a.id}/participants/${pid}`);
    const owner = await t.call('DELETE', `/api/appointments/${a.id}/participants/${a.resourceId}`, { token: agent });
    assertSpringError(owner, 400, `/api/appointments/${a.id}/participants/${a.resourceId}`);
  });

  it('ends a call (completed, interaction ENDED); ending again is a 400', async () => {
    const a = await t.book({ start: '2030-02-01T12:00:00.000Z' });
    const r = await t.call('PUT', `/api/appointments/${a.id}/end`, { token: agent });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.interaction.state, 'ENDED');
    assert.equal((await t.core.booking.getAppointment(admin, t.tenantId, a.id)).status, 'completed');
    assertSpringError(
      await t.call('PUT', `/api/appointments/${a.id}/end`, { token: agent }),
      400,
      `/api/appointments/${a.id}/end`,
    );
  });

  it('deletes (cancels in the core, with its history); the API no longer finds it', async () => {
    const a = await t.book({ start: '2030-02-01T13:00:00.000Z' });
    const r = await t.call('DELETE', `/api/appointments/${a.id}`, { token: clientService });
    assert.equal(r.status, 204);
    const core = await t.core.booking.getAppointment(admin, t.tenantId, a.id);
    assert.equal(core.status, 'cancelled');
    const history = await t.core.booking.getHistory(admin, t.tenantId, a.id);
    assert.equal(history.items.at(-1)?.type, 'appointment.status_changed');
    assertSpringError(
      await t.call('GET', `/api/appointments/${a.id}`, { token: agent }),
      404,
      `/api/appointments/${a.id}`,
    );
    assertSpringError(
      await t.call('DELETE', `/api/appointments/${a.id}`, { token: agent }),
      404,
      `/api/appointments/${a.id}`,
    );
  });

  it('answers every error in the Spring Boot body: validation, unknown route, bad JSON, no credentials', async () => {
    assertSpringError(await t.call('GET', '/api/nothing/here', { token: agent }), 404, '/api/nothing/here');
    assertSpringError(await t.call('GET', '/api/appointments/x', {}), 401, '/api/appointments/x');
    const bad = await t.call('PUT', '/api/appointments/', { token: agent, body: { title: 5 } });
    assertSpringError(bad, 400, '/api/appointments/');
    assert.match(bad.body.message, /id is required/);
    const json = await t.app.inject({
      method: 'PUT',
      url: '/api/appointments/',
      headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
      payload: '{"id":',
    });
    assertSpringError({ status: json.statusCode, body: json.json() }, 400, '/api/appointments/');
    const unknownRole = await t.call('GET', '/api/appointments/', { token: await t.token(['ROLE_WIZARD']) });
    assertSpringError(unknownRole, 401, '/api/appointments/');
  });
});

describe('video-call API: 503', { timeout: 60_000 }, () => {
  it('answers 503 with Retry-After in the Spring Boot body when the service sheds load', async () => {
    // Any heap is over a 1-byte limit: the first sample puts the service under pressure.
    const t = await createTestApp({ security: { pressure: { maxHeapUsedBytes: 1, sampleIntervalMs: 10 } } });
    try {
      while (!t.app.isUnderPressure()) await new Promise((r) => setTimeout(r, 10));
      const r = await t.app.inject('/api/appointments/x');
      assert.equal(r.headers['retry-after'], '10');
      assertSpringError({ status: r.statusCode, body: r.json() }, 503, '/api/appointments/x');
      assert.equal(r.json().error, 'Service Unavailable');
    } finally {
      await t.close();
    }
  });
});
