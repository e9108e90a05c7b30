/**
 * One live appointment per work order, in both APIs; the work order's appointment is the one of that id first; retries
 * of a create with its Idempotency-Key.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFieldServiceTest, fixture, type FieldServiceTest, type Json } from './field-service.helpers.ts';

const TMF = '/v1/orgs/masmovil/appointments';
const EXT = '/v1/orgs/masmovil/ext';
const WINDOW = { startDateTime: '2030-08-18T13:00:00Z', endDateTime: '2030-08-18T15:00:00Z' };
const LATER = { startDateTime: '2030-08-18T15:00:00Z', endDateTime: '2030-08-18T17:00:00Z' };
const day = (d: number) => ({ startDateTime: `2030-08-${d}T07:00:00Z`, endDateTime: `2030-08-${d}T09:00:00Z` });

const tmfCreate = (id: string, workOrder: string, extra: Json = {}): Json => ({
  ...fixture('tmf-create.request'),
  id,
  externalId: workOrder,
  validFor: WINDOW,
  ...extra,
});
const extCreate = (workOrderId: string, extra: Json = {}): Json => ({
  ...fixture('ext-create.request'),
  workOrderId,
  scoringResult: 'OK',
  ...extra,
});
const conflictTmf = (componentMsg: string) => ({ componentMsg, id: 'MM0000003', msg: 'Conflict', status: 409 });
const conflictExt = (detailMsg: string) => ({ code: '409', status: 'CONFLICT', message: 'Conflict', detailMsg });

describe('one live appointment per work order', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 3 });
  });
  after(() => t.close());

  /** id:status of the work order's appointments, sorted (the test clock does not move: creation times tie). */
  const list = async (workOrder: string) =>
    (await t.call('GET', `${TMF}?externalId=${workOrder}`)).body.map((a: Json) => `${a.id}:${a.status}`).sort();

  it('Appointments API: a second create for a work order with a live appointment (another id) is a 409', async () => {
    assert.equal((await t.call('POST', TMF, tmfCreate('WO1_A', 'WO_1'))).status, 201);
    const second = await t.call('POST', TMF, tmfCreate('WO1_B', 'WO_1', { validFor: LATER }));
    assert.deepEqual(second.body, conflictTmf('Work order WO_1 already has the live appointment WO1_A'));
    const initialized = await t.call('POST', TMF, tmfCreate('WO1_C', 'WO_1', { status: 'initialized' }));
    assert.equal(initialized.status, 409);
    assert.deepEqual(await list('WO_1'), ['WO1_A:accepted']);
  });

  it('Extension API: a create or a task for a work order booked through the Appointments API is a 409', async () => {
    assert.deepEqual(
      (await t.call('POST', `${EXT}/appointments`, extCreate('WO_1', { validFor: LATER }))).body,
      conflictExt('Work order WO_1 already has the live appointment WO1_A'),
    );
    assert.deepEqual(
      (await t.call('POST', `${EXT}/task`, { ...fixture('ext-task.request'), workOrderId: 'WO_1' })).body,
      conflictExt('Work order WO_1 already has the live appointment WO1_A'),
    );
    assert.deepEqual(await list('WO_1'), ['WO1_A:accepted']);
  });

  it('and the other way round: a TMF create for a work order booked through the Extension API is a 409', async () => {
    assert.equal((await t.call('POST', `${EXT}/appointments`, extCreate('WO_2'))).status, 201);
    assert.deepEqual(
      (await t.call('POST', TMF, tmfCreate('WO2_B', 'WO_2', { validFor: LATER }))).body,
      conflictTmf('Work order WO_2 already has the live appointment WO_2'),
    );
  });

  it(
    'once the appointment is cancelled, the work order ' + 'can be booked again, and PUT acts on the new live one',
    async () => {
      assert.equal((await t.call('PATCH', `${TMF}/WO_2`, { status: 'cancelled' })).status, 200);
      assert.equal((await t.call('POST', TMF, tmfCreate('WO2_B', 'WO_2', { validFor: LATER }))).status, 201);
      const moved = await t.call('PUT', `${EXT}/appointments`, {
        ...fixture('ext-update.request'),
        workOrderId: 'WO_2',
        scoringResult: 'OK',
        validFor: day(19),
      });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      assert.equal(moved.body.id, 'WO2_B');
      assert.deepEqual(await list('WO_2'), ['WO2_B:accepted', 'WO_2:cancelled']);
    },
  );

  it(
    'the work order is first the appointment of that id ' + '(the Extension API’s id), even under another externalId',
    async () => {
      assert.equal((await t.call('POST', TMF, tmfCreate('WO_3', 'CRM_REF_3'))).status, 201);
      const put = await t.call('PUT', `${EXT}/appointments`, {
        ...fixture('ext-update.request'),
        workOrderId: 'WO_3',
        scoringResult: 'OK',
        validFor: day(20),
      });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.deepEqual([put.body.id, put.body.validFor], ['WO_3', day(20)]);
      const modify = await t.call('POST', `${EXT}/searchTimeSlots`, {
        ...fixture('ext-search.request'),
        orderWorkId: 'WO_3',
        gescal: '01000500059400011 001B',
        scoringResult: 'OK',
      });
      const r = Object.fromEntries(modify.body.relatedParty.map((p: Json) => [p.role, p.id]));
      assert.deepEqual(
        [r.isNewAppointment, r.validForAppointment],
        ['false', '2030-08-20T09:00:00 - 2030-08-20T11:00:00'],
      );
    },
  );

  it('concurrent creates for one work order in different windows: exactly one succeeds', async () => {
    const attempts = [21, 22, 23, 24, 25, 26].map((d, i) =>
      i % 2 === 0
        ? t.call('POST', TMF, tmfCreate(`WO4_${d}`, 'WO_4', { validFor: day(d) }))
        : t.call('POST', `${EXT}/appointments`, extCreate('WO_4', { validFor: day(d) })),
    );
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 409).length, 5, statuses.join(','));
    assert.equal((await list('WO_4')).length, 1);
  });

  it(
    'a PATCH moving an appointment to a work order with a live appointment is a 409, and changes ' + 'nothing',
    async () => {
      assert.equal((await t.call('POST', TMF, tmfCreate('WO5_A', 'WO_5', { validFor: day(27) }))).status, 201);
      const patch = await t.call('PATCH', `${TMF}/WO5_A`, { externalId: 'WO_1' });
      assert.deepEqual(patch.body, conflictTmf('Work order WO_1 already has the live appointment WO1_A'));
      assert.deepEqual(await list('WO_5'), ['WO5_A:accepted']);
      assert.deepEqual(await list('WO_1'), ['WO1_A:accepted']);
    },
  );
});

describe('Idempotency-Key on POST ext/appointments', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 3 });
  });
  after(() => t.close());

  const post = (body: Json, key?: string) =>
    t.inject({
      method: 'POST',
      url: `${EXT}/appointments`,
      headers: { authorization: `Bearer ${t.key}`, ...(key ? { 'idempotency-key': key } : {}) },
      payload: body,
    });

  it('converting a waiting task: a retry with the same key and body gets the same 201', async () => {
    assert.equal(
      (await t.call('POST', `${EXT}/task`, { ...fixture('ext-task.request'), workOrderId: 'IK_1' })).status,
      200,
    );
    const first = await post(extCreate('IK_1'), 'convert-1');
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json().status, 'accepted');
    const again = await post(extCreate('IK_1'), 'convert-1');
    assert.equal(again.statusCode, 201, again.body);
    assert.deepEqual(again.json(), first.json());
    assert.equal((await t.call('GET', `${TMF}?externalId=IK_1`)).body.length, 1);
  });

  it('… but another window under that key, or no key, is the work order’s 409', async () => {
    const other = await post(extCreate('IK_1', { validFor: LATER }), 'convert-1');
    assert.equal(other.statusCode, 409);
    assert.deepEqual(other.json(), conflictExt('Work order IK_1 already has the live appointment IK_1'));
    assert.equal((await post(extCreate('IK_1'))).statusCode, 409);
    assert.deepEqual((await t.call('GET', `${TMF}/IK_1`)).body.validFor, WINDOW);
  });

  it('a plain create: the retry is the core’s replay, and the key with another request stays a 409', async () => {
    const first = await post(extCreate('IK_2', { validFor: LATER }), 'create-2');
    assert.equal(first.statusCode, 201, first.body);
    const again = await post(extCreate('IK_2', { validFor: LATER }), 'create-2');
    assert.equal(again.statusCode, 201, again.body);
    assert.deepEqual(again.json(), first.json());
    const changed = await post(extCreate('IK_2', { validFor: LATER, segment: 'Empresa' }), 'create-2');
    assert.equal(changed.statusCode, 409);
    assert.equal(changed.json().detailMsg, 'This Idempotency-Key was used with a different request');
  });
});
