import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startRuntime } from '../../src/runtime.ts';
import { admin } from '../helpers/test-app.ts';
import { createScenario } from '../helpers/scenario.ts';
import { createScratchDatabase, serverUrl } from '../helpers/test-db.ts';

const silent = { info() {}, warn() {}, error() {} };
const now = () => new Date('2027-01-04T06:00:00Z');

describe('data survives a restart', () => {
  it(`keeps tenants, appointments and history across a close and a new start (${
    serverUrl ? 'PostgreSQL' : 'PGlite DATA_DIR'
  })`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sched-restart-'));
    const scratch = await createScratchDatabase();
    const config = {
      databaseUrl: scratch?.url ?? null,
      dataDir: dir,
      adminToken: null,
      jwt: { secret: null, jwksUrl: null, issuer: null, audience: null },
      piiHashKey: 'k',
    };
    try {
      const first = await startRuntime({ config, log: silent, now, runWorkers: false });
      await createScenario(first.core, { tenantId: 'durable', resources: 1 });
      const { appointment } = await first.core.booking.createAppointment(admin, 'durable', {
        serviceIds: ['install'],
        location: { siteId: 'site-1' },
        start: new Date('2027-01-05T08:00:00Z'),
        customer: { name: 'Ana', personalId: 'X1234567L' },
      });
      await first.close();

      const second = await startRuntime({ config, log: silent, now, runWorkers: false });
      try {
        const again = await second.core.booking.getAppointment(admin, 'durable', appointment.id);
        assert.deepEqual(again, appointment);
        assert.equal((await second.core.booking.getHistory(admin, 'durable', appointment.id)).items.length, 1);
        const byPersonalId = await second.core.booking.listAppointments(admin, 'durable', {
          customerPersonalId: 'x1234567l',
        });
        assert.deepEqual(
          byPersonalId.items.map((a) => a.id),
          [appointment.id],
        );
        // The slot it took is still taken.
        await assert.rejects(
          second.core.booking.createAppointment(admin, 'durable', {
            serviceIds: ['install'],
            location: { siteId: 'site-1' },
            start: new Date('2027-01-05T08:00:00Z'),
          }),
          { code: 'SLOT_UNAVAILABLE' },
        );
      } finally {
        await second.close();
      }
    } finally {
      await scratch?.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
