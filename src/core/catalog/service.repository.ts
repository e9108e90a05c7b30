import type { Queryable } from '../../db/database.ts';
import type { Service } from '../types.ts';
import { json } from './site.repository.ts';

interface ServiceRow {
  tenant_id: string;
  service_id: string;
  name: string;
  names: Service['names'];
  duration_min: number;
  buffer_before_min: number;
  buffer_after_min: number;
  seats: number;
  max_reservations: number | null;
  rules: Service['rules'];
  slot_policy: Service['slotPolicy'];
  created_at: Date;
  updated_at: Date;
}

const toService = (r: ServiceRow): Service => ({
  tenantId: r.tenant_id,
  id: r.service_id,
  name: r.name,
  names: r.names,
  durationMin: r.duration_min,
  bufferBeforeMin: r.buffer_before_min,
  bufferAfterMin: r.buffer_after_min,
  seats: r.seats,
  maxNumberOfReservations: r.max_reservations,
  rules: r.rules,
  slotPolicy: r.slot_policy,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function getServices(q: Queryable, tenantId: string, serviceIds: string[]): Promise<Service[]> {
  const { rows } = await q.query<ServiceRow>(
    'SELECT * FROM services WHERE tenant_id = $1 AND service_id = ANY($2::text[])',
    [tenantId, serviceIds],
  );
  return rows.map(toService);
}

/** Every service of a tenant (the in-memory catalog). */
export async function listAllServices(q: Queryable, tenantId: string): Promise<Service[]> {
  const { rows } = await q.query<ServiceRow>('SELECT * FROM services WHERE tenant_id = $1', [tenantId]);
  return rows.map(toService);
}

export async function listServices(
  q: Queryable,
  tenantId: string,
  limit: number,
  offset: number,
): Promise<{ items: Service[]; total: number }> {
  const { rows } = await q.query<ServiceRow>(
    'SELECT * FROM services WHERE tenant_id = $1 ORDER BY service_id LIMIT $2 OFFSET $3',
    [tenantId, limit, offset],
  );
  const count = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM services WHERE tenant_id = $1', [
    tenantId,
  ]);
  return { items: rows.map(toService), total: count.rows[0].n };
}

export async function upsertService(q: Queryable, s: Service): Promise<void> {
  await q.query(
    `INSERT INTO services (tenant_id, service_id, name, names, duration_min, buffer_before_min, buffer_after_min,
      seats, rules, slot_policy, created_at, updated_at, max_reservations)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (tenant_id, service_id) DO UPDATE SET name = EXCLUDED.name, names = EXCLUDED.names,
       duration_min = EXCLUDED.duration_min, buffer_before_min = EXCLUDED.buffer_before_min,
       buffer_after_min = EXCLUDED.buffer_after_min, seats = EXCLUDED.seats, rules = EXCLUDED.rules, slot_policy =
       EXCLUDED.slot_policy,
       max_reservations = EXCLUDED.max_reservations, updated_at = EXCLUDED.updated_at`,
    [
      s.tenantId,
      s.id,
      s.name,
      json(s.names),
      s.durationMin,
      s.bufferBeforeMin,
      s.bufferAfterMin,
      s.seats,
      json(s.rules),
      json(s.slotPolicy),
      s.createdAt,
      s.updatedAt,
      s.maxNumberOfReservations,
    ],
  );
}
