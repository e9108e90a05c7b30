/** The customer's document number: searchable (the core keeps its keyed hash), never stored nor read back in clear. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin } from '../../helpers/test-app.ts';
import { createFieldServiceTest, fixture, roles, type FieldServiceTest, type Json } from './field-service.helpers.ts';

const TMF = '/v1/orgs/masmovil/appointments';
const EXT = '/v1/orgs/masmovil/ext';
const CLEAR = '12345678T';
const MASKED = '*****678T';
const LATER = { startDateTime: '2030-08-18T15:00:00Z', endDateTime: '2030-08-18T17:00:00Z' };

describe('personal data: documentNumber', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 3 });
  });
  after(() => t.close());

  /** Every row of every table of the service, as text: the clear value is in none of them. */
  async function assertNowhereInClear(value: string) {
    const { rows: tables } = await t.db.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    );
    assert.ok(tables.some((r) => r.name === 'appointment_events'));
    for (const { name } of tables) {
      const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}" t WHERE t::text LIKE $1`, [`%${value}%`]);
      assert.equal(rows[0].n, 0, `${value} in clear in ${name}`);
    }
  }

  const foundByPersonalId = async (id: string) =>
    (await t.core.booking.listAppointments(admin, 'masmovil', { customerPersonalId: CLEAR })).items.some((a) => a.id === id);

  it('Appointments API: answered masked (create and GET), stored masked, searchable by the clear value', async () => {
    const created = await t.call('POST', TMF, fixture('tmf-create.request'));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(roles(created.body.relatedParty).documentNumber, MASKED);
    const got = await t.call('GET', `${TMF}/MYSIM_391588`);
    assert.equal(roles(got.body.relatedParty).documentNumber, MASKED);
    assert.deepEqual(got.body.relatedParty.map((p: Json) => p.role), created.body.relatedParty.map((p: Json) => p.role), 'the documented shape is kept');
    assert.ok(await foundByPersonalId('MYSIM_391588'));
    await assertNowhereInClear(CLEAR);
  });

  it('PATCH with the body read back (masked) changes nothing; a PATCH in clear is stored masked', async () => {
    const got = (await t.call('GET', `${TMF}/MYSIM_391588`)).body;
    const same = await t.call('PATCH', `${TMF}/MYSIM_391588`, { relatedParty: got.relatedParty });
    assert.equal(same.status, 200, JSON.stringify(same.body));
    assert.ok(await foundByPersonalId('MYSIM_391588'), 'the masked value did not replace the identifier');
    const clear = await t.call('PATCH', `${TMF}/MYSIM_391588`, { relatedParty: fixture('tmf-create.request').relatedParty, validFor: LATER });
    assert.equal(clear.status, 200, JSON.stringify(clear.body));
    assert.equal(roles(clear.body.relatedParty).documentNumber, MASKED);
    assert.ok(await foundByPersonalId('MYSIM_391588'));
    await assertNowhereInClear(CLEAR);
  });

  it('Extension API: create, task, update and search never store nor answer it in clear', async () => {
    const customer = { ...fixture('ext-create.request').customer, documentNumber: 'X9876543Z' };
    const task = await t.call('POST', `${EXT}/task`, { ...fixture('ext-task.request'), workOrderId: 'PRIV_1', customer });
    assert.equal(roles(task.body.relatedParty).documentNumber, '*****543Z');
    const booked = await t.call('POST', `${EXT}/appointments`, { ...fixture('ext-create.request'), workOrderId: 'PRIV_1', customer, scoringResult: 'OK' });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    assert.equal(roles(booked.body.relatedParty).documentNumber, '*****543Z');
    const updated = await t.call('PUT', `${EXT}/appointments`, { ...fixture('ext-update.request'), workOrderId: 'PRIV_1', customer, scoringResult: 'OK', validFor: LATER });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(roles((await t.call('GET', `${TMF}/PRIV_1`)).body.relatedParty).documentNumber, '*****543Z');
    const search = await t.call('POST', `${EXT}/searchTimeSlots`, { ...fixture('ext-search.request'), customer: { ...fixture('ext-search.request').customer, documentId: 'X9876543Z' } });
    assert.equal(roles(search.body.relatedParty).documentNumber, '*****543Z');
    assert.equal((await t.core.booking.listAppointments(admin, 'masmovil', { customerPersonalId: 'X9876543Z' })).total, 1);
    await assertNowhereInClear('X9876543Z');
  });
});
