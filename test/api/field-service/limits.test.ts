/**
 * What one appointment may make us store (docs/limits.md), and the history of a large, often
 * changed appointment read back in bounded pages (the probe's out-of-memory case: many extra keys,
 * patched many times, then one GET of the history).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getAppointmentEvent } from '../../../src/core/events/event.repository.ts';
import { MAX_ATTRIBUTE_KEYS, MAX_ATTRIBUTES_BYTES, MAX_NOTE_LENGTH, MAX_NOTES } from '../../../src/core/limits.ts';
import { admin, ADMIN_TOKEN } from '../../helpers/test-app.ts';
import { createFieldServiceTest, fixture, type FieldServiceTest, type Json } from './field-service.helpers.ts';

const TMF = '/v1/orgs/masmovil/appointments';
const EXT = '/v1/orgs/masmovil/ext';
const HISTORY = (id: string) => `/admin/v1/tenants/masmovil/appointments/${id}/history`;
const WINDOW = { startDateTime: '2030-08-18T13:00:00Z', endDateTime: '2030-08-18T15:00:00Z' };

const create = (id: string, extra: Json = {}): Json => ({
  ...fixture('tmf-create.request'),
  id,
  externalId: id,
  validFor: WINDOW,
  ...extra,
});
const manyKeys = (n: number, valueLength = 8) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`x${i}`, 'v'.repeat(valueLength)]));

describe('bounded appointments', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 3 });
  });
  after(() => t.close());

  it('refuses 50,000 extra keys with a 400 in the API’s format, and stores nothing', async () => {
    const res = await t.call('POST', TMF, create('BIG_1', manyKeys(50_000, 1)));
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys(res.body).sort(), ['componentMsg', 'id', 'msg', 'status']);
    assert.match(res.body.componentMsg, new RegExp(`at most ${MAX_ATTRIBUTE_KEYS} fields`));
    assert.equal((await t.call('GET', `${TMF}/BIG_1`)).status, 404);
  });

  it('refuses extra fields past the byte limit (Extension API too, in its format)', async () => {
    const huge = { blob: 'x'.repeat(MAX_ATTRIBUTES_BYTES) };
    const tmf = await t.call('POST', TMF, create('BIG_2', huge));
    assert.equal(tmf.status, 400);
    assert.match(tmf.body.componentMsg, new RegExp(`at most ${MAX_ATTRIBUTES_BYTES} bytes`));
    const ext = await t.call('POST', `${EXT}/appointments`, {
      ...fixture('ext-create.request'),
      workOrderId: 'BIG_3',
      ...huge,
    });
    assert.equal(ext.status, 400, JSON.stringify(ext.body));
    assert.deepEqual(Object.keys(ext.body).sort(), ['code', 'detailMsg', 'message', 'status']);
  });

  it('a PATCH cannot grow an appointment past the limit either', async () => {
    assert.equal((await t.call('POST', TMF, create('GROW_1', manyKeys(MAX_ATTRIBUTE_KEYS - 50)))).status, 201);
    const res = await t.call('PATCH', `${TMF}/GROW_1`, manyKeys(MAX_ATTRIBUTE_KEYS + 1));
    assert.equal(res.status, 400);
    assert.equal(
      Object.keys((await t.call('GET', `${TMF}/GROW_1`)).body).filter((k) => k.startsWith('x')).length,
      MAX_ATTRIBUTE_KEYS - 50,
    );
  });

  it('keeps at most MAX_NOTES notes of at most MAX_NOTE_LENGTH characters', async () => {
    const note = (text: string) => ({ author: 'crm', text });
    assert.equal(
      (await t.call('POST', TMF, create('NOTES_1', { note: [note('x'.repeat(MAX_NOTE_LENGTH + 1))] }))).status,
      400,
    );
    assert.equal(
      (
        await t.call(
          'POST',
          TMF,
          create('NOTES_1', { note: Array.from({ length: MAX_NOTES + 1 }, (_, i) => note(`n${i}`)) }),
        )
      ).status,
      400,
    );
    assert.equal(
      (
        await t.call(
          'POST',
          TMF,
          create('NOTES_1', { note: Array.from({ length: MAX_NOTES - 1 }, (_, i) => note(`n${i}`)) }),
        )
      ).status,
      201,
    );
    assert.equal((await t.call('PATCH', `${TMF}/NOTES_1`, { note: [note('one more')] })).status, 200);
    const over = await t.call('PATCH', `${TMF}/NOTES_1`, { note: [note('one too many')] });
    assert.equal(over.status, 400);
    assert.match(over.body.componentMsg, new RegExp(`at most ${MAX_NOTES} notes`));
    assert.equal((await t.call('GET', `${TMF}/NOTES_1`)).body.note.length, MAX_NOTES);
  });

  it('a large appointment patched many times: history answers a bounded page, events store what changed', async () => {
    const PATCHES = 150;
    // Near the limits: ~190 extra keys of 300 characters (about 57 KB of attributes).
    const extra = manyKeys(MAX_ATTRIBUTE_KEYS - 10, 300);
    assert.equal((await t.call('POST', TMF, create('HIST_1', extra))).status, 201);
    for (let i = 0; i < PATCHES; i++) {
      const res = await t.call('PATCH', `${TMF}/HIST_1`, { description: `change ${i}` });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    const admin401 = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const page = await t.inject({ method: 'GET', url: HISTORY('HIST_1'), headers: admin401 });
    assert.equal(page.statusCode, 200);
    const body = JSON.parse(page.body);
    assert.deepEqual([body.items.length, body.total, body.limit, body.offset], [50, PATCHES + 1, 50, 0]);
    assert.ok(page.body.length < 100_000, `first page is ${page.body.length} bytes`);
    const last = JSON.parse(
      (await t.inject({ method: 'GET', url: `${HISTORY('HIST_1')}?limit=100&offset=100`, headers: admin401 })).body,
    );
    assert.deepEqual(
      [last.items.length, last.items[0].seq, last.items.at(-1).seq],
      [PATCHES + 1 - 100, 101, PATCHES + 1],
    );
    for (const q of ['limit=101', 'limit=0', 'offset=-1', 'limit=Infinity', 'limit=1e400', 'limit=5.5'])
      assert.equal(
        (await t.inject({ method: 'GET', url: `${HISTORY('HIST_1')}?${q}`, headers: admin401 })).statusCode,
        400,
        q,
      );

    // Stored: the state after in full, and for the state before only what changed (a few fields), not a second 57 KB
    // copy.
    const { rows } = await t.db.query<{ n: number; patches: number; biggest: number }>(
      `SELECT count(*)::int AS n, count(previous_patch)::int AS patches,
        max(octet_length(previous_patch::text))::int AS biggest
       FROM appointment_events WHERE tenant_id = 'masmovil' AND appointment_id = 'HIST_1' AND previous IS NULL`,
    );
    assert.deepEqual([rows[0].n, rows[0].patches], [PATCHES + 1, PATCHES]);
    assert.ok(rows[0].biggest < 1000, `largest stored change is ${rows[0].biggest} bytes`);

    // Consumers and readers still get both states in full.
    const events = (await t.core.booking.getHistory(admin, 'masmovil', 'HIST_1', { offset: 10, limit: 1 })).items;
    const view = (a: { attributes: Record<string, unknown> }) => a.attributes.tmf646 as Json;
    assert.equal(view(events[0].previous!).description, 'change 8');
    assert.equal(view(events[0].current).description, 'change 9');
    assert.equal(view(events[0].previous!).x0, extra.x0);
    assert.equal(events[0].previous!.version + 1, events[0].current.version);
    assert.ok(events[0].previous!.updatedAt instanceof Date);

    // Pages of any size and offset rebuild the same chain: each event starts where the one before ended.
    const all = [];
    for (let offset = 0; offset < PATCHES + 1; offset += 13)
      all.push(...(await t.core.booking.getHistory(admin, 'masmovil', 'HIST_1', { offset, limit: 13 })).items);
    assert.deepEqual(
      all.map((e) => e.seq),
      Array.from({ length: PATCHES + 1 }, (_, i) => i + 1),
    );
    assert.equal(all[0].previous, null);
    for (let i = 1; i < all.length; i++) assert.deepEqual(all[i].previous, all[i - 1].current, `event ${all[i].seq}`);
    const stored = await t.core.booking.getAppointment(admin, 'masmovil', 'HIST_1');
    assert.deepEqual(all.at(-1)!.current, stored);
    // One event by id (as a job handed the id reads it), between two full copies.
    assert.deepEqual(await getAppointmentEvent(t.db, 'masmovil', all[45].id), all[45]);
  });
});
