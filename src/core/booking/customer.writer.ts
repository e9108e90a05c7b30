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
  phoneCountry: string | null,
): Promise<string | null> {
  if (!c) return null;
  checkPhone(c.phone, phoneCountry);
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
 * notifications go to it. One without a prefix is read in the tenant's default country
 * (settings.defaultPhoneCountry) and must be valid there; without that setting it is kept as given
 * and checked when an SMS is sent (in the site's country).
 */
export function checkPhone(phone: string | null | undefined, defaultCountry: string | null): void {
  if (!phone) return;
  const prefixed = /^\s*(\+|00)/.test(phone);
  if (!prefixed && !defaultCountry) return;
  if (!toE164(phone.trim().replace(/^00/, '+'), prefixed ? null : defaultCountry))
    throw invalidInput(`The phone number ${phone} is not a valid number`, [
      { field: 'customer.phone', message: 'not a valid phone number' },
    ]);
}
