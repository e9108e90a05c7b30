/**
 * Input the documents allow in shape but that cannot be booked: impossible dates, numeric zipcodes, odd filters, long
 * or far searches, task periods.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin } from '../../helpers/test-app.ts';
import { createFieldServiceTest, fixture, roles, type FieldServiceTest, type Json } from './field-service.helpers.ts';

const TMF = '/v1/orgs/masmovil/appointments';
const EXT = '/v1/orgs/masmovil/ext';
const WINDOW = { startDateTime: '2030-08-18T13:00:00Z', endDateTime: '2030-08-18T15:00:00Z' };
const OTHER_WINDOW = { startDateTime: '2030-08-19T07:00:00Z', endDateTime: '2030-08-19T09:00:00Z' };

const tmfCreate = (id: string, extra: Json = {}): Json => ({
  ...fixture('tmf-create.request'),
  id,
  externalId: id,
  ...extra,
});
const tmfBadRequest = (componentMsg: string) => ({ componentMsg, id: 'MM0000001', msg: 'Bad request', status: 400 });
const extBadRequest = (detailMsg: string) => ({
  code: '400',
  status: 'BAD_REQUEST',
  message: 'Bad Request',
  detailMsg,
});
/**
 * The documented search, for a customer without fraud scoring (no 48-hour notice) and without an appointment to move.
 */
const search = (requestedTimeSlot: Json[]): Json => {
  const { id: _, ...body } = fixture('tmf-search.request');
  return {
    ...body,
    relatedParty: body.relatedParty.filter((p: Json) => p.role !== 'scoring_result'),
    requestedTimeSlot,
  };
};
const starts = (res: { body: Json }) => res.body.availableTimeSlot.map((s: Json) => s.validFor.startDateTime);

describe('field-service input rules', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 2 });
  });
  after(() => t.close());

  describe('impossible dates (31 November, hour 24) are a 400 in each API, never rolled over', () => {
    it('Appointments API: 2030-09-31 is not booked on 1 October', async () => {
      // 2030-10-01T07:00Z is a real window (09:00 CEST): Date.parse alone would book it.
      const res = await t.call(
        'POST',
        TMF,
        tmfCreate('DATE_1', {
          validFor: { startDateTime: '2030-09-31T07:00:00Z', endDateTime: '2030-09-31T09:00:00Z' },
        }),
      );
      assert.deepEqual(
        res.body,
        tmfBadRequest(
          'The [validFor.startDateTime] attribute must be a date-time (RFC 3339, e.g. 2030-08-18T13:00:00Z).',
        ),
      );
      assert.equal((await t.call('GET', `${TMF}/DATE_1`)).status, 404);
    });

    it('Extension API: hour 24 and minute 60', async () => {
      const h24 = await t.call('POST', `${EXT}/appointments`, {
        ...fixture('ext-create.request'),
        workOrderId: 'DATE_2',
        validFor: { startDateTime: '2030-08-17T24:00:00Z', endDateTime: '2030-08-18T09:00:00Z' },
      });
      assert.deepEqual(
        h24.body,
        extBadRequest(
          'The [validFor.startDateTime] attribute must be a date-time (RFC 3339, e.g. 2030-08-18T13:00:00Z).',
        ),
      );
      const m60 = await t.call('PUT', `${EXT}/appointments`, {
        ...fixture('ext-update.request'),
        validFor: { startDateTime: '2030-08-18T13:00:00Z', endDateTime: '2030-08-18T14:60:00Z' },
      });
      assert.deepEqual(
        m60.body,
        extBadRequest(
          'The [validFor.endDateTime] attribute must be a date-time (RFC 3339, e.g. 2030-08-18T13:00:00Z).',
        ),
      );
      const feb = await t.call('POST', `${EXT}/task`, {
        ...fixture('ext-task.request'),
        workOrderId: 'DATE_3',
        startDate: '2031-02-29',
      });
      assert.deepEqual(feb.body, extBadRequest('The [startDate] attribute must be a date in the format yyyy-MM-dd.'));
    });
  });

  it(
    'a zipcode sent as a JSON number keeps its leading ' + 'zero in the Appointments API (1001 -> 01001, Álava)',
    async () => {
      const body = tmfCreate('ZIP_1', { relatedPlace: undefined, validFor: OTHER_WINDOW });
      body.relatedParty = body.relatedParty.map((p: Json) =>
        p.role === 'zipcode' ? { id: 1001, role: 'zipcode' } : p,
      );
      const res = await t.call('POST', TMF, body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(roles(res.body.relatedParty).zipcode, '01001');
      assert.equal((await t.core.booking.getAppointment(admin, 'masmovil', 'ZIP_1')).siteId, 'alava');
      const entity = await t.call(
        'POST',
        TMF,
        tmfCreate('ZIP_2', { validFor: OTHER_WINDOW, relatedEntity: [{ id: 833, role: 'donorOperator' }] }),
      );
      assert.equal(roles(entity.body.relatedEntity).donorOperator, '00833');
    },
  );

  it(
    'the status filter only knows the status words: ' + 'toString, constructor, __proto__ are a 400 listing them',
    async () => {
      const res = await t.call('GET', `${TMF}?status=accepted,toString,constructor,__proto__`);
      assert.deepEqual(
        res.body,
        tmfBadRequest(
          'The [status] attribute has unknown values: toString, constructor, __proto__ (accepted: initialized, ' +
            'accepted, confirmed, inProgress, completed, cancelled, failed, missed).',
        ),
      );
    },
  );

  describe('requestedTimeSlot is clipped to what can be searched', () => {
    it('a range longer than 366 days: 200 with its windows', async () => {
      const res = await t.call(
        'POST',
        `${TMF}/searchTimeSlot`,
        search([{ validFor: { startDateTime: '2030-08-10T00:00:00Z', endDateTime: '2032-08-10T00:00:00Z' } }]),
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.searchResult, 'success');
      assert.ok(starts(res).includes('2030-08-18T13:00:00.000Z'));
      assert.ok(
        starts(res).every((s: string) => new Date(s) < new Date('2030-10-09T06:00:00Z')),
        'the service horizon (60 days) still decides',
      );
    });

    it('two ranges a year apart: 200, the windows of each that can be booked', async () => {
      const res = await t.call(
        'POST',
        `${TMF}/searchTimeSlot`,
        search([
          { validFor: WINDOW },
          { validFor: { startDateTime: '2031-09-18T13:00:00Z', endDateTime: '2031-09-18T15:00:00Z' } },
        ]),
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(starts(res), ['2030-08-18T13:00:00.000Z']);
      assert.equal(res.body.requestedTimeSlot.length, 2, 'the request is echoed as sent');
    });

    it('ranges entirely in the past or beyond a year: 200, no windows', async () => {
      const res = await t.call(
        'POST',
        `${TMF}/searchTimeSlot`,
        search([
          { validFor: { startDateTime: '2020-08-18T13:00:00Z', endDateTime: '2020-08-18T15:00:00Z' } },
          { validFor: { startDateTime: '2032-08-18T13:00:00Z', endDateTime: '2033-08-18T15:00:00Z' } },
        ]),
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual([res.body.availableTimeSlot, res.body.searchResult], [[], 'fail']);
    });
  });

  describe('tasks ask for a period that can be booked, at a place', () => {
    const task = (workOrderId: string, extra: Json = {}): Json => ({
      ...fixture('ext-task.request'),
      workOrderId,
      ...extra,
    });

    it('startDate in the past: 400', async () => {
      const res = await t.call('POST', `${EXT}/task`, task('TASK_1', { startDate: '2030-08-09' }));
      assert.deepEqual(
        res.body,
        extBadRequest('The [startDate] attribute must not be in the past (today is 2030-08-10).'),
      );
    });

    it('endDate beyond the horizon (9999-12-31) or startDate after it: 400', async () => {
      const res = await t.call('POST', `${EXT}/task`, task('TASK_2', { endDate: '9999-12-31' }));
      assert.deepEqual(
        res.body,
        extBadRequest('The [endDate] attribute must not be after 2031-08-11 (a task asks for at most 366 days ahead).'),
      );
      const late = await t.call(
        'POST',
        `${EXT}/task`,
        task('TASK_3', { startDate: '2032-01-01', endDate: '2032-01-02' }),
      );
      assert.deepEqual(
        late.body,
        extBadRequest(
          'The [startDate] attribute must not be after 2031-08-11 (a task asks for at most 366 days ahead).',
        ),
      );
      assert.equal((await t.call('GET', `${TMF}/TASK_2`)).status, 404);
    });

    it('today and the last day are fine; without endDate the 30 days stop at the horizon', async () => {
      const today = await t.call(
        'POST',
        `${EXT}/task`,
        task('TASK_4', { startDate: '2030-08-10', endDate: '2031-08-11' }),
      );
      assert.equal(today.status, 200, JSON.stringify(today.body));
      const open = await t.call('POST', `${EXT}/task`, task('TASK_5', { startDate: '2031-08-01', endDate: undefined }));
      assert.equal(open.status, 200, JSON.stringify(open.body));
      assert.equal(open.body.validFor.endDateTime, '2031-08-11T22:00:00Z'); // end of 2031-08-11, Madrid
    });

    it('neither gescalId nor customer.zipcode: 400 (it could never be booked)', async () => {
      const { gescalId: _, ...body } = task('TASK_6');
      const { zipcode: __, ...customer } = body.customer;
      const res = await t.call('POST', `${EXT}/task`, { ...body, customer });
      assert.deepEqual(
        res.body,
        extBadRequest(
          'The [gescalId] attribute is required when customer.zipcode is absent: a task needs an address to be booked.',
        ),
      );
      assert.equal((await t.call('GET', `${TMF}/TASK_6`)).status, 404);
    });
  });
});

describe('errors Fastify raises before routing', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest();
  });
  after(() => t.close());

  it('a malformed percent-encoding in the path answers 400 in the API’s documented body', async () => {
    const tmf = await t.inject({
      method: 'GET',
      url: '/v1/orgs/masmovil/appointments/%E0%A4%A',
      headers: { authorization: `Bearer ${t.key}` },
    });
    assert.equal(tmf.statusCode, 400);
    assert.deepEqual(Object.keys(tmf.json()).sort(), ['componentMsg', 'id', 'msg', 'status']);
    const admin = await t.inject({ method: 'GET', url: '/admin/v1/tenants/%E0%A4%A' });
    assert.equal(admin.statusCode, 400);
    assert.deepEqual(Object.keys(admin.json()).sort(), ['code', 'details', 'message']);
  });
});
