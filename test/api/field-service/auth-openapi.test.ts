/**
 * Credentials (tenant API key, tenant JWT, others refused) on both APIs, transport errors, and the OpenAPI document.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createOperatorTenant,
  createFieldServiceTest,
  fixture,
  jwtFor,
  type FieldServiceTest,
} from './field-service.helpers.ts';

const TMF = '/v1/orgs/masmovil/appointments';
const EXT = '/v1/orgs/masmovil/ext';

describe('field-service credentials and OpenAPI', () => {
  let t: FieldServiceTest;
  let otherKey: string;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 2, bodyLimitBytes: 16 * 1024 });
    await createOperatorTenant(t.core, { tenantId: 'other-operator', technicians: 1 });
    otherKey = await t.apiKeyFor('other-operator');
  });
  after(() => t.close());

  it('the tenant API key and a JWT of the tenant work on both APIs', async () => {
    const jwt = await jwtFor('masmovil');
    assert.equal((await t.call('POST', `${TMF}/searchTimeSlot`, fixture('tmf-search.request'), t.key)).status, 200);
    assert.equal((await t.call('POST', `${TMF}/searchTimeSlot`, fixture('tmf-search.request'), jwt)).status, 200);
    assert.equal((await t.call('POST', `${EXT}/searchTimeSlots`, fixture('ext-search.request'), t.key)).status, 200);
    const created = await t.call('POST', `${EXT}/task`, fixture('ext-task.request'), jwt);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal((await t.call('GET', `${TMF}/MYSIM_391588`, undefined, jwt)).status, 200);
  });

  it('another tenant’s key or JWT is refused with 403, in each API’s format, and reveals nothing', async () => {
    const jwt = await jwtFor('other-operator');
    for (const token of [otherKey, jwt]) {
      const tmf = await t.call('GET', `${TMF}/MYSIM_391588`, undefined, token);
      assert.equal(tmf.status, 403);
      assert.deepEqual(Object.keys(tmf.body).sort(), ['componentMsg', 'id', 'msg', 'status']);
      assert.equal(tmf.body.msg, 'Forbidden');
      const ext = await t.call('POST', `${EXT}/task`, { ...fixture('ext-task.request'), workOrderId: 'Y1' }, token);
      assert.equal(ext.status, 403);
      assert.deepEqual([ext.body.code, ext.body.status, ext.body.message], ['403', 'FORBIDDEN', 'Forbidden']);
    }
    assert.equal((await t.call('GET', `${TMF}?externalId=Y1`)).body.length, 0, 'nothing was written');
  });

  it(
    'another tenant’s valid key with a bad body: 403 (not 400), before the body is validated, in each API’s ' +
      'format',
    async () => {
      const tmf = await t.call('POST', TMF, { validFor: 'tomorrow' }, otherKey);
      assert.deepEqual(tmf.body, {
        componentMsg: 'These credentials do not give access to this tenant',
        id: 'MM0000005',
        msg: 'Forbidden',
        status: 403,
      });
      const ext = await t.call('POST', `${EXT}/appointments`, '{"workOrderId": ', otherKey);
      assert.deepEqual(ext.body, {
        code: '403',
        status: 'FORBIDDEN',
        message: 'Forbidden',
        detailMsg: 'These credentials do not give access to this tenant',
      });
      const put = await t.call('PUT', `${EXT}/appointments`, {}, await jwtFor('other-operator'));
      assert.equal(put.status, 403);
    },
  );

  it(
    'unknown routes and methods under /v1/orgs/ answer 404 ' + 'in the body of the API of that path, not the admin one',
    async () => {
      const tmf = await t.call('GET', `${TMF}/MYSIM_1/history`);
      assert.deepEqual(tmf.body, {
        componentMsg: 'No route GET /v1/orgs/masmovil/appointments/MYSIM_1/history',
        id: 'MM0000002',
        msg: 'Resource not found',
        status: 404,
      });
      const method = await t.inject({
        method: 'DELETE',
        url: `${TMF}/MYSIM_1`,
        headers: { authorization: `Bearer ${t.key}` },
      });
      assert.deepEqual(
        [method.statusCode, Object.keys(method.json()).sort()],
        [404, ['componentMsg', 'id', 'msg', 'status']],
      );
      const ext = await t.call('POST', `${EXT}/tasks`, fixture('ext-task.request'));
      assert.deepEqual(ext.body, {
        code: '404',
        status: 'NOT_FOUND',
        message: 'Not Found',
        detailMsg: 'No route POST /v1/orgs/masmovil/ext/tasks',
      });
      const elsewhere = await t.call('GET', '/v1/orgs/masmovil/offices');
      assert.deepEqual([elsewhere.status, elsewhere.body.msg], [404, 'Resource not found']);
      const anonymous = await t.call('GET', `${EXT}/nothing`, undefined, null);
      assert.deepEqual([anonymous.status, anonymous.body.status], [401, 'UNAUTHORIZED']);
    },
  );

  it('an id longer than 100 characters: 414 in each API’s body, not Fastify’s', async () => {
    const long = 'MYSIM_'.padEnd(150, '9');
    const get = await t.call('GET', `${TMF}/${long}`);
    assert.deepEqual(get.body, {
      componentMsg: 'A path segment (such as the id) is longer than 100 characters.',
      id: 'MM0000010',
      msg: 'URI too long',
      status: 414,
    });
    const patch = await t.call('PATCH', `${TMF}/${long}`, { status: 'cancelled' });
    assert.equal(patch.status, 414);
    const ext = await t.call('POST', `${EXT}/${long}`, {});
    assert.deepEqual(ext.body, {
      code: '414',
      status: 'URI_TOO_LONG',
      message: 'URI Too Long',
      detailMsg: 'A path segment (such as the id) is longer than 100 characters.',
    });
  });

  it('an unknown tenant with a valid key answers 403 like any tenant that is not the caller’s', async () => {
    const res = await t.call('POST', '/v1/orgs/nobody/ext/appointments', fixture('ext-create.request'));
    assert.deepEqual(res.body, {
      code: '403',
      status: 'FORBIDDEN',
      message: 'Forbidden',
      detailMsg: 'These credentials do not give access to this tenant',
    });
  });

  it('missing, unknown or forged credentials: 401 in each API’s format, before the body is read', async () => {
    const none = await t.call('POST', `${EXT}/appointments`, '{not json', null);
    assert.equal(none.status, 401);
    assert.deepEqual([none.body.code, none.body.status, none.body.message], ['401', 'UNAUTHORIZED', 'Unauthorized']);
    const unknown = await t.call('GET', `${TMF}/MYSIM_391588`, undefined, 'masmovil.not-a-real-key');
    assert.deepEqual(unknown.body, {
      componentMsg: 'Unknown or revoked API key',
      id: 'MM0000004',
      msg: 'Unauthorized',
      status: 401,
    });
    const forged = await t.call(
      'GET',
      `${TMF}/MYSIM_391588`,
      undefined,
      (await jwtFor('masmovil')).slice(0, -4) + 'AAAA',
    );
    assert.equal(forged.status, 401);
    assert.match(forged.body.componentMsg, /^Invalid token/);
  });

  it('oversized and non-JSON bodies get the documented formats, never a 500', async () => {
    const big = { ...fixture('ext-create.request'), note: 'x'.repeat(20_000) };
    const tooLarge = await t.call('POST', `${EXT}/appointments`, big);
    assert.deepEqual(tooLarge.body, {
      code: '413',
      status: 'PAYLOAD_TOO_LARGE',
      message: 'Payload Too Large',
      detailMsg: 'The request body is too large.',
    });
    const xml = await t.inject({
      method: 'POST',
      url: `${TMF}`,
      headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    assert.deepEqual(JSON.parse(xml.body), {
      componentMsg: 'The request body must be sent as application/json.',
      id: 'MM0000007',
      msg: 'Unsupported media type',
      status: 415,
    });
    const text = await t.inject({
      method: 'POST',
      url: `${TMF}`,
      headers: { authorization: `Bearer ${t.key}`, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    assert.deepEqual(JSON.parse(text.body), {
      componentMsg: 'The request body must be a JSON object.',
      id: 'MM0000001',
      msg: 'Bad request',
      status: 400,
    });
    const empty = await t.inject({ method: 'POST', url: `${EXT}/task`, headers: { authorization: `Bearer ${t.key}` } });
    assert.deepEqual(JSON.parse(empty.body), {
      code: '400',
      status: 'BAD_REQUEST',
      message: 'Bad Request',
      detailMsg: 'The request body is required.',
    });
  });

  it('both APIs are in /openapi.json (tagged, with their error bodies) and /docs is served', async () => {
    const doc = JSON.parse((await t.inject({ method: 'GET', url: '/openapi.json' })).body);
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/v1/orgs/{org}/appointments',
      '/v1/orgs/{org}/appointments/searchTimeSlot',
      '/v1/orgs/{org}/appointments/{id}',
      '/v1/orgs/{org}/ext/appointments',
      '/v1/orgs/{org}/ext/searchTimeSlots',
      '/v1/orgs/{org}/ext/task',
    ])
      assert.ok(paths.includes(p), `${p} in ${paths.join(', ')}`);
    assert.deepEqual(doc.paths['/v1/orgs/{org}/ext/task'].post.tags, ['Appointments Extension']);
    assert.deepEqual(doc.paths['/v1/orgs/{org}/appointments/{id}'].get.tags, ['Appointments']);
    const notFound =
      doc.paths['/v1/orgs/{org}/appointments/{id}'].get.responses['404'].content['application/json'].schema;
    assert.equal(notFound.$ref, '#/components/schemas/TmfError');
    assert.deepEqual(Object.keys(doc.components.schemas.TmfError.properties).sort(), [
      'componentMsg',
      'id',
      'msg',
      'status',
    ]);
    const docs = await t.inject({ method: 'GET', url: '/docs/' });
    assert.ok([200, 302].includes(docs.statusCode), String(docs.statusCode));
  });
});
