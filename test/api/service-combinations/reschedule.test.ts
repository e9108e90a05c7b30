/**
 * A two-service visit with one employee: reserved, booked, found by personal identifier,
 * rescheduled onto a new reservation (the old time free again, the same id kept, the history
 * showing the previous time); expired and used reservations refused; cancellations; limits.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countOverlaps } from '../../../src/core/booking/allocation.repository.ts';
import { admin } from '../../helpers/test-app.ts';
import { book, CUSTOMER, createCombosTest, NOW, reserve, SERVICES, TENANT, type CombosTest } from './combos.helpers.ts';

describe('service combinations: rescheduling a visit onto a reservation (one employee)', () => {
  let t: CombosTest;
  before(async () => {
    t = await createCombosTest({ employees: 1 });
  });
  after(() => t.close());

  const starts = async (day: string, serviceIds = ['account-opening', 'card-request']) => {
    const res = await t.call('POST', '/timeslots/search', {
      branchId: 'bruxelles-centre',
      serviceIds,
      from: day,
      to: day,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.timeSlots.map((s: any) => s.startTime.slice(11, 16)) as string[];
  };

  it('moves the visit, frees the old time, keeps the id and records the previous time', async () => {
    const first = await reserve(t, '2030-03-05T10:00:00+01:00');
    // One claim of one employee for the whole visit: both services and the buffer between them.
    const claims = await t.db.query<{ resource_id: string; lower: Date; upper: Date }>(
      'SELECT resource_id, lower(during), upper(during) FROM allocations WHERE tenant_id = $1 AND hold_id = $2 AND active',
      [TENANT, first.reservationId],
    );
    assert.deepEqual(
      claims.rows.map((r) => [r.resource_id, r.lower.toISOString(), r.upper.toISOString()]),
      [['emp-bxl-1', '2030-03-05T09:00:00.000Z', '2030-03-05T09:50:00.000Z']],
    );
    // The reservation alone takes the employee: 09:15..10:45 starts would overlap it.
    assert.ok(!(await starts('2030-03-05')).includes('10:00'));
    assert.ok(!(await starts('2030-03-05')).includes('09:15'), '09:15 + 50 min runs into the reservation');
    const booked = await book(t, first.reservationId);

    const found = await t.call('GET', `/appointments/search?personalIdentifier=${CUSTOMER.personalIdentifier}`);
    assert.deepEqual(
      found.body.map((a: any) => a.appointmentId),
      [booked.appointmentId],
    );

    const second = await reserve(t, '2030-03-06T14:15:00+01:00');
    const moved = await t.call('PUT', `/appointments/${booked.appointmentId}/reschedule`, {
      reservationId: second.reservationId,
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.appointmentId, booked.appointmentId, 'the same id');
    assert.deepEqual(moved.body.timeSlot, second.timeSlot);
    assert.deepEqual(moved.body.customer, booked.customer);
    assert.equal(moved.body.supportNotes, 'Bring your ID card');

    assert.ok((await starts('2030-03-05')).includes('10:00'), 'the old time is free again');
    assert.ok(!(await starts('2030-03-06')).includes('14:15'), 'the new time is taken');

    const history = await t.core.booking.getHistory(admin, TENANT, booked.appointmentId);
    const rescheduled = history.items.find((e) => e.type === 'appointment.rescheduled')!;
    assert.equal(rescheduled.previous?.start?.toISOString(), '2030-03-05T09:00:00.000Z');
    assert.equal(rescheduled.current.start?.toISOString(), '2030-03-06T13:15:00.000Z');

    const reused = await t.call('PUT', `/appointments/${booked.appointmentId}/reschedule`, {
      reservationId: second.reservationId,
    });
    assert.equal(reused.status, 409, 'a used reservation cannot be used again');
    assert.match(reused.body.message, /Reservation .* already used/);
    const unknown = await t.call('PUT', `/appointments/${booked.appointmentId}/reschedule`, {
      reservationId: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
    });
    assert.equal(unknown.status, 404);
    assert.equal(await countOverlaps(t.db, TENANT), 0);
  });

  it('takes the new reservation’s services: a visit rebooked for one service only', async () => {
    const booked = await book(t, (await reserve(t, '2030-03-07T09:00:00+01:00')).reservationId);
    const single = await reserve(t, '2030-03-07T11:00:00+01:00', ['card-request']);
    const moved = await t.call('PUT', `/appointments/${booked.appointmentId}/reschedule`, {
      reservationId: single.reservationId,
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.deepEqual(
      moved.body.services.map((s: any) => s.id),
      ['card-request'],
    );
    assert.equal(moved.body.timeSlot.endTime, '2030-03-07T11:15:00+01:00');
  });

  it('refuses an expired reservation (409) and frees its time; nothing is booked', async () => {
    const r = await reserve(t, '2030-03-08T09:00:00+01:00');
    t.setNow(new Date(Date.parse(NOW) + 601_000));
    try {
      const late = await t.call('POST', '/appointments', { reservationId: r.reservationId, customer: CUSTOMER });
      assert.equal(late.status, 409, JSON.stringify(late.body));
      assert.match(late.body.message, /expired/);
      assert.ok((await starts('2030-03-08')).includes('09:00'), 'an expired reservation holds nothing');
      const lateMove = await t.call('PUT', '/appointments/x/reschedule', { reservationId: r.reservationId });
      assert.equal(lateMove.status, 404, 'unknown appointment');
    } finally {
      t.setNow(NOW);
    }
  });

  it('refuses a hold whose time a booker with a later clock already freed (core conversion)', async () => {
    const r = await reserve(t, '2030-03-08T11:00:00+01:00');
    // Another process whose clock is past the expiry took the time back (slot-allocator's expireStaleHolds).
    await t.db.query('UPDATE allocations SET active = false WHERE tenant_id = $1 AND hold_id = $2', [
      TENANT,
      r.reservationId,
    ]);
    const res = await t.call('POST', '/appointments', { reservationId: r.reservationId, customer: CUSTOMER });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    const { rows } = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM appointments WHERE tenant_id = $1 AND starts_at = '2030-03-08T10:00:00Z'",
      [TENANT],
    );
    assert.equal(rows[0].n, 0, 'no appointment without its time');
  });

  it('a reservation made to move one appointment moves that one only: another’s or a new booking → 403', async () => {
    const mine = await book(t, (await reserve(t, '2030-03-13T09:00:00+01:00')).reservationId);
    const other = await book(t, (await reserve(t, '2030-03-13T11:00:00+01:00')).reservationId, {
      ...CUSTOMER,
      personalIdentifier: '90010154321',
    });
    const reserveFor = (appointmentId: string, startTime: string) =>
      t.call('POST', '/reservations', { branchId: 'bruxelles-centre', serviceIds: SERVICES, startTime, appointmentId });
    const unknown = await reserveFor('no-such-visit', '2030-03-13T14:00:00+01:00');
    assert.equal(unknown.status, 404, JSON.stringify(unknown.body));
    const done = await book(t, (await reserve(t, '2030-03-13T16:00:00+01:00')).reservationId);
    await t.core.booking.changeStatus(admin, TENANT, done.appointmentId, { to: 'in_progress' });
    await t.core.booking.changeStatus(admin, TENANT, done.appointmentId, { to: 'completed' });
    const forCompleted = await reserveFor(done.appointmentId, '2030-03-13T14:00:00+01:00');
    assert.equal(forCompleted.status, 400, 'a completed visit cannot move: no time is held for it');
    assert.match(forCompleted.body.message, /completed appointment cannot be rescheduled/);
    assert.ok((await starts('2030-03-13')).includes('14:00'), 'nothing was reserved for an unknown appointment');

    const r = await reserveFor(mine.appointmentId, '2030-03-13T14:00:00+01:00');
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.appointmentId, mine.appointmentId);
    const wrong = await t.call('PUT', `/appointments/${other.appointmentId}/reschedule`, {
      reservationId: r.body.reservationId,
    });
    assert.equal(wrong.status, 403, JSON.stringify(wrong.body));
    assert.match(wrong.body.message, /another appointment/);
    const asNew = await t.call('POST', '/appointments', { reservationId: r.body.reservationId, customer: CUSTOMER });
    assert.equal(asNew.status, 403, JSON.stringify(asNew.body));
    assert.deepEqual((await t.call('GET', `/appointments/${other.appointmentId}`)).body.timeSlot, other.timeSlot);

    const moved = await t.call('PUT', `/appointments/${mine.appointmentId}/reschedule`, {
      reservationId: r.body.reservationId,
    });
    assert.equal(moved.status, 200, 'the refusals left the reservation live for its appointment');
    assert.equal(moved.body.timeSlot.startTime, '2030-03-13T14:00:00+01:00');
    assert.ok((await starts('2030-03-13')).includes('09:00'), 'its old time is free again');
  });

  it('a booking retried with its Idempotency-Key answers the same appointment; concurrent retries book once', async () => {
    const bookWith = (key: string, reservationId: string, customer = CUSTOMER) =>
      t.call('POST', '/appointments', { reservationId, customer }, { 'idempotency-key': key });
    const r = await reserve(t, '2030-03-14T09:00:00+01:00');
    const [a, b] = await Promise.all([bookWith('visit-1', r.reservationId), bookWith('visit-1', r.reservationId)]);
    assert.deepEqual([a.status, b.status], [201, 201], JSON.stringify([a.body, b.body]));
    assert.equal(a.body.appointmentId, b.body.appointmentId);
    const later = await bookWith('visit-1', r.reservationId);
    assert.equal(later.status, 201, 'a retry after the reservation was used');
    assert.equal(later.body.appointmentId, a.body.appointmentId);
    const { rows } = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM appointments WHERE tenant_id = $1 AND starts_at = '2030-03-14T08:00:00Z'",
      [TENANT],
    );
    assert.equal(rows[0].n, 1, 'booked once');

    const live = await reserve(t, '2030-03-14T11:00:00+01:00');
    const otherBody = await bookWith('visit-1', live.reservationId);
    assert.equal(otherBody.status, 409, 'the same key with another request, even for a live reservation');
    assert.match(otherBody.body.message, /Idempotency-Key was used with a different request/);
    assert.ok(!(await starts('2030-03-14')).includes('11:00'), 'that reservation is still held, unused');
    const otherKey = await bookWith('visit-2', r.reservationId);
    assert.equal(otherKey.status, 409);
    assert.match(otherKey.body.message, /^Reservation .* is already used/);
    const noKey = await t.call('POST', '/appointments', { reservationId: r.reservationId, customer: CUSTOMER });
    assert.equal(noKey.status, 409, 'without a key a retry is refused: the reservation is used');
    assert.equal((await bookWith('', r.reservationId)).status, 400, 'an empty key');

    const released = await reserve(t, '2030-03-14T14:00:00+01:00');
    await t.call('DELETE', `/reservations/${released.reservationId}`);
    const late = await t.call(
      'POST',
      '/appointments',
      { reservationId: released.reservationId, customer: CUSTOMER, numberOfReservations: 99 },
      { 'idempotency-key': 'visit-3' },
    );
    assert.equal(late.status, 409, 'a released reservation with a fresh key: refused as without one');
    assert.match(late.body.message, /^Reservation .* is released/);
  });

  it('a reservation retried with its Idempotency-Key answers the first one; concurrent retries hold one time', async () => {
    const body = (startTime: string) => ({ branchId: 'bruxelles-centre', serviceIds: SERVICES, startTime });
    const reserveWith = (key: string, startTime: string) =>
      t.call('POST', '/reservations', body(startTime), { 'idempotency-key': key });
    const holdsOn = async (day: string) =>
      (
        await t.db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM holds WHERE tenant_id = $1 AND starts_at::date = $2::date',
          [TENANT, day],
        )
      ).rows[0].n;

    const [a, b] = await Promise.all([
      reserveWith('hold-1', '2030-03-15T09:00:00+01:00'),
      reserveWith('hold-1', '2030-03-15T09:00:00+01:00'),
    ]);
    assert.deepEqual([a.status, b.status], [201, 201], JSON.stringify([a.body, b.body]));
    assert.equal(a.body.reservationId, b.body.reservationId, 'the same reservation');
    assert.deepEqual(a.body, b.body);
    const later = await reserveWith('hold-1', '2030-03-15T09:00:00+01:00');
    assert.equal(later.status, 201);
    assert.equal(later.body.reservationId, a.body.reservationId);
    assert.equal(await holdsOn('2030-03-15'), 1, 'one time slot held');

    const other = await reserveWith('hold-1', '2030-03-15T11:00:00+01:00');
    assert.equal(other.status, 409, 'the same key with another body');
    assert.match(other.body.message, /Idempotency-Key was used with a different request/);
    assert.equal(await holdsOn('2030-03-15'), 1, 'nothing more held');

    // Once used, a retry still answers the reservation (it holds nothing more) and books nothing.
    await book(t, a.body.reservationId);
    const afterUse = await reserveWith('hold-1', '2030-03-15T09:00:00+01:00');
    assert.equal(afterUse.status, 201);
    assert.equal(afterUse.body.reservationId, a.body.reservationId);
    assert.equal(await holdsOn('2030-03-15'), 1);
    // A refused reservation does not keep its key: the same key may then reserve another time.
    const taken = await reserveWith('hold-2', '2030-03-15T09:00:00+01:00');
    assert.equal(taken.status, 409, 'the time is booked');
    assert.equal((await reserveWith('hold-2', '2030-03-15T14:00:00+01:00')).status, 201);
    const empty = await reserveWith('', '2030-03-15T15:00:00+01:00');
    assert.equal(empty.status, 400, 'an empty key');
    assert.deepEqual(
      [empty.body.status, empty.body.error, Array.isArray(empty.body.details)],
      [400, 'BAD_REQUEST', true],
    );
  });

  it('a reschedule failing inside the core changes nothing: the old time stays taken', async () => {
    const booked = await book(t, (await reserve(t, '2030-03-08T14:00:00+01:00')).reservationId);
    const r = await reserve(t, '2030-03-08T15:00:00+01:00');
    await t.db.query('UPDATE allocations SET active = false WHERE tenant_id = $1 AND hold_id = $2', [
      TENANT,
      r.reservationId,
    ]);
    const res = await t.call('PUT', `/appointments/${booked.appointmentId}/reschedule`, {
      reservationId: r.reservationId,
    });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    const read = await t.call('GET', `/appointments/${booked.appointmentId}`);
    assert.deepEqual(read.body.timeSlot, booked.timeSlot);
    assert.ok(!(await starts('2030-03-08')).includes('14:00'), 'its time was released and restored in one rollback');
  });

  it('numberOfReservations above a service’s maxNumberOfReservations → 400, anywhere', async () => {
    const search = await t.call('POST', '/timeslots/search', {
      branchId: 'bruxelles-centre',
      serviceIds: ['account-opening'],
      from: '2030-03-11',
      to: '2030-03-11',
      numberOfReservations: 3,
    });
    assert.equal(search.status, 400);
    assert.deepEqual(search.body.details, [{ field: 'numberOfReservations', message: 'must be at most 2' }]);
    const hold = await t.call('POST', '/reservations', {
      branchId: 'bruxelles-centre',
      serviceIds: ['account-opening'],
      startTime: '2030-03-11T09:00:00+01:00',
      numberOfReservations: 3,
    });
    assert.equal(hold.status, 400);
    const r = await reserve(t, '2030-03-11T09:00:00+01:00');
    const three = await t.call('POST', '/appointments', {
      reservationId: r.reservationId,
      customer: CUSTOMER,
      numberOfReservations: 3,
    });
    assert.equal(three.status, 400);
    const two = await t.call('POST', '/appointments', {
      reservationId: r.reservationId,
      customer: CUSTOMER,
      numberOfReservations: 2,
    });
    assert.equal(two.status, 201, 'the refused request changed nothing: the reservation is still live');
    assert.equal(two.body.numberOfReservations, 2);
  });

  it('cancels (204, twice), releases reservations (204, then 409), and a cancelled visit is not found', async () => {
    const booked = await book(t, (await reserve(t, '2030-03-12T09:00:00+01:00')).reservationId);
    assert.equal((await t.call('DELETE', `/appointments/${booked.appointmentId}`)).status, 204);
    assert.equal((await t.call('DELETE', `/appointments/${booked.appointmentId}`)).status, 204);
    const read = await t.call('GET', `/appointments/${booked.appointmentId}`);
    assert.equal(read.body.status, 'CANCELLED');
    assert.ok((await starts('2030-03-12')).includes('09:00'));
    const found = await t.call('GET', `/appointments/search?personalIdentifier=${CUSTOMER.personalIdentifier}`);
    assert.ok(!found.body.some((a: any) => a.appointmentId === booked.appointmentId));

    const r = await reserve(t, '2030-03-12T11:00:00+01:00');
    assert.equal((await t.call('DELETE', `/reservations/${r.reservationId}`)).status, 204);
    assert.ok((await starts('2030-03-12')).includes('11:00'));
    const again = await t.call('DELETE', `/reservations/${r.reservationId}`);
    assert.equal(again.status, 409);
    assert.match(again.body.message, /^Reservation .* is released$/);
    const used = await t.call('POST', '/appointments', { reservationId: r.reservationId, customer: CUSTOMER });
    assert.equal(used.status, 409);
  });
});
