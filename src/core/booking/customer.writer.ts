import type { Queryable } from '../../db/database.ts';
import type { CoreDeps } from '../deps.ts';
import type { CustomerInput } from '../types.ts';
import { invalidInput } from '../errors.ts';
import { toE164 } from '../notifications/phone-number.ts';
import { personalIdKey } from '../privacy/personal-data.ts';
import { findCustomerIdByPersonalId, upsertCustomer } from './customer.repository.ts';

type WriterDeps = Pick<CoreDeps, 'hashPersonalId' | 'newId' | 'now'>;

/**
 * Stores the customer of an appointment and returns its id: the one given, else the customer with
 * that personal identifier (kept as a keyed hash only), else a new one.
 */
export async function saveCustomer(
  q: Queryable,
  deps: WriterDeps,
  tenantId: string,
  c: CustomerInput | undefined,
): Promise<string | null> {
  if (!c) return null;
  checkPhone(c.phone);
  const hash = c.personalId
    ? deps.hashPersonalId(personalIdKey(c.personalId))
    : c.personalId === null
      ? null
      : undefined;
  const id = c.id ?? (hash ? await findCustomerIdByPersonalId(q, tenantId, hash) : null) ?? deps.newId();
  await upsertCustomer(
    q,
    { tenantId, id, name: c.name, email: c.email, phone: c.phone, language: c.language, personalIdHash: hash },
    deps.now(),
  );
  return id;
}

/**
 * A phone number written with its country prefix (+34…, 0034…) must be a valid number: SMS
 * notifications go to it. One without a prefix is kept as given (there is no tenant default
 * country to read it in yet) and checked when an SMS is sent.
 */
export function checkPhone(phone: string | null | undefined): void {
  if (!phone) return;
  const prefixed = /^\s*(\+|00)/.exec(phone);
  if (prefixed && !toE164(phone.trim().replace(/^00/, '+'), null))
    throw invalidInput(`The phone number ${phone} is not a valid number`, [
      { field: 'customer.phone', message: 'not a valid phone number' },
    ]);
}
