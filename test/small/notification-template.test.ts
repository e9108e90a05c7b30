import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messageLocale } from '../../src/core/notifications/message-locale.ts';
import { checkSettings } from '../../src/core/notifications/template.validation.ts';
import { renderTemplate, type RenderContext } from '../../src/core/notifications/template-renderer.ts';
import { toE164 } from '../../src/core/notifications/phone-number.ts';
import { maskRecipient, withoutPersonalData } from '../../src/outbound/notifications/recipient.ts';

const ctx = (o: Partial<RenderContext>): RenderContext => ({
  customerName: 'Ana María López',
  title: 'Installation',
  start: new Date('2027-03-27T09:30:00Z'),
  end: new Date('2027-03-27T10:30:00Z'),
  zone: 'Europe/Madrid',
  locale: 'en',
  reference: 'WO-1',
  ...o,
});
const all = '{{firstName}}|{{lastName}}|{{dd-MM-yyyy}}|{{time24}}|{{time12}}|{{date}}|{{zone}}';
const render = (o: Partial<RenderContext>, textBody = all) =>
  renderTemplate({ channel: 'SMS', type: 'CREATE', textBody }, ctx(o)).text;

describe('notification templates', () => {
  it('renders in the appointment zone across the DST change (Madrid 28 March 2027, New York 14 March 2027)', () => {
    // 09:30 UTC the day before Madrid moves its clocks (UTC+1) and the day after (UTC+2).
    assert.equal(render({}), 'Ana|María López|27-03-2027|10:30|10:30 AM|March 27, 2027|Europe/Madrid');
    assert.equal(
      render({ start: new Date('2027-03-28T09:30:00Z') }),
      'Ana|María López|28-03-2027|11:30|11:30 AM|March 28, 2027|Europe/Madrid',
    );
    assert.equal(
      render({ zone: 'America/New_York', start: new Date('2027-03-13T14:00:00Z') }, '{{time24}} {{time12}}'),
      '09:00 9:00 AM',
    );
    assert.equal(
      render({ zone: 'America/New_York', start: new Date('2027-03-15T14:00:00Z') }, '{{time24}} {{time12}}'),
      '10:00 10:00 AM',
    );
  });

  it("renders the long date in the message's locale", () => {
    assert.equal(render({ locale: 'es' }, '{{date}}'), '27 de marzo de 2027');
    assert.equal(render({ locale: 'de-DE' }, '{{date}}'), '27. März 2027');
  });

  it('renders in the first readable locale: the template’s, the customer’s, else English', () => {
    assert.equal(messageLocale('es_ES', 'de'), 'es-ES');
    // A customer's language comes from API requests; one Intl cannot read must not leave a message unrendered.
    assert.equal(messageLocale(undefined, 'x\u0000'), 'en');
    assert.equal(messageLocale('not a tag', 'de_DE'), 'de-DE');
    assert.equal(render({ locale: messageLocale(null, '!!') }, '{{date}}'), 'March 27, 2027');
  });

  it('escapes values inserted into htmlBody, not into textBody', () => {
    const r = renderTemplate(
      {
        channel: 'EMAIL',
        type: 'CREATE',
        subject: 'Hi {{firstName}}',
        textBody: 'Hi {{firstName}}',
        htmlBody: '<b>Hi {{firstName}}</b>',
      },
      ctx({ customerName: '<script>x</script> "Jr"' }),
    );
    assert.equal(r.html, '<b>Hi &lt;script&gt;x&lt;/script&gt;</b>');
    assert.equal(r.text, 'Hi <script>x</script>');
  });

  it('gives a Google Calendar link with the title and the UTC times', () => {
    const link = new URL(render({}, '{{googleLink}}'));
    assert.equal(link.origin + link.pathname, 'https://calendar.google.com/calendar/render');
    assert.equal(link.searchParams.get('action'), 'TEMPLATE');
    assert.equal(link.searchParams.get('text'), 'Installation');
    assert.equal(link.searchParams.get('dates'), '20270327T093000Z/20270327T103000Z');
  });

  it('checks periods (seconds allowed), placeholders and bounds', () => {
    const ok = (t: object, icalLinks = false) =>
      checkSettings(
        {
          active: true,
          senderEmail: null,
          templates: [{ channel: 'SMS', type: 'REMINDER', textBody: 'x', ...t } as any],
        },
        { icalLinks },
      );
    assert.doesNotThrow(() => ok({ period: 'PT90S' }));
    assert.doesNotThrow(() => ok({ period: 'P1DT2H' }));
    assert.throws(() => ok({ period: 'P' }), /period must be an ISO 8601 duration/);
    assert.throws(() => ok({ period: 'PT0S' }), /more than 0/);
    assert.throws(() => ok({ period: 'P91D' }), /at most 90 days/);
    assert.doesNotThrow(() => ok({ period: 'P1D', textBody: '{{roomLink}}' }));
    assert.throws(() => ok({ period: 'P1D', textBody: '{{roomlink}}' }), /unknown placeholder \{\{roomlink\}\}/);
    assert.doesNotThrow(() => ok({ period: 'P1D', locale: 'en_US' }));
    assert.throws(() => ok({ period: 'P1D', locale: 'en_US!' }), /locale must be a language tag/);
    assert.throws(() => ok({ period: 'P1D', textBody: 'x'.repeat(1601) }), /at most 1600/);
    assert.throws(() => ok({ period: 'P1D', textBody: '{{icalLink}}' }), /needs the public base URL/);
    assert.doesNotThrow(() => ok({ period: 'P1D', textBody: '{{icalLink}}' }, true));
    assert.throws(
      () =>
        checkSettings(
          {
            active: true,
            senderEmail: null,
            templates: [{ channel: 'SMS', type: 'CREATE', period: 'P1D', textBody: 'x' }],
          },
          { icalLinks: false },
        ),
      /only for REMINDER and ROOM/,
    );
    assert.throws(
      () =>
        checkSettings(
          { active: true, senderEmail: null, templates: [{ channel: 'EMAIL', type: 'CREATE', textBody: 'x' }] },
          { icalLinks: false },
        ),
      /subject is required/,
    );
    assert.throws(
      () => checkSettings({ active: true, senderEmail: 'not an address', templates: [] }, { icalLinks: false }),
      /senderEmail/,
    );
  });

  it('normalizes phone numbers to E.164 and masks what operators see', () => {
    assert.equal(toE164('686 20 12 21', 'ES'), '+34686201221');
    assert.equal(toE164('+1 201 555 0123', null), '+12015550123');
    assert.equal(toE164('686201221', null), null, 'no prefix and no country');
    assert.equal(maskRecipient('ana@example.com'), 'a***@example.com');
    assert.equal(maskRecipient('+34686201221'), '+34*******21');
    assert.equal(
      withoutPersonalData('550 <ana@example.com> unknown, call +34 686 201 221'),
      '550 <<address>> unknown, call <number>',
    );
  });
});
