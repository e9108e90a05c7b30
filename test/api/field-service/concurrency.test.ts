/** Many clients booking one window at once: exactly its free capacity succeeds, the rest get 409. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFieldServiceTest, fixture, windowCounts, type FieldServiceTest } from './field-service.helpers.ts';

const WINDOW = { startDateTime: '2030-08-17T07:00:00Z', endDateTime: '2030-08-17T09:00:00Z' };
const TECHNICIANS = 4;
const CLIENTS = 16;

describe('concurrent bookings of one window', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: TECHNICIANS });
  });
  after(() => t.close());

  it(
    `${CLIENTS} concurrent creates through both APIs on a window of ${TECHNICIANS}: ${TECHNICIANS} × 201, the rest ` +
      `409`,
    async () => {
      const requests = Array.from({ length: CLIENTS }, (_, i) =>
        i % 2 === 0
          ? t.call('POST', '/v1/orgs/masmovil/appointments', {
              ...fixture('tmf-create.request'),
              id: `MYSIM_C${i}`,
              externalId: `MYSIM_C${i}`,
              validFor: WINDOW,
            })
          : t.call('POST', '/v1/orgs/masmovil/ext/appointments', {
              ...fixture('ext-create.request'),
              workOrderId: `WD_C${i}`,
              validFor: WINDOW,
            }),
      );
      const statuses = (await Promise.all(requests)).map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 201).length, TECHNICIANS, statuses.join(','));
      assert.equal(statuses.filter((s) => s === 409).length, CLIENTS - TECHNICIANS, statuses.join(','));
      const search = await t.call('POST', '/v1/orgs/masmovil/appointments/searchTimeSlot', {
        ...fixture('tmf-search.request'),
        id: undefined,
        requestedTimeSlot: [{ validFor: WINDOW }],
      });
      assert.equal(windowCounts(search.body, WINDOW.startDateTime), undefined, 'the full window is no longer offered');
    },
  );
});
