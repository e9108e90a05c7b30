/** Find all: the paged shape, filters (organizerId for SUPERVISOR only, duration, range), sort, and an AGENT's view. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin } from '../../helpers/test-app.ts';
import {
  AGENTS,
  assertSameShape,
  assertSpringError,
  createVideoCallTest,
  fixture,
  type VideoCallTest,
} from './video-call.helpers.ts';

describe('video-call API: find all', () => {
  let t: VideoCallTest;
  let supervisor: string;
  const ids: string[] = [];
  before(async () => {
    t = await createVideoCallTest();
    supervisor = await t.token('SUPERVISOR', { sub: 'sup-1' });
    for (const start of ['2030-01-31T19:00:00.000Z', '2030-01-31T19:05:00.000Z', '2030-01-31T19:10:00.000Z'])
      ids.push((await t.book({ start })).id);
    // A call deleted, and an appointment of another API: neither is found.
    await t.core.booking.changeStatus(admin, t.tenantId, ids.pop()!, { to: 'cancelled' });
  });
  after(() => t.close());

  it('pages in the documented shape, from page 1', async () => {
    const r = await t.call('GET', '/api/appointments/?pageSize=1&pageNumber=2', { token: supervisor });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assertSameShape(r.body, fixture('find-all.response'));
    assert.deepEqual(
      { ...r.body, content: r.body.content.map((a: { id: string }) => a.id) },
      { content: [ids[1]], pageCount: 2, pageNumber: 2, pageSize: 1, sortField: 'start', sortOrder: 'asc', total: 2 },
    );
  });

  it('sorts by start, end, duration or id, both ways', async () => {
    const r = await t.call('GET', '/api/appointments/?sortField=end&sortOrder=desc', { token: supervisor });
    assert.deepEqual(
      r.body.content.map((a: { id: string }) => a.id),
      [ids[1], ids[0]],
    );
    const byId = await t.call('GET', '/api/appointments/?sortField=id', { token: supervisor });
    assert.deepEqual(
      byId.body.content.map((a: { id: string }) => a.id),
      [...ids].sort(),
    );
    assertSpringError(
      await t.call('GET', '/api/appointments/?sortField=title', { token: supervisor }),
      400,
      '/api/appointments/',
    );
  });

  it('filters by duration and by range (wholly inside, UTC)', async () => {
    const five = await t.call('GET', '/api/appointments/?duration=PT5M,PT10M', { token: supervisor });
    assert.equal(five.body.total, 2);
    assert.equal((await t.call('GET', '/api/appointments/?duration=PT10M', { token: supervisor })).body.total, 0);
    const range = await t.call('GET', '/api/appointments/?range=2030-01-31T19:00:00Z,2030-01-31T19:05:00Z', {
      token: supervisor,
    });
    assert.deepEqual(
      range.body.content.map((a: { id: string }) => a.id),
      [ids[0]],
    );
    assertSpringError(
      await t.call('GET', '/api/appointments/?range=yesterday', { token: supervisor }),
      400,
      '/api/appointments/',
    );
    assertSpringError(
      await t.call('GET', '/api/appointments/?duration=P1M', { token: supervisor }),
      400,
      '/api/appointments/',
    );
  });

  it('honours organizerId for a SUPERVISOR only', async () => {
    const a = await t.core.booking.getAppointment(admin, t.tenantId, ids[0]);
    const organizer = (a.attributes['video-call'] as { organizer: { id: string } }).organizer.id;
    const sup = await t.call('GET', `/api/appointments/?organizerId=${organizer},other`, { token: supervisor });
    assert.deepEqual(
      sup.body.content.map((x: { id: string }) => x.id),
      [ids[0]],
    );
    const cs = await t.call('GET', `/api/appointments/?organizerId=${organizer}`, {
      token: await t.token('CLIENT_SERVICE'),
    });
    assert.equal(cs.body.total, 2, 'ignored for CLIENT_SERVICE');
  });

  it('shows an AGENT only the calls assigned to them or that they take part in', async () => {
    const [first, second] = await Promise.all(ids.map((id) => t.core.booking.getAppointment(admin, t.tenantId, id)));
    for (const agentId of AGENTS) {
      const r = await t.call('GET', '/api/appointments/', { token: await t.token('AGENT', { sub: agentId }) });
      const expected = [first, second].filter((a) => a.resourceId === agentId).map((a) => a.id);
      assert.deepEqual(
        r.body.content.map((x: { id: string }) => x.id),
        expected,
        agentId,
      );
    }
    const stranger = await t.call('GET', '/api/appointments/', { token: await t.token('AGENT', { sub: 'agent-x' }) });
    assert.equal(stranger.body.total, 0);
    await t.core.booking.addParticipant(admin, t.tenantId, first.id, { participant: { role: 'agent', id: 'agent-x' } });
    const joined = await t.call('GET', '/api/appointments/', { token: await t.token('AGENT', { sub: 'agent-x' }) });
    assert.deepEqual(
      joined.body.content.map((x: { id: string }) => x.id),
      [first.id],
    );
  });
});
