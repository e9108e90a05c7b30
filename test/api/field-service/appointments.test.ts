/** Appointments API (TMF646 style): every documented example, moved to 2030, and every documented error. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN } from '../../helpers/test-app.ts';
import {
  assertDocumentedShape,
  createFieldServiceTest,
  fixture,
  roles,
  windowCounts,
  type FieldServiceTest,
  type Json,
} from './field-service.helpers.ts';

const BASE = '/v1/orgs/masmovil/appointments';
// 2030-08-18 13:00Z–15:00Z is the 15:00–17:00 window in Madrid (CEST).
const WINDOW = { startDateTime: '2030-08-18T13:00:00Z', endDateTime: '2030-08-18T15:00:00Z' };
const NEXT_WINDOW = { startDateTime: '2030-08-18T15:00:00Z', endDateTime: '2030-08-18T17:00:00Z' };

const create = (id: string, extra: Json = {}): Json => ({
  ...fixture('tmf-create.request'),
  id,
  externalId: id,
  ...extra,
});
const searchOn = (validFor: Json): Json => ({ ...fixture('tmf-search.request'), requestedTimeSlot: [{ validFor }] });

describe('Appointments API (TMF646 style)', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 3 });
  });
  after(() => t.close());

  it(
    'POST /appointments with the documented example: ' + '201, documented shape, tenant added to relatedParty',
    async () => {
      const res = await t.call('POST', BASE, fixture('tmf-create.request'));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assertDocumentedShape(res.body, fixture('tmf-create.response'));
      const request = fixture('tmf-create.request');
      for (const k of [
        'category',
        'contactMedium',
        'description',
        'externalId',
        'id',
        'note',
        'relatedEntity',
        'relatedPlace',
        'resourceOrderItem',
        'status',
        'validFor',
      ])
        assert.deepEqual(res.body[k], request[k], k);
      const documentedRoles = fixture('tmf-create.response').relatedParty.map((p: Json) => p.role);
      assert.deepEqual(
        res.body.relatedParty.map((p: Json) => p.role),
        documentedRoles,
      );
      assert.equal(roles(res.body.relatedParty).tenant, 'masmovil');
      assert.equal(res.body.creationDate, '2030-08-10T06:00:00Z');
      assert.equal(res.body.lastUpdate, '2030-08-10T06:00:00Z');
    },
  );

  it('GET /appointments/{id} with the documented example: 200 and the documented shape', async () => {
    const res = await t.call('GET', `${BASE}/MYSIM_391588`);
    assert.equal(res.status, 200);
    assertDocumentedShape(res.body, fixture('tmf-get.response'));
    assert.equal(res.body.status, 'accepted');
  });

  it('GET /appointments/{id} of an unknown id: 404 with exactly the documented body', async () => {
    const res = await t.call('GET', `${BASE}/MYSIM_6922893`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, fixture('tmf-not-found.response'));
  });

  it(
    'POST /appointments/searchTimeSlot with the documented ' + 'example: 200, documented shape, counts per window',
    async () => {
      const res = await t.call('POST', `${BASE}/searchTimeSlot`, fixture('tmf-search.request'));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assertDocumentedShape(res.body, { ...fixture('tmf-search.response') });
      assert.deepEqual(
        res.body.availableTimeSlot.map((s: Json) => s.validFor),
        [{ startDateTime: '2030-08-18T13:00:00.000Z', endDateTime: '2030-08-18T15:00:00.000Z' }],
      );
      // The example's id is the appointment booked above in that window: its own place counts as free.
      assert.deepEqual(windowCounts(res.body, WINDOW.startDateTime), { free: 3, occupied: 0 });
      assert.equal(res.body.searchResult, 'success');
      assert.equal(res.body.status, 'created');
      assert.equal(res.body.searchDate, '2030-08-10T06:00:00Z');
      const request = fixture('tmf-search.request');
      for (const k of ['id', 'relatedEntity', 'relatedPlace', 'requestedTimeSlot', 'resourceOrderItem'])
        assert.deepEqual(res.body[k], request[k], k);
      assert.equal(roles(res.body.relatedParty).tenant, 'masmovil');
      assert.equal(roles(res.body.relatedParty).category, 'installation');
    },
  );

  it(
    'searchTimeSlot without requestedTimeSlot: every window of the booking horizon, 2 h each, from 09:00 Madrid ' +
      'time',
    async () => {
      const { requestedTimeSlot: _, ...body } = fixture('tmf-search.request');
      const res = await t.call('POST', `${BASE}/searchTimeSlot`, {
        ...body,
        relatedParty: body.relatedParty.filter((p: Json) => p.role !== 'scoring_result'),
      });
      assert.equal(res.status, 200);
      const starts = res.body.availableTimeSlot.map((s: Json) => s.validFor.startDateTime);
      assert.equal(starts[0], '2030-08-10T07:00:00.000Z'); // 09:00 CEST, the first window after 06:00Z + 60 min notice
      assert.ok(starts.includes('2030-08-15T09:00:00.000Z'));
      assert.ok(
        starts.every((s: string) => new Date(s) < new Date('2030-10-09T06:00:00Z')),
        'within the 60-day horizon',
      );
      for (const s of res.body.availableTimeSlot)
        assert.equal(
          new Date(s.validFor.endDateTime).getTime() - new Date(s.validFor.startDateTime).getTime(),
          7_200_000,
        );
    },
  );

  it(
    'a RISK scoring books tomorrow by default (the documents state no notice), and only 48 hours ahead once the ' +
      'tenant sets riskNotice',
    async () => {
      const TOMORROW = { startDateTime: '2030-08-11T07:00:00Z', endDateTime: '2030-08-11T09:00:00Z' };
      const { requestedTimeSlot: _, ...body } = fixture('tmf-search.request'); // scoring_result RISK
      const open = await t.call('POST', `${BASE}/searchTimeSlot`, body);
      assert.equal(open.body.availableTimeSlot[0].validFor.startDateTime, '2030-08-10T07:00:00.000Z');
      const seedExample = await t.call('POST', BASE, create('MYSIM_RISK0', { validFor: TOMORROW }));
      assert.equal(seedExample.status, 201, JSON.stringify(seedExample.body));
      const extExample = await t.call('POST', '/v1/orgs/masmovil/ext/appointments', {
        ...fixture('ext-create.request'),
        workOrderId: 'MYSIM_RISK2',
        validFor: TOMORROW,
      });
      assert.equal(extExample.status, 201, JSON.stringify(extExample.body));

      const settings = { riskNotice: { scorings: ['RISK', 'R'], hours: 48 } };
      const set = await t.inject({
        method: 'PATCH',
        url: '/admin/v1/tenants/masmovil',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        payload: { settings },
      });
      assert.equal(set.statusCode, 200, set.body);
      assert.deepEqual(JSON.parse(set.body).settings, { ...settings, defaultPhoneCountry: null });
      try {
        const res = await t.call('POST', `${BASE}/searchTimeSlot`, body);
        assert.equal(res.status, 200);
        assert.equal(res.body.availableTimeSlot[0].validFor.startDateTime, '2030-08-12T07:00:00.000Z');
        const soon = await t.call('POST', BASE, create('MYSIM_RISK1', { validFor: TOMORROW }));
        assert.equal(soon.status, 409);
        assert.match(soon.body.componentMsg, /48 hours/);
      } finally {
        await t.inject({
          method: 'PATCH',
          url: '/admin/v1/tenants/masmovil',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          payload: { settings: { riskNotice: null } },
        });
      }
    },
  );

  it('booking a window lowers freeSlots and raises ocuppiedSlots by one; cancelling gives the place back', async () => {
    const before = windowCounts(
      (await t.call('POST', `${BASE}/searchTimeSlot`, searchOn(NEXT_WINDOW))).body,
      NEXT_WINDOW.startDateTime,
    );
    assert.deepEqual(before, { free: 3, occupied: 0 });
    assert.equal((await t.call('POST', BASE, create('MYSIM_100001', { validFor: NEXT_WINDOW }))).status, 201);
    const during = windowCounts(
      (await t.call('POST', `${BASE}/searchTimeSlot`, searchOn(NEXT_WINDOW))).body,
      NEXT_WINDOW.startDateTime,
    );
    assert.deepEqual(during, { free: 2, occupied: 1 });
    const cancelled = await t.call('PATCH', `${BASE}/MYSIM_100001`, { status: 'cancelled' });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    const after = windowCounts(
      (await t.call('POST', `${BASE}/searchTimeSlot`, searchOn(NEXT_WINDOW))).body,
      NEXT_WINDOW.startDateTime,
    );
    assert.deepEqual(after, { free: 3, occupied: 0 });
  });

  it('searching with the id of an appointment counts its own place as free; without it, it is occupied', async () => {
    const own = await t.call('POST', `${BASE}/searchTimeSlot`, { ...searchOn(WINDOW), id: 'MYSIM_391588' });
    assert.deepEqual(windowCounts(own.body, WINDOW.startDateTime), { free: 3, occupied: 0 });
    const { id: _, ...anonymous } = searchOn(WINDOW);
    const other = await t.call('POST', `${BASE}/searchTimeSlot`, anonymous);
    assert.deepEqual(windowCounts(other.body, WINDOW.startDateTime), { free: 2, occupied: 1 });
  });

  it('PATCH with the documented example: 200, documented shape, the note is not duplicated', async () => {
    const res = await t.call('PATCH', `${BASE}/MYSIM_391588`, fixture('tmf-patch.request'));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assertDocumentedShape(res.body, fixture('tmf-patch.response'));
    assert.equal(res.body.note.length, 1);
    assert.equal(res.body.status, 'accepted');
  });

  it('PATCH validFor moves the appointment (re-checked) and gives the old window back; notes append', async () => {
    const to = { startDateTime: '2030-08-17T07:00:00Z', endDateTime: '2030-08-17T09:00:00Z' };
    assert.equal((await t.call('POST', BASE, create('MYSIM_100002', { validFor: WINDOW }))).status, 201);
    const beforeMove = windowCounts(
      (await t.call('POST', `${BASE}/searchTimeSlot`, searchOn(WINDOW))).body,
      WINDOW.startDateTime,
    )!;
    const moved = await t.call('PATCH', `${BASE}/MYSIM_100002`, {
      validFor: to,
      note: [{ author: 'back-office', text: 'customer asked to move' }],
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.deepEqual(moved.body.validFor, to);
    assert.deepEqual(
      moved.body.note.map((n: Json) => n.text),
      ['Problem explained to the back-office', 'customer asked to move'],
    );
    const afterMove = windowCounts(
      (await t.call('POST', `${BASE}/searchTimeSlot`, searchOn(WINDOW))).body,
      WINDOW.startDateTime,
    )!;
    assert.equal(afterMove.free, beforeMove.free + 1);
    const outside = await t.call('PATCH', `${BASE}/MYSIM_100002`, {
      validFor: { startDateTime: '2030-08-17T08:00:00Z', endDateTime: '2030-08-17T10:00:00Z' },
    });
    assert.equal(outside.status, 400);
    assert.match(outside.body.componentMsg, /not a bookable time/);
  });

  it('PATCH status follows the state machine: complete, then an illegal move back is a 400', async () => {
    assert.equal((await t.call('POST', BASE, create('MYSIM_100003', { validFor: WINDOW }))).status, 201);
    const started = await t.call('PATCH', `${BASE}/MYSIM_100003`, { status: 'inProgress' });
    assert.equal(started.body.status, 'inProgress');
    const done = await t.call('PATCH', `${BASE}/MYSIM_100003`, { status: 'completed' });
    assert.equal(done.body.status, 'completed');
    const back = await t.call('PATCH', `${BASE}/MYSIM_100003`, { status: 'accepted' });
    assert.equal(back.status, 400);
    assert.deepEqual(Object.keys(back.body).sort(), ['componentMsg', 'id', 'msg', 'status']);
    assert.equal(back.body.componentMsg, 'The [status] attribute cannot change from completed to accepted.');
    const bad = await t.call('PATCH', `${BASE}/MYSIM_100003`, { status: 'done' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.componentMsg, /^The \[status\] attribute must be one of \[initialized, accepted/);
  });

  it('PATCH status accepted with a new validFor reopens a cancelled appointment in that window', async () => {
    const to = { startDateTime: '2030-08-19T07:00:00Z', endDateTime: '2030-08-19T09:00:00Z' };
    assert.equal((await t.call('POST', BASE, create('MYSIM_100004', { validFor: NEXT_WINDOW }))).status, 201);
    assert.equal(
      (await t.call('PATCH', `${BASE}/MYSIM_100004`, { status: 'cancelled', validFor: to })).body.validFor
        .startDateTime,
      NEXT_WINDOW.startDateTime,
    );
    const reopened = await t.call('PATCH', `${BASE}/MYSIM_100004`, { status: 'accepted', validFor: to });
    assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
    assert.deepEqual([reopened.body.status, reopened.body.validFor], ['accepted', to]);
  });

  it('PATCH of an unknown id: 404 in the documented format', async () => {
    const res = await t.call('PATCH', `${BASE}/MYSIM_6922893`, { status: 'cancelled' });
    assert.deepEqual(res.body, fixture('tmf-not-found.response'));
  });

  it('POST with an existing id: 409', async () => {
    const res = await t.call('POST', BASE, fixture('tmf-create.request'));
    assert.equal(res.status, 409);
    assert.deepEqual(res.body, {
      componentMsg: 'Appointment MYSIM_391588 already exists',
      id: 'MM0000003',
      msg: 'Conflict',
      status: 409,
    });
  });

  it('POST into a full window: 409', async () => {
    const full = { startDateTime: '2030-08-16T07:00:00Z', endDateTime: '2030-08-16T09:00:00Z' };
    for (let i = 0; i < 3; i++)
      assert.equal((await t.call('POST', BASE, create(`MYSIM_20000${i}`, { validFor: full }))).status, 201);
    const res = await t.call('POST', BASE, create('MYSIM_200009', { validFor: full }));
    assert.equal(res.status, 409);
    assert.equal(res.body.msg, 'Conflict');
    assert.equal(
      windowCounts((await t.call('POST', `${BASE}/searchTimeSlot`, searchOn(full))).body, full.startDateTime),
      undefined,
      'a full window is not offered',
    );
  });

  it(
    '400 for a past window, a missing validFor, a malformed date, a window the job does not fit, malformed ' + 'JSON',
    async () => {
      const past = await t.call(
        'POST',
        BASE,
        create('MYSIM_300001', {
          validFor: { startDateTime: '2020-08-18T13:00:00Z', endDateTime: '2020-08-18T15:00:00Z' },
        }),
      );
      assert.equal(past.status, 400);
      assert.deepEqual(past.body, {
        componentMsg: 'The requested time is in the past',
        id: 'MM0000001',
        msg: 'Bad request',
        status: 400,
      });

      const { validFor: _, ...noValidFor } = create('MYSIM_300002');
      const missing = await t.call('POST', BASE, noValidFor);
      assert.deepEqual(missing.body, {
        componentMsg: 'The [validFor] attribute is required.',
        id: 'MM0000001',
        msg: 'Bad request',
        status: 400,
      });

      const badDate = await t.call(
        'POST',
        BASE,
        create('MYSIM_300003', { validFor: { startDateTime: '18/08/2030 13:00', endDateTime: WINDOW.endDateTime } }),
      );
      assert.equal(
        badDate.body.componentMsg,
        'The [validFor.startDateTime] attribute must be a date-time (RFC 3339, e.g. 2030-08-18T13:00:00Z).',
      );

      const long = create('MYSIM_300004', { validFor: NEXT_WINDOW });
      long.relatedParty = long.relatedParty.map((p: Json) => (p.role === 'duration' ? { ...p, id: '180' } : p));
      const tooLong = await t.call('POST', BASE, long);
      assert.equal(tooLong.status, 400);
      assert.match(
        tooLong.body.componentMsg,
        /^The \[duration\] attribute \(180 minutes\) is longer than the window \(120 minutes\)/,
      );

      const json = await t.call('POST', BASE, '{"id": "MYSIM_1", ');
      assert.deepEqual(json.body, {
        componentMsg: 'The request body is not valid JSON.',
        id: 'MM0000001',
        msg: 'Bad request',
        status: 400,
      });

      const noPlace = create('MYSIM_300005', { relatedPlace: undefined, relatedParty: [] });
      assert.equal(
        (await t.call('POST', BASE, noPlace)).body.componentMsg,
        'The [relatedPlace] attribute is required.',
      );
    },
  );

  it('an initialized appointment (no time yet) is listed by status and accepted by giving it a validFor', async () => {
    const asked = await t.call(
      'POST',
      BASE,
      create('MYSIM_400001', {
        status: 'initialized',
        validFor: { startDateTime: '2030-08-15T00:00:00Z', endDateTime: '2030-08-20T00:00:00Z' },
      }),
    );
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    assert.equal(asked.body.status, 'initialized');
    const listed = await t.call('GET', `${BASE}?status=initialized`);
    assert.equal(listed.status, 200);
    assert.ok(listed.body.some((a: Json) => a.id === 'MYSIM_400001'));
    assert.equal(listed.headers['x-total-count'], String(listed.body.length));
    const booked = await t.call('PATCH', `${BASE}/MYSIM_400001`, { validFor: NEXT_WINDOW });
    assert.equal(booked.status, 200, JSON.stringify(booked.body));
    assert.equal(booked.body.status, 'accepted');
    const byWorkOrder = await t.call('GET', `${BASE}?externalId=MYSIM_400001`);
    assert.deepEqual(
      byWorkOrder.body.map((a: Json) => a.status),
      ['accepted'],
    );
  });
});
