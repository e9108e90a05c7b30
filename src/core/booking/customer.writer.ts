import type { Queryable } from '../../db/database.ts';
import type { CoreDeps } from '../deps.ts';
import type { CustomerInput } from '../types.ts';
import { personalIdKey } from '../privacy/personal-data.ts';
import { findCustomerIdByPersonalId, upsertCustomer } from './customer.repository.ts';

type WriterDeps = Pick<CoreDeps, 'hashPersonalId' | 'newId' | 'now'>;

/**
 * Stores the customer of an appointment and returns its id: the one given, else the customer with
 * that personal identifier (kept as a keyed hash only), else a new one.
 */
export async function saveCustomer(q: Queryable, deps: WriterDeps, tenantId: string, c: CustomerInput | undefined): Promise<string | null> {
  if (!c) return null;
  const hash = c.personalId ? deps.hashPersonalId(personalIdKey(c.personalId)) : c.personalId === null ? null : undefined;
  const id = c.id ?? (hash ? await findCustomerIdByPersonalId(q, tenantId, hash) : null) ?? deps.newId();
  await upsertCustomer(q, { tenantId, id, name: c.name, email: c.email, phone: c.phone, language: c.language, personalIdHash: hash }, deps.now());
  return id;
}

