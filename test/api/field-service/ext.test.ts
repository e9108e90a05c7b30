/** Appointments Extension API: every documented example, moved to 2030, and every documented error. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assertDocumentedShape,
  createFieldServiceTest,
  fixture,
  roles,
  windowCounts,
  type FieldServiceTest,
  type Json,
} from './field-service.helpers.ts';

const EXT = '/v1/orgs/masmovil/ext';
const TMF = '/v1/orgs/masmovil/appointments';
const WINDOW = { startDateTime: '2030-08-18T13:00:00Z', endDateTime: '2030-08-18T15:00:00Z' };
const LATER = { startDateTime: '2030-08-18T15:00:00Z', endDateTime: '2030-08-18T17:00:00Z' };
// The search example's address: gescal 28… (Madrid).
const MADRID_GESCAL = '28000010025000026 002D';

const extCreate = (workOrderId: string, extra: Json = {}): Json => ({
  ...fixture('ext-create.request'),
  workOrderId,
  ...extra,
});
/**
 * The Extension requests carry no CRM link for the work order nor an address name (the documented responses are the TMF
 * example's).
 */
const UNKNOWABLE = ['$.relatedEntity[0].href', '$.relatedPlace.name'];
const badRequest = (detailMsg: string) => ({ code: '400', status: 'BAD_REQUEST', message: 'Bad Request', detailMsg });

describe('Appointments Extension API', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 3 });
  });
  after(() => t.close());

  it(
    'POST ext/appointments with the documented example (numbers where strings are documented): 201 and the ' +
      'documented shape',
    async () => {
      const res = await t.call('POST', `${EXT}/appointments`, fixture('ext-create.request'));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assertDocumentedShape(res.body, fixture('ext-create.response'), UNKNOWABLE);
      assert.equal(res.body.id, 'MYSIM_391588');
      assert.equal(res.body.externalId, 'MYSIM_391588');
      assert.equal(res.body.status, 'accepted');
      assert.deepEqual(res.body.validFor, WINDOW);
      const r = roles(res.body.relatedParty);
      assert.deepEqual(
        {
          tenant: r.tenant,
          user_role: r.user_role,
          user_code: r.user_code,
          phoneNumber: r.phoneNumber,
          zipcode: r.zipcode,
          duration: r.duration,
          scoring_result: r.scoring_result,
          scoring_level: r.scoring_level,
        },
        {
          tenant: '16',
          user_role: '10',
          user_code: '12',
          phoneNumber: '686201221',
          zipcode: '28036',
          duration: '80',
          scoring_result: 'RISK',
          scoring_level: '1',
        },
      );
      assert.deepEqual(res.body.relatedPlace, {
        href: 'https://gescal37/geographicAddress/01000500059400011',
        id: '01000500059400011 001B',
        role: 'interventionAddress',
      });
      assert.equal(roles(res.body.relatedEntity).donorOperator, '00833');
      const viaTmf = await t.call('GET', `${TMF}/MYSIM_391588`);
      assert.deepEqual(viaTmf.body, res.body, 'the same appointment through the Appointments API');
    },
  );

  it('PUT ext/appointments with the documented example: 200, the documented shape, fields refreshed', async () => {
    const res = await t.call('PUT', `${EXT}/appointments`, fixture('ext-update.request'));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assertDocumentedShape(res.body, fixture('ext-update.response'), UNKNOWABLE);
    assert.equal(roles(res.body.relatedParty).segment, 'RESIDENTIAL');
    assert.deepEqual(res.body.validFor, WINDOW);
  });

  it('PUT with another validFor moves the work order’s appointment and gives the old window back', async () => {
    const search = {
      ...fixture('tmf-search.request'),
      id: undefined,
      requestedTimeSlot: [{ validFor: WINDOW }, { validFor: LATER }],
    };
    const before = (await t.call('POST', `${TMF}/searchTimeSlot`, search)).body;
    const res = await t.call('PUT', `${EXT}/appointments`, { ...fixture('ext-update.request'), validFor: LATER });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.validFor, LATER);
    const after = (await t.call('POST', `${TMF}/searchTimeSlot`, search)).body;
    assert.equal(windowCounts(after, WINDOW.startDateTime)!.free, windowCounts(before, WINDOW.startDateTime)!.free + 1);
    assert.equal(windowCounts(after, LATER.startDateTime)!.free, windowCounts(before, LATER.startDateTime)!.free - 1);
  });

  it('PUT of an unknown work order: 404 in the Extension format', async () => {
    const res = await t.call('PUT', `${EXT}/appointments`, {
      ...fixture('ext-update.request'),
      workOrderId: 'Y999999',
    });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, {
      code: '404',
      status: 'NOT_FOUND',
      message: 'Not Found',
      detailMsg: 'Work order Y999999 not found',
    });
  });

  it('POST ext/appointments twice for one work order, or into a full window: 409 in the Extension format', async () => {
    const again = await t.call('POST', `${EXT}/appointments`, fixture('ext-create.request'));
    assert.equal(again.status, 409);
    assert.deepEqual(Object.keys(again.body), ['code', 'status', 'message', 'detailMsg']);
    assert.deepEqual([again.body.code, again.body.status, again.body.message], ['409', 'CONFLICT', 'Conflict']);
    const full = { startDateTime: '2030-08-16T07:00:00Z', endDateTime: '2030-08-16T09:00:00Z' };
    for (const id of ['WD_1', 'WD_2', 'WD_3'])
      assert.equal((await t.call('POST', `${EXT}/appointments`, extCreate(id, { validFor: full }))).status, 201);
    const res = await t.call('POST', `${EXT}/appointments`, extCreate('WD_4', { validFor: full }));
    assert.equal(res.status, 409);
    assert.equal(res.body.detailMsg, 'The requested time is no longer available');
  });

  it(
    'POST ext/searchTimeSlots with the documented example: ' + '200 and the documented shape (Madrid by gescal)',
    async () => {
      const res = await t.call('POST', `${EXT}/searchTimeSlots`, fixture('ext-search.request'));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      // The search sends a gescal id only: the address name of the documented echo is not known, so not invented.
      assertDocumentedShape(res.body, fixture('ext-search.response'), ['$.relatedPlace.name']);
      assert.deepEqual(
        res.body.requestedTimeSlot,
        [{ validFor: { startDateTime: '2030-08-10T06:00:00Z', endDateTime: '2030-10-09T06:00:00Z' } }],
        'the period searched: now to the 60-day horizon',
      );
      assert.equal(res.body.id, 'MYSIM_123456');
      assert.equal(res.body.relatedPlace.id, MADRID_GESCAL);
      const r = roles(res.body.relatedParty);
      assert.deepEqual(
        [r.tenant, r.category, r.zipcode, r.isNewAppointment, r.middleName],
        ['masmovil', 'installation', '28033', 'true', 'María'],
      );
      assert.equal(roles(res.body.relatedEntity).orderType, 'Alta FTTH + VOIP__AGILETV');
      assert.equal(res.body.availableTimeSlot[0].validFor.startDateTime, '2030-08-10T07:00:00.000Z');
      assert.ok(!JSON.stringify(res.body).includes('147hytr'), 'the accessToken is never echoed');
    },
  );

  it('MODIFICARCITA counts the work order’s own place as free and echoes it; NUEVACITA does not', async () => {
    const booked = await t.call(
      'POST',
      `${EXT}/appointments`,
      extCreate('MYSIM_123456', { gescalId: MADRID_GESCAL, scoringResult: 'OK', validFor: LATER }),
    );
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    const modify = await t.call('POST', `${EXT}/searchTimeSlots`, fixture('ext-search.request'));
    assert.deepEqual(windowCounts(modify.body, LATER.startDateTime), { free: 3, occupied: 0 });
    const r = roles(modify.body.relatedParty);
    assert.equal(r.isNewAppointment, 'false');
    assert.equal(r.validForAppointment, '2030-08-18T17:00:00 - 2030-08-18T19:00:00');
    assert.equal(r.duration, '80');
    const fresh = await t.call('POST', `${EXT}/searchTimeSlots`, {
      ...fixture('ext-search.request'),
      action: 'NUEVACITA',
    });
    assert.deepEqual(windowCounts(fresh.body, LATER.startDateTime), { free: 2, occupied: 1 });
  });
});

describe('Extension tasks become appointments', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 2 });
  });
  after(() => t.close());

  it('POST ext/task with the documented example: 200, an initialized request for whole local days', async () => {
    const res = await t.call('POST', `${EXT}/task`, fixture('ext-task.request'));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assertDocumentedShape(res.body, fixture('ext-task.response'), UNKNOWABLE);
    assert.equal(res.body.id, 'MYSIM_391588');
    assert.equal(res.body.status, 'initialized');
    assert.equal(res.body.description, 'Tarea para conseguir una cita');
    // TIME_ZONE_1 = Europe/Madrid: from 2030-08-15 00:00 CEST to the end of 2030-08-20.
    assert.deepEqual(res.body.validFor, { startDateTime: '2030-08-14T22:00:00Z', endDateTime: '2030-08-20T22:00:00Z' });
    assert.deepEqual(
      res.body.note.map((n: Json) => [n.author, n.text]),
      [['string', 'string']],
    );
  });

  it('a task is listed by status, and POST ext/appointments on its work order gives it the window (201)', async () => {
    const got = await t.call('GET', `${TMF}/MYSIM_391588`);
    assert.equal(got.body.status, 'initialized');
    const waiting = await t.call('GET', `${TMF}?status=initialized`);
    assert.deepEqual(
      waiting.body.map((a: Json) => a.id),
      ['MYSIM_391588'],
    );
    const booked = await t.call('POST', `${EXT}/appointments`, fixture('ext-create.request'));
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    assert.equal(booked.body.id, 'MYSIM_391588');
    assert.equal(booked.body.status, 'accepted');
    assert.deepEqual(booked.body.validFor, WINDOW);
    assert.equal(booked.body.note.length, 1, 'the task’s note is kept');
    assert.deepEqual((await t.call('GET', `${TMF}?status=initialized`)).body, []);
    assert.deepEqual(
      (await t.call('GET', `${TMF}?externalId=MYSIM_391588`)).body.map((a: Json) => a.status),
      ['accepted'],
    );
  });

  it('a task with a duration longer than a window is fine; booking it into a 2-hour window is a 400', async () => {
    const task = await t.call('POST', `${EXT}/task`, {
      ...fixture('ext-task.request'),
      workOrderId: 'Y360852',
      duration: '200',
    });
    assert.equal(task.status, 200);
    const res = await t.call('POST', `${EXT}/appointments`, extCreate('Y360852', { duration: 200, validFor: LATER }));
    assert.equal(res.status, 400);
    assert.match(
      res.body.detailMsg,
      /^The \[duration\] attribute \(200 minutes\) is longer than the window \(120 minutes\)/,
    );
  });
});

describe('Extension API errors', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 1 });
  });
  after(() => t.close());

  const post = (path: string, body: unknown) => t.call('POST', `${EXT}/${path}`, body);

  it('a missing required attribute: the documented body (code as the schema’s string)', async () => {
    const { category: _, ...body } = fixture('ext-create.request');
    const res = await post('appointments', body);
    assert.equal(res.status, 400);
    const documented = fixture('ext-bad-request.response');
    assert.deepEqual(res.body, { ...documented, code: String(documented.code) });
    const { category: __, ...search } = fixture('ext-search.request');
    assert.deepEqual((await post('searchTimeSlots', search)).body, badRequest('The [category] attribute is required.'));
    const { note: ___, ...task } = fixture('ext-task.request');
    assert.deepEqual((await post('task', task)).body, badRequest('The [note] attribute is required.'));
    const { duration: ____, ...update } = fixture('ext-update.request');
    assert.deepEqual(
      (await t.call('PUT', `${EXT}/appointments`, update)).body,
      badRequest('The [duration] attribute is required.'),
    );
  });

  it('wrong enum values', async () => {
    assert.deepEqual(
      (await post('appointments', extCreate('Y1', { scoringResult: 'MAYBE' }))).body,
      badRequest('The [scoringResult] attribute must be one of [OK, RELEASE, RISK, A, R].'),
    );
    assert.deepEqual(
      (await post('appointments', extCreate('Y1', { ctoPoleDB: 'POSTE X' }))).body,
      badRequest('The [ctoPoleDB] attribute must be one of [POSTE, POSTE H, NO POSTE].'),
    );
    assert.deepEqual(
      (await post('task', { ...fixture('ext-task.request'), timeZone: 'CET' })).body,
      badRequest('The [timeZone] attribute must be one of [TIME_ZONE_1, TIME_ZONE_2, TIME_ZONE_3, TIME_ZONE_4].'),
    );
    assert.deepEqual(
      (await post('searchTimeSlots', { ...fixture('ext-search.request'), action: 'BORRARCITA' })).body,
      badRequest('The [action] attribute must be one of [NUEVACITA, MODIFICARCITA].'),
    );
  });

  it('bad patterns, bad dates and wrong types (no coercion)', async () => {
    assert.deepEqual(
      (await post('appointments', extCreate('Y1', { scoringLevel: 'high' }))).body,
      badRequest('The [scoringLevel] attribute must match the pattern ^[0-9]+$.'),
    );
    assert.deepEqual(
      (await post('appointments', extCreate('Y1', { duration: '80 min' }))).body,
      badRequest('The [duration] attribute must match the pattern ^\\d+$.'),
    );
    assert.deepEqual(
      (await post('task', { ...fixture('ext-task.request'), startDate: 'string' })).body,
      badRequest('The [startDate] attribute must be a date in the format yyyy-MM-dd.'),
    );
    assert.deepEqual(
      (await post('task', { ...fixture('ext-task.request'), endDate: '2030-08-10' })).body,
      badRequest('The [endDate] attribute must not be before startDate.'),
    );
    assert.deepEqual(
      (await post('appointments', extCreate('Y1', { userRole: true }))).body,
      badRequest('The [userRole] attribute must be a string or a number.'),
    );
    assert.deepEqual(
      (await post('appointments', extCreate('Y1', { customer: 'Carmen' }))).body,
      badRequest('The [customer] attribute must be an object.'),
    );
    assert.deepEqual(
      (
        await post(
          'appointments',
          extCreate('Y1', { validFor: { startDateTime: '2030-08-18', endDateTime: WINDOW.endDateTime } }),
        )
      ).body,
      badRequest('The [validFor.startDateTime] attribute must be a date-time (RFC 3339, e.g. 2030-08-18T13:00:00Z).'),
    );
    assert.deepEqual((await post('appointments', [])).body, badRequest('The request body must be a JSON object.'));
    assert.deepEqual(
      (await post('appointments', extCreate('MYSIM 1/2'))).body,
      badRequest('The [workOrderId] attribute must match the pattern ^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$.'),
    );
  });

  it('malformed JSON, a past window, an address nobody serves', async () => {
    assert.deepEqual(
      (await post('appointments', '{"workOrderId": ')).body,
      badRequest('The request body is not valid JSON.'),
    );
    const past = await post(
      'appointments',
      extCreate('Y2', { validFor: { startDateTime: '2020-08-18T13:00:00Z', endDateTime: '2020-08-18T15:00:00Z' } }),
    );
    assert.deepEqual(past.body, badRequest('The requested time is in the past'));
    const nowhere = await post(
      'appointments',
      extCreate('Y3', { gescalId: '99000000000000000', customer: { zipcode: 99999 } }),
    );
    assert.deepEqual(nowhere.body, badRequest('No site serves this address'));
  });
});
