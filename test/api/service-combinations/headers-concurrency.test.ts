/**
 * The API's headers and its one error body: Accept-Language variants, missing or wrong
 * X-TENANT-ID, credentials of another tenant, JWTs, unknown routes, validation; and 20 concurrent
 * reservations of the last employee's last combined slot: exactly one succeeds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countOverlaps } from '../../../src/core/booking/allocation.repository.ts';
import { ErrorBody } from '../../../src/api/service-combinations/combinations.schemas.ts';
import { ADMIN_TOKEN, admin } from '../../helpers/test-app.ts';
import { jwtFor as jwtAt } from '../field-service/field-service.helpers.ts';
import { createCombosTest, NOW, reserve, TENANT, type CombosTest } from './combos.helpers.ts';

const jwtFor = (tenant: string) => jwtAt(tenant, ['scheduler'], NOW);

const ERROR_KEYS = ['status', 'error', 'message', 'details'];

describe('service combinations: headers, errors and concurrency', () => {
  let t: CombosTest;
  let otherKey: string;
  let visitId: string;
  before(async () => {
    t = await createCombosTest();
    await t.core.catalog.createTenant(admin, { id: 'other-bank', name: 'Other bank' });
    otherKey = await t.apiKeyFor('other-bank');
    const r = await reserve(t, '2030-03-05T09:00:00+01:00');
    const res = await t.call('POST', '/appointments', {
      reservationId: r.reservationId,
      customer: { firstName: 'Jan', lastName: 'Peeters' },
    });
    visitId = res.body.appointmentId;
  });
  after(() => t.close());

  const nameIn = async (language: string) => {
    const res = await t.call('GET', `/appointments/${visitId}`, undefined, { 'accept-language': language });
    assert.equal(res.status, 200, `${language}: ${JSON.stringify(res.body)}`);
    return res.body.services.map((s: any) => s.name).join(' + ');
  };

  it('names the services in the Accept-Language language: seed spellings, any case, standard tags, lists', async () => {
    const cases: Array<[string, string]> = [
      ['en_US', 'Account opening + Card request'],
      ['en_UK', 'Account opening + Card request'],
      ['fr_FR', 'Ouverture de compte + Demande de carte'],
      ['FR_fr', 'Ouverture de compte + Demande de carte'],
      ['nl_NL', 'Rekening openen + Kaartaanvraag'],
      ['de_DE', 'Kontoeröffnung + Kartenantrag'],
      ['it_IT', 'Apertura del conto + Richiesta carta'],
      ['ES_es', 'Apertura de cuenta + Solicitud de tarjeta'],
      ['es-ES', 'Apertura de cuenta + Solicitud de tarjeta'],
      ['nl-BE, fr;q=0.8', 'Rekening openen + Kaartaanvraag'],
      ['pt-PT;q=0.9, de;q=0.5', 'Kontoeröffnung + Kartenantrag'],
      ['pt_PT', 'Account opening + Card request'],
      ['*', 'Account opening + Card request'],
    ];
    for (const [language, expected] of cases) assert.equal(await nameIn(language), expected, language);
  });

  it('refuses a missing or meaningless Accept-Language (400)', async () => {
    for (const value of [undefined, '', 'not a language!']) {
      const res = await t.call('GET', `/appointments/${visitId}`, undefined, { 'accept-language': value });
      assert.equal(res.status, 400, String(value));
      assert.deepEqual(Object.keys(res.body), ERROR_KEYS);
      assert.deepEqual(res.body.details, [{ field: 'Accept-Language', message: 'is required' }]);
    }
  });

  it('X-TENANT-ID: missing → 400; foreign, unknown or malformed → 403; own key, JWT, operator → 200', async () => {
    const get = (headers: Record<string, string | undefined>) =>
      t.call('GET', `/appointments/${visitId}`, undefined, headers);
    const missing = await get({ 'x-tenant-id': undefined });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, {
      status: 400,
      error: 'BAD_REQUEST',
      message: 'The X-TENANT-ID header is required',
      details: [{ field: 'X-TENANT-ID', message: 'is required' }],
    });
    assert.equal((await get({ 'X-Tenant-Id': TENANT, 'x-tenant-id': undefined })).status, 200, 'any case');
    const foreign = await get({ authorization: `Bearer ${otherKey}` });
    assert.equal(foreign.status, 403, 'another tenant’s key on this tenant');
    assert.equal((await get({ 'x-tenant-id': 'other-bank' })).status, 403, 'this key on another tenant');
    const unknownWithKey = await get({ 'x-tenant-id': 'no-such-bank' });
    const unknownWithOperator = await get({ 'x-tenant-id': 'no-such-bank', authorization: `Bearer ${ADMIN_TOKEN}` });
    assert.equal(unknownWithKey.status, 403);
    assert.equal(unknownWithOperator.status, 403);
    assert.equal(unknownWithOperator.body.message, foreign.body.message, 'tenant names do not leak');
    assert.equal((await get({ 'x-tenant-id': 'Not A Tenant!' })).status, 403);
    assert.equal((await get({ authorization: `Bearer ${ADMIN_TOKEN}` })).status, 200);
    assert.equal((await get({ authorization: `Bearer ${await jwtFor(TENANT)}` })).status, 200);
    assert.equal((await get({ authorization: `Bearer ${await jwtFor('other-bank')}` })).status, 403);
    assert.equal((await get({ authorization: undefined })).status, 401);
    assert.equal((await get({ authorization: 'Bearer nope' })).status, 401);
    const otherVisit = await t.call('GET', `/appointments/${visitId}`, undefined, {
      authorization: `Bearer ${otherKey}`,
      'x-tenant-id': 'other-bank',
    });
    assert.equal(otherVisit.status, 404, 'another tenant’s appointment does not exist here');
  });

  it('answers every error in the one body: validation, unknown route, bad JSON, wrong media type', async () => {
    const bad = await t.call('POST', '/reservations', {
      branchId: 'bruxelles-centre',
      serviceIds: [],
      startTime: '2030-03-05 09:00',
      extra: 1,
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys(bad.body), ERROR_KEYS);
    assert.deepEqual(bad.body.details.map((d: any) => d.field).sort(), ['extra', 'serviceIds', 'startTime']);
    const documented = await t.call('POST', '/appointments', {
      reservationId: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
      customer: { lastName: 'Peeters' },
    });
    assert.deepEqual(documented.body, ErrorBody.examples[0], 'the error example of the OpenAPI document is real');
    const unknownBranch = await t.call('POST', '/reservations', {
      branchId: 'nowhere',
      serviceIds: ['account-opening'],
      startTime: '2030-03-05T09:00:00+01:00',
    });
    assert.equal(unknownBranch.status, 400);
    assert.equal(unknownBranch.body.message, 'Unknown branch nowhere');
    const notSlot = await t.call('POST', '/reservations', {
      branchId: 'bruxelles-centre',
      serviceIds: ['account-opening'],
      startTime: '2030-03-05T09:07:00+01:00',
    });
    assert.equal(notSlot.status, 400);
    for (const [method, path] of [
      ['GET', '/nope'],
      ['POST', '/appointments/search'],
    ] as const) {
      const res = await t.call(method, path);
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.deepEqual(Object.keys(res.body), ERROR_KEYS);
    }
    const raw = (contentType: string, payload: string) =>
      t.app.inject({
        method: 'GET',
        url: '/external/v1/serviceCombination/appointments/search',
        headers: {
          authorization: `Bearer ${t.key}`,
          'x-tenant-id': TENANT,
          'accept-language': 'en_US',
          'content-type': contentType,
        },
        payload,
      });
    const json = await raw('application/json', '{"customer":');
    assert.equal(json.statusCode, 400);
    assert.deepEqual(Object.keys(json.json()), ERROR_KEYS);
    const media = await raw('text/plain', 'x');
    assert.equal(media.statusCode, 415);
    assert.equal(media.json().error, 'UNSUPPORTED_MEDIA_TYPE');
    const tooLong = await t.call('POST', '/timeslots/search', {
      branchId: 'bruxelles-centre',
      serviceIds: ['account-opening'],
      from: '2030-03-05',
      to: '2030-05-05',
    });
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.body.message, /at most 31 days/);
  });

  it('20 concurrent reservations of the last employee’s last combined slot: exactly one succeeds', async () => {
    const last = '2030-03-06T16:00:00+01:00';
    await reserve(t, last); // the first of the two employees
    const body = { branchId: 'bruxelles-centre', serviceIds: ['account-opening', 'card-request'], startTime: last };
    const results = await Promise.all(Array.from({ length: 20 }, () => t.call('POST', '/reservations', body)));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(
      statuses,
      [201, ...Array(19).fill(409)],
      JSON.stringify(results.find((r) => r.status !== 201 && r.status !== 409)),
    );
    assert.equal(await countOverlaps(t.db, TENANT), 0);
    const { rows } = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM holds WHERE tenant_id = $1 AND starts_at = '2030-03-06T15:00:00Z'",
      [TENANT],
    );
    assert.equal(rows[0].n, 2, 'one hold per employee');
  });
});
