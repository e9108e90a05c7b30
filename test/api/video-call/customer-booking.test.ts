/**
 * The customer's own booking end to end: a one-time code read from a real SMTP conversation, Basic
 * credentials, an agent assigned, the application's templates snapshotted with the join link (the
 * ROOM SMS carries the link activation hands out); the last free agent under concurrent bookings;
 * the core's no-overlap across this API and the admin API; another tenant sees nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin } from '../../helpers/test-app.ts';
import { runDueNotifications, startSmsGateway, startSmtpSink } from '../../notifications/notification-helpers.ts';
import {
  assertSameShape,
  assertSpringError,
  channels,
  createContactCenter,
  createVideoCallTest,
  fixture,
  type VideoCallTest,
} from './video-call.helpers.ts';

const basic = (recipient: string, code: string) => `Basic ${Buffer.from(`${recipient}:${code}`).toString('base64')}`;

describe('video-call API: schedule as customer', () => {
  let t: VideoCallTest;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let sms: Awaited<ReturnType<typeof startSmsGateway>>;
  before(async () => {
    smtp = await startSmtpSink();
    sms = await startSmsGateway();
    t = await createVideoCallTest({
      agents: ['solo-agent'],
      notifications: channels({ smtpUrl: smtp.url, smsUrl: sms.url }),
    });
  });
  after(async () => {
    await t.close();
    await smtp.close();
    await sms.close();
  });

  /** Asks for a code by e-mail and reads it from the message the SMTP server received. */
  async function codeFor(email: string): Promise<string> {
    // A second apart: the newest code of a recipient is the one that counts, and the test clock stands still.
    t.setNow(new Date(t.now().getTime() + 1000));
    const r = await t.call('POST', '/api/appointments/basic/otp', { body: { applicationId: t.application.id, email } });
    assert.equal(r.status, 204, JSON.stringify(r.body));
    const mail = smtp.received.filter((m) => m.envelopeTo.includes(email)).at(-1);
    assert.ok(mail, `a code went to ${email}`);
    return /\b(\d{6})\b/.exec(mail.mail.text ?? '')![1];
  }

  const schedule = (authorization: string, over: Record<string, unknown> = {}) =>
    t.call('POST', '/api/appointments/basic', {
      headers: { authorization },
      body: { ...fixture('schedule.request'), applicationId: t.application.id, ...over },
    });

  it('books with a code from the e-mail; a used or wrong code is a 401', async () => {
    const code = await codeFor('bobby@provider.net');
    const r = await schedule(basic('bobby@provider.net', code));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assertSameShape(r.body, fixture('appointment.response'));
    assert.equal(r.body.start, '2030-01-31T19:00:00.000Z');
    assert.deepEqual(r.body.participantIds[1], { id: 'solo-agent', type: 'AGENT' });
    assert.equal(r.body.organizer.type, 'CUSTOMER');
    assert.equal(r.body.organizer.id, r.body.participantIds[0].id);
    assert.deepEqual(r.body.notifications, t.application.notifications);
    const used = await schedule(basic('bobby@provider.net', code), { start: '2030-01-31T19:05:00.000Z' });
    assertSpringError(used, 401, '/api/appointments/basic');
    const none = await t.call('POST', '/api/appointments/basic', { body: fixture('schedule.request') });
    assertSpringError(none, 401, '/api/appointments/basic');
    // The verified address is the customer's contact, whatever the body says.
    const details = await t.call('GET', `/api/appointments/${r.body.id}/participants/${r.body.organizer.id}`, {
      token: await t.token('SUPERVISOR'),
    });
    assert.equal(details.body.contact.primaryEmail, 'bobby@provider.net');
    // The CREATE e-mail went to the customer.
    await runDueNotifications(t);
    assert.ok(
      smtp.received.some(
        (m) => m.envelopeTo.includes('bobby@provider.net') && m.mail.subject === 'Appointment notification',
      ),
    );
  });

  it('refuses with 409 when no agent is free, and 400 naming the reason outside hours, notice or horizon', async () => {
    const full = await schedule(basic('jr@provider.net', await codeFor('jr@provider.net')));
    assertSpringError(full, 409, '/api/appointments/basic');
    const hours = await schedule(basic('jr@provider.net', await codeFor('jr@provider.net')), {
      start: '2030-01-31T22:00:00.000Z',
    });
    assertSpringError(hours, 400, '/api/appointments/basic');
    assert.match(hours.body.message, /working hours/);
    const notice = await schedule(basic('jr@provider.net', await codeFor('jr@provider.net')), {
      start: '2030-01-30T08:30:00.000Z',
    });
    assert.match(notice.body.message, /notice/);
    const horizon = await schedule(basic('jr@provider.net', await codeFor('jr@provider.net')), {
      start: '2030-06-30T10:00:00.000Z',
    });
    assert.match(horizon.body.message, /days ahead/);
    const duration = await schedule(basic('sue@provider.net', await codeFor('sue@provider.net')), {
      start: '2030-01-31T10:00:00.000Z',
      duration: 'PT10M',
    });
    assertSpringError(duration, 400, '/api/appointments/basic');
  });

  it('books the last free agent once under concurrent customers: exactly one succeeds', async () => {
    const emails = ['a1@provider.net', 'a2@provider.net', 'a3@provider.net', 'a4@provider.net'];
    const codes = await Promise.all(emails.map(codeFor));
    const answers = await Promise.all(
      emails.map((e, i) => schedule(basic(e, codes[i]), { start: '2030-02-01T09:00:00.000Z' })),
    );
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409, 409, 409]);
  });

  it('an agent booked here is not offered by the admin slot search, and held there is not booked here', async () => {
    const adminSlots = (start: string) =>
      t.app.inject({
        method: 'GET',
        url:
          `/admin/v1/tenants/${t.tenantId}/slots?serviceIds=video-call&siteId=desk` +
          `&from=${start}&to=${new Date(Date.parse(start) + 300_000).toISOString()}`,
        headers: { authorization: 'Bearer test-admin-token-0123456789' },
      });
    const before = (await adminSlots('2030-02-01T10:00:00.000Z')).json();
    assert.equal(before.slots[0]?.free, 1);
    const ok = await schedule(basic('b1@provider.net', await codeFor('b1@provider.net')), {
      start: '2030-02-01T10:00:00.000Z',
    });
    assert.equal(ok.status, 200);
    const afterBooking = (await adminSlots('2030-02-01T10:00:00.000Z')).json();
    assert.ok(
      afterBooking.slots.every((s: { free: number }) => s.free === 0),
      'not offered any more',
    );

    const hold = await t.app.inject({
      method: 'POST',
      url: `/admin/v1/tenants/${t.tenantId}/holds`,
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
      payload: { serviceIds: ['video-call'], siteId: 'desk', start: '2030-02-01T11:00:00.000Z' },
    });
    assert.equal(hold.statusCode, 201, hold.body);
    const taken = await schedule(basic('b2@provider.net', await codeFor('b2@provider.net')), {
      start: '2030-02-01T11:00:00.000Z',
    });
    assertSpringError(taken, 409, '/api/appointments/basic');
  });

  it('the REMINDER and ROOM SMS arrive once, the ROOM one with the join link that activation hands out', async () => {
    const code = await codeFor('room@provider.net');
    const r = await schedule(basic('room@provider.net', code), {
      start: '2030-02-02T10:00:00.000Z',
      customer: { ...fixture('schedule.request').customer, contact: { primaryPhone: '+4915112345678' } },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    t.setNow('2030-02-02T09:55:00Z');
    try {
      await runDueNotifications(t);
      const room = sms.received.filter((m) => JSON.stringify(m.body).includes('To join please follow the link'));
      assert.equal(room.length, 1, 'one ROOM message');
      const activation = await t.call('POST', `/api/appointments/activate/${r.body.id}`, {
        token: await t.token('CLIENT_SERVICE', { sub: 'cs' }),
      });
      assert.equal(activation.status, 200, JSON.stringify(activation.body));
      assert.ok(JSON.stringify(room[0].body).includes(activation.body.url), 'the same link');
      const reminders = sms.received.filter((m) => JSON.stringify(m.body).includes('This is a reminder'));
      assert.equal(reminders.length, 1, 'one REMINDER message');
      await runDueNotifications(t);
      assert.equal(sms.received.filter((m) => JSON.stringify(m.body).includes('To join')).length, 1, 'sent once');
      assert.equal(sms.received.filter((m) => JSON.stringify(m.body).includes('This is a reminder')).length, 1);
    } finally {
      t.setNow('2030-01-30T08:10:00Z');
    }
  });

  it('another tenant’s token sees nothing of this tenant (403/404)', async () => {
    const theirs = await createContactCenter(t, 'other-center', { agents: ['other-agent'] });
    assert.ok(theirs.id);
    const a = await t.book({ start: '2030-02-03T10:00:00.000Z' });
    const foreign = await t.token(['SUPERVISOR', 'CLIENT_SERVICE', 'AGENT', 'ADMIN'], { tenant: 'other-center' });
    assertSpringError(
      await t.call('GET', `/api/appointments/${a.id}`, { token: foreign }),
      404,
      `/api/appointments/${a.id}`,
    );
    const list = await t.call('GET', '/api/appointments/', { token: foreign });
    assert.equal(list.body.total, 0);
    for (const [method, url, body] of [
      ['PUT', '/api/appointments/', { id: a.id }],
      ['DELETE', `/api/appointments/${a.id}`, undefined],
      ['PUT', '/api/appointments/reassign/', { id: a.id, userId: 'other-agent' }],
      ['POST', `/api/appointments/activate/${a.id}`, undefined],
      ['POST', '/api/notifications/emails/confirm', { applicationId: t.application.id, code: '123456' }],
    ] as const) {
      const r = await t.call(method, url, { token: foreign, body });
      assert.ok([400, 404].includes(r.status), `${method} ${url}: ${r.status}`);
      assert.doesNotMatch(JSON.stringify(r.body), /Product installation review/);
    }
    assert.equal((await t.core.booking.getAppointment(admin, t.tenantId, a.id)).status, 'booked', 'untouched');
  });
});
