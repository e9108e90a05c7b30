/**
 * core.applications (issue 11): the use cases the admin API and the video-call API call. On PGlite, or on
 * PostgreSQL with TEST_DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Principal } from '../../src/core/types.ts';
import { admin, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { startSmtpSink } from '../notifications/notification-helpers.ts';
import { appInput, createVideoTenants, refusal, SEED_NOTIFICATIONS } from './application-helpers.ts';

const keyOf = (tenantId: string, roles = ['tenant-admin']): Principal => ({
  kind: 'api-key',
  tenantId,
  subject: `api-key:${tenantId}`,
  roles,
});

describe('core.applications', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  const apps = () => t.core.applications;

  before(async () => {
    smtp = await startSmtpSink();
    t = await createTestApp({
      notifications: {
        smtpUrl: smtp.url,
        smtpFrom: 'no-reply@example.com',
        smsGatewayUrl: null,
        smsGatewayToken: null,
        smsFrom: null,
        retryScheduleMs: [1000],
        publicBaseUrl: null,
      },
    });
    await createVideoTenants(t, 'video-a', 'video-b');
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  it('creates with the defaults, reads back, finds by id alone and lists a page at a time', async () => {
    const created = await apps().create(keyOf('video-a'), 'video-a', appInput());
    assert.match(created.id, /^[0-9a-f-]{36}$/);
    assert.equal(created.activationLeadTime, 'PT10M');
    assert.equal(created.notificationsActive, true);
    assert.deepEqual(created.notifications, []);
    assert.equal(created.locale, null);
    assert.equal(created.senderVerification, null);
    const read = await apps().get(keyOf('video-a'), 'video-a', created.id);
    assert.equal(read.name, 'Product video calls');
    assert.equal((await apps().findById(created.id))?.tenantId, 'video-a');
    assert.equal(await apps().findById('00000000-0000-4000-8000-000000000000'), null);
    t.setNow('2027-01-04T06:00:01Z'); // listed in creation order
    const second = await apps().create(keyOf('video-a'), 'video-a', appInput({ name: 'Second' }));
    const page = await apps().list(keyOf('video-a'), 'video-a', { limit: 1, offset: 1 });
    assert.equal(page.total, 2);
    assert.deepEqual(
      page.items.map((a) => a.id),
      [second.id],
    );
  });

  it("keeps the seed's templates ({{roomLink}} included) and refuses an unknown placeholder, naming it", async () => {
    const a = await apps().create(
      keyOf('video-a'),
      'video-a',
      appInput({ notifications: SEED_NOTIFICATIONS, locale: 'en_US', timezone: 'Europe/Berlin' }),
    );
    assert.deepEqual((await apps().get(admin, 'video-a', a.id)).notifications, SEED_NOTIFICATIONS);
    const bad = [{ channel: 'SMS', type: 'CREATE', textBody: 'Hi {{nickname}}' }] as never;
    const r = await refusal(apps().create(keyOf('video-a'), 'video-a', appInput({ notifications: bad })));
    assert.equal(r.code, 'INVALID_INPUT');
    assert.deepEqual(r.fields, ['notifications[0].textBody']);
    assert.match(r.message, /unknown placeholder \{\{nickname\}\}/);
  });

  it('refuses bad fields, each named, and a service or site the tenant does not have; nothing is stored', async () => {
    const before = (await apps().list(admin, 'video-a', {})).total;
    const r = await refusal(
      apps().create(
        keyOf('video-a'),
        'video-a',
        appInput({
          name: ' ',
          videoBaseUrl: 'ftp://video.example.com/',
          activationLeadTime: 'P8D',
          locale: 'not a locale',
          timezone: 'Mars/Olympus',
          senderEmail: 'nobody',
        }),
      ),
    );
    assert.deepEqual(r.fields.sort(), [
      'activationLeadTime',
      'locale',
      'name',
      'senderEmail',
      'timezone',
      'videoBaseUrl',
    ]);
    const missing = await refusal(
      apps().create(keyOf('video-a'), 'video-a', appInput({ serviceId: 'nope', siteId: 'remote' })),
    );
    assert.deepEqual(missing.fields, ['serviceId']);
    const site = await refusal(apps().create(keyOf('video-a'), 'video-a', appInput({ siteId: 'elsewhere' })));
    assert.deepEqual(site.fields, ['siteId']);
    assert.match(site.message, /no site elsewhere/);
    assert.equal(
      (await refusal(apps().create(keyOf('video-a'), 'video-a', appInput({ activationLeadTime: 'ten minutes' }))))
        .fields[0],
      'activationLeadTime',
    );
    assert.equal((await apps().list(admin, 'video-a', {})).total, before);
  });

  it("is invisible to another tenant's credentials, and a viewer cannot change it", async () => {
    const a = await apps().create(keyOf('video-a'), 'video-a', appInput());
    assert.equal((await refusal(apps().get(keyOf('video-b'), 'video-a', a.id))).code, 'NOT_ALLOWED');
    assert.equal((await refusal(apps().get(keyOf('video-b'), 'video-b', a.id))).code, 'NOT_FOUND');
    assert.equal((await refusal(apps().remove(keyOf('video-b'), 'video-b', a.id))).code, 'NOT_FOUND');
    assert.equal((await refusal(apps().update(keyOf('video-a', ['viewer']), 'video-a', a.id, {}))).code, 'NOT_ALLOWED');
    assert.equal((await refusal(apps().get(null, 'video-a', a.id))).code, 'UNAUTHENTICATED');
    assert.ok(await apps().get(keyOf('video-a', ['viewer']), 'video-a', a.id));
  });

  it('updates only what the patch names (null clears), and removes', async () => {
    const a = await apps().create(
      keyOf('video-a'),
      'video-a',
      appInput({ locale: 'de-DE', timezone: 'Europe/Berlin' }),
    );
    t.setNow('2027-01-04T07:00:00Z');
    const u = await apps().update(keyOf('video-a'), 'video-a', a.id, {
      activationLeadTime: 'PT15M',
      locale: null,
      notifications: SEED_NOTIFICATIONS.slice(0, 1),
    });
    assert.equal(u.activationLeadTime, 'PT15M');
    assert.equal(u.locale, null);
    assert.equal(u.timezone, 'Europe/Berlin');
    assert.equal(u.name, a.name);
    assert.equal(u.notifications.length, 1);
    assert.equal(u.updatedAt.toISOString(), '2027-01-04T07:00:00.000Z');
    assert.deepEqual((await refusal(apps().update(admin, 'video-a', a.id, { timezone: 'Nowhere' }))).fields, [
      'timezone',
    ]);
    assert.equal((await apps().get(admin, 'video-a', a.id)).timezone, 'Europe/Berlin');
    await apps().remove(keyOf('video-a'), 'video-a', a.id);
    assert.equal(await apps().findById(a.id), null);
    assert.equal((await refusal(apps().remove(keyOf('video-a'), 'video-a', a.id))).code, 'NOT_FOUND');
  });

  it('setting senderEmail e-mails a verification code to it; confirming it makes the address verified', async () => {
    const a = await apps().create(keyOf('video-a'), 'video-a', appInput({ senderEmail: 'Calls@Operator.example' }));
    assert.equal(a.senderEmail, 'calls@operator.example');
    assert.equal(a.senderVerification, 'code_sent');
    const mail = smtp.received.at(-1)!;
    assert.deepEqual(mail.envelopeTo, ['calls@operator.example']);
    const code = /\b(\d{6})\b/.exec(mail.mail.text ?? '')![1];
    await t.core.notifications.confirmSender(admin, 'video-a', 'calls@operator.example', code);
    const n = smtp.received.length;
    // Unchanged address: nothing sent again; an application set to a verified address says so.
    assert.equal((await apps().update(admin, 'video-a', a.id, { name: 'Renamed' })).senderVerification, null);
    const b = await apps().create(admin, 'video-a', appInput({ senderEmail: 'calls@operator.example' }));
    assert.equal(b.senderVerification, 'verified');
    assert.equal(smtp.received.length, n);
  });

  it('a tenant has at most 50 applications, even when created concurrently', async () => {
    await createVideoTenants(t, 'video-many');
    const results = await Promise.allSettled(
      Array.from({ length: 52 }, (_, i) => apps().create(admin, 'video-many', appInput({ name: `App ${i}` }))),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 50);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.deepEqual(
      refused.map((r) => r.reason.code),
      ['CONFLICT', 'CONFLICT'],
    );
    assert.equal((await apps().list(admin, 'video-many', {})).total, 50);
  });
});
