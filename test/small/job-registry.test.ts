import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Core } from '../../src/core/core.ts';
import type { JobQueue } from '../../src/core/deps.ts';
import type { Queryable } from '../../src/db/database.ts';
import { createJobHandlers, JOB_NAMES } from '../../src/jobs/job-handlers.ts';

const silent = { info() {}, warn() {}, error() {} };
const noSender = { send: async () => null };
const noTx: Queryable = { query: async () => ({ rows: [], rowCount: 0 }) };

describe('the job registry', () => {
  it('has one handler per job name, and creates a queue for each', () => {
    const handlers = createJobHandlers({} as Core, silent, noSender);
    assert.deepEqual(Object.keys(handlers).sort(), [...JOB_NAMES].sort());
  });

  it('hold-expiry expires the hold its payload names', async () => {
    const calls: string[][] = [];
    const core = {
      holds: { expireHold: async (tenantId: string, holdId: string) => (calls.push([tenantId, holdId]), true) },
    } as unknown as Core;
    await createJobHandlers(core, silent, noSender)['hold-expiry']({ tenantId: 'acme', holdId: 'h-1' });
    assert.deepEqual(calls, [['acme', 'h-1']]);
  });

  it('notification-send hands its payload to the notification sender', async () => {
    const sent: unknown[] = [];
    await createJobHandlers({} as Core, silent, { send: async (d) => (sent.push(d), 'sent') })['notification-send']({
      tenantId: 'acme',
      messageId: 'm-1',
    });
    assert.deepEqual(sent, [{ tenantId: 'acme', messageId: 'm-1' }]);
  });

  it('enqueueing a job with a payload of the wrong shape does not compile (checked by npm run check)', async () => {
    const sent: unknown[] = [];
    const jobs: JobQueue = {
      async enqueue(_tx, name, data) {
        sent.push([name, data]);
      },
    };
    await jobs.enqueue(noTx, 'hold-expiry', { tenantId: 'acme', holdId: 'h-1' });
    // @ts-expect-error the payload lacks holdId
    await jobs.enqueue(noTx, 'hold-expiry', { tenantId: 'acme' });
    // @ts-expect-error no job of that name
    await jobs.enqueue(noTx, 'no-such-job', { tenantId: 'acme' });
    assert.equal(sent.length, 3);
  });
});
