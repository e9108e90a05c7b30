/**
 * Changes without a new validFor that still concern the window (address, duration), and changes a status forbids, in
 * the APIs' words.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin } from '../../helpers/test-app.ts';
import {
  createFieldServiceTest,
  fixture,
  windowCounts,
  type FieldServiceTest,
  type Json,
} from './field-service.helpers.ts';

const TMF = '/v1/orgs/masmovil/appointments';
const EXT = '/v1/orgs/masmovil/ext';
const WINDOW = { startDateTime: '2030-08-18T13:00:00Z', endDateTime: '2030-08-18T15:00:00Z' };
const LATER = { startDateTime: '2030-08-18T15:00:00Z', endDateTime: '2030-08-18T17:00:00Z' };
const ALAVA = {
  href: 'https://gescal37/geographicAddress/01000500059400011',
  id: '01000500059400011 001B',
  name: 'Reyes de Navarra 11, 1B, Vitoria, Alava',
  role: 'interventionAddress',
};
const MADRID = {
  href: 'https://gescal37/geographicAddress/28000010025000026',
  id: '28000010025000026 002D',
  role: 'interventionAddress',
};

const create = (id: string, extra: Json = {}): Json => ({
  ...fixture('tmf-create.request'),
  id,
  externalId: id,
  validFor: WINDOW,
  ...extra,
});
const withParty = (parties: Json[], role: string, id: string) =>
  parties.map((p) => (p.role === role ? { ...p, id } : p));
/** Counts of WINDOW at a place, for a customer without scoring, searching as nobody in particular. */
const searchAt = (relatedPlace: Json): Json => {
  const { id: _, ...body } = fixture('tmf-search.request');
  return {
    ...body,
    relatedPlace,
    relatedParty: body.relatedParty.filter((p: Json) => p.role !== 'scoring_result'),
    requestedTimeSlot: [{ validFor: WINDOW }],
  };
};
const tmfBadRequest = (componentMsg: string) => ({ componentMsg, id: 'MM0000001', msg: 'Bad request', status: 400 });

describe('PATCH without validFor that concerns the window', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 2 });
  });
  after(() => t.close());

  const counts = async (place: Json) =>
    windowCounts((await t.call('POST', `${TMF}/searchTimeSlot`, searchAt(place))).body, WINDOW.startDateTime);

  it('a new relatedPlace re-resolves the territory and takes a technician there for the current window', async () => {
    assert.equal((await t.call('POST', TMF, create('MOVE_1'))).status, 201);
    assert.deepEqual(
      [await counts(ALAVA), await counts(MADRID)],
      [
        { free: 1, occupied: 1 },
        { free: 2, occupied: 0 },
      ],
    );
    const res = await t.call('PATCH', `${TMF}/MOVE_1`, { relatedPlace: MADRID });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual([res.body.relatedPlace, res.body.validFor, res.body.status], [MADRID, WINDOW, 'accepted']);
    assert.deepEqual(
      [await counts(ALAVA), await counts(MADRID)],
      [
        { free: 2, occupied: 0 },
        { free: 1, occupied: 1 },
      ],
    );
    assert.equal((await t.core.booking.getAppointment(admin, 'masmovil', 'MOVE_1')).siteId, 'madrid');
  });

  it('a zipcode change without a gescal address moves it the same way', async () => {
    const body = create('MOVE_2', { relatedPlace: undefined });
    assert.equal((await t.call('POST', TMF, body)).status, 201); // 28036: Madrid
    const res = await t.call('PATCH', `${TMF}/MOVE_2`, {
      relatedParty: withParty(body.relatedParty, 'zipcode', '01008'),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((await t.core.booking.getAppointment(admin, 'masmovil', 'MOVE_2')).siteId, 'alava');
  });

  it('a place no territory serves: 400, nothing changed', async () => {
    const res = await t.call('PATCH', `${TMF}/MOVE_1`, {
      relatedPlace: { id: '99000000000000000', role: 'interventionAddress' },
      relatedParty: withParty(fixture('tmf-create.request').relatedParty, 'zipcode', '99999'),
    });
    assert.deepEqual(res.body, tmfBadRequest('No site serves this address'));
    assert.deepEqual((await t.call('GET', `${TMF}/MOVE_1`)).body.relatedPlace, MADRID);
  });

  it('removing every place of a booked appointment: 400', async () => {
    const res = await t.call('PATCH', `${TMF}/MOVE_1`, {
      relatedPlace: {},
      relatedParty: fixture('tmf-create.request').relatedParty.filter((p: Json) => p.role !== 'zipcode'),
    });
    assert.deepEqual(res.body, tmfBadRequest('The [relatedPlace] attribute is required.'));
  });

  it('a duration longer than the current window: 400, as on create', async () => {
    const res = await t.call('PATCH', `${TMF}/MOVE_1`, {
      relatedParty: withParty(fixture('tmf-create.request').relatedParty, 'duration', '180'),
    });
    assert.equal(res.status, 400);
    assert.match(
      res.body.componentMsg,
      /^The \[duration\] attribute \(180 minutes\) is longer than the window \(120 minutes\)/,
    );
    const fits = await t.call('PATCH', `${TMF}/MOVE_1`, {
      relatedParty: withParty(fixture('tmf-create.request').relatedParty, 'duration', '110'),
    });
    assert.equal(fits.status, 200, JSON.stringify(fits.body));
  });

  it('a cancelled appointment changes its address without being reopened; a task any duration', async () => {
    assert.equal((await t.call('POST', TMF, create('MOVE_3', { validFor: LATER }))).status, 201);
    assert.equal((await t.call('PATCH', `${TMF}/MOVE_3`, { status: 'cancelled' })).status, 200);
    const res = await t.call('PATCH', `${TMF}/MOVE_3`, { relatedPlace: MADRID });
    assert.deepEqual([res.status, res.body.status], [200, 'cancelled']);
    assert.equal(
      (await t.call('POST', `${EXT}/task`, { ...fixture('ext-task.request'), workOrderId: 'MOVE_4' })).status,
      200,
    );
    const long = await t.call('PATCH', `${TMF}/MOVE_4`, {
      relatedParty: withParty((await t.call('GET', `${TMF}/MOVE_4`)).body.relatedParty, 'duration', '300'),
    });
    assert.deepEqual([long.status, long.body.status], [200, 'initialized']);
  });
});

describe('changes a status forbids, in the APIs’ own words', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 2 });
  });
  after(() => t.close());

  const immovable = (status: string) =>
    `The [status] attribute is ${status}: an appointment in that state cannot be moved to another window or place.`;

  it('an inProgress appointment cannot be moved (validFor) nor sent elsewhere (relatedPlace)', async () => {
    assert.equal((await t.call('POST', TMF, create('STATE_1'))).status, 201);
    assert.equal((await t.call('PATCH', `${TMF}/STATE_1`, { status: 'inProgress' })).status, 200);
    assert.deepEqual(
      (await t.call('PATCH', `${TMF}/STATE_1`, { validFor: LATER })).body,
      tmfBadRequest(immovable('inProgress')),
    );
    assert.deepEqual(
      (await t.call('PATCH', `${TMF}/STATE_1`, { relatedPlace: MADRID })).body,
      tmfBadRequest(immovable('inProgress')),
    );
  });

  it('a completed work order cannot be moved through PUT ext/appointments either', async () => {
    assert.equal((await t.call('PATCH', `${TMF}/STATE_1`, { status: 'completed' })).status, 200);
    const res = await t.call('PUT', `${EXT}/appointments`, {
      ...fixture('ext-update.request'),
      workOrderId: 'STATE_1',
      scoringResult: 'OK',
      validFor: LATER,
    });
    assert.deepEqual(res.body, {
      code: '400',
      status: 'BAD_REQUEST',
      message: 'Bad Request',
      detailMsg: immovable('completed'),
    });
  });

  it('reopening a cancelled task that never had a window asks for a validFor', async () => {
    assert.equal(
      (await t.call('POST', `${EXT}/task`, { ...fixture('ext-task.request'), workOrderId: 'STATE_2' })).status,
      200,
    );
    assert.equal((await t.call('PATCH', `${TMF}/STATE_2`, { status: 'cancelled' })).status, 200);
    const res = await t.call('PATCH', `${TMF}/STATE_2`, { status: 'accepted' });
    assert.deepEqual(
      res.body,
      tmfBadRequest('The [validFor] attribute is required to reopen an appointment that never had a window.'),
    );
    const reopened = await t.call('PATCH', `${TMF}/STATE_2`, { status: 'accepted', validFor: LATER });
    assert.deepEqual([reopened.status, reopened.body.status, reopened.body.validFor], [200, 'accepted', LATER]);
  });
});
