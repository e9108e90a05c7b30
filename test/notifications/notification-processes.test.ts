/**
 * Reminders with real pg-boss workers on one PostgreSQL (skipped without TEST_DATABASE_URL): two
 * processes' runtimes working the same queue send a reminder once; a runtime stopped after the
 * booking and started again after the reminder time sends it while the appointment is ahead, and
 * skips it once the appointment has started. Reminder times are a few seconds ahead of the real
 * clock, so this is the one place these tests wait (polling for the outcome, bounded).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { admin } from '../helpers/test-app.ts';
import { createScratchDatabase } from '../helpers/test-db.ts';
import { createOperatorTenant } from '../api/field-service/field-service.helpers.ts';
import type { Logger } from '../../src/core/deps.ts';
import { startRuntime, type Runtime } from '../../src/runtime.ts';
import { startSmsGateway } from './notification-helpers.ts';

const silent: Logger = { info() {}, warn() {}, error() {} };
const scratch = await createScratchDatabase();

/** The next weekday at least 3 days ahead, 09:00 in Madrid (the installation's first window). */
function nextWindow(): Date {
  let d = DateTime.now()
    .setZone('Europe/Madrid')
    .plus({ days: 3 })
    .set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
  while (d.weekday > 5) d = d.plus({ days: 1 });
  return d.toJSDate();
}

describe('reminders with real workers on one PostgreSQL', { skip: scratch ? false : 'needs TEST_DATABASE_URL' }, () => {
  let sms: Awaited<ReturnType<typeof startSmsGateway>>;
  const runtimes: Runtime[] = [];
  const start = (o: { workers: boolean; now?: () => Date }) =>
    startRuntime({
      config: {
        databaseUrl: scratch!.url,
        dataDir: '',
        adminToken: null,
        jwt: { secret: null, jwksUrl: null, issuer: null, audience: null },
        piiHashKey: 'test-pii-key',
        notifications: {
          smtpUrl: null,
          smtpFrom: 'no-reply@localhost',
          smsGatewayUrl: sms.url,
          smsGatewayToken: null,
          smsFrom: 'ACME',
          retryScheduleMs: [1000],
          publicBaseUrl: null,
        },
      },
      log: silent,
      now: o.now,
      runWorkers: o.workers,
      jobPollingSeconds: 1,
    }).then((r) => (runtimes.push(r), r));
  /** Polls (bounded) until `done`, the outcome of real workers. */
  const until = async (done: () => Promise<boolean> | boolean, ms = 20_000) => {
    const deadline = Date.now() + ms;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const statusOf = async (r: Runtime, id: string) =>
    (await r.core.notifications.listAppointmentNotifications(admin, 'masmovil', id)).find((m) => m.type === 'REMINDER')!
      .status;

  before(async () => {
    sms = await startSmsGateway();
    const setup = await start({ workers: false });
    await createOperatorTenant(setup.core);
  });
  after(async () => {
    for (const r of runtimes) await r.close().catch(() => {});
    await sms.close();
    await scratch?.drop();
  });

  /** Books an appointment whose reminder falls due `inMs` from now (real time); its customer's number is `phone`. */
  async function bookWithReminderIn(r: Runtime, id: string, inMs: number, phone: string) {
    const startAt = nextWindow();
    const periodSeconds = Math.floor((startAt.getTime() - Date.now() - inMs) / 1000);
    await r.core.notifications.putNotificationSettings(admin, 'masmovil', 'installation', {
      active: true,
      senderEmail: null,
      templates: [{ channel: 'SMS', type: 'REMINDER', period: `PT${periodSeconds}S`, textBody: `Reminder ${id}` }],
    });
    await r.core.booking.createAppointment(admin, 'masmovil', {
      id,
      serviceIds: ['installation'],
      location: { siteId: 'madrid' },
      start: startAt,
      customer: { name: 'Ana', phone },
    });
    return startAt;
  }
  const received = (id: string) => sms.received.filter((m) => m.body.text === `Reminder ${id}`).length;

  it('two processes working the same queue send a reminder once', async () => {
    const a = await start({ workers: true });
    const b = await start({ workers: true });
    await bookWithReminderIn(a, 'P_1', 2000, '+34686201230');
    await until(async () => (await statusOf(b, 'P_1')) !== 'scheduled');
    assert.equal(await statusOf(a, 'P_1'), 'sent');
    // Both workers keep polling for a few rounds more: still one.
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(received('P_1'), 1);
    await a.close();
    await b.close();
  });

  it(
    'a process stopped after the booking and started after the reminder time sends it while the appointment is ' +
      'ahead',
    async () => {
      const booking = await start({ workers: false });
      await bookWithReminderIn(booking, 'P_2', 1000, '+34686201231');
      await booking.close();
      await new Promise((r) => setTimeout(r, 1500)); // down past the reminder time
      const later = await start({ workers: true });
      await until(async () => (await statusOf(later, 'P_2')) !== 'scheduled');
      assert.equal(await statusOf(later, 'P_2'), 'sent');
      assert.equal(received('P_2'), 1);
      await later.close();
    },
  );

  it('…and skips it when the appointment has started by then', async () => {
    const booking = await start({ workers: false });
    const startAt = await bookWithReminderIn(booking, 'P_3', 1000, '+34686201232');
    await booking.close();
    await new Promise((r) => setTimeout(r, 1500));
    // Started again after the appointment's start (its clock says so).
    const later = await start({ workers: true, now: () => new Date(startAt.getTime() + 60_000) });
    await until(async () => (await statusOf(later, 'P_3')) !== 'scheduled');
    assert.equal(await statusOf(later, 'P_3'), 'skipped');
    assert.equal(received('P_3'), 0);
    await later.close();
  });
});
