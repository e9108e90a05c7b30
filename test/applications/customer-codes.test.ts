/**
 * core.customerCodes (issue 11): one-time codes sent to customers through the notification channels — a real SMTP
 * conversation (smtp-server in-process) and a real SMS gateway on loopback — with the clock passed as `now`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { startSmsGateway, startSmtpSink } from '../notifications/notification-helpers.ts';
import { appInput, createVideoTenants, refusal, videoTenant } from './application-helpers.ts';

const T0 = new Date('2027-01-04T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** How a code request or check was refused: the core error's code and reason. */
async function refused(p: Promise<unknown>) {
  const r = await refusal(p);
  return { code: r.code, reason: r.reason };
}

describe('core.customerCodes', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let sms: Awaited<ReturnType<typeof startSmsGateway>>;
  let applicationId: string;
  let otherTenantApp: string;
  const codes = () => t.core.customerCodes;

  before(async () => {
    smtp = await startSmtpSink();
    sms = await startSmsGateway();
    t = await createTestApp({
      now: T0,
      notifications: {
        smtpUrl: smtp.url,
        smtpFrom: 'no-reply@example.com',
        smsGatewayUrl: sms.url,
        smsGatewayToken: null,
        smsFrom: 'VIDEO',
        retryScheduleMs: [1000],
        publicBaseUrl: null,
      },
    });
    await createVideoTenants(t, 'otp-a', 'otp-b');
    applicationId = (await t.core.applications.create(admin, 'otp-a', appInput())).id;
    otherTenantApp = (await t.core.applications.create(admin, 'otp-b', appInput())).id;
  });
  after(async () => {
    await t.close();
    await smtp.close();
    await sms.close();
  });

  /** The 6-digit code of the last e-mail to `to`, read from the message the SMTP server received. */
  const mailedCode = (to: string) => {
    const mail = smtp.received.filter((m) => m.envelopeTo.includes(to)).at(-1);
    assert.ok(mail, `no mail to ${to}`);
    assert.equal(mail.mail.subject, 'Your verification code');
    return /\b(\d{6})\b/.exec(mail.mail.text ?? '')![1];
  };
  const textedCode = (to: string) => {
    const m = sms.received.filter((r) => r.body.to === to).at(-1);
    assert.ok(m, `no SMS to ${to}`);
    return /\b(\d{6})\b/.exec(m.body.text)![1];
  };
  const wrongOf = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  it('e-mails a 6-digit code (real SMTP), which verifies once; the stored row holds neither code nor address', async () => {
    const sent = await codes().request({ tenantId: 'otp-a', applicationId, email: 'Ana@Example.com', now: T0 });
    assert.equal(sent.channel, 'EMAIL');
    assert.equal(sent.expiresAt.toISOString(), at(10).toISOString());
    const code = mailedCode('ana@example.com');
    assert.match(code, /^\d{6}$/);
    const { rows } = await t.db.query('SELECT * FROM customer_codes WHERE tenant_id = $1', ['otp-a']);
    assert.ok(rows.length > 0);
    assert.ok(!JSON.stringify(rows).includes(code) && !JSON.stringify(rows).includes('ana@example.com'));
    assert.equal(await codes().verify({ tenantId: 'otp-a', recipient: 'ana@example.com', code, now: at(1) }), true);
    const again = await refused(codes().verify({ tenantId: 'otp-a', recipient: 'ana@example.com', code, now: at(2) }));
    assert.deepEqual(again, { code: 'UNAUTHENTICATED', reason: 'used' });
  });

  it('texts the code to the number in E.164 (the SMS gateway), verified under any spelling of it', async () => {
    const sent = await codes().request({ tenantId: 'otp-a', applicationId, phone: '+34 612 34 56 78', now: T0 });
    assert.equal(sent.channel, 'SMS');
    const code = textedCode('+34612345678');
    assert.equal(await codes().verify({ tenantId: 'otp-a', recipient: '+34612345678', code, now: at(1) }), true);
  });

  it("reads a number without prefix in the tenant's default phone country (settings.defaultPhoneCountry)", async () => {
    const doc = videoTenant('otp-es');
    await t.core.catalog.applyConfiguration(admin, {
      ...doc,
      tenant: { ...doc.tenant, settings: { defaultPhoneCountry: 'ES' } },
    });
    const app = await t.core.applications.create(admin, 'otp-es', appInput());
    await codes().request({ tenantId: 'otp-es', applicationId: app.id, phone: '612 34 56 79', now: T0 });
    const code = textedCode('+34612345679');
    assert.equal(await codes().verify({ tenantId: 'otp-es', recipient: '612345679', code, now: at(1) }), true);
  });

  it('expires after 10 minutes', async () => {
    await codes().request({ tenantId: 'otp-a', applicationId, email: 'late@example.com', now: T0 });
    const code = mailedCode('late@example.com');
    const r = await refused(codes().verify({ tenantId: 'otp-a', recipient: 'late@example.com', code, now: at(10) }));
    assert.deepEqual(r, { code: 'UNAUTHENTICATED', reason: 'expired' });
    await codes().request({ tenantId: 'otp-a', applicationId, email: 'late@example.com', now: at(20) });
    const next = mailedCode('late@example.com');
    const ok = await codes().verify({ tenantId: 'otp-a', recipient: 'late@example.com', code: next, now: at(29.9) });
    assert.equal(ok, true);
  });

  it('4 wrong tries leave the code working; the 5th voids it', async () => {
    const verify = (recipient: string, code: string) =>
      codes().verify({ tenantId: 'otp-a', recipient, code, now: at(1) });
    await codes().request({ tenantId: 'otp-a', applicationId, email: 'four@example.com', now: T0 });
    const four = mailedCode('four@example.com');
    for (let i = 0; i < 4; i++)
      assert.equal((await refused(verify('four@example.com', wrongOf(four)))).reason, 'wrong');
    assert.equal(await verify('four@example.com', four), true);

    await codes().request({ tenantId: 'otp-a', applicationId, email: 'five@example.com', now: T0 });
    const five = mailedCode('five@example.com');
    for (let i = 0; i < 5; i++) await refused(verify('five@example.com', wrongOf(five)));
    assert.deepEqual(await refused(verify('five@example.com', five)), { code: 'UNAUTHENTICATED', reason: 'voided' });
  });

  it('a new code replaces the earlier one; another tenant does not accept it', async () => {
    await codes().request({ tenantId: 'otp-a', applicationId, email: 'twice@example.com', now: T0 });
    const first = mailedCode('twice@example.com');
    await codes().request({ tenantId: 'otp-a', applicationId, email: 'twice@example.com', now: at(1) });
    const second = mailedCode('twice@example.com');
    const verify = (tenantId: string, code: string) =>
      codes().verify({ tenantId, recipient: 'twice@example.com', code, now: at(2) });
    if (first !== second) assert.equal((await refused(verify('otp-a', first))).code, 'UNAUTHENTICATED');
    assert.deepEqual(await refused(verify('otp-b', second)), { code: 'UNAUTHENTICATED', reason: 'no_code' });
    assert.equal(await verify('otp-a', second), true);
  });

  it('sends at most 5 codes per recipient per hour, even asked concurrently; the next hour sends again', async () => {
    const ask = (now: Date) => codes().request({ tenantId: 'otp-a', applicationId, phone: '+34611000111', now });
    const before = sms.received.length;
    const results = await Promise.allSettled(Array.from({ length: 7 }, () => ask(at(1))));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 5);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected'))
      assert.equal(r.reason.code, 'RATE_LIMITED');
    assert.equal(sms.received.length - before, 5);
    assert.equal((await refused(ask(at(60)))).code, 'RATE_LIMITED');
    assert.equal((await ask(at(61.1))).channel, 'SMS');
  });

  it('two concurrent checks of the right code: exactly one succeeds', async () => {
    await codes().request({ tenantId: 'otp-a', applicationId, email: 'race@example.com', now: T0 });
    const code = mailedCode('race@example.com');
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => codes().verify({ tenantId: 'otp-a', recipient: 'race@example.com', code, now: at(1) })),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  });

  it("words the code in the language of the application's locale (English when it has none we write)", async () => {
    const cases = [
      ['de_DE', 'Ihr Bestätigungscode', /^Ihr Bestätigungscode lautet \d{6}\. Er ist 10 Minuten gültig\.$/],
      ['fr-BE', 'Votre code de vérification', /^Votre code de vérification est \d{6}\. Il est valable 10 minutes\.$/],
      ['ES_es', 'Su código de verificación', /^Su código de verificación es \d{6}\. Es válido durante 10 minutos\.$/],
      ['pt_BR', 'Your verification code', /^Your verification code is \d{6}\. It is valid for 10 minutes\.$/],
    ] as const;
    for (const [i, [locale, subject, text]] of cases.entries()) {
      const app = await t.core.applications.create(admin, 'otp-a', appInput({ name: `In ${locale}`, locale }));
      const to = `lang-${i}@example.com`;
      await codes().request({ tenantId: 'otp-a', applicationId: app.id, email: to, now: T0 });
      const mail = smtp.received.filter((m) => m.envelopeTo.includes(to)).at(-1)!;
      assert.equal(mail.mail.subject, subject, locale);
      assert.match((mail.mail.text ?? '').trim(), text, locale);
      const phone = `+3247012340${i}`;
      await codes().request({ tenantId: 'otp-a', applicationId: app.id, phone, now: T0 });
      assert.match(sms.received.filter((r) => r.body.to === phone).at(-1)!.body.text, text, `${locale} SMS`);
    }
  });

  it("refuses a bad address, an unknown or another tenant's application, and a code nobody received", async () => {
    const ask = (o: Record<string, unknown>) =>
      codes().request({ tenantId: 'otp-a', applicationId, now: T0, ...o } as never);
    assert.equal((await refused(ask({ email: 'not-an-address' }))).code, 'INVALID_INPUT');
    assert.equal((await refused(ask({ phone: '612345678' }))).code, 'INVALID_INPUT', 'no country prefix');
    assert.equal((await refused(ask({}))).code, 'INVALID_INPUT');
    assert.equal((await refused(ask({ email: 'a@example.com', phone: '+34612345678' }))).code, 'INVALID_INPUT');
    assert.equal((await refused(ask({ email: 'a@example.com', applicationId: otherTenantApp }))).code, 'NOT_FOUND');
    smtp.failNext(1);
    assert.equal((await refused(ask({ email: 'bounce@example.com' }))).code, 'UNAVAILABLE');
    const none = await refused(
      codes().verify({ tenantId: 'otp-a', recipient: 'bounce@example.com', code: '123456', now: at(1) }),
    );
    assert.deepEqual(none, { code: 'UNAUTHENTICATED', reason: 'no_code' });
    const bad = await refused(codes().verify({ tenantId: 'otp-a', recipient: 'nobody', code: '1', now: at(1) }));
    assert.equal(bad.code, 'UNAUTHENTICATED');
  });
});
