import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { Logger } from '../../src/core/deps.ts';
import { claimDue } from '../../src/core/webhooks/delivery.repository.ts';
import { createWebhookPublisher } from '../../src/outbound/webhooks/webhook-publisher.ts';
import { admin, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { createScenario } from '../helpers/scenario.ts';
import { drain, eventIds, madrid, startReceiver } from './webhook-helpers.ts';

const silent: Logger = { info() {}, warn() {}, error() {} };
const T = 'acme';

describe('webhook delivery: real receivers on loopback', () => {
  let t: TestApp;
  const closers: Array<() => Promise<void>> = [];
  let day = 1;

  before(async () => {
    // The core and the worker share one settable clock that starts at the real time, so that
    // the receivers can verify signatures with the library's own (wall-clock) timestamp check.
    t = await createTestApp({ now: new Date(Math.floor(Date.now() / 1000) * 1000), allowPrivateWebhooks: true });
    await createScenario(t.core, {
      tenantId: T,
      resources: 2,
      service: { names: { es: 'Instalación', en: 'Installation' } },
    });
  });
  after(async () => {
    for (const c of closers) await c();
    await t.close();
  });

  const publisher = (
    o: { schedule?: number[]; timeoutMs?: number; allowPrivateNetworks?: boolean; pollIntervalMs?: number } = {},
  ) =>
    createWebhookPublisher({
      pollIntervalMs: o.pollIntervalMs,
      db: t.db,
      now: t.now,
      newId: randomUUID,
      log: silent,
      random: () => 0.5, // jitter factor exactly 1
      config: {
        retryScheduleMs: o.schedule ?? [1000, 1000],
        timeoutMs: o.timeoutMs ?? 2000,
        allowPrivateNetworks: o.allowPrivateNetworks ?? true,
      },
    });
  const receiver = async (answer?: Parameters<typeof startReceiver>[0]) => {
    const r = await startReceiver(answer);
    closers.push(r.close);
    return r;
  };
  const subscribe = (url: string, extra: { events?: string[] } = {}) =>
    t.core.webhooks.createSubscription(admin, T, { url, ...extra });
  const book = async (extra: Record<string, unknown> = {}, caller = admin) => {
    const { appointment } = await t.core.booking.createAppointment(caller, T, {
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start: madrid(t.now(), ++day, 9),
      resourceId: 'tech-1',
      ...extra,
    });
    return appointment;
  };
  const advance = (ms: number) => t.setNow(new Date(t.now().getTime() + ms));
  const deactivateAll = () => t.db.query('UPDATE webhook_subscriptions SET active = false');
  const deliveryRows = (subscriptionId: string) =>
    t.db
      .query<any>(
        'SELECT * FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY appointment_id, seq, created_at',
        [subscriptionId],
      )
      .then((r) => r.rows);

  it(
    'sends a booking, reschedule, reassign, cancellation and reopening once each, in order, signed, in the seed ' +
      'format',
    async () => {
      await deactivateAll();
      const all = await receiver();
      const cancelsOnly = await receiver();
      const sub = await subscribe(all.url);
      const cancelSub = await subscribe(cancelsOnly.url, { events: ['CANCEL'] });
      const { worker } = publisher();

      const caller = { ...admin, correlationId: 'req-42' };
      const a = await book(
        {
          customer: { name: 'Ana Pérez', email: 'ana@example.com', personalId: '12345678Z', language: 'es' },
          externalRef: 'WO-1',
        },
        caller,
      );
      const firstStart = a.start!;
      await t.core.booking.rescheduleAppointment(caller, T, a.id, { start: madrid(t.now(), day, 11) });
      await t.core.booking.reassignAppointment(caller, T, a.id, { resourceId: 'tech-2' });
      await t.core.booking.changeStatus(caller, T, a.id, { to: 'cancelled', reason: 'customer asked' });
      await t.core.booking.changeStatus(caller, T, a.id, { to: 'booked' });
      await drain(worker);

      assert.deepEqual(
        all.received.map((r) => r.body.data.eventType),
        ['CREATE', 'RESCHEDULE', 'REASSIGN', 'CANCEL', 'REOPEN'],
      );
      assert.deepEqual(
        all.received.map((r) => r.body.data.appointment.status),
        ['ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'CANCELLED', 'ACCEPTED'],
      );
      assert.deepEqual(
        all.received.map((r) => r.body.id),
        await eventIds(t, T, a.id),
      );
      for (const r of all.received) {
        assert.equal(r.headers['content-type'], 'application/json');
        assert.equal(r.headers['webhook-id'], r.body.id);
        assert.doesNotThrow(() => new Webhook(sub.secret).verify(r.raw, r.headers as Record<string, string>));
        assert.throws(() => new Webhook(cancelSub.secret).verify(r.raw, r.headers as Record<string, string>));
        assert.equal(r.body.correlationId, 'req-42');
        assert.equal(r.body.webhookConfigurationId, sub.id);
        assert.equal(r.body.entity, 'Appointment');
        assert.equal(r.body.version, '1');
        assert.ok(!r.raw.includes('12345678Z'), 'the personal identifier is never sent');
      }
      const [created, rescheduled, reassigned] = all.received.map((r) => r.body.data);
      assert.equal(created.previousAppointment, null);
      const appt = created.appointment;
      assert.equal(appt.id, a.id);
      assert.equal(appt.externalId, 'WO-1');
      assert.equal(appt.meetingType, 'OFFICE');
      assert.equal(appt.callbackRequest, false);
      assert.match(appt.start, /^\d{4}-\d\d-\d\dT09:00:00\+0[12]:00$/, 'local time with the site offset');
      assert.deepEqual(
        [...appt.subject.translations.name].sort((x: any, y: any) => x.language.localeCompare(y.language)),
        [
          { value: 'Installation', language: 'en' },
          { value: 'Instalación', language: 'es' },
        ],
      );
      assert.deepEqual(appt.office.translations.name, [{ value: 'Site 1', language: 'en' }]);
      assert.equal(appt.office.timeZone, 'Europe/Madrid');
      assert.deepEqual(appt.participants, [
        { role: 'PRIMARY', type: 'EMPLOYEE', employee: { id: 'tech-1', firstName: 'Technician 1', status: 'ACTIVE' } },
        {
          role: 'PRIMARY',
          type: 'CUSTOMER',
          customer: { id: a.customerId, firstName: 'Ana Pérez', email: 'ana@example.com', language: 'es' },
        },
      ]);
      assert.equal(new Date(rescheduled.previousAppointment.start).getTime(), firstStart.getTime());
      assert.match(rescheduled.appointment.start, /T11:00:00/);
      assert.deepEqual(reassigned.previousAppointment.participants, [
        { role: 'PRIMARY', type: 'EMPLOYEE', employee: { id: 'tech-1' } },
      ]);
      assert.equal(reassigned.appointment.participants[0].employee.id, 'tech-2');

      assert.deepEqual(
        cancelsOnly.received.map((r) => r.body.data.eventType),
        ['CANCEL'],
      );
      const rows = await deliveryRows(sub.id);
      assert.deepEqual(
        rows.map((d: any) => [d.seq, d.status, d.attempts, d.last_response_status]),
        [1, 2, 3, 4, 5].map((s) => [s, 'delivered', 1, 200]),
      );
    },
  );

  it('runs as a loop that a kick wakes at once, and stops cleanly', { timeout: 20_000 }, async () => {
    await deactivateAll();
    let arrived!: (id: string) => void;
    const arrival = new Promise<string>((resolve) => (arrived = resolve));
    const r = await receiver((req) => (arrived(req.body.data.appointment.id), 200));
    await subscribe(r.url);
    const { worker } = publisher({ pollIntervalMs: 3_600_000 });
    worker.start();
    try {
      const a = await book();
      worker.kick();
      assert.equal(await arrival, a.id);
    } finally {
      await worker.stop();
    }
  });

  it('keeps sending to others while a receiver holds a request open (no head-of-line blocking in the loop)', {
    timeout: 20_000,
  }, async () => {
    await deactivateAll();
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const slow = await receiver(() => (held(), 'hang'));
    await subscribe(slow.url);
    const { worker } = publisher({ pollIntervalMs: 3_600_000, timeoutMs: 600_000 });
    worker.start();
    try {
      await book();
      worker.kick();
      await holding;
      await deactivateAll();
      let arrived!: (id: string) => void;
      const arrival = new Promise<string>((resolve) => (arrived = resolve));
      const fast = await receiver((req) => (arrived(req.body.data.appointment.id), 200));
      await subscribe(fast.url);
      const b = await book();
      worker.kick();
      // Before the held request's 10-minute timeout: the test's own timeout would fail it first.
      assert.equal(await arrival, b.id);
      assert.equal(slow.received.length, 1);
    } finally {
      await slow.close();
      await worker.stop();
      // Its delivery, still pending, would count in the later tests' "nothing pending".
      await t.db.query('DELETE FROM webhook_subscriptions WHERE url = $1', [slow.url]);
    }
  });

  it('holds the deliveries of a paused subscription and sends them when it is active again', async () => {
    await deactivateAll();
    const r = await receiver();
    const sub = await subscribe(r.url);
    const { worker } = publisher();
    const a = await book();
    await t.core.webhooks.updateSubscription(admin, T, sub.id, { active: false });
    await drain(worker);
    assert.equal(r.received.length, 0);
    await t.core.webhooks.updateSubscription(admin, T, sub.id, { active: true });
    await drain(worker);
    assert.deepEqual(
      r.received.map((q) => q.body.data.appointment.id),
      [a.id],
    );
  });

  it(
    'sends nothing for a change whose transaction rolled ' + 'back, though its first step had queued a delivery',
    async () => {
      await deactivateAll();
      const r = await receiver();
      await subscribe(r.url);
      const { worker } = publisher();
      const a = await book();
      await drain(worker);
      assert.equal(r.received.length, 1);
      // One transaction: the notes are recorded (and their delivery queued), then the reassignment to an unknown
      // resource
      // fails.
      await assert.rejects(
        t.core.booking.changeAppointment(admin, T, a.id, {
          changes: [
            { kind: 'update', notesToAdd: [{ text: 'never' }] },
            { kind: 'reassign', resourceId: 'nobody' },
          ],
        }),
      );
      assert.equal(
        (await t.db.query<any>('SELECT count(*)::int AS n FROM webhook_deliveries WHERE appointment_id = $1', [a.id]))
          .rows[0].n,
        1,
      );
      await drain(worker);
      assert.equal(r.received.length, 1);
    },
  );

  it(
    'ends with every event exactly once, in order per appointment, from a receiver failing half the requests at ' +
      'random',
    async () => {
      await deactivateAll();
      const flaky = await receiver(() => (Math.random() < 0.5 ? 503 : 200));
      await subscribe(flaky.url);
      const { worker } = publisher({ schedule: Array(30).fill(1000) });
      const ids = new Map<string, { appointmentId: string; seq: number }>();
      for (let i = 0; i < 4; i++) {
        const a = await book();
        await t.core.booking.updateAppointment(admin, T, a.id, { notesToAdd: [{ text: 'first' }] });
        await t.core.booking.changeStatus(admin, T, a.id, { to: 'cancelled' });
        for (const [i, id] of (await eventIds(t, T, a.id)).entries()) ids.set(id, { appointmentId: a.id, seq: i + 1 });
      }
      for (let round = 0; round < 500; round++) {
        if ((await worker.runOnce()) > 0) continue;
        const pending = (
          await t.db.query<any>("SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'pending'")
        ).rows[0].n;
        if (pending === 0) break;
        advance(1000);
      }
      const seen = new Set<string>();
      const lastSeq = new Map<string, number>();
      for (const r of flaky.accepted) {
        if (seen.has(r.body.id)) continue;
        seen.add(r.body.id);
        const e = ids.get(r.body.id)!;
        assert.ok(e, 'only our events');
        assert.ok(e.seq > (lastSeq.get(e.appointmentId) ?? 0), 'in order per appointment');
        lastSeq.set(e.appointmentId, e.seq);
      }
      assert.equal(seen.size, ids.size);
      // Order holds for every request, not only accepted ones: an event is never sent before the earlier one was
      // accepted.
      const acceptedAt = new Map<string, number>();
      flaky.received.forEach((r, i) => {
        const e = ids.get(r.body.id)!;
        if (e.seq > 1) assert.ok((acceptedAt.get(`${e.appointmentId}/${e.seq - 1}`) ?? Infinity) < i);
        if (flaky.accepted.includes(r) && !acceptedAt.has(`${e.appointmentId}/${e.seq}`))
          acceptedAt.set(`${e.appointmentId}/${e.seq}`, i);
      });
    },
  );

  it(
    'retries on the schedule, then fails for good; a ' + 'failing appointment holds back only its own later events',
    async () => {
      await deactivateAll();
      let blocked = '';
      const r = await receiver((req) => (req.body.data.appointment.id === blocked ? 500 : 200));
      const sub = await subscribe(r.url);
      const { worker } = publisher({ schedule: [1000, 2000] });
      const x = await book();
      blocked = x.id;
      await t.core.booking.changeStatus(admin, T, x.id, { to: 'cancelled' });
      const y = await book();

      await worker.runOnce();
      assert.deepEqual(
        r.accepted.map((q) => q.body.data.appointment.id),
        [y.id],
        'the other appointment is not held back',
      );
      let rows = await deliveryRows(sub.id);
      const x1 = rows.find((d: any) => d.appointment_id === x.id && d.seq === 1);
      assert.equal(x1.status, 'pending');
      assert.equal(x1.attempts, 1);
      assert.equal(x1.last_response_status, 500);
      assert.equal(x1.last_response_body.length, 2048, 'the response body is stored truncated');
      assert.equal(new Date(x1.next_attempt_at).getTime(), t.now().getTime() + 1000);
      assert.deepEqual(
        (await t.core.webhooks.getSubscription(admin, T, sub.id)).deliveries,
        { pending: 2, retrying: 1, failed: 0 },
        'the endpoint shows as failing',
      );

      await worker.runOnce();
      assert.equal(r.received.length, 2, 'not due before its delay');
      advance(1000);
      await worker.runOnce();
      advance(2000);
      await worker.runOnce();
      rows = await deliveryRows(sub.id);
      assert.deepEqual(
        rows.filter((d: any) => d.appointment_id === x.id).map((d: any) => [d.seq, d.status, d.attempts]),
        [
          [1, 'failed', 3],
          [2, 'pending', 0],
        ],
      );
      const sentX = r.received.filter((q) => q.body.data.appointment.id === x.id).map((q) => q.body.data.eventType);
      assert.deepEqual(
        sentX,
        ['CREATE', 'CREATE', 'CREATE'],
        'the cancellation waited until the creation failed for good',
      );
      assert.deepEqual((await t.core.webhooks.getSubscription(admin, T, sub.id)).deliveries, {
        pending: 1,
        retrying: 0,
        failed: 1,
      });
      await worker.runOnce();
      assert.equal(r.received.at(-1)!.body.data.eventType, 'CANCEL');
    },
  );

  it('never sends one attempt twice from two workers claiming at once', async () => {
    await deactivateAll();
    const r = await receiver();
    await subscribe(r.url);
    const one = publisher();
    const two = publisher();
    const expected = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const a = await book();
      await t.core.booking.updateAppointment(admin, T, a.id, { notesToAdd: [{ text: 'n' }] });
      for (const id of await eventIds(t, T, a.id)) expected.add(id);
    }
    for (let i = 0; i < 50; i++) {
      const [n1, n2] = await Promise.all([one.worker.runOnce(), two.worker.runOnce()]);
      if (n1 + n2 === 0) break;
    }
    assert.equal(r.received.length, expected.size);
    assert.deepEqual(new Set(r.received.map((q) => q.body.id)), expected);
  });

  it('sends again a delivery whose lease ran out (a process killed mid-send), counting the lost attempt', async () => {
    await deactivateAll();
    const r = await receiver();
    const sub = await subscribe(r.url);
    const { worker } = publisher({ timeoutMs: 1000 });
    const a = await book();
    const lost = await t.db.transaction((tx) =>
      claimDue(tx, { now: t.now(), leaseUntil: new Date(t.now().getTime() + 31_000), token: 'killed', limit: 10 }),
    );
    assert.equal(lost.length, 1);
    assert.equal(await worker.runOnce(), 0, 'leased by the dead process');
    advance(31_000);
    assert.equal(await worker.runOnce(), 1);
    const [row] = await deliveryRows(sub.id);
    assert.equal(row.status, 'delivered');
    assert.equal(row.attempts, 2);
    assert.equal(r.received.length, 1);
    advance(-31_000);
  });

  it('does not follow a redirect: a 3xx is a failed attempt', async () => {
    await deactivateAll();
    const r = await receiver(() => 302); // redirects to itself: a followed redirect would arrive twice
    const sub = await subscribe(r.url);
    const { worker } = publisher();
    await book();
    await worker.runOnce();
    const [row] = await deliveryRows(sub.id);
    assert.deepEqual([row.status, row.last_response_status, row.last_error], ['pending', 302, 'HTTP 302']);
    assert.deepEqual(
      r.received.map((q) => q.body.data.eventType),
      ['CREATE'],
    );
  });

  it('gives up an attempt at the timeout', async () => {
    await deactivateAll();
    const r = await receiver(() => 'hang');
    const sub = await subscribe(r.url);
    const { worker } = publisher({ timeoutMs: 300 });
    await book();
    await worker.runOnce();
    const [row] = await deliveryRows(sub.id);
    assert.equal(row.status, 'pending');
    assert.equal(row.last_error, 'Timed out after 300 ms');
    assert.equal(r.received.length, 1);
  });

  it('refuses loopback and private destinations, and plain http, without WEBHOOK_ALLOW_PRIVATE_NETWORKS', async () => {
    await deactivateAll();
    const r = await receiver();
    const subs = [
      await subscribe(r.url),
      await subscribe(`https://127.0.0.1:${r.port}/hook`),
      await subscribe(`https://localhost:${r.port}/hook`),
      await subscribe('https://169.254.169.254/latest/meta-data'),
      await subscribe('https://[::ffff:10.0.0.1]/hook'),
    ];
    const { worker } = publisher({ allowPrivateNetworks: false });
    await book();
    await worker.runOnce();
    const errors = [];
    for (const s of subs) {
      const [row] = await deliveryRows(s.id);
      assert.equal(row.status, 'pending');
      errors.push(row.last_error);
    }
    assert.equal(errors[0], 'Only https URLs are allowed');
    assert.match(errors[1], /127\.0\.0\.1 is not a public address/);
    assert.match(errors[2], /localhost resolves to .* which is not a public address/);
    assert.match(errors[3], /169\.254\.169\.254 is not a public address/);
    assert.match(errors[4], /not a public address/);
    assert.equal(r.received.length, 0);
  });

  it('signs with both secrets during a rotation overlap, and with the new one only after it', async () => {
    await deactivateAll();
    const r = await receiver();
    const sub = await subscribe(r.url);
    const rotated = await t.core.webhooks.updateSubscription(admin, T, sub.id, {
      rotateSecret: true,
      secretOverlapSeconds: 60,
    });
    assert.ok(rotated.secret && rotated.secret !== sub.secret);
    const { worker } = publisher();
    const a = await book();
    await worker.runOnce();
    for (const secret of [sub.secret, rotated.secret!])
      assert.doesNotThrow(() =>
        new Webhook(secret).verify(r.received[0].raw, r.received[0].headers as Record<string, string>),
      );
    advance(61_000);
    await t.core.booking.updateAppointment(admin, T, a.id, { notesToAdd: [{ text: 'later' }] });
    await worker.runOnce();
    const last = r.received[1];
    assert.equal(last.body.data.eventType, 'GENERIC_UPDATE');
    assert.throws(() => new Webhook(sub.secret).verify(last.raw, last.headers as Record<string, string>));
    assert.doesNotThrow(() => new Webhook(rotated.secret!).verify(last.raw, last.headers as Record<string, string>));
    advance(-61_000);
  });
});
