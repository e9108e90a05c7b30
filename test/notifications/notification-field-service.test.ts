/**
 * End to end through the field-service Appointments API: templates set through the admin API, a
 * real SMTP conversation with an in-process server (smtp-server) and a real SMS gateway on loopback.
 * The clock is injected and the 'notification-send' jobs pg-boss holds are run by calling their
 * handler once they are due at that clock: no sleeping.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ical from 'node-ical';
import {
  createFieldServiceTest,
  fixture,
  NOW,
  type FieldServiceTest,
  type Json,
} from '../api/field-service/field-service.helpers.ts';
import { ADMIN_TOKEN } from '../helpers/test-app.ts';
import { runDueNotifications, startSmsGateway, startSmtpSink } from './notification-helpers.ts';

const TMF = '/v1/orgs/masmovil/appointments';
const SETTINGS = '/admin/v1/tenants/masmovil/services/installation/notifications';

const TEMPLATES = [
  {
    channel: 'EMAIL',
    type: 'CREATE',
    subject: 'Your {{title}} on {{dd-MM-yyyy}}',
    textBody: 'Dear {{firstName}} {{lastName}}, see you on {{dd-MM-yyyy}} at {{time24}} {{zone}}.',
    htmlBody: '<p>Dear {{firstName}}, {{date}} {{time24}} <a href="{{icalLink}}">ics</a></p>',
    locale: 'es',
  },
  {
    channel: 'EMAIL',
    type: 'RESCHEDULE',
    subject: 'New time',
    textBody: 'Dear {{firstName}}, now {{dd-MM-yyyy}} {{time24}}.',
  },
  {
    channel: 'EMAIL',
    type: 'CANCEL',
    subject: 'Cancelled',
    textBody: 'Dear {{firstName}}, your appointment of {{dd-MM-yyyy}} is cancelled.',
  },
  { channel: 'SMS', type: 'CREATE', textBody: 'Booked: {{dd-MM-yyyy}} {{time24}} {{zone}}' },
  { channel: 'SMS', type: 'REMINDER', period: 'P1D', textBody: 'Reminder: tomorrow {{time24}}' },
];

describe('notifications of appointments booked through the field-service API', () => {
  let t: FieldServiceTest;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let sms: Awaited<ReturnType<typeof startSmsGateway>>;

  before(async () => {
    smtp = await startSmtpSink();
    sms = await startSmsGateway();
    t = await createFieldServiceTest({
      notifications: {
        smtpUrl: smtp.url,
        smtpFrom: 'bookings@example.com',
        smsGatewayUrl: sms.url,
        smsGatewayToken: 'sms-token',
        smsFrom: 'ACME',
        retryScheduleMs: [1000, 2000],
        publicBaseUrl: 'https://booking.example.com',
      },
    });
    const res = await admin('PUT', SETTINGS, { active: true, templates: TEMPLATES });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });
  after(async () => {
    await t.close();
    await smtp.close();
    await sms.close();
  });

  const admin = (method: 'GET' | 'PUT', url: string, body?: unknown) => t.call(method, url, body, ADMIN_TOKEN);
  const book = async (id: string, o: { start?: string; phone?: string; noScoring?: boolean } = {}) => {
    const body: Json = { ...fixture('tmf-create.request'), id, externalId: id };
    const start = o.start ?? '2030-08-18T13:00:00Z';
    body.validFor = { startDateTime: start, endDateTime: new Date(Date.parse(start) + 2 * 3_600_000).toISOString() };
    if (o.phone)
      body.relatedParty = body.relatedParty.map((p: Json) => (p.role === 'phoneNumber' ? { ...p, id: o.phone } : p));
    // The operator refuses customers scored RISK less than 48 hours ahead: a late booking is of a customer not scored.
    if (o.noScoring) body.relatedParty = body.relatedParty.filter((p: Json) => !p.role.startsWith('scoring_'));
    const res = await t.call('POST', TMF, body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };
  const messages = async (id: string) => {
    const res = await admin('GET', `/admin/v1/tenants/masmovil/appointments/${id}/notifications`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.items as Json[];
  };
  /** The notification jobs pg-boss holds for a message of this appointment (run or not), with their start times. */
  const jobsOf = async (appointmentId: string) =>
    (
      await t.db.query<{ data: { messageId: string }; start_after: Date }>(
        `SELECT j.data, j.start_after FROM pgboss.job j JOIN notification_messages m ON m.message_id =
          j.data->>'messageId'
         WHERE j.name = 'notification-send' AND m.appointment_id = $1 ORDER BY j.start_after`,
        [appointmentId],
      )
    ).rows;
  const runDue = () => runDueNotifications(t);
  const invite = (m: (typeof smtp.received)[number]) => {
    const part = m.mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
    assert.ok(part, 'the e-mail carries an iCalendar part');
    const text = part.content.toString('utf8');
    const event = Object.values(ical.sync.parseICS(text)).find((c: any) => c.type === 'VEVENT') as any;
    return { text, event, method: /^METHOD:(\w+)/m.exec(text)?.[1] };
  };

  it(
    'refuses templates with an unknown placeholder, a ' + 'missing period or too many templates, naming the problem',
    async () => {
      const unknown = await admin('PUT', SETTINGS, {
        active: true,
        templates: [{ channel: 'SMS', type: 'CREATE', textBody: 'Hi {{nickname}}' }],
      });
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.message, /unknown placeholder \{\{nickname\}\}/);
      assert.deepEqual(unknown.body.details, [
        { field: 'templates[0].textBody', message: 'unknown placeholder {{nickname}}' },
      ]);
      const noPeriod = await admin('PUT', SETTINGS, {
        active: true,
        templates: [{ channel: 'SMS', type: 'REMINDER', textBody: 'x' }],
      });
      assert.equal(noPeriod.status, 400);
      assert.match(noPeriod.body.message, /templates\[0\]\.period is required/);
      const badPeriod = await admin('PUT', SETTINGS, {
        active: true,
        templates: [{ channel: 'SMS', type: 'ROOM', period: 'five minutes', textBody: 'x' }],
      });
      assert.equal(badPeriod.status, 400);
      const many = await admin('PUT', SETTINGS, {
        active: true,
        templates: Array.from({ length: 21 }, () => TEMPLATES[3]),
      });
      assert.equal(many.status, 400);
      const unknownService = await admin('PUT', '/admin/v1/tenants/masmovil/services/nope/notifications', {
        active: true,
        templates: [],
      });
      assert.equal(unknownService.status, 404);
      const stored = await admin('GET', SETTINGS);
      assert.deepEqual(
        stored.body,
        { active: true, senderEmail: null, templates: TEMPLATES },
        'refused bodies changed nothing',
      );
    },
  );

  it('templates set in the tenant configuration document, checked as the admin API checks them', async () => {
    const apply = (notifications: unknown) =>
      t.call(
        'PUT',
        '/admin/v1/configuration',
        { tenant: { id: 'masmovil', name: 'Operator masmovil' }, notifications },
        ADMIN_TOKEN,
      );
    const bad = await apply([
      {
        serviceId: 'installation',
        active: true,
        templates: [{ channel: 'SMS', type: 'CREATE', textBody: '{{firstname}}' }],
      },
    ]);
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /unknown placeholder \{\{firstname\}\}/);
    assert.equal((await apply([{ serviceId: 'nope', active: true, templates: [] }])).status, 400);
    const small = [{ channel: 'SMS', type: 'CREATE', textBody: 'Hi {{firstName}}' }];
    assert.equal((await apply([{ serviceId: 'installation', active: false, templates: small }])).status, 200);
    assert.deepEqual((await admin('GET', SETTINGS)).body, { active: false, senderEmail: null, templates: small });
    assert.equal((await apply([{ serviceId: 'installation', active: true, templates: TEMPLATES }])).status, 200);
    assert.deepEqual((await admin('GET', SETTINGS)).body.templates, TEMPLATES);
  });

  it(
    'a booking sends the CREATE e-mail with an invitation; a reschedule sends RESCHEDULE and moves the reminder; a ' +
      'cancellation sends CANCEL and no reminder goes out',
    async () => {
      const id = await book('NOTIF_1');
      assert.deepEqual(
        (await runDue()).sort(),
        ['not_sent', 'sent'],
        'the CREATE e-mail is sent; the CREATE SMS has no valid number (686201221 has no country prefix and the site ' +
          'no country)',
      );
      const created = smtp.received.at(-1)!;
      assert.deepEqual(created.envelopeTo, ['test@pe.es']);
      assert.equal(
        created.mail.subject,
        'Your Instalación on 18-08-2030',
        "the service's name in the template's locale (es)",
      );
      assert.equal(created.mail.text?.trim(), 'Dear Raúl Garcia Garcia, see you on 18-08-2030 at 15:00 Europe/Madrid.');
      assert.match(created.mail.html || '', /Dear Raúl, 18 de agosto de 2030 15:00/);
      const first = invite(created);
      assert.equal(first.method, 'REQUEST');
      assert.equal(new Date(first.event.start).toISOString(), '2030-08-18T13:00:00.000Z');
      const uid = first.event.uid;
      const icalLink = /href="([^"]+)"/.exec(created.mail.html || '')![1];
      assert.match(icalLink, /^https:\/\/booking\.example\.com\/calendar\/v1\/[^/]+\/event\.ics$/);
      const viaLink = await t.inject({ method: 'GET', url: icalLink.replace('https://booking.example.com', '') });
      assert.equal(viaLink.statusCode, 200, '{{icalLink}} is the public calendar entry');

      let list = await messages(id);
      const reminder = list.find((m) => m.type === 'REMINDER')!;
      assert.equal(reminder.status, 'scheduled');
      assert.equal(reminder.scheduledAt, '2030-08-17T13:00:00.000Z');
      const oldJob = (await jobsOf(id)).find((j) => j.data.messageId === reminder.id)!;
      assert.equal(
        oldJob.start_after.toISOString(),
        '2030-08-17T13:00:00.000Z',
        'pg-boss holds the reminder until start − period',
      );
      const sentMail = list.find((m) => m.type === 'CREATE' && m.channel === 'EMAIL')!;
      assert.equal(sentMail.status, 'sent');
      assert.equal(sentMail.recipient, 't***@pe.es', 'masked');
      assert.equal(list.find((m) => m.type === 'CREATE' && m.channel === 'SMS')!.status, 'not_sent');

      const moved = await t.call('PATCH', `${TMF}/${id}`, {
        validFor: { startDateTime: '2030-08-18T15:00:00Z', endDateTime: '2030-08-18T17:00:00Z' },
      });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      assert.deepEqual(await runDue(), ['sent']);
      const rescheduled = invite(smtp.received.at(-1)!);
      assert.equal(smtp.received.at(-1)!.mail.text?.trim(), 'Dear Raúl, now 18-08-2030 17:00.');
      assert.equal(rescheduled.method, 'REQUEST');
      assert.equal(rescheduled.event.uid, uid, 'same UID for the life of the appointment');
      assert.ok(Number(rescheduled.event.sequence) > Number(first.event.sequence), 'SEQUENCE increases');

      list = await messages(id);
      assert.equal(list.find((m) => m.id === reminder.id)!.status, 'withdrawn');
      const newReminder = list.find((m) => m.type === 'REMINDER' && m.status === 'scheduled')!;
      assert.equal(newReminder.scheduledAt, '2030-08-17T15:00:00.000Z', 'the reminder moved with the appointment');
      assert.equal(
        (await jobsOf(id)).find((j) => j.data.messageId === newReminder.id)!.start_after.toISOString(),
        '2030-08-17T15:00:00.000Z',
      );

      const cancelled = await t.call('PATCH', `${TMF}/${id}`, { status: 'cancelled' });
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
      assert.deepEqual(await runDue(), ['sent']);
      const cancel = invite(smtp.received.at(-1)!);
      assert.equal(cancel.method, 'CANCEL');
      assert.equal(cancel.event.uid, uid);
      assert.equal(cancel.event.status, 'CANCELLED');
      assert.ok(Number(cancel.event.sequence) > Number(rescheduled.event.sequence));

      // Past both reminder times: the old and the new reminder jobs run, and nothing is sent.
      const smsBefore = sms.received.length;
      t.setNow('2030-08-17T16:00:00Z');
      assert.deepEqual(await runDue(), [], 'withdrawn reminders are not sent');
      assert.equal(sms.received.length, smsBefore);
      list = await messages(id);
      assert.deepEqual(
        list.filter((m) => m.type === 'REMINDER').map((m) => m.status),
        ['withdrawn', 'withdrawn'],
      );
      t.setNow(NOW);

      // Its public calendar entry: no credentials, the invitations' UID and SEQUENCE, cancelled, nothing personal.
      const links = await admin('GET', `/admin/v1/tenants/masmovil/appointments/${id}/calendar`);
      assert.equal(links.status, 200, JSON.stringify(links.body));
      const doc = await t.inject({ method: 'GET', url: links.body.ics });
      assert.equal(doc.statusCode, 200);
      assert.match(String(doc.headers['content-type']), /^text\/calendar/);
      const entry = Object.values(ical.sync.parseICS(doc.body)).find((c: any) => c.type === 'VEVENT') as any;
      assert.equal(entry.uid, uid);
      assert.equal(entry.status, 'CANCELLED');
      assert.equal(Number(entry.sequence), Number(cancel.event.sequence));
      assert.ok(!/pe\.es|Raúl|686201221/.test(doc.body), 'nothing personal');
      const google = await t.inject({ method: 'GET', url: links.body.ics.replace('/event.ics', '/google') });
      assert.equal(google.statusCode, 302);
      assert.equal(google.headers.location, links.body.google);
      assert.equal(new URL(links.body.google).searchParams.get('dates'), '20300818T150000Z/20300818T170000Z');
      const forged = links.body.ics.replace(/\.([0-9a-f])/, (_: string, c: string) => `.${c === '0' ? '1' : '0'}`);
      const refused = await t.inject({ method: 'GET', url: forged });
      assert.equal(refused.statusCode, 404);
      assert.equal(refused.json().code, 'NOT_FOUND');

      // Reopened: its reminder is planned again, and nothing is sent at once (no template type names a reopening).
      const mails = smtp.received.length;
      assert.equal((await t.call('PATCH', `${TMF}/${id}`, { status: 'accepted' })).status, 200);
      assert.deepEqual(await runDue(), []);
      assert.equal(smtp.received.length, mails);
      const replanned = (await messages(id)).filter((m) => m.type === 'REMINDER' && m.status === 'scheduled');
      assert.deepEqual(
        replanned.map((m) => m.scheduledAt),
        ['2030-08-17T15:00:00.000Z'],
      );
      assert.equal((await t.call('PATCH', `${TMF}/${id}`, { status: 'cancelled' })).status, 200);
      await runDue();
    },
  );

  it(
    'SMS reaches the gateway (E.164, Bearer token); the reminder is sent once when due; a gateway answering 500 ' +
      'twice then 200 gets it once',
    async () => {
      const id = await book('NOTIF_2', { start: '2030-08-18T09:00:00Z', phone: '+34 686 20 12 21' });
      sms.answer(() => 200);
      await runDue();
      const created = sms.received.at(-1)!;
      assert.equal(created.authorization, 'Bearer sms-token');
      assert.deepEqual(created.body, {
        to: '+34686201221',
        from: 'ACME',
        text: 'Booked: 18-08-2030 11:00 Europe/Madrid',
        reference: created.body.reference,
      });

      sms.answer((n) => (n <= 2 ? 500 : 200));
      t.setNow('2030-08-17T09:00:00Z');
      assert.deepEqual(await runDue(), ['retry']);
      assert.deepEqual(await runDue(), [], 'the retry waits for its delay');
      t.setNow('2030-08-17T09:00:01Z');
      assert.deepEqual(await runDue(), ['retry']);
      t.setNow('2030-08-17T09:00:03Z');
      assert.deepEqual(await runDue(), ['sent']);
      assert.deepEqual(await runDue(), [], 'once');
      assert.equal(sms.calls(), 3);
      assert.deepEqual(sms.received.at(-1)!.body.text, 'Reminder: tomorrow 11:00');
      const reminder = (await messages(id)).find((m) => m.type === 'REMINDER')!;
      assert.equal(reminder.status, 'sent');
      assert.equal(reminder.attempts, 3);
      assert.equal(reminder.recipient, '+34*******21');
      const metrics = await t.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      assert.match(metrics.body, /^notifications_total\{channel="SMS",outcome="retry"\} [1-9]/m);
      assert.match(metrics.body, /^notifications_total\{channel="SMS",outcome="sent"\} [1-9]/m);
      assert.ok(!metrics.body.includes('686201221'), 'no personal data in metrics');
      t.setNow(NOW);
    },
  );

  it('an SMTP server failing every attempt: retried on the schedule, then failed with the reason', async () => {
    smtp.failNext(3);
    const before = smtp.attempts();
    const id = await book('NOTIF_3', { start: '2030-08-18T07:00:00Z' });
    assert.deepEqual((await runDue()).sort(), ['not_sent', 'retry']);
    t.setNow(new Date(Date.parse(NOW) + 1000));
    assert.deepEqual(await runDue(), ['retry']);
    t.setNow(new Date(Date.parse(NOW) + 3000));
    assert.deepEqual(await runDue(), ['failed']);
    t.setNow(new Date(Date.parse(NOW) + 60_000));
    assert.deepEqual(await runDue(), []);
    assert.equal(smtp.attempts() - before, 3, 'three real SMTP conversations');
    const mail = (await messages(id)).find((m) => m.channel === 'EMAIL')!;
    assert.equal(mail.status, 'failed');
    assert.equal(mail.attempts, 3);
    assert.match(mail.lastError, /busy/i);
    t.setNow(NOW);
  });

  it('two workers running the same reminder job at once send it once', async () => {
    const id = await book('NOTIF_6', { start: '2030-08-19T09:00:00Z', phone: '+34686201224' });
    await runDue();
    t.setNow('2030-08-18T09:00:00Z');
    const job = (await jobsOf(id)).find((j) => j.start_after.toISOString() === '2030-08-18T09:00:00.000Z')!;
    const sent = sms.received.length;
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () =>
        t.runtime.notifications.send({ tenantId: 'masmovil', messageId: job.data.messageId }),
      ),
    );
    assert.deepEqual(
      outcomes.filter((o) => o !== null),
      ['sent'],
    );
    assert.equal(sms.received.length - sent, 1);
    t.setNow(NOW);
  });

  it('a test send renders a template with sample data or an appointment and sends it at once', async () => {
    const send = (body: unknown) => t.call('POST', '/admin/v1/tenants/masmovil/notifications/test', body, ADMIN_TOKEN);
    const mail = {
      channel: 'EMAIL',
      type: 'CREATE',
      subject: 'Test for {{firstName}}',
      textBody: 'Hello {{firstName}} {{lastName}}, {{dd-MM-yyyy}} {{time24}} {{zone}}',
      htmlBody: '<p>{{firstName}}</p>',
    };
    assert.equal((await send({ template: mail, toEmail: 'ops@example.com' })).status, 204);
    const sample = smtp.received.at(-1)!;
    assert.deepEqual(sample.envelopeTo, ['ops@example.com']);
    assert.equal(sample.mail.subject, 'Test for Alex');
    assert.equal(
      sample.mail.text?.trim(),
      'Hello Alex Sample, 11-08-2030 10:00 UTC',
      'sample data: tomorrow at 10:00 UTC',
    );
    assert.equal(sample.mail.attachments.length, 0, 'a test send carries no invitation');

    const id = await book('NOTIF_7', { start: '2030-08-19T07:00:00Z' });
    assert.equal((await send({ template: mail, toEmail: 'ops@example.com', appointmentId: id })).status, 204);
    assert.equal(smtp.received.at(-1)!.mail.text?.trim(), 'Hello Raúl Garcia Garcia, 19-08-2030 09:00 Europe/Madrid');
    assert.deepEqual(smtp.received.at(-1)!.envelopeTo, ['ops@example.com'], 'to the address given, not the customer');

    assert.equal(
      (
        await send({
          template: { channel: 'SMS', type: 'REMINDER', period: 'PT90S', textBody: 'Hi {{firstName}}' },
          toPhone: '+34 686 20 12 29',
        })
      ).status,
      204,
    );
    assert.deepEqual([sms.received.at(-1)!.body.to, sms.received.at(-1)!.body.text], ['+34686201229', 'Hi Alex']);

    const unknown = await send({ template: { ...mail, textBody: '{{nickname}}' }, toEmail: 'ops@example.com' });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body.details, [
      { field: 'template.textBody', message: 'unknown placeholder {{nickname}}' },
    ]);
    assert.equal(
      (await send({ template: mail, toPhone: '+34686201229' })).status,
      400,
      'an EMAIL template needs toEmail',
    );
    assert.equal(
      (await send({ template: { channel: 'SMS', type: 'CREATE', textBody: 'x' }, toPhone: '686' })).status,
      400,
    );
    assert.equal((await send({ template: mail, toEmail: 'ops@example.com', appointmentId: 'nope' })).status, 404);
    // Not a mail server's refusal (503): the client's mistake, before anything is sent.
    const sentBefore = smtp.received.length;
    const noAddress = await send({ template: mail, toEmail: '2030-13-45' });
    assert.equal(noAddress.status, 400);
    assert.deepEqual(noAddress.body.details, [{ field: 'toEmail', message: 'not an e-mail address' }]);
    assert.equal(smtp.received.length, sentBefore);

    // A locale Intl cannot read is the client's mistake (once a 500 at render time).
    const unreadable = await send({ template: { ...mail, locale: 'english (US)' }, toEmail: 'ops@example.com' });
    assert.equal(unreadable.status, 400);
    assert.deepEqual(unreadable.body.details, [
      { field: 'template.locale', message: 'must be a language tag such as en_US or es-ES' },
    ]);
    const spanish = { ...mail, locale: 'es_ES', textBody: '{{date}}' };
    assert.equal((await send({ template: spanish, toEmail: 'ops@example.com' })).status, 204);
    assert.equal(smtp.received.at(-1)!.mail.text?.trim(), '11 de agosto de 2030', 'the seed’s es_ES spelling');
  });

  it(
    'a booking with a prefixed phone number that is not valid is refused in the field-service format, and changes ' +
      'nothing',
    async () => {
      const body: Json = { ...fixture('tmf-create.request'), id: 'NOTIF_BAD', externalId: 'NOTIF_BAD' };
      body.relatedParty = body.relatedParty.map((p: Json) => (p.role === 'phoneNumber' ? { ...p, id: '+34 12' } : p));
      const res = await t.call('POST', TMF, body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match(JSON.stringify(res.body), /phone number/);
      assert.equal((await t.call('GET', `${TMF}/NOTIF_BAD`)).status, 404);
    },
  );

  it(
    'a reminder whose time has passed at booking is recorded as skipped; one falling due after the start is ' +
      'skipped',
    async () => {
      t.setNow('2030-08-17T10:00:00Z');
      const late = await book('NOTIF_4', { start: '2030-08-18T09:00:00Z', phone: '+34686201222', noScoring: true });
      const skipped = (await messages(late)).find((m) => m.type === 'REMINDER')!;
      assert.equal(skipped.status, 'skipped');
      await runDue(); // its CREATE SMS
      t.setNow(NOW);
      const id = await book('NOTIF_5', { start: '2030-08-18T07:00:00Z', phone: '+34686201223' });
      await runDue();
      // The process was down from before the reminder time until after the start.
      t.setNow('2030-08-18T08:00:00Z');
      await runDue();
      const reminder = (await messages(id)).find((m) => m.type === 'REMINDER')!;
      assert.equal(reminder.status, 'skipped');
      assert.equal(reminder.lastError, 'the appointment had started when the reminder could be sent');
      assert.ok(!sms.received.some((r) => r.body.reference === reminder.id), 'it never reached the gateway');
      t.setNow(NOW);
    },
  );

  it(
    'a sender address is used only once verified with its one-time code (single use, 5 wrong tries void it, 15 ' +
      'minutes)',
    async () => {
      const senders = (path: string, body: unknown) =>
        t.call('POST', `/admin/v1/tenants/masmovil/senders${path}`, body, ADMIN_TOKEN);
      const codeFor = (to: string) => {
        const m = smtp.received.filter((r) => r.envelopeTo[0] === to).at(-1)!;
        assert.equal(m.mail.subject, 'Your verification code');
        return /\b(\d{6})\b/.exec(m.mail.text ?? '')![1];
      };
      assert.equal(
        (await admin('PUT', SETTINGS, { active: true, senderEmail: 'bookings@operator.example', templates: TEMPLATES }))
          .status,
        200,
      );
      await book('NOTIF_8', { start: '2030-08-19T13:00:00Z' });
      await runDue();
      assert.equal(
        smtp.received.at(-1)!.mail.from?.value[0].address,
        'bookings@example.com',
        'not verified yet: SMTP_FROM sends',
      );

      assert.equal((await senders('', { email: 'Bookings@Operator.example' })).status, 204);
      const code = codeFor('bookings@operator.example');
      const wrongCode = code === '000000' ? '111111' : '000000';
      const wrong = await senders('/confirm', { email: 'bookings@operator.example', code: wrongCode });
      assert.equal(wrong.status, 400);
      assert.match(wrong.body.message, /wrong/);
      assert.equal((await senders('/confirm', { email: 'bookings@operator.example', code })).status, 204);
      assert.equal((await senders('/confirm', { email: 'bookings@operator.example', code })).status, 400, 'single use');
      await book('NOTIF_9', { start: '2030-08-19T15:00:00Z' });
      await runDue();
      assert.equal(
        smtp.received.at(-1)!.mail.from?.value[0].address,
        'bookings@operator.example',
        'verified: the service sends from it',
      );

      assert.equal((await senders('', { email: 'other@operator.example' })).status, 204);
      const other = codeFor('other@operator.example');
      const bad = other === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++)
        assert.equal((await senders('/confirm', { email: 'other@operator.example', code: bad })).status, 400);
      const voided = await senders('/confirm', { email: 'other@operator.example', code: other });
      assert.equal(voided.status, 400, 'five wrong tries void the code');

      assert.equal((await senders('', { email: 'late@operator.example' })).status, 204);
      const late = codeFor('late@operator.example');
      t.setNow(new Date(Date.parse(NOW) + 16 * 60_000));
      const expired = await senders('/confirm', { email: 'late@operator.example', code: late });
      assert.equal(expired.status, 400);
      assert.match(expired.body.message, /expired/);
      t.setNow(NOW);
      assert.equal((await senders('', { email: 'not an address' })).status, 400);
      assert.equal((await senders('/confirm', { email: 'x@operator.example', code: '12345' })).status, 400);
    },
  );
});
