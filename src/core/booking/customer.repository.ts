import type { Queryable } from '../../db/database.ts';
import type { Customer } from '../types.ts';

interface CustomerRow {
  tenant_id: string;
  customer_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  personal_id_hash: string | null;
}

const toCustomer = (r: CustomerRow): Customer => ({
  tenantId: r.tenant_id,
  id: r.customer_id,
  name: r.name,
  email: r.email,
  phone: r.phone,
  language: r.language,
  hasPersonalId: r.personal_id_hash !== null,
});

export async function getCustomer(q: Queryable, tenantId: string, customerId: string): Promise<Customer | null> {
  const { rows } = await q.query<CustomerRow>('SELECT * FROM customers WHERE tenant_id = $1 AND customer_id = $2', [
    tenantId,
    customerId,
  ]);
  return rows[0] ? toCustomer(rows[0]) : null;
}

export async function findCustomerIdByPersonalId(q: Queryable, tenantId: string, hash: string): Promise<string | null> {
  const { rows } = await q.query<{ customer_id: string }>(
    'SELECT customer_id FROM customers WHERE tenant_id = $1 AND personal_id_hash = $2 ORDER BY created_at LIMIT 1',
    [tenantId, hash],
  );
  return rows[0]?.customer_id ?? null;
}

/** Creates the customer or updates the fields given (null clears, undefined keeps). */
export async function upsertCustomer(
  q: Queryable,
  c: {
    tenantId: string;
    id: string;
    name?: string | null;
    email?: string | null;
    phone?: string | null;
    language?: string | null;
    personalIdHash?: string | null;
  },
  now: Date,
): Promise<void> {
  const keep = (v: unknown) => v === undefined;
  await q.query(
    `INSERT INTO customers (tenant_id, customer_id, name, email, phone, language, personal_id_hash, created_at,
      updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
     ON CONFLICT (tenant_id, customer_id) DO UPDATE SET
       name = CASE WHEN $9 THEN customers.name ELSE EXCLUDED.name END,
       email = CASE WHEN $10 THEN customers.email ELSE EXCLUDED.email END,
       phone = CASE WHEN $11 THEN customers.phone ELSE EXCLUDED.phone END,
       language = CASE WHEN $12 THEN customers.language ELSE EXCLUDED.language END,
       personal_id_hash = CASE WHEN $13 THEN customers.personal_id_hash ELSE EXCLUDED.personal_id_hash END,
       updated_at = EXCLUDED.updated_at`,
    [
      c.tenantId,
      c.id,
      c.name ?? null,
      c.email ?? null,
      c.phone ?? null,
      c.language ?? null,
      c.personalIdHash ?? null,
      now,
      keep(c.name),
      keep(c.email),
      keep(c.phone),
      keep(c.language),
      keep(c.personalIdHash),
    ],
  );
}
