/**
 * The facade registry: each API's own OpenAPI document, and errors raised before or outside any
 * route (unknown route, malformed JSON, a body too large) answered in the format of the API that
 * owns the path — the admin format for /admin/v1 and for paths no API owns.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isUnder, ownerOf, type ApiFacade } from '../../../src/api/http/api-facade.ts';
import { API_FACADES, DEFAULT_FACADE, facadeFor } from '../../../src/api/registry.ts';
import { ADMIN_TOKEN } from '../../helpers/test-app.ts';
import {
  createFieldServiceTest,
  fixture,
  type FieldServiceTest,
  type Json,
} from '../field-service/field-service.helpers.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const TMF_KEYS = ['componentMsg', 'id', 'msg', 'status'];
const EXT_KEYS = ['code', 'detailMsg', 'message', 'status'];
const ADMIN_KEYS = ['code', 'details', 'message'];

/** Every `$ref` in a document, at any depth. */
function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, found);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) k === '$ref' && typeof v === 'string' ? found.push(v) : refs(v, found);
  return found;
}

const operations = (doc: Json) =>
  Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ path, method, op: op as Json })),
  );

describe('the facade registry', () => {
  it('finds the owner of a path by the longest prefix, and the admin API for paths no API owns', () => {
    assert.deepEqual(API_FACADES.map((f) => f.name).sort(), [
      'admin',
      'calendar',
      'field-service',
      'service-combinations',
      'video-call',
    ]);
    assert.equal(facadeFor('/api/appointments/').name, 'video-call');
    assert.equal(facadeFor('/external/v1/serviceCombination/nope').name, 'service-combinations');
    assert.equal(facadeFor('/v1/orgs/masmovil/appointments?x=1').name, 'field-service');
    assert.equal(facadeFor('/v1/orgs').name, 'field-service');
    assert.equal(facadeFor('/v1/orgsX/masmovil').name, 'admin');
    assert.equal(facadeFor('/admin/v1/tenants').name, 'admin');
    assert.equal(facadeFor('/nowhere').name, DEFAULT_FACADE.name);
    const a = { name: 'a', prefix: '/api' } as ApiFacade;
    const b = { name: 'b', prefix: '/api/v2' } as ApiFacade;
    assert.equal(ownerOf([a, b], DEFAULT_FACADE, '/api/v2/things').name, 'b');
    assert.equal(ownerOf([b, a], DEFAULT_FACADE, '/api/v2/things').name, 'b');
    assert.equal(ownerOf([a, b], DEFAULT_FACADE, '/api/v3').name, 'a');
    assert.equal(isUnder('/api2', '/api'), false);
  });
});

describe('OpenAPI documents, one per API', () => {
  let t: FieldServiceTest;
  const docs: Record<string, Json> = {};
  before(async () => {
    t = await createFieldServiceTest({ technicians: 1 });
    for (const url of ['/openapi.json', ...API_FACADES.map((f) => `/openapi/${f.name}.json`)]) {
      const res = await t.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      docs[url] = res.json();
    }
  });
  after(() => t.close());

  for (const api of API_FACADES) {
    it(`/openapi/${api.name}.json holds only the paths under ${api.prefix}, each operation named and described`, () => {
      const doc = docs[`/openapi/${api.name}.json`];
      const paths = Object.keys(doc.paths);
      assert.ok(paths.length > 0);
      for (const p of paths) assert.ok(p.startsWith(`${api.prefix}/`), `${p} is not under ${api.prefix}`);
      const whole = Object.keys(docs['/openapi.json'].paths).filter((p) => p.startsWith(`${api.prefix}/`));
      assert.deepEqual(paths.sort(), whole.sort(), 'every path of the API is in its document');
      assert.equal(doc.info.title, api.openapi.title);
      for (const { path, method, op } of operations(doc)) {
        assert.match(String(op.operationId ?? ''), /^[a-zA-Z]+$/, `${method} ${path} has an operationId`);
        assert.ok(String(op.description ?? '').length > 10, `${method} ${path} has a description`);
      }
      // Only the components its paths use, and every one they use.
      const names = Object.keys(doc.components.schemas);
      const used = new Set(refs(doc).map((r) => r.replace('#/components/schemas/', '')));
      assert.deepEqual([...used].sort(), names.sort());
      assert.deepEqual(doc.servers, docs['/openapi.json'].servers);
    });
  }

  it(
    'the whole document has every API and the public routes, ' + 'which declare no security; operation ids are unique',
    () => {
      const doc = docs['/openapi.json'];
      assert.equal(doc.openapi, '3.1.0');
      assert.ok(Array.isArray(doc.servers) && doc.servers.length > 0);
      assert.deepEqual(doc.security, [{ bearer: [] }]);
      const ops = operations(doc);
      const ids = ops.map(({ op }) => op.operationId);
      assert.equal(new Set(ids).size, ids.length, 'unique operation ids');
      for (const p of [
        '/health',
        '/health/live',
        '/health/ready',
        '/openapi.json',
        '/openapi/admin.json',
        '/openapi/field-service.json',
      ])
        assert.deepEqual(doc.paths[p].get.security, [], `${p} is public`);
      // /metrics shows every tenant's booking outcomes: it keeps the bearer security (METRICS_TOKEN or ADMIN_TOKEN).
      assert.equal(doc.paths['/metrics'].get.security, undefined, '/metrics needs a bearer token');
      for (const { path, method, op } of ops.filter(
        ({ path }) => path.startsWith('/admin/') || path.startsWith('/v1/'),
      ))
        assert.equal(op.security, undefined, `${method} ${path} keeps the document's bearer security`);
    },
  );

  it('shared schemas are named components referenced with $ref, with the documents’ examples', () => {
    const doc = docs['/openapi/field-service.json'];
    const create = doc.paths['/v1/orgs/{org}/ext/appointments'].post;
    assert.deepEqual(create.requestBody.content['application/json'].schema, {
      $ref: '#/components/schemas/CreateAppointment',
    });
    assert.deepEqual(create.responses['201'].content['application/json'].schema, {
      $ref: '#/components/schemas/Appointment',
    });
    assert.deepEqual(create.responses['400'].content['application/json'].schema, {
      $ref: '#/components/schemas/BackendException',
    });
    assert.deepEqual(doc.components.schemas.CreateAppointment.examples, [fixture('ext-create.request')]);
    assert.deepEqual(doc.components.schemas.TmfError.examples, [fixture('tmf-not-found.response')]);
    const admin = docs['/openapi/admin.json'];
    assert.deepEqual(admin.paths['/admin/v1/tenants'].post.responses['201'].content['application/json'].schema, {
      $ref: '#/components/schemas/Tenant',
    });
    assert.ok(admin.components.schemas.AdminError);
    assert.equal(
      admin.components.schemas.CreateAppointment,
      undefined,
      'no field-service schema in the admin document',
    );
  });
});

describe('errors outside any route, in the format of the API owning the path', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 1, bodyLimitBytes: 16 * 1024 });
  });
  after(() => t.close());

  const send = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: string, token = t.key) => {
    const res = await t.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload }),
    });
    return { status: res.statusCode, body: res.json() as Json, type: String(res.headers['content-type']) };
  };
  const big = JSON.stringify({ ...fixture('ext-create.request'), note: 'x'.repeat(20_000) });

  it('field-service paths: unknown route, malformed JSON, too large a body', async () => {
    const unknown = await send('GET', '/v1/orgs/masmovil/appointments/MYSIM_1/notes');
    assert.deepEqual(unknown, {
      status: 404,
      type: 'application/json; charset=utf-8',
      body: {
        componentMsg: 'No route GET /v1/orgs/masmovil/appointments/MYSIM_1/notes',
        id: 'MM0000002',
        msg: 'Resource not found',
        status: 404,
      },
    });
    const root = await send('GET', '/v1/orgs');
    assert.deepEqual(
      [root.status, Object.keys(root.body).sort(), root.body.msg],
      [404, TMF_KEYS, 'Resource not found'],
    );

    const tmfJson = await send('POST', '/v1/orgs/masmovil/appointments', '{"validFor": ');
    assert.deepEqual(tmfJson.body, {
      componentMsg: 'The request body is not valid JSON.',
      id: 'MM0000001',
      msg: 'Bad request',
      status: 400,
    });
    const extJson = await send('POST', '/v1/orgs/masmovil/ext/appointments', '{"workOrderId": ');
    assert.deepEqual(extJson.body, {
      code: '400',
      status: 'BAD_REQUEST',
      message: 'Bad Request',
      detailMsg: 'The request body is not valid JSON.',
    });
    const unknownJson = await send('POST', '/v1/orgs/masmovil/ext/nothing', '{');
    assert.deepEqual([unknownJson.status, Object.keys(unknownJson.body).sort()], [400, EXT_KEYS]);

    const tmfBig = await send('POST', '/v1/orgs/masmovil/appointments', big);
    assert.deepEqual(tmfBig.body, {
      componentMsg: 'The request body is too large.',
      id: 'MM0000006',
      msg: 'Payload too large',
      status: 413,
    });
    const extBig = await send('PUT', '/v1/orgs/masmovil/ext/appointments', big);
    assert.deepEqual(extBig.body, {
      code: '413',
      status: 'PAYLOAD_TOO_LARGE',
      message: 'Payload Too Large',
      detailMsg: 'The request body is too large.',
    });
  });

  it('admin paths, and paths no API owns: the admin format', async () => {
    for (const url of ['/admin/v1/nothing', '/nothing', '/v1/orgsX']) {
      const res = await send('GET', url, undefined, ADMIN_TOKEN);
      assert.deepEqual(res.body, { code: 'NOT_FOUND', message: `No route GET ${url}`, details: [] });
      assert.equal(res.status, 404);
    }
    const json = await send('POST', '/admin/v1/tenants', '{"id": ', ADMIN_TOKEN);
    assert.deepEqual(
      [json.status, json.body],
      [
        400,
        {
          code: 'INVALID_INPUT',
          message: 'The body is not valid JSON',
          details: [{ field: 'body', message: 'malformed JSON' }],
        },
      ],
    );
    const unknownJson = await send('POST', '/admin/v1/nothing', '{', ADMIN_TOKEN);
    assert.deepEqual([unknownJson.status, Object.keys(unknownJson.body).sort()], [400, ADMIN_KEYS]);
    const tooLarge = await send('POST', '/admin/v1/tenants', big, ADMIN_TOKEN);
    assert.deepEqual(
      [tooLarge.status, tooLarge.body],
      [413, { code: 'PAYLOAD_TOO_LARGE', message: 'The body is too large', details: [] }],
    );
    const unowned = await send('POST', '/nothing', big, ADMIN_TOKEN);
    assert.deepEqual([unowned.status, Object.keys(unowned.body).sort()], [413, ADMIN_KEYS]);
  });

  it('validation problems: the same validator, each API’s own words', async () => {
    const tmf = await send(
      'POST',
      '/v1/orgs/masmovil/appointments',
      JSON.stringify({
        ...fixture('tmf-create.request'),
        validFor: { startDateTime: '2030-11-31T09:00:00Z', endDateTime: '2030-12-01T11:00:00Z' },
      }),
    );
    assert.deepEqual(tmf.body, {
      componentMsg: 'The [validFor.startDateTime] attribute must be a date-time (RFC 3339, e.g. 2030-08-18T13:00:00Z).',
      id: 'MM0000001',
      msg: 'Bad request',
      status: 400,
    });
    const admin = await send(
      'GET',
      '/admin/v1/tenants/masmovil/slots?serviceIds=installation&from=2030-11-31T09:00:00Z&to=2030-12-01T09:00:00Z',
      undefined,
      ADMIN_TOKEN,
    );
    assert.equal(admin.status, 400);
    assert.equal(admin.body.code, 'INVALID_INPUT');
    assert.deepEqual(
      admin.body.details.map((d: Json) => d.field),
      ['from'],
    );
    assert.match(admin.body.message, /^from /);
    const paging = await send('GET', '/admin/v1/tenants/masmovil/sites?limit=2', undefined, ADMIN_TOKEN);
    assert.deepEqual(
      [paging.status, paging.body.limit, paging.body.offset],
      [200, 2, 0],
      'query strings are converted and defaults filled',
    );
  });
});
