import { randomInt, timingSafeEqual } from 'node:crypto';
import { findApplication } from '../applications/application.repository.ts';
import { getTenant } from '../catalog/tenant.repository.ts';
import type { CoreDeps } from '../deps.ts';
import { CoreError, invalidInput, notFound, rateLimited, unavailable } from '../errors.ts';
import { createSenderVerification } from '../notifications/sender-verification.ts';
import { codeMessage } from './code-message.ts';
import * as codes from './customer-code.repository.ts';
import {
  CUSTOMER_CODE_LIMITS as L,
  type CodeRequest,
  type CodeSent,
  type CodeVerification,
} from './customer-code.types.ts';
import { normalizeRecipient, type Recipient } from './recipient.ts';

export type CustomerCodeService = ReturnType<typeof createCustomerCodeService>;

const HOUR_MS = 3_600_000;

/** One answer for every refused code, so a caller learns nothing about which codes exist; `reason` tells them apart. */
const refused = (reason: 'no_code' | 'expired' | 'used' | 'voided' | 'wrong' | 'bad_recipient') =>
  new CoreError('UNAUTHENTICATED', 'The code is wrong, expired or already used', [], reason);

/**
 * Customer one-time codes (issue 11): sent through the notification channels (the e-mail one as sender verification
 * codes are, or SMS), kept only as keyed hashes, verified once. Time is the caller's `now`.
 */
export function createCustomerCodeService(
  deps: Pick<CoreDeps, 'db' | 'newId' | 'notifications' | 'hashPersonalId' | 'now'>,
) {
  const { db } = deps;
  const senders = createSenderVerification(deps);
  const recipientHash = (r: Recipient) => deps.hashPersonalId(`customer-code\n${r.address}`);
  const codeHash = (tenantId: string, r: Recipient, code: string) =>
    deps.hashPersonalId(`customer-code\n${tenantId}\n${r.address}\n${code}`);

  /** Where numbers without a prefix are read (the tenant's settings.defaultPhoneCountry). */
  const phoneCountry = async (tenantId: string) =>
    (await getTenant(db, tenantId))?.settings.defaultPhoneCountry ?? null;

  async function recipientOf(tenantId: string, input: CodeRequest): Promise<Recipient> {
    if (input.email && input.phone)
      throw invalidInput('Give email or phone, not both', [{ field: 'phone', message: 'email is given' }]);
    if (input.email) return normalizeRecipient(input.email, 'email', null);
    if (input.phone) return normalizeRecipient(input.phone, 'phone', await phoneCountry(tenantId));
    throw invalidInput('email or phone is required', [{ field: 'email', message: 'email or phone is required' }]);
  }

  return {
    /** Sends a 6-digit code to the address or number; it replaces the recipient's earlier codes. */
    async request(input: CodeRequest): Promise<CodeSent> {
      const { now } = input;
      const app = await findApplication(db, input.applicationId);
      if (!app || (input.tenantId !== null && app.tenantId !== input.tenantId))
        throw notFound('Application', input.applicationId.slice(0, 64));
      const { tenantId } = app;
      const to = await recipientOf(tenantId, input);
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const row: codes.NewCode = {
        tenantId,
        id: deps.newId(),
        recipientHash: recipientHash(to),
        applicationId: app.id,
        channel: to.channel,
        codeHash: codeHash(tenantId, to, code),
        expiresAt: new Date(now.getTime() + L.ttlMinutes * 60_000),
        createdAt: now,
      };
      await db.transaction(async (tx) => {
        await codes.lockRecipient(tx, tenantId, row.recipientHash);
        const since = new Date(now.getTime() - HOUR_MS);
        await codes.deleteOlderThan(tx, tenantId, since);
        const sent = await codes.countSince(tx, tenantId, row.recipientHash, since);
        if (sent.recipient >= L.perRecipientPerHour)
          throw rateLimited(`At most ${L.perRecipientPerHour} codes per hour are sent to one recipient`);
        if (sent.tenant >= L.perTenantPerHour) throw rateLimited('Too many codes were sent this hour: retry later');
        await codes.insertCode(tx, row);
      });
      const from = to.channel === 'EMAIL' ? await senders.verifiedSender(tenantId, app.senderEmail) : null;
      const message = codeMessage(app.locale, code, L.ttlMinutes);
      let result: Awaited<ReturnType<CoreDeps['notifications']['send']>>;
      try {
        result = await deps.notifications.send({
          channel: to.channel,
          from,
          to: to.address,
          subject: to.channel === 'EMAIL' ? message.subject : null,
          text: message.text,
          html: null,
          reference: row.id,
          invite: null,
        });
      } catch {
        result = {
          status: 'not_sent',
          reason: `the ${to.channel === 'EMAIL' ? 'SMTP server' : 'SMS gateway'} refused`,
        };
      }
      if (result.status === 'not_sent') {
        // A code nobody received neither replaces the earlier one nor counts against the limit.
        await codes.deleteCode(db, tenantId, row.id);
        throw unavailable(`The code was not sent: ${result.reason}`);
      }
      return { channel: to.channel, expiresAt: row.expiresAt };
    },

    /** True when the code is the recipient's newest, unexpired, unused one; otherwise 'unauthenticated'. */
    async verify(input: CodeVerification): Promise<true> {
      const { tenantId, now } = input;
      let to: Recipient;
      try {
        const country = input.recipient.includes('@') ? null : await phoneCountry(tenantId);
        to = normalizeRecipient(input.recipient, 'recipient', country);
      } catch {
        throw refused('bad_recipient');
      }
      const hash = recipientHash(to);
      const outcome = await db.transaction(async (tx) => {
        await codes.lockRecipient(tx, tenantId, hash);
        const c = await codes.latestCode(tx, tenantId, hash);
        if (!c) return 'no_code';
        if (c.used_at) return 'used';
        if (c.voided_at) return 'voided';
        if (c.expires_at <= now) return 'expired';
        const given = Buffer.from(codeHash(tenantId, to, String(input.code).slice(0, 16)));
        if (!timingSafeEqual(given, Buffer.from(c.code_hash))) {
          await codes.recordWrongTry(tx, tenantId, c.code_id, c.wrong_tries + 1 >= L.wrongTries ? now : null);
          return 'wrong';
        }
        await codes.markUsed(tx, tenantId, c.code_id, now);
        return 'ok';
      });
      if (outcome !== 'ok') throw refused(outcome);
      return true;
    },
  };
}
