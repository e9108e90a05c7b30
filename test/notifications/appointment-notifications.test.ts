/**
 * An appointment's own notifications: the templates and join link an API gives it at booking (the video-call API
 * passes its application's), the per-appointment switch (notificationsActive), a tenant's default phone country, and
 * the limit on verification codes per sender address. Real SMTP and a real SMS gateway on loopback; the clock is
 * injected and due jobs are run by calling their handler.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CreateAppointmentInput } from '../../src/core/booking/booking.types.ts';
import { CoreError } from '../../src/core/errors.ts';
import type {
  AppointmentNotificationsInput,
  NotificationTemplate,
} from '../../src/core/notifications/notification.types.ts';
import { createFieldServiceTest, type FieldServiceTest } from '../api/field-service/field-service.helpers.ts';
import { ADMIN_TOKEN, admin } from '../helpers/test-app.ts';
import { runDueNotifications, startSmsGateway, startSmtpSink } from './notification-helpers.ts';

const ROOM = 'https://video.example.com/q/ticket-7f3a';
const APPOINTMENTS = '/admin/v1/tenants/masmovil/appointments';
/** 09:00 in Madrid (CEST), a window start of the operator's installation service. */
const START = '2030-08-20T07:00:00Z';

const TEMPLATES: NotificationTemplate[] = [
  { channel: 'EMAIL', type: 'CREATE', subject: 'Your video call', textBody: 'Join at {{time24}}: {{roomLink}}' },
  { channel: 'SMS', type: 'ROOM', period: 'PT5M', textBody: 'Your call starts now: {{roomLink}}' },
  { channel: 'SMS', type: 'REMINDER', period: 'PT1H', textBody: 'Reminder: {{time24}} {{zone}}' },
];

describe('notifications an API gives an appointment', () => {
  let t: FieldServiceTest;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let sms: Awaited<ReturnType<typeof startSmsGateway>>;
  let n = 0;

  before(async () => {
    smtp = await startSmtpSink();
    sms = await startSmsGateway();
    // One appointment per test at the same window: enough technicians for all.
    t = await createFieldServiceTest({
      technicians: 8,
      notifications: {
        smtpUrl: smtp.url,
        smtpFrom: 'bookings@example.com',
        smsGatewayUrl: sms.url,
        smsGatewayToken: 'sms-token',
        smsFrom: 'ACME',
        retryScheduleMs: [1000],
        publicBaseUrl: null,
      },
    });
  });
  after(async () => {
    await t.close();
    await smtp.close();
    await sms.close();
  });

  const book = async (o: Partial<CreateAppointmentInput> = {}) => {
    const { appointment } = await t.core.booking.createAppointment(admin, 'masmovil', {
      serviceIds: ['installation'],
      location: { siteId: 'alava' },
      start: new Date(START),
      customer: { name: `Ana ${++n}`, email: `ana${n}@example.com`, phone: '+34612345678' },
      ...o,
    });
    return appointment.id;
  };
  const messages = (id: string) => t.core.notifications.listAppointmentNotifications(admin, 'masmovil', id);
  const statusOf = async (id: string, type: string) => (await messages(id)).filter((m) => m.type === type);
  const at = (offsetMs: number) => t.setNow(new Date(Date.parse(START) + offsetMs));

  it('takes the templates and join link given at booking, not its service’s, and renders {{roomLink}} once', async () => {
    at(-86_400_000);
    const id = await book({ notifications: { active: true, templates: TEMPLATES, values: { roomLink: ROOM } } });
    const snapshot = await t.call('GET', `${APPOINTMENTS}/${id}/notification-settings`, undefined, ADMIN_TOKEN);
    assert.equal(snapshot.status, 200);
    assert.deepEqual(snapshot.body, {
      active: true,
      senderEmail: null,
      templates: TEMPLATES,
      values: { roomLink: ROOM },
    });

    const mails = smtp.received.length;
    assert.deepEqual(await runDueNotifications(t), ['sent']);
    const mail = smtp.received.at(-1)!;
    assert.equal(smtp.received.length, mails + 1);
    assert.match(mail.mail.text ?? '', /Join at 09:00: https:\/\/video\.example\.com\/q\/ticket-7f3a/);

    // Five minutes before the start: the reminder (due an hour before) and the ROOM message, each once.
    const texts = sms.received.length;
    at(-5 * 60_000);
    assert.deepEqual((await runDueNotifications(t)).sort(), ['sent', 'sent']);
    assert.deepEqual(await runDueNotifications(t), [], 'nothing is sent twice');
    const sent = sms.received.slice(texts).map((r) => r.body.text);
    assert.ok(sent.includes(`Your call starts now: ${ROOM}`), JSON.stringify(sent));
    assert.ok(sent.includes('Reminder: 09:00 Europe/Madrid'), JSON.stringify(sent));
  });

  it('does not send a message using {{roomLink}} for an appointment without a join link, and says why', async () => {
    at(-86_400_000);
    const id = await book({
      notifications: { active: true, templates: [{ channel: 'SMS', type: 'CREATE', textBody: 'Join {{roomLink}}' }] },
    });
    const texts = sms.received.length;
    assert.deepEqual(await runDueNotifications(t), ['not_sent']);
    assert.equal(sms.received.length, texts);
    const [create] = await statusOf(id, 'CREATE');
    assert.equal(create.status, 'not_sent');
    assert.match(create.lastError ?? '', /no room link/);
  });

  it('switched off, withdraws what is planned and sends nothing; switched on, plans its reminders again', async () => {
    at(-86_400_000);
    const id = await book({ notifications: { active: true, templates: TEMPLATES, values: { roomLink: ROOM } } });
    const off = await t.core.notifications.setAppointmentNotifications(admin, 'masmovil', id, { active: false });
    assert.equal(off.active, false);
    assert.deepEqual(
      (await messages(id)).map((m) => [m.type, m.status]).sort(),
      [
        ['CREATE', 'scheduled'],
        ['REMINDER', 'withdrawn'],
        ['ROOM', 'withdrawn'],
      ],
      'reminders are withdrawn at once; the CREATE message already queued is stopped when its job runs',
    );
    const [mails, texts] = [smtp.received.length, sms.received.length];
    assert.deepEqual(await runDueNotifications(t), ['withdrawn']);
    at(-5 * 60_000);
    assert.deepEqual(await runDueNotifications(t), []);
    assert.equal(smtp.received.length, mails);
    assert.equal(sms.received.length, texts);

    // Switched on again two hours before: the reminder and ROOM message are planned anew and sent when due.
    at(-2 * 3_600_000);
    const on = await t.call('PATCH', `${APPOINTMENTS}/${id}/notification-settings`, { active: true }, ADMIN_TOKEN);
    assert.equal(on.status, 200, JSON.stringify(on.body));
    assert.equal(on.body.active, true);
    assert.deepEqual(
      (await statusOf(id, 'REMINDER')).map((m) => m.status),
      ['scheduled', 'withdrawn'],
      'newest first',
    );
    at(-5 * 60_000);
    assert.deepEqual((await runDueNotifications(t)).sort(), ['sent', 'sent']);
    assert.equal(sms.received.length, texts + 2);
    assert.equal(smtp.received.length, mails, 'switching on sends no CREATE message again');
  });

  it('answers 404 for an appointment without notifications, 400 for an empty change', async () => {
    at(-86_400_000);
    const id = await book();
    const url = `${APPOINTMENTS}/${id}/notification-settings`;
    assert.equal((await t.call('GET', url, undefined, ADMIN_TOKEN)).status, 404);
    assert.equal((await t.call('PATCH', url, {}, ADMIN_TOKEN)).status, 400);
    const bad = await t.call('PATCH', url, { values: { roomLink: 'ftp://x' } }, ADMIN_TOKEN);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.details[0].field, 'notifications.values.roomLink');
    assert.equal((await t.call('GET', url, undefined, ADMIN_TOKEN)).status, 404, 'nothing stored');
  });

  it('refuses bad templates or join links given at booking, and stores nothing', async () => {
    at(-86_400_000);
    const before = (await t.core.booking.listAppointments(admin, 'masmovil')).total;
    const refused = async (notifications: CreateAppointmentInput['notifications'], field: RegExp) => {
      const e = await book({ notifications }).then(
        () => null,
        (err: unknown) => err,
      );
      assert.ok(e instanceof CoreError && e.code === 'INVALID_INPUT', String(e));
      assert.match(e.issues.map((i) => i.field).join(), field);
    };
    await refused(
      { active: true, templates: [{ channel: 'SMS', type: 'CREATE', textBody: 'Hi {{nickname}}' }] },
      /templates\[0\]\.textBody/,
    );
    await refused({ active: true, templates: [], values: { roomLink: 'javascript:alert(1)' } }, /values\.roomLink/);
    await refused({ active: true, templates: [], values: { other: 'x' } as never }, /values\.other/);
    assert.equal((await t.core.booking.listAppointments(admin, 'masmovil')).total, before);
  });

  it('reads phone numbers without a prefix in the tenant’s default country, at booking and when sending', async () => {
    at(-86_400_000);
    const patch = (settings: unknown) =>
      t.inject({
        method: 'PATCH',
        url: '/admin/v1/tenants/masmovil',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        payload: { settings },
      });
    assert.equal((await patch({ defaultPhoneCountry: 'Spain' })).statusCode, 400);
    const set = await patch({ defaultPhoneCountry: 'ES' });
    assert.equal(set.statusCode, 200, set.body);
    assert.equal(set.json().settings.defaultPhoneCountry, 'ES');

    const sms1: AppointmentNotificationsInput = {
      active: true,
      templates: [{ channel: 'SMS', type: 'CREATE', textBody: 'Booked' }],
    };
    const bad = await book({ customer: { name: 'Luis', phone: '12345' }, notifications: sms1 }).catch((e) => e);
    assert.ok(bad instanceof CoreError && bad.code === 'INVALID_INPUT', String(bad));
    assert.deepEqual(bad.issues, [{ field: 'customer.phone', message: 'not a valid phone number' }]);

    const texts = sms.received.length;
    await book({ customer: { name: 'Luis', phone: '612 345 679' }, notifications: sms1 });
    assert.deepEqual(await runDueNotifications(t), ['sent']);
    assert.equal(sms.received[texts].body.to, '+34612345679');
    assert.equal((await patch({ defaultPhoneCountry: null })).statusCode, 200);
  });

  it('sends at most 5 verification codes an hour to one sender address (429 after that)', async () => {
    at(-86_400_000);
    const request = (email: string) =>
      t.inject({
        method: 'POST',
        url: '/admin/v1/tenants/masmovil/senders',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        payload: { email },
      });
    const mails = smtp.received.length;
    for (let i = 0; i < 5; i++) assert.equal((await request('team@operator.example')).statusCode, 204);
    const sixth = await request('Team@Operator.example');
    assert.equal(sixth.statusCode, 429);
    assert.equal(sixth.json().code, 'RATE_LIMITED');
    assert.equal(smtp.received.length, mails + 5, 'the refused request sent nothing');
    assert.equal((await request('other@operator.example')).statusCode, 204, 'counted per address');
    at(-86_400_000 + 3_600_000);
    assert.equal((await request('team@operator.example')).statusCode, 204, 'a new hour, a new count');
  });
});
