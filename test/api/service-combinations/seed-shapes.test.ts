/**
 * The seed's requests and response shapes (dates moved into the future): a two-service visit
 * reserved, booked, found by personal identifier (GET with the seed's body, and as a query
 * parameter), read by id, in the branch's zone with its offset, names in the caller's language.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN } from '../../helpers/test-app.ts';
import { assertDocumentedShape } from '../field-service/field-service.helpers.ts';
import { book, CUSTOMER, createCombosTest, fixture, reserve, type CombosTest } from './combos.helpers.ts';

describe('service combinations: the seed’s requests and shapes', () => {
  let t: CombosTest;
  let appointmentId: string;
  const seedCustomer = { ...fixture('appointment.response').customer };
  const seedId = fixture('search.request').customer.personalIdentifier as string;

  before(async () => {
    t = await createCombosTest();
  });
  after(() => t.close());

  it('offers the start times at which one employee delivers both services back to back', async () => {
    const res = await t.call('POST', '/timeslots/search', {
      branchId: 'bruxelles-centre',
      serviceIds: ['account-opening', 'card-request'],
      from: '2030-03-05',
      to: '2030-03-05',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.services.map((s: any) => [s.id, s.name, s.config.maxNumberOfReservations]),
      [
        ['account-opening', 'Ouverture de compte', 2],
        ['card-request', 'Demande de carte', 2],
      ],
    );
    const slots = res.body.timeSlots;
    // 09:00 to 16:00 every 15 minutes: 30 min + 5 min buffer + 15 min ends by 17:00.
    assert.equal(slots[0].startTime, '2030-03-05T09:00:00+01:00');
    assert.equal(slots.at(-1).startTime, '2030-03-05T16:00:00+01:00');
    assert.equal(slots.length, 29);
    assert.deepEqual(
      slots[0].services.map((s: any) => [s.id, s.timeSlot.startTime, s.timeSlot.endTime]),
      [
        ['account-opening', '2030-03-05T09:00:00+01:00', '2030-03-05T09:30:00+01:00'],
        ['card-request', '2030-03-05T09:35:00+01:00', '2030-03-05T09:50:00+01:00'],
      ],
    );
  });

  it('reserves, books with the seed’s customer, and answers the seed’s shape', async () => {
    const r = await reserve(t, '2030-03-05T09:00:00+01:00');
    assert.match(r.reservationId, /^[0-9a-f-]{36}$/);
    assert.equal(r.expiresAt, '2030-03-04T07:10:00+01:00', 'the services’ hold time (600 s) from now');
    assert.deepEqual(r.timeSlot, { startTime: '2030-03-05T09:00:00+01:00', endTime: '2030-03-05T09:50:00+01:00' });
    const created = await book(t, r.reservationId, { ...seedCustomer, personalIdentifier: seedId });
    appointmentId = created.appointmentId;
    assertDocumentedShape(created, fixture('appointment.response'));
    assert.deepEqual(created.timeSlot, r.timeSlot);
    assert.deepEqual(created.customer, seedCustomer);
    assert.deepEqual(created.service, {
      id: 'account-opening',
      name: 'Ouverture de compte',
      config: { maxNumberOfReservations: 2 },
    });
    assert.deepEqual(
      created.services.map((s: any) => [s.id, s.timeSlot.startTime]),
      [
        ['account-opening', '2030-03-05T09:00:00+01:00'],
        ['card-request', '2030-03-05T09:35:00+01:00'],
      ],
    );
    assert.deepEqual(created.branch, {
      id: 'bruxelles-centre',
      name: 'Agence Bruxelles Centre',
      address: { streetName: 'Rue Neuve 12', zipCode: '1000', city: 'Bruxelles', country: 'BE' },
      location: { longitude: 4.3517, latitude: 50.8503 },
    });
    assert.equal(created.numberOfReservations, 1);
    assert.equal(created.supportNotes, 'Bring your ID card');
    assert.equal(created.status, 'BOOKED');
  });

  it('finds it by personal identifier: the seed’s GET with a body, and the query parameter', async () => {
    const withBody = await t.call('GET', '/appointments/search', fixture('search.request'));
    assert.equal(withBody.status, 200, JSON.stringify(withBody.body));
    assert.equal(withBody.body.length, 1);
    assertDocumentedShape(withBody.body[0], fixture('appointment.response'));
    assert.equal(withBody.body[0].appointmentId, appointmentId);
    const withQuery = await t.call('GET', `/appointments/search?personalIdentifier=${encodeURIComponent(seedId)}`);
    assert.deepEqual(withQuery.body, withBody.body);
    const other = await t.call('GET', '/appointments/search?personalIdentifier=somebody-else');
    assert.deepEqual(other.body, []);
    const none = await t.call('GET', '/appointments/search');
    assert.equal(none.status, 400);
    assert.equal(none.body.details[0].field, 'customer.personalIdentifier');
    const badBody = await t.call('GET', '/appointments/search', { customer: {} });
    assert.equal(badBody.status, 400);
    assert.deepEqual(badBody.body.details, [{ field: 'customer.personalIdentifier', message: 'is required' }]);
  });

  it('reads it by id; unknown → 404 in the API’s error body', async () => {
    const one = await t.call('GET', `/appointments/${appointmentId}`);
    assert.equal(one.status, 200);
    assertDocumentedShape(one.body, fixture('appointment.response'));
    const missing = await t.call('GET', '/appointments/3fa85f64-5717-4562-b3fc-2c963f66afa6');
    assert.equal(missing.status, 404);
    assert.deepEqual(Object.keys(missing.body), ['status', 'error', 'message', 'details']);
    assert.equal(missing.body.error, 'NOT_FOUND');
  });

  it('maxNumberOfReservations is a service setting of the admin API (default: none of its own)', async () => {
    const url = '/admin/v1/tenants/benelux-bank/services/card-request';
    const admin = (method: 'GET' | 'PATCH', payload?: object) =>
      t.app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload });
    assert.equal((await admin('GET')).json().maxNumberOfReservations, 2);
    assert.equal((await admin('PATCH', { maxNumberOfReservations: 0 })).statusCode, 400);
    const cleared = await admin('PATCH', { maxNumberOfReservations: null });
    assert.equal(cleared.statusCode, 200, cleared.body);
    assert.equal(cleared.json().maxNumberOfReservations, null);
    const one = await t.call('GET', `/appointments/${appointmentId}`);
    assert.deepEqual(
      one.body.services.map((s: any) => s.config.maxNumberOfReservations),
      [2, 1000],
      'no limit of its own: the API’s bound',
    );
    assert.equal((await admin('PATCH', { maxNumberOfReservations: 2 })).statusCode, 200);
  });

  it('never stores the personal identifier in clear', async () => {
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT ((SELECT count(*) FROM appointments WHERE row(appointments.*)::text LIKE $1)
        + (SELECT count(*) FROM appointment_events WHERE row(appointment_events.*)::text LIKE $1)
        + (SELECT count(*) FROM customers WHERE row(customers.*)::text LIKE $1))::int AS n`,
      [`%${seedId}%`],
    );
    assert.equal(rows[0].n, 0);
    const again = await book(t, (await reserve(t, '2030-03-05T11:00:00+01:00')).reservationId, CUSTOMER);
    assert.equal(again.customer.firstName, 'Marie');
  });
});
