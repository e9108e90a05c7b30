/**
 * Activation, eligibility, the public counts, calendar links and the notifications operations, over
 * HTTP; sender confirmation and test sends through a real SMTP conversation (smtp-server on loopback).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin } from '../../helpers/test-app.ts';
import { startSmtpSink } from '../../notifications/notification-helpers.ts';
import {
  assertSameShape,
  assertSpringError,
  channels,
  createVideoCallTest,
  fixture,
  type VideoCallTest,
} from './video-call.helpers.ts';

describe('video-call API: activation, counts, calendar, notifications', () => {
  let t: VideoCallTest;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let clientService: string;
  /** Tokens are judged by the injected clock: one made now. */
  const cs = () => t.token('ROLE_CLIENT_SERVICE', { sub: 'cs-1' });
  /** Runs at that instant, and back to the morning before the calls whatever happens. */
  const at = async (instant: string, fn: () => Promise<void>) => {
    t.setNow(instant);
    try {
      await fn();
    } finally {
      t.setNow('2030-01-30T08:00:00Z');
    }
  };
  before(async () => {
    smtp = await startSmtpSink();
    t = await createVideoCallTest({ notifications: channels({ smtpUrl: smtp.url }) });
    clientService = await t.token('ROLE_CLIENT_SERVICE', { sub: 'cs-1' });
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  it('activates only inside start − lead time … end, with the same link each time', async () => {
    const a = await t.book({ start: '2030-01-31T19:00:00.000Z' });
    const url = `/api/appointments/activate/${a.id}`;
    await at('2030-01-31T18:49:59Z', async () => {
      const early = await t.call('POST', url, { token: await cs() });
      assertSpringError(early, 400, url);
      assert.match(early.body.message, /from 2030-01-31T18:50:00.000Z/);
    });
    let link = '';
    await at('2030-01-31T18:50:00Z', async () => {
      const r = await t.call('POST', url, { token: await cs() });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assertSameShape(r.body, fixture('activation.response'));
      assert.equal(r.body.expires, '2030-01-31T19:05:00.000Z');
      assert.equal(r.body.type, 'MULTI_USE_TICKET');
      assert.match(r.body.url, /^https:\/\/video\.example\.com\/q\/[\w-]{22}$/);
      link = r.body.url;
    });
    await at('2030-01-31T19:04:59Z', async () => {
      assert.equal((await t.call('POST', url, { token: await cs() })).body.url, link);
    });
    await at('2030-01-31T19:05:00Z', async () => {
      assertSpringError(await t.call('POST', url, { token: await cs() }), 400, url);
    });
  });

  it('refuses to activate an ended call, also once its application is deleted', async () => {
    const a = await t.book({ start: '2030-01-31T19:00:00.000Z' });
    await t.call('PUT', `/api/appointments/${a.id}/end`, { token: await t.token('AGENT') });
    const url = `/api/appointments/activate/${a.id}`;
    await at('2030-01-31T19:01:00Z', async () => {
      const r = await t.call('POST', url, { token: await cs() });
      assertSpringError(r, 400, url);
      assert.match(r.body.message, /completed/);
    });

    // The call's own state answers first: an ended call of a deleted application is still "completed", not unknown.
    const { id: _id, ...settings } = t.application;
    const other = await t.core.applications.create(admin, t.tenantId, { ...settings, name: 'Short-lived' });
    const b = await t.book({ start: '2030-01-31T19:00:00.000Z', application: other });
    await t.call('PUT', `/api/appointments/${b.id}/end`, { token: await t.token('AGENT') });
    await t.core.applications.remove(admin, t.tenantId, other.id);
    const orphan = `/api/appointments/activate/${b.id}`;
    await at('2030-01-31T19:01:00Z', async () => {
      const r = await t.call('POST', orphan, { token: await cs() });
      assertSpringError(r, 400, orphan);
      assert.match(r.body.message, /completed/);
    });
  });

  it('lists the calls eligible now: by timeFrame, or by the application’s lead time', async () => {
    const a = await t.book({ start: '2030-01-30T10:00:00.000Z' });
    const b = await t.book({ start: '2030-01-30T12:00:00.000Z' });
    await at('2030-01-30T09:55:00Z', async () => {
      const clientService = await cs();
      const lead = await t.call('GET', '/api/appointments/eligible/', { token: clientService });
      assert.equal(lead.status, 200, JSON.stringify(lead.body));
      assertSameShape(lead.body, fixture('eligible.response'));
      assert.deepEqual(lead.body, [
        {
          eligibleFrom: '2030-01-30T09:50:00.000Z',
          id: a.id,
          start: '2030-01-30T10:00:00.000Z',
          timezone: 'Europe/Berlin',
        },
      ]);
      const frame = await t.call('GET', '/api/appointments/eligible/?timeFrame=PT3H', { token: clientService });
      assert.deepEqual(
        frame.body.map((x: { id: string }) => x.id),
        [a.id, b.id],
      );
      assertSpringError(
        await t.call('GET', '/api/appointments/eligible/?timeFrame=P30D', { token: clientService }),
        400,
        '/api/appointments/eligible/',
      );
    });
  });

  it('counts distinct schedules and overlaps without credentials, numbers only', async () => {
    const app = t.application.id;
    await t.book({ start: '2030-02-02T19:00:00.000Z' });
    await t.book({ start: '2030-02-02T19:00:00.000Z' });
    await t.book({ start: '2030-02-02T19:05:00.000Z' });
    const r = await t.call(
      'GET',
      `/api/appointments/count?applicationId=${app}&start=2030-02-02T19%3A00%3A00.0Z&timeFrame=PT10H`,
    );
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assertSameShape(r.body, fixture('count.response'));
    assert.deepEqual(r.body, [
      {
        count: 2,
        duration: 'PT5M',
        end: '2030-02-02T19:05:00.000Z',
        start: '2030-02-02T19:00:00.000Z',
        timezone: 'Europe/Berlin',
      },
      {
        count: 1,
        duration: 'PT5M',
        end: '2030-02-02T19:10:00.000Z',
        start: '2030-02-02T19:05:00.000Z',
        timezone: 'Europe/Berlin',
      },
    ]);
    const o = await t.call(
      'GET',
      `/api/appointments/overlap/count?applicationId=${app}&start=2030-02-02T19%3A00%3A00.0Z&duration=PT5M`,
    );
    assert.deepEqual(o.body, { count: 2 });
    const none = await t.call(
      'GET',
      `/api/appointments/overlap/count?applicationId=${app}&start=2030-02-02T18%3A00%3A00.0Z&duration=PT5M`,
    );
    assert.deepEqual(none.body, { count: 0 });
    const unknown = await t.call(
      'GET',
      '/api/appointments/overlap/count?applicationId=nope&start=2030-02-02T18:00:00Z&duration=PT5M',
    );
    assertSpringError(unknown, 404, '/api/appointments/overlap/count');
    assertSpringError(
      await t.call('GET', `/api/appointments/count?applicationId=${app}&start=x&timeFrame=PT1H`),
      400,
      '/api/appointments/count',
    );
    assertSpringError(
      await t.call('GET', `/api/appointments/count?applicationId=${app}&start=2030-02-02T18:00:00Z&timeFrame=P400D`),
      400,
      '/api/appointments/count',
    );
  });

  it('gives calendar links without credentials: a 302 to Google and text/calendar', async () => {
    const a = await t.book({ start: '2030-02-03T19:00:00.000Z' });
    const g = await t.app.inject({ method: 'GET', url: `/api/cal/events/google/${a.id}/event` });
    assert.equal(g.statusCode, 302);
    assert.match(String(g.headers.location), /^https:\/\/calendar\.google\.com\/calendar\/render\?action=TEMPLATE/);
    assert.match(String(g.headers.location), /20300203T190000Z/);
    const ics = await t.app.inject({ method: 'GET', url: `/api/cal/events/ical/${a.id}/event` });
    assert.equal(ics.statusCode, 200);
    assert.match(String(ics.headers['content-type']), /^text\/calendar/);
    assert.match(ics.body, new RegExp(`UID:${a.id}@contact-center.appointments`));
    assert.match(ics.body, /SEQUENCE:1/);
    assert.doesNotMatch(ics.body, /provider\.net|Bobby/, 'nothing personal');
    await t.call('DELETE', `/api/appointments/${a.id}`, { token: clientService });
    const cancelled = await t.app.inject({ method: 'GET', url: `/api/cal/events/ical/${a.id}/event` });
    assert.match(cancelled.body, /STATUS:CANCELLED/);
    assert.match(cancelled.body, /SEQUENCE:2/);
    const missing = await t.call('GET', '/api/cal/events/ical/f46f165d-383a-4432-9a3e-9c805a152e0c/event');
    assertSpringError(missing, 404, '/api/cal/events/ical/f46f165d-383a-4432-9a3e-9c805a152e0c/event');
  });

  it('confirms the application’s sender with the code e-mailed to it, and sends test messages', async () => {
    const adminToken = await t.token('ROLE_ADMIN', { sub: 'admin-1' });
    await t.core.applications.update(admin, t.tenantId, t.application.id, { senderEmail: 'video@contact-center.test' });
    const mail = smtp.received.find((m) => m.envelopeTo.includes('video@contact-center.test'));
    assert.ok(mail, 'the verification code went to the sender address');
    const code = /\b(\d{6})\b/.exec(mail.mail.text ?? '')![1];
    const wrong = await t.call('POST', '/api/notifications/emails/confirm', {
      token: adminToken,
      body: { applicationId: t.application.id, code: code === '000000' ? '000001' : '000000' },
    });
    assertSpringError(wrong, 400, '/api/notifications/emails/confirm');
    const ok = await t.call('POST', '/api/notifications/emails/confirm', {
      token: adminToken,
      body: { ...fixture('confirm.request'), applicationId: t.application.id, code },
    });
    assert.equal(ok.status, 204, JSON.stringify(ok.body));

    const before = smtp.received.length;
    const sent = await t.call('POST', '/api/notifications/emails/test', {
      token: adminToken,
      body: { ...fixture('test-email.request'), applicationId: t.application.id },
    });
    assert.equal(sent.status, 204, JSON.stringify(sent.body));
    const test = smtp.received.slice(before).find((m) => m.envelopeTo.includes('email@yourdomain.com'));
    assert.ok(test);
    assert.equal(test.mail.subject, 'Video appointment reminder');
    assert.match(test.mail.text ?? '', /This is a reminder of your video call/);
    const noApp = await t.call('POST', '/api/notifications/emails/test', {
      token: adminToken,
      body: { ...fixture('test-email.request'), applicationId: 'bf8215e5-a39e-490a-a0e2-07df6a3d8c1f' },
    });
    assertSpringError(noApp, 400, '/api/notifications/emails/test');
  });
});
