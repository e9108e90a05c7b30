import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { CoreDeps } from '../deps.ts';
import { conflict, invalidInput, rateLimited, unavailable } from '../errors.ts';
import * as senders from './sender.repository.ts';
import { EMAIL_FORMAT } from './template.validation.ts';

export const SENDER_LIMITS = { codeTtlMinutes: 15, wrongTries: 5, sendersPerTenant: 50, codesPerHour: 5 } as const;

const hashCode = (tenantId: string, email: string, code: string) =>
  createHash('sha256').update(`${tenantId}\n${email}\n${code}`).digest('hex');
const normalize = (email: string) => email.trim().toLowerCase();

/**
 * Sender addresses are verified by a one-time code sent to them: 6 digits, kept as a hash, single
 * use, valid for 15 minutes, voided by 5 wrong tries; at most 5 codes an hour per address. Until
 * verified, an address is never used as the sender (SMTP_FROM is).
 */
export function createSenderVerification(deps: Pick<CoreDeps, 'db' | 'now' | 'newId' | 'notifications'>) {
  const { db } = deps;
  return {
    async requestCode(tenantId: string, rawEmail: string): Promise<void> {
      const email = normalize(rawEmail);
      if (!EMAIL_FORMAT.test(email))
        throw invalidInput('email must be an e-mail address', [
          { field: 'email', message: 'must be an e-mail address' },
        ]);
      const known = await senders.getSender(db, tenantId, email);
      if (!known && (await senders.countSenders(db, tenantId)) >= SENDER_LIMITS.sendersPerTenant)
        throw conflict(`A tenant has at most ${SENDER_LIMITS.sendersPerTenant} sender addresses`);
      // Bounded per address, so that the endpoint cannot flood someone's mailbox; counted before sending.
      const now = deps.now();
      if (!(await senders.countCodeRequest(db, tenantId, email, now, SENDER_LIMITS.codesPerHour)))
        throw rateLimited(
          `At most ${SENDER_LIMITS.codesPerHour} verification codes an hour may be sent to one address; try later`,
        );
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      let result: Awaited<ReturnType<CoreDeps['notifications']['send']>>;
      try {
        result = await deps.notifications.send({
          channel: 'EMAIL',
          from: null,
          to: email,
          subject: 'Your verification code',
          html: null,
          invite: null,
          reference: deps.newId(),
          text: `Your verification code is ${code}. It is valid for ${SENDER_LIMITS.codeTtlMinutes} minutes.`,
        });
      } catch {
        throw unavailable('The SMTP server did not accept the verification e-mail');
      }
      if (result.status === 'not_sent') throw unavailable(`The verification code was not sent: ${result.reason}`);
      await senders.putCode(
        db,
        tenantId,
        email,
        hashCode(tenantId, email, code),
        new Date(now.getTime() + SENDER_LIMITS.codeTtlMinutes * 60_000),
        now,
      );
    },

    async confirmCode(tenantId: string, rawEmail: string, code: string): Promise<void> {
      const email = normalize(rawEmail);
      await db
        .transaction(async (tx) => {
          const s = await senders.getSender(tx, tenantId, email, true);
          const wrong = (message: string) => invalidInput(message, [{ field: 'code', message }]);
          if (!s?.code_hash || !s.code_expires_at) throw wrong('no code is pending for this address: request one');
          if (s.code_expires_at <= deps.now()) throw wrong('the code has expired: request a new one');
          const given = Buffer.from(hashCode(tenantId, email, code));
          if (!timingSafeEqual(given, Buffer.from(s.code_hash))) {
            await senders.recordWrongTry(tx, tenantId, email, s.wrong_tries + 1 >= SENDER_LIMITS.wrongTries);
            return 'wrong';
          }
          await senders.markVerified(tx, tenantId, email, deps.now());
          return 'ok';
        })
        .then((r) => {
          if (r === 'wrong') throw invalidInput('the code is wrong', [{ field: 'code', message: 'wrong code' }]);
        });
    },

    /** The sender address to use: the given one when verified, else null (SMTP_FROM). */
    async verifiedSender(tenantId: string, email: string | null): Promise<string | null> {
      if (!email) return null;
      return (await senders.isVerified(db, tenantId, normalize(email))) ? normalize(email) : null;
    },
  };
}
