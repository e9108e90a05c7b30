/**
 * Changes made through the service-combinations API go out like any other: a webhook to a real
 * HTTP receiver on loopback (CREATE, then RESCHEDULE with the previous time, then CANCEL) and the
 * service's e-mails through a real SMTP server in-process (CREATE, RESCHEDULE with the new time).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN } from '../../helpers/test-app.ts';
import { runDueNotifications, startSmtpSink } from '../../notifications/notification-helpers.ts';
import { drain, loopbackPublisher, startReceiver } from '../../webhooks/webhook-helpers.ts';
import { book, createCombosTest, reserve, TENANT, type CombosTest } from './combos.helpers.ts';

describe('service combinations: webhooks and notifications of a reschedule', () => {
  let t: CombosTest;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  before(async () => {
    smtp = await startSmtpSink();
    receiver = await startReceiver();
    t = await createCombosTest({
      employees: 1,
      allowPrivateWebhooks: true,
      notifications: {
        smtpUrl: smtp.url,
        smtpFrom: 'agence@example.be',
        smsGatewayUrl: null,
        smsGatewayToken: null,
        smsFrom: null,
        retryScheduleMs: [1000],
        publicBaseUrl: null,
      },
    });
  });
  after(async () => {
    await t.close();
    await receiver.close();
    await smtp.close();
  });

  const adminCall = async (method: 'POST' | 'PUT', url: string, payload: unknown) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: payload as object,
    });
    assert.ok(res.statusCode < 300, res.body);
  };

  it('sends CREATE, RESCHEDULE (with the previous time) and CANCEL, and the e-mails of the new time', async () => {
    await adminCall('POST', `/admin/v1/tenants/${TENANT}/webhooks`, { url: receiver.url });
    await adminCall('PUT', `/admin/v1/tenants/${TENANT}/services/account-opening/notifications`, {
      active: true,
      templates: [
        {
          channel: 'EMAIL',
          type: 'CREATE',
          subject: 'Booked',
          textBody: 'Dear {{firstName}}, {{dd-MM-yyyy}} {{time24}}.',
        },
        {
          channel: 'EMAIL',
          type: 'RESCHEDULE',
          subject: 'Moved',
          textBody: 'Dear {{firstName}}, now {{dd-MM-yyyy}} {{time24}}.',
        },
      ],
    });
    const visit = await book(t, (await reserve(t, '2030-03-05T09:00:00+01:00')).reservationId);
    const moved = await t.call('PUT', `/appointments/${visit.appointmentId}/reschedule`, {
      reservationId: (await reserve(t, '2030-03-06T10:30:00+01:00')).reservationId,
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal((await t.call('DELETE', `/appointments/${visit.appointmentId}`)).status, 204);

    await drain(loopbackPublisher(t).worker);
    const got = receiver.received.map((r) => r.body.data);
    assert.deepEqual(
      got.map((d) => d.eventType),
      ['CREATE', 'RESCHEDULE', 'CANCEL'],
    );
    const reschedule = got[1];
    assert.equal(reschedule.appointment.id, visit.appointmentId);
    assert.equal(new Date(reschedule.previousAppointment.start).toISOString(), '2030-03-05T08:00:00.000Z');
    assert.equal(new Date(reschedule.appointment.start).toISOString(), '2030-03-06T09:30:00.000Z');
    assert.ok(!receiver.received.some((r) => r.raw.includes('85061412345')), 'the personal identifier is never sent');

    await runDueNotifications(t);
    assert.deepEqual(
      smtp.received.map((m) => [m.envelopeTo, m.mail.subject, m.mail.text?.trim()]),
      [
        [['marie.dubois@example.be'], 'Booked', 'Dear Marie, 05-03-2030 09:00.'],
        [['marie.dubois@example.be'], 'Moved', 'Dear Marie, now 06-03-2030 10:30.'],
      ],
    );
  });
});
