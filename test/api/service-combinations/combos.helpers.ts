/**
 * Test wiring for the service-combinations API: the real app on a fresh database with the demo
 * tenant the quick start loads (`benelux-bank` of config/demo-tenants.yaml, a Brussels branch, two
 * employees, account opening + card request), its API key, and calls with the API's headers.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NotificationConfig } from '../../../src/config.ts';
import { readConfigurationFile } from '../../../src/runtime.ts';
import { admin, createTestApp, type TestApp } from '../../helpers/test-app.ts';

/** Monday 4 March 2030, 07:00 in Brussels (CET, +01:00): the fixtures' visits are on the days after. */
export const NOW = '2030-03-04T06:00:00Z';
export const TENANT = 'benelux-bank';
export const BASE = '/external/v1/serviceCombination';
export const SERVICES = ['account-opening', 'card-request'];

export type Json = Record<string, any>;

export const fixture = (name: string): Json =>
  JSON.parse(
    readFileSync(new URL(`../../../src/api/service-combinations/examples/${name}.json`, import.meta.url), 'utf8'),
  );

const DEMO = fileURLToPath(new URL('../../../config/demo-tenants.yaml', import.meta.url));

export interface CombosTest extends TestApp {
  key: string;
  /** A request with Authorization, X-TENANT-ID and Accept-Language (fr_FR) unless `headers` overrides them. */
  call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    headers?: Record<string, string | undefined>,
  ): Promise<{ status: number; body: any }>;
}

/** The app with the demo branch tenant; `employees` keeps only the first ones of the demo. */
export async function createCombosTest(
  o: {
    now?: Date | string;
    employees?: number;
    allowPrivateWebhooks?: boolean;
    notifications?: NotificationConfig;
  } = {},
): Promise<CombosTest> {
  const t = await createTestApp({
    now: o.now ?? NOW,
    allowPrivateWebhooks: o.allowPrivateWebhooks,
    notifications: o.notifications,
  });
  const doc = (await readConfigurationFile(DEMO)).find((d) => d.tenant.id === TENANT)!;
  await t.core.catalog.applyConfiguration(admin, {
    ...doc,
    resources: (doc.resources ?? []).slice(0, o.employees ?? doc.resources!.length),
  });
  const key = await t.apiKeyFor(TENANT);
  return {
    ...t,
    key,
    async call(method, path, body, headers = {}) {
      const all: Record<string, string | undefined> = {
        authorization: `Bearer ${key}`,
        'x-tenant-id': TENANT,
        'accept-language': 'fr_FR',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      };
      const res = await t.app.inject({
        method,
        url: `${BASE}${path}`,
        headers: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<string, string>,
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null };
    },
  };
}

/** Reserves the two demo services at `startTime`; asserts the 201. */
export async function reserve(t: CombosTest, startTime: string, serviceIds = SERVICES): Promise<Json> {
  const res = await t.call('POST', '/reservations', { branchId: 'bruxelles-centre', serviceIds, startTime });
  if (res.status !== 201) throw new Error(`reservation at ${startTime}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const CUSTOMER = {
  firstName: 'Marie',
  lastName: 'Dubois',
  phoneNumber: '+32 470 12 34 56',
  email: 'marie.dubois@example.be',
  dateOfBirth: '1985-06-14',
  personalIdentifier: '85061412345',
};

/** Books a reservation for CUSTOMER (or another); asserts the 201. */
export async function book(t: CombosTest, reservationId: string, customer: Json = CUSTOMER): Promise<Json> {
  const res = await t.call('POST', '/appointments', { reservationId, customer, supportNotes: 'Bring your ID card' });
  if (res.status !== 201) throw new Error(`booking ${reservationId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
