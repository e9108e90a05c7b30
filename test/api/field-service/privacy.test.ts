/** The customer's document number: searchable (the core keeps its keyed hash), never stored nor read back in clear. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isPersonalIdName, maskPersonalData } from '../../../src/core/privacy/personal-data.ts';
import { admin } from '../../helpers/test-app.ts';
import { createFieldServiceTest, fixture, roles, type FieldServiceTest, type Json } from './field-service.helpers.ts';

const TMF = '/v1/orgs/masmovil/appointments';
const EXT = '/v1/orgs/masmovil/ext';
const CLEAR = '12345678T';
const MASKED = '*****678T';
const LATER = { startDateTime: '2030-08-18T15:00:00Z', endDateTime: '2030-08-18T17:00:00Z' };

/** Every row of every table of the service, as text: the clear value is in none of them. */
async function nowhereInClear(t: FieldServiceTest, value: string) {
  const { rows: tables } = await t.db.query<{ name: string }>(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type ' +
      "= 'BASE TABLE'",
  );
  assert.ok(tables.some((r) => r.name === 'appointment_events'));
  for (const { name } of tables) {
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${name}" t WHERE t::text LIKE $1`,
      [`%${value}%`],
    );
    assert.equal(rows[0].n, 0, `${value} in clear in ${name}`);
  }
}

describe('personal data: documentNumber', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 3 });
  });
  after(() => t.close());
  const assertNowhereInClear = (value: string) => nowhereInClear(t, value);

  const foundByPersonalId = async (id: string) =>
    (await t.core.booking.listAppointments(admin, 'masmovil', { customerPersonalId: CLEAR })).items.some(
      (a) => a.id === id,
    );

  it('Appointments API: answered masked (create and GET), stored masked, searchable by the clear value', async () => {
    const created = await t.call('POST', TMF, fixture('tmf-create.request'));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(roles(created.body.relatedParty).documentNumber, MASKED);
    const got = await t.call('GET', `${TMF}/MYSIM_391588`);
    assert.equal(roles(got.body.relatedParty).documentNumber, MASKED);
    assert.deepEqual(
      got.body.relatedParty.map((p: Json) => p.role),
      created.body.relatedParty.map((p: Json) => p.role),
      'the documented shape is kept',
    );
    assert.ok(await foundByPersonalId('MYSIM_391588'));
    await assertNowhereInClear(CLEAR);
  });

  it('PATCH with the body read back (masked) changes nothing; a PATCH in clear is stored masked', async () => {
    const got = (await t.call('GET', `${TMF}/MYSIM_391588`)).body;
    const same = await t.call('PATCH', `${TMF}/MYSIM_391588`, { relatedParty: got.relatedParty });
    assert.equal(same.status, 200, JSON.stringify(same.body));
    assert.ok(await foundByPersonalId('MYSIM_391588'), 'the masked value did not replace the identifier');
    const clear = await t.call('PATCH', `${TMF}/MYSIM_391588`, {
      relatedParty: fixture('tmf-create.request').relatedParty,
      validFor: LATER,
    });
    assert.equal(clear.status, 200, JSON.stringify(clear.body));
    assert.equal(roles(clear.body.relatedParty).documentNumber, MASKED);
    assert.ok(await foundByPersonalId('MYSIM_391588'));
    await assertNowhereInClear(CLEAR);
  });

  it('Extension API: create, task, update and search never store nor answer it in clear', async () => {
    const customer = { ...fixture('ext-create.request').customer, documentNumber: 'X9876543Z' };
    const task = await t.call('POST', `${EXT}/task`, {
      ...fixture('ext-task.request'),
      workOrderId: 'PRIV_1',
      customer,
    });
    assert.equal(roles(task.body.relatedParty).documentNumber, '*****543Z');
    const booked = await t.call('POST', `${EXT}/appointments`, {
      ...fixture('ext-create.request'),
      workOrderId: 'PRIV_1',
      customer,
      scoringResult: 'OK',
    });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    assert.equal(roles(booked.body.relatedParty).documentNumber, '*****543Z');
    const updated = await t.call('PUT', `${EXT}/appointments`, {
      ...fixture('ext-update.request'),
      workOrderId: 'PRIV_1',
      customer,
      scoringResult: 'OK',
      validFor: LATER,
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(roles((await t.call('GET', `${TMF}/PRIV_1`)).body.relatedParty).documentNumber, '*****543Z');
    const search = await t.call('POST', `${EXT}/searchTimeSlots`, {
      ...fixture('ext-search.request'),
      customer: { ...fixture('ext-search.request').customer, documentId: 'X9876543Z' },
    });
    assert.equal(roles(search.body.relatedParty).documentNumber, '*****543Z');
    assert.equal(
      (await t.core.booking.listAppointments(admin, 'masmovil', { customerPersonalId: 'X9876543Z' })).total,
      1,
    );
    await assertNowhereInClear('X9876543Z');
  });
});

describe('personal data: a document number under any name', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 3 });
  });
  after(() => t.close());

  const SPELLINGS = [
    'documentId',
    'personalIdentifier',
    'document_number',
    'DNI',
    ' nif ',
    'Document Number',
    'NIE',
    'passport',
    'ssn',
    'passport-number',
  ];

  it('the core names them all personal, and only them', () => {
    for (const name of SPELLINGS) assert.equal(isPersonalIdName(name), true, name);
    for (const name of ['firstName', 'email', 'zipcode', 'scoring_result', 'user_code', 'documentation', 'id'])
      assert.equal(isPersonalIdName(name), false, name);
    assert.deepEqual(maskPersonalData({ a: [{ id: 12345678, role: 'DNI' }], b: { Passport_No: 'AB123456' }, c: 'x' }), {
      a: [{ id: '****5678', role: 'DNI' }],
      b: { Passport_No: '****3456' },
      c: 'x',
    });
  });

  SPELLINGS.forEach((role, i) => {
    it(`Appointments API, relatedParty role "${role}": answered and stored masked, searchable in clear`, async () => {
      const clear = `7${i}345678K`;
      const id = `SPELL_${i}`;
      const parties = fixture('tmf-create.request').relatedParty.map((p: Json) =>
        p.role === 'documentNumber' ? { id: clear, role } : p,
      );
      // initialized: a request for the window, which takes no technician (every spelling gets one).
      const created = await t.call('POST', TMF, {
        ...fixture('tmf-create.request'),
        id,
        externalId: id,
        status: 'initialized',
        relatedParty: parties,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const masked = created.body.relatedParty.find((p: Json) => p.role === role).id;
      assert.equal(masked, `*****678K`.padStart(clear.length, '*'));
      assert.equal(
        (await t.call('GET', `${TMF}/${id}`)).body.relatedParty.find((p: Json) => p.role === role).id,
        masked,
      );
      const found = await t.core.booking.listAppointments(admin, 'masmovil', { customerPersonalId: clear });
      assert.deepEqual(
        found.items.map((a) => a.id),
        [id],
      );
      await nowhereInClear(t, clear);
    });
  });

  it('a document number sent as an extra field of either API is stored and answered masked', async () => {
    const tmf = await t.call('POST', TMF, {
      ...fixture('tmf-create.request'),
      id: 'EXTRA_1',
      externalId: 'EXTRA_1',
      status: 'initialized',
      dni: '55544433Q',
      holder: { documentId: '11122233W' },
    });
    assert.equal(tmf.status, 201, JSON.stringify(tmf.body));
    assert.equal(tmf.body.dni, '*****433Q');
    assert.equal(tmf.body.holder.documentId, '*****233W');
    const customer = { ...fixture('ext-create.request').customer, documentNumber: undefined, Document_Id: '99988877E' };
    const ext = await t.call('POST', `${EXT}/task`, {
      ...fixture('ext-task.request'),
      workOrderId: 'EXTRA_2',
      customer,
      nif: '66677788R',
    });
    assert.equal(ext.status, 200, JSON.stringify(ext.body));
    assert.equal(roles(ext.body.relatedParty).documentNumber, '*****877E');
    assert.equal(
      (await t.core.booking.listAppointments(admin, 'masmovil', { customerPersonalId: '99988877e' })).total,
      1,
    );
    for (const clear of ['55544433Q', '11122233W', '99988877E', '66677788R']) await nowhereInClear(t, clear);
  });
});
