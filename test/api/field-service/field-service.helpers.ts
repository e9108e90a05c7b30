/**
 * Test wiring for the field-service facade: the real app on a fresh database, an operator tenant
 * built through the core (no demo data), credentials, the documents' examples as fixtures, and a
 * shape comparison against the documented bodies.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SignJWT } from 'jose';
import type { NotificationConfig } from '../../../src/config.ts';
import type { Core } from '../../../src/core/core.ts';
import { admin, createTestApp, JWT_SECRET, type TestApp } from '../../helpers/test-app.ts';
import { weekdays } from '../../helpers/scenario.ts';

/**
 * Before the windows of the fixtures (2030-08-15..18, CEST): fixtures are the documents' examples moved from 2020 to
 * 2030.
 */
export const NOW = '2030-08-10T06:00:00Z';

export type Json = Record<string, any>;

export const fixture = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../../../src/api/field-service/examples/${name}.json`, import.meta.url), 'utf8'));

/**
 * The operator tenant: Álava (gescal 01…, postal codes 01…) and Madrid (gescal 28…, 28036, 28033), fixed windows,
 * technicians per territory.
 */
export async function createOperatorTenant(core: Core, o: { tenantId?: string; technicians?: number } = {}) {
  const tenantId = o.tenantId ?? 'masmovil';
  await core.catalog.createTenant(admin, { id: tenantId, name: `Operator ${tenantId}` });
  const sites = [
    { id: 'alava', name: 'Álava', postalCodes: ['01001', '01008', '01010'], addressPrefixes: ['01'] },
    { id: 'madrid', name: 'Madrid', postalCodes: ['28033', '28036'], addressPrefixes: ['28'] },
  ];
  for (const s of sites) {
    await core.catalog.createSite(admin, tenantId, {
      id: s.id,
      name: s.name,
      timeZone: 'Europe/Madrid',
      serviceArea: { postalCodes: s.postalCodes, addressPrefixes: s.addressPrefixes },
    });
  }
  await core.catalog.createService(admin, tenantId, {
    id: 'installation',
    name: 'Installation',
    names: { es: 'Instalación' },
    durationMin: 120,
    rules: { minNoticeMin: 60, horizonDays: 60 },
    slotPolicy: {
      kind: 'windows',
      windows: [
        { start: '09:00', end: '11:00' },
        { start: '11:00', end: '13:00' },
        { start: '15:00', end: '17:00' },
        { start: '17:00', end: '19:00' },
      ],
    },
  });
  for (const s of sites) {
    for (let i = 1; i <= (o.technicians ?? 3); i++) {
      await core.catalog.createResource(admin, tenantId, {
        id: `${s.id}-tech-${i}`,
        kind: 'technician',
        name: `Technician ${i} (${s.name})`,
        serviceIds: ['installation'],
        siteIds: [s.id],
        workingHours: weekdays('08:00', '20:00'),
      });
    }
  }
  return { tenantId };
}

export interface FieldServiceTest extends TestApp {
  key: string;
  inject: TestApp['app']['inject'];
  call(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    body?: unknown,
    token?: string | null,
  ): Promise<{ status: number; body: Json; headers: Record<string, unknown> }>;
}

/** The app, the operator tenant and its API key. */
export async function createFieldServiceTest(
  o: {
    technicians?: number;
    bodyLimitBytes?: number;
    now?: Date;
    allowPrivateWebhooks?: boolean;
    notifications?: NotificationConfig;
  } = {},
): Promise<FieldServiceTest> {
  const t = await createTestApp({
    now: o.now ?? NOW,
    allowPrivateWebhooks: o.allowPrivateWebhooks,
    notifications: o.notifications,
    ...(o.bodyLimitBytes ? { bodyLimitBytes: o.bodyLimitBytes } : {}),
  });
  const app = t.app;
  await createOperatorTenant(t.core, { technicians: o.technicians });
  const key = await t.apiKeyFor('masmovil');
  const inject = app.inject.bind(app) as TestApp['app']['inject'];
  return {
    ...t,
    app,
    key,
    inject,
    async call(method, url, body, token = key) {
      const res = await inject({
        method,
        url,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : {}, headers: res.headers };
    },
    async close() {
      if (app !== t.app) await app.close();
      await t.close();
    },
  };
}

/** Issued at the app's clock (NOW unless given) and valid for an hour of it: tokens need an expiry. */
export const jwtFor = (tenant: string, roles = ['scheduler'], at = NOW) =>
  new SignJWT({ tenant, roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('crm-user')
    .setIssuedAt(new Date(at))
    .setExpirationTime(new Date(Date.parse(at) + 3_600_000))
    .sign(new TextEncoder().encode(JWT_SECRET));

const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

/**
 * `actual` has every field of the documented body with the same JSON type, recursively (arrays:
 * the first documented item's shape against the first actual item). `unknowable` lists paths
 * ('$.relatedPlace.name') of documented values the request gives no way to know (the documents
 * reuse one response example for every operation): absent is accepted there, never invented.
 */
export function assertDocumentedShape(
  actual: unknown,
  documented: unknown,
  unknowable: string[] = [],
  path = '$',
): void {
  assert.equal(kind(actual), kind(documented), `${path}: expected ${kind(documented)}, got ${kind(actual)}`);
  if (Array.isArray(documented) && Array.isArray(actual)) {
    if (documented.length && actual.length) assertDocumentedShape(actual[0], documented[0], unknowable, `${path}[0]`);
    return;
  }
  if (documented && typeof documented === 'object') {
    for (const [k, v] of Object.entries(documented)) {
      if (!(k in (actual as Json)) && unknowable.includes(`${path}.${k}`)) continue;
      assert.ok(k in (actual as Json), `${path}.${k} is missing`);
      assertDocumentedShape((actual as Json)[k], v, unknowable, `${path}.${k}`);
    }
  }
}

/** role -> id of a relatedParty list. */
export const roles = (parties: { id: string; role: string }[] | undefined) =>
  Object.fromEntries((parties ?? []).map((p) => [p.role, p.id]));

/** freeSlots / ocuppiedSlots of the window starting at `start`, or undefined when it is not offered. */
export function windowCounts(search: Json, start: string): { free: number; occupied: number } | undefined {
  const slot = search.availableTimeSlot.find((s: Json) => s.validFor.startDateTime === new Date(start).toISOString());
  if (!slot) return undefined;
  const r = roles(slot.relatedParty);
  return { free: Number(r.freeSlots), occupied: Number(r.ocuppiedSlots) };
}
