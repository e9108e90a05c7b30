/**
 * End to end: changes made through the field-service Appointments API reach real receivers on
 * loopback through the outbox (no test feeder): each once, in order, in seed 003's words, with the
 * request's x-request-id as correlationId and a signature the `standardwebhooks` library verifies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { Webhook } from 'standardwebhooks';
import {
  createFieldServiceTest,
  fixture,
  type FieldServiceTest,
  type Json,
} from '../api/field-service/field-service.helpers.ts';
import { admin, ADMIN_TOKEN } from '../helpers/test-app.ts';
import { drain, eventIds, loopbackPublisher, startReceiver } from './webhook-helpers.ts';

const TMF = '/v1/orgs/masmovil/appointments';
const MADRID = {
  href: 'https://gescal37/geographicAddress/28000010025000026',
  id: '28000010025000026 002D',
  role: 'interventionAddress',
};

describe('webhooks of changes made through the field-service API', () => {
  let t: FieldServiceTest;
  const closers: Array<() => Promise<void>> = [];
  // The real time (signatures are checked against the wall clock), windows a few days ahead.
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const window = (days: number, hour: number) => {
    const start = DateTime.fromJSDate(now)
      .setZone('Europe/Madrid')
      .plus({ days })
      .set({ hour, minute: 0, second: 0, millisecond: 0 });
    return {
      startDateTime: start.toUTC().toISO({ suppressMilliseconds: true }),
      endDateTime: start.plus({ hours: 2 }).toUTC().toISO({ suppressMilliseconds: true }),
    };
  };

  before(async () => {
    t = await createFieldServiceTest({ technicians: 2, now, allowPrivateWebhooks: true });
  });
  after(async () => {
    for (const c of closers) await c();
    await t.close();
  });

  const worker = () => loopbackPublisher(t).worker;
  const receiver = async () => {
    const r = await startReceiver();
    closers.push(r.close);
    return r;
  };
  const subscribe = async (url: string, events?: string[]) => {
    const res = await t.inject({
      method: 'POST',
      url: '/admin/v1/tenants/masmovil/webhooks',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { url, ...(events ? { events } : {}) },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; secret: string };
  };
  const send = async (method: 'POST' | 'PATCH', url: string, body: Json, requestId: string) => {
    const res = await t.inject({
      method,
      url,
      headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json', 'x-request-id': requestId },
      payload: JSON.stringify(body),
    });
    return { status: res.statusCode, body: JSON.parse(res.body) };
  };
  const create = (id: string, validFor: Json): Json => ({
    ...fixture('tmf-create.request'),
    id,
    externalId: id,
    validFor,
  });
  const unsubscribeAll = () =>
    t.db.query("UPDATE webhook_subscriptions SET active = false WHERE tenant_id = 'masmovil'");

  it(
    'a booking, a reschedule, a reassign, a cancellation and a reopening arrive once each, in order, signed, with ' +
      'the request ids',
    async () => {
      const all = await receiver();
      const cancels = await receiver();
      const sub = await subscribe(all.url);
      await subscribe(cancels.url, ['CANCEL']);
      const first = window(4, 9);
      const later = window(4, 11);
      const steps: Array<[string, 'POST' | 'PATCH', string, Json, number]> = [
        ['req-book', 'POST', TMF, create('WH_1', first), 201],
        ['req-move', 'PATCH', `${TMF}/WH_1`, { validFor: later }, 200],
        ['req-reassign', 'PATCH', `${TMF}/WH_1`, { relatedPlace: MADRID }, 200],
        ['req-cancel', 'PATCH', `${TMF}/WH_1`, { status: 'cancelled' }, 200],
        ['req-reopen', 'PATCH', `${TMF}/WH_1`, { status: 'accepted' }, 200],
      ];
      for (const [requestId, method, url, body, status] of steps) {
        const res = await send(method, url, body, requestId);
        assert.equal(res.status, status, `${requestId}: ${JSON.stringify(res.body)}`);
      }
      await drain(worker());

      const got = all.received.map((r) => r.body);
      // The new address is two steps of one transaction: the move (REASSIGN), then the address itself (GENERIC_UPDATE).
      assert.deepEqual(
        got.map((b) => b.data.eventType),
        ['CREATE', 'RESCHEDULE', 'REASSIGN', 'GENERIC_UPDATE', 'CANCEL', 'REOPEN'],
      );
      assert.deepEqual(
        got.map((b) => b.data.appointment.status),
        ['ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'CANCELLED', 'ACCEPTED'],
      );
      assert.deepEqual(
        got.map((b) => b.correlationId),
        ['req-book', 'req-move', 'req-reassign', 'req-reassign', 'req-cancel', 'req-reopen'],
      );
      assert.deepEqual(
        got.map((b) => b.id),
        await eventIds(t, 'masmovil', 'WH_1'),
        'once each, in order, with the outbox event ids',
      );
      for (const r of all.received) {
        assert.doesNotThrow(() => new Webhook(sub.secret).verify(r.raw, r.headers as Record<string, string>));
        assert.equal(r.headers['webhook-id'], r.body.id);
        assert.equal(r.body.webhookConfigurationId, sub.id);
        assert.equal(r.body.data.appointment.meetingType, 'ON_LOCATION');
        assert.equal(r.body.data.appointment.externalId, 'WH_1');
        assert.ok(!r.raw.includes('12345678T'), 'the document number is never sent');
      }
      const [created, moved, reassigned, , cancelled, reopened] = got.map((b) => b.data);
      const employee = (a: Json) => a.participants.find((p: Json) => p.type === 'EMPLOYEE')?.employee.id;
      assert.equal(created.previousAppointment, null);
      assert.equal(
        new Date(moved.previousAppointment.start).toISOString(),
        new Date(first.startDateTime!).toISOString(),
      );
      assert.equal(new Date(moved.appointment.start).toISOString(), new Date(later.startDateTime!).toISOString());
      assert.match(employee(reassigned.previousAppointment), /^alava-tech-/);
      assert.match(employee(reassigned.appointment), /^madrid-tech-/);
      assert.equal(reassigned.appointment.start, moved.appointment.start, 'same time');
      assert.equal(reassigned.appointment.office.id, 'madrid');
      assert.equal(cancelled.previousAppointment.status, 'ACCEPTED');
      assert.equal(reopened.previousAppointment.status, 'CANCELLED');

      assert.deepEqual(
        cancels.received.map((r) => [r.body.data.eventType, r.body.correlationId]),
        [['CANCEL', 'req-cancel']],
        'the CANCEL subscription gets only the cancellation',
      );
    },
  );

  it('a booking refused (its window full) sends nothing; the bookings before it arrive', async () => {
    await unsubscribeAll();
    const r = await receiver();
    await subscribe(r.url);
    const full = window(5, 15);
    for (const id of ['WH_2', 'WH_3'])
      assert.equal((await send('POST', TMF, create(id, full), `req-${id}`)).status, 201);
    const refused = await send('POST', TMF, create('WH_4', full), 'req-WH_4');
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    await drain(worker());
    // Different appointments are sent in parallel: no order between them.
    assert.deepEqual(r.received.map((q) => [q.body.data.appointment.id, q.body.correlationId]).sort(), [
      ['WH_2', 'req-WH_2'],
      ['WH_3', 'req-WH_3'],
    ]);
    assert.equal(
      (
        await t.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM appointment_events WHERE correlation_id = 'req-WH_4'",
        )
      ).rows[0].n,
      0,
    );
    await assert.rejects(t.core.booking.getAppointment(admin, 'masmovil', 'WH_4'));
  });
});
