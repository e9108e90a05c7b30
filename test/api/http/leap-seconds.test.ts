/**
 * Leap seconds (`…T23:59:60Z`) are valid RFC 3339 text but no instant JavaScript or PostgreSQL
 * holds: every API refuses them with a 400 in its own error body, in bodies and query strings
 * alike, and writes nothing (the probe got a 500 on PGlite).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN } from '../../helpers/test-app.ts';
import {
  createFieldServiceTest,
  fixture,
  type FieldServiceTest,
  type Json,
} from '../field-service/field-service.helpers.ts';

const TMF = '/v1/orgs/masmovil/appointments';
const EXT = '/v1/orgs/masmovil/ext';
const ADMIN = '/admin/v1/tenants/masmovil';
const LEAP = [
  '2030-12-31T23:59:60Z',
  '2030-06-30T23:59:60+00:00',
  '2030-12-31T23:59:60.500Z',
  '2031-01-01T00:59:60+01:00',
];
const WINDOW = { startDateTime: '2030-08-18T13:00:00Z', endDateTime: '2030-08-18T15:00:00Z' };

describe('leap seconds are a 400 in every API', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 2 });
    assert.equal(
      (
        await t.call('POST', TMF, {
          ...fixture('tmf-create.request'),
          id: 'LEAP_0',
          externalId: 'LEAP_0',
          validFor: WINDOW,
        })
      ).status,
      201,
    );
  });
  after(() => t.close());

  const count = async () =>
    (
      await t.db.query<{ n: number }>(
        'SELECT (SELECT count(*) FROM appointments) + (SELECT count(*) FROM appointment_events) + (SELECT count(*) ' +
          'FROM holds) AS n',
      )
    ).rows[0].n;
  const tmfError = (b: Json) => assert.deepEqual(Object.keys(b).sort(), ['componentMsg', 'id', 'msg', 'status']);
  const extError = (b: Json) => assert.deepEqual(Object.keys(b).sort(), ['code', 'detailMsg', 'message', 'status']);
  const admin = (method: 'GET' | 'POST', url: string, payload?: Json) =>
    t.inject({ method, url, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, ...(payload ? { payload } : {}) });

  for (const leap of LEAP) {
    it(`${leap}: Appointments API (create, patch, search, note date)`, async () => {
      const before = await count();
      const bodies: Array<['POST' | 'PATCH', string, Json]> = [
        [
          'POST',
          TMF,
          {
            ...fixture('tmf-create.request'),
            id: 'LEAP_1',
            externalId: 'LEAP_1',
            validFor: { ...WINDOW, endDateTime: leap },
          },
        ],
        [
          'POST',
          TMF,
          {
            ...fixture('tmf-create.request'),
            id: 'LEAP_1',
            externalId: 'LEAP_1',
            validFor: WINDOW,
            note: [{ text: 'x', date: leap }],
          },
        ],
        ['PATCH', `${TMF}/LEAP_0`, { validFor: { startDateTime: leap, endDateTime: WINDOW.endDateTime } }],
        ['PATCH', `${TMF}/LEAP_0`, { note: [{ text: 'x', date: leap }] }],
        [
          'POST',
          `${TMF}/searchTimeSlot`,
          {
            ...fixture('tmf-search.request'),
            requestedTimeSlot: [{ validFor: { startDateTime: leap, endDateTime: '2031-01-02T00:00:00Z' } }],
          },
        ],
      ];
      for (const [method, url, body] of bodies) {
        const res = await t.call(method, url, body);
        assert.equal(res.status, 400, `${method} ${url}: ${JSON.stringify(res.body)}`);
        tmfError(res.body);
        assert.match(res.body.componentMsg, /date-time/);
      }
      assert.equal(await count(), before);
    });

    it(`${leap}: Extension API (create, update, task note)`, async () => {
      const before = await count();
      const bodies: Array<['POST' | 'PUT', string, Json]> = [
        [
          'POST',
          `${EXT}/appointments`,
          { ...fixture('ext-create.request'), workOrderId: 'LEAP_2', validFor: { ...WINDOW, startDateTime: leap } },
        ],
        [
          'PUT',
          `${EXT}/appointments`,
          { ...fixture('ext-update.request'), workOrderId: 'LEAP_0', validFor: { ...WINDOW, endDateTime: leap } },
        ],
        [
          'POST',
          `${EXT}/task`,
          { ...fixture('ext-task.request'), workOrderId: 'LEAP_3', note: [{ text: 'x', date: leap }] },
        ],
      ];
      for (const [method, url, body] of bodies) {
        const res = await t.call(method, url, body);
        assert.equal(res.status, 400, `${method} ${url}: ${JSON.stringify(res.body)}`);
        extError(res.body);
      }
      assert.equal(await count(), before);
    });

    it(`${leap}: admin API (slots and appointments query strings, hold body)`, async () => {
      const before = await count();
      const q = encodeURIComponent(leap);
      const requests: Array<['GET' | 'POST', string, Json?]> = [
        ['GET', `${ADMIN}/slots?serviceIds=installation&siteId=alava&from=${q}&to=2031-01-05T00:00:00Z`],
        ['GET', `${ADMIN}/slots?serviceIds=installation&siteId=alava&from=2030-12-30T00:00:00Z&to=${q}`],
        ['GET', `${ADMIN}/appointments?from=${q}`],
        ['POST', `${ADMIN}/holds`, { serviceIds: ['installation'], siteId: 'alava', start: leap }],
      ];
      for (const [method, url, body] of requests) {
        const res = await admin(method, url, body);
        assert.equal(res.statusCode, 400, `${method} ${url}: ${res.body}`);
        assert.equal(res.json().code, 'INVALID_INPUT');
      }
      assert.equal(await count(), before);
    });
  }

  it('the second before a leap second is an ordinary instant', async () => {
    const res = await admin(
      'GET',
      `${ADMIN}/slots?serviceIds=installation&siteId=alava&from=2030-08-17T23:59:59Z&to=2030-08-19T00:00:00Z`,
    );
    assert.equal(res.statusCode, 200, res.body);
  });
});
