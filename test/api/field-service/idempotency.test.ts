/** Idempotency-Key on the creates of both field-service APIs, and on PATCH. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFieldServiceTest, fixture, type FieldServiceTest, type Json } from './field-service.helpers.ts';

const BASE = '/v1/orgs/masmovil/appointments';
const create = (id: string): Json => ({ ...fixture('tmf-create.request'), id, externalId: id });

describe('Idempotency-Key on creates', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 3 });
  });
  after(() => t.close());

  const post = (body: Json, key?: string) =>
    t.inject({
      method: 'POST',
      url: BASE,
      headers: { authorization: `Bearer ${t.key}`, ...(key ? { 'idempotency-key': key } : {}) },
      payload: body,
    });

  it('a retry with the same key and body gets the same 201 answer and books once', async () => {
    const first = await post(create('IDEM_1'), 'retry-1');
    const again = await post(create('IDEM_1'), 'retry-1');
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(again.statusCode, 201, again.body);
    assert.deepEqual(again.json(), first.json());
    const list = await t.call('GET', `${BASE}?externalId=IDEM_1`);
    assert.equal(list.body.length, 1);
  });

  it('the same key with another body is a 409 in the documented error body, and writes nothing', async () => {
    const res = await post(create('IDEM_2'), 'retry-1');
    assert.equal(res.statusCode, 409);
    assert.deepEqual(Object.keys(res.json()).sort(), ['componentMsg', 'id', 'msg', 'status']);
    assert.match(res.json().componentMsg, /Idempotency-Key/);
    assert.equal((await t.call('GET', `${BASE}/IDEM_2`)).status, 404);
  });

  it('without a key, the same body twice is a conflict on the id (409)', async () => {
    assert.equal((await post(create('IDEM_3'))).statusCode, 201);
    assert.equal((await post(create('IDEM_3'))).statusCode, 409);
  });

  it('an empty or oversized key is a 400', async () => {
    assert.equal((await post(create('IDEM_4'), 'x'.repeat(300))).statusCode, 400);
  });
});

describe('Idempotency-Key on PATCH (changeAppointment)', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 3 });
  });
  after(() => t.close());

  const patch = (id: string, body: Json, key?: string) =>
    t.inject({
      method: 'PATCH',
      url: `${BASE}/${id}`,
      headers: { authorization: `Bearer ${t.key}`, ...(key ? { 'idempotency-key': key } : {}) },
      payload: body,
    });
  const history = (id: string) =>
    t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM appointment_events WHERE appointment_id = $1', [id]);

  it(
    'a retried PATCH with the same key and body gets the same answer and changes once; another body under that key ' +
      'is a 409',
    async () => {
      assert.equal((await post(t, create('PIDEM_1'))).statusCode, 201);
      const body = { status: 'cancelled', note: [{ author: 'crm', text: 'customer called' }] };
      const first = await patch('PIDEM_1', body, 'change-1');
      const events = (await history('PIDEM_1')).rows[0].n;
      const again = await patch('PIDEM_1', body, 'change-1');
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(again.statusCode, 200, again.body);
      assert.deepEqual(again.json(), first.json());
      assert.equal((await history('PIDEM_1')).rows[0].n, events, 'the retry records nothing');

      const other = await patch('PIDEM_1', { description: 'something else' }, 'change-1');
      assert.equal(other.statusCode, 409);
      assert.match(other.json().componentMsg, /Idempotency-Key/);
      assert.equal(
        (await t.call('GET', `${BASE}/PIDEM_1`)).body.description,
        fixture('tmf-create.request').description,
      );
    },
  );

  it('the same key and body sent to another appointment is another request (409)', async () => {
    assert.equal((await post(t, create('PIDEM_2'))).statusCode, 201);
    assert.equal((await post(t, create('PIDEM_3'))).statusCode, 201);
    assert.equal((await patch('PIDEM_2', { description: 'x' }, 'change-2')).statusCode, 200);
    assert.equal((await patch('PIDEM_3', { description: 'x' }, 'change-2')).statusCode, 409);
  });

  it('concurrent retries of one PATCH change the appointment once', async () => {
    assert.equal((await post(t, create('PIDEM_4'))).statusCode, 201);
    const body = { note: [{ author: 'crm', text: 'only once' }] };
    const answers = await Promise.all(Array.from({ length: 5 }, () => patch('PIDEM_4', body, 'change-4')));
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [200, 200, 200, 200, 200],
    );
    assert.equal(
      (await t.call('GET', `${BASE}/PIDEM_4`)).body.note.filter((n: Json) => n.text === 'only once').length,
      1,
    );
    assert.equal((await history('PIDEM_4')).rows[0].n, 2);
  });
});

function post(t: FieldServiceTest, body: Json) {
  return t.inject({ method: 'POST', url: BASE, headers: { authorization: `Bearer ${t.key}` }, payload: body });
}
