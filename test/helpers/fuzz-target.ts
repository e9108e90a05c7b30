/**
 * What the fuzz runs need on a started server: the operator tenant of the demo configuration
 * (loaded over the admin API), a few appointments to aim path parameters at, each API's own
 * OpenAPI document, and credentials.
 */
import { readFile } from 'node:fs/promises';
import { DateTime } from 'luxon';
import { parse as parseYaml } from 'yaml';
import type { FuzzContext, OpenApiDoc } from './openapi-fuzzer.ts';
import type { prng, Rng } from './openapi-fuzzer.ts';
import { retryWhenShed } from './shed-retry.ts';

export const TENANT = 'masmovil';
const ROOT = new URL('../../', import.meta.url);

/** One API's document, the values its requests are aimed at, and its headers. */
export interface ApiFuzzTarget {
  doc: OpenApiDoc;
  ctx: FuzzContext;
  headers: (rng: Rng) => Record<string, string>;
}

/**
 * One JSON request of a fuzz run's setup to the started server, with a bearer token (none when empty) and any other
 * headers; sent again after the server's Retry-After when load shedding refused it.
 */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return retryWhenShed(() => send(baseUrl, method, path, token, body, headers));
}

async function send(
  baseUrl: string,
  method: string,
  path: string,
  token: string,
  body: unknown,
  headers: Record<string, string>,
) {
  const res = await fetch(baseUrl + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, text, retryAfter: res.headers.get('retry-after') };
}

export interface FuzzTarget {
  docs: { admin: OpenApiDoc; fieldService: OpenApiDoc };
  ctx: FuzzContext;
  headers: {
    admin: (rng: ReturnType<typeof prng>) => Record<string, string>;
    fieldService: (rng: ReturnType<typeof prng>) => Record<string, string>;
  };
  /** Applies the tenant's configuration again (an admin fuzz run changes its services and sites). */
  reset(): Promise<void>;
}

/** Loads a demo tenant (config/demo-tenants.yaml) over the admin API; its new API key, and the document loaded. */
export async function loadDemoTenant(
  baseUrl: string,
  adminToken: string,
  tenantId: string,
): Promise<{ apiKey: string; doc: unknown }> {
  const configs = parseYaml(await readFile(new URL('config/demo-tenants.yaml', ROOT), 'utf8'), {
    maxAliasCount: 10_000,
  }) as Array<{ tenant: { id: string } }>;
  const doc = configs.find((c) => c.tenant.id === tenantId);
  const loaded = await call(baseUrl, 'PUT', '/admin/v1/configuration', adminToken, doc);
  if (loaded.status !== 200 || !loaded.body.newApiKey)
    throw new Error(`configuration of ${tenantId}: ${loaded.status} ${loaded.text}`);
  return { apiKey: loaded.body.newApiKey, doc };
}

/** Loads the tenant, books a few appointments a few days ahead (real clock), reads both OpenAPI documents. */
export async function prepareFuzzTarget(baseUrl: string, adminToken: string): Promise<FuzzTarget> {
  const { apiKey, doc } = await loadDemoTenant(baseUrl, adminToken, TENANT);

  const example = JSON.parse(
    await readFile(new URL('src/api/field-service/examples/tmf-create.request.json', ROOT), 'utf8'),
  );
  const ids: string[] = [];
  for (let i = 1; i <= 4; i++) {
    const day = DateTime.now()
      .setZone('Europe/Madrid')
      .plus({ days: 2 + i })
      .startOf('day');
    const validFor = {
      startDateTime: day.set({ hour: 9 }).toUTC().toISO({ suppressMilliseconds: true }),
      endDateTime: day.set({ hour: 11 }).toUTC().toISO({ suppressMilliseconds: true }),
    };
    const id = `FUZZ_${i}`;
    const res = await call(baseUrl, 'POST', `/v1/orgs/${TENANT}/appointments`, apiKey, {
      ...example,
      id,
      externalId: id,
      validFor,
    });
    if (res.status !== 201) throw new Error(`seed appointment ${id}: ${res.status} ${res.text}`);
    ids.push(id);
  }

  const openapi = async (name: string) =>
    (await call(baseUrl, 'GET', `/openapi/${name}.json`, adminToken)).body as OpenApiDoc;
  const docs = { admin: await openapi('admin'), fieldService: await openapi('field-service') };
  // The documents' examples book windows in 2030, past the booking horizon: give each sampled body
  // a window the tenant really offers (09, 11, 15, 17 h Madrid, 2 to 30 days ahead), so that valid
  // and half-valid requests reach the booking itself.
  const windows = Array.from({ length: 29 * 4 }, (_, i) => {
    const day = DateTime.now()
      .setZone('Europe/Madrid')
      .plus({ days: 2 + Math.floor(i / 4) })
      .startOf('day');
    const start = day.set({ hour: [9, 11, 15, 17][i % 4] });
    return {
      startDateTime: start.toUTC().toISO({ suppressMilliseconds: true }),
      endDateTime: start.plus({ hours: 2 }).toUTC().toISO({ suppressMilliseconds: true }),
    };
  });
  const adapt = (body: unknown, rng: ReturnType<typeof prng>): unknown => {
    if (Array.isArray(body)) return body.map((b) => adapt(b, rng));
    if (!body || typeof body !== 'object') return body;
    const out = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, adapt(v, rng)]));
    if ('startDateTime' in out && 'endDateTime' in out) Object.assign(out, rng.pick(windows));
    if (typeof out.workOrderId === 'string') out.workOrderId = `WO_${rng.int(100_000)}`;
    if (typeof out.id === 'string' && 'validFor' in out) out.id = `FZ_${rng.int(100_000)}`;
    if (typeof out.externalId === 'string') out.externalId = `FZ_${rng.int(100_000)}`;
    return out;
  };
  const ctx: FuzzContext = {
    adapt,
    pathValues: {
      org: [TENANT],
      tenantId: [TENANT],
      id: [...ids, 'alava', 'installation', 'alava-tech-1', 'missing'],
      appointmentId: [...ids, 'missing'],
      holdId: ['missing'],
      keyId: ['missing'],
    },
  };
  const credentials =
    (own: string) =>
    (rng: ReturnType<typeof prng>): Record<string, string> => {
      const r = rng.next();
      if (r < 0.9) return { authorization: `Bearer ${own}` };
      if (r < 0.93) return {};
      if (r < 0.96)
        return {
          authorization: rng.pick([
            'Bearer ',
            'Basic Zm9vOmJhcg==',
            `Bearer ${own}x`,
            'Bearer a.b.c',
            `Bearer ${'x'.repeat(5000)}`,
          ]),
        };
      return { authorization: `Bearer ${own === adminToken ? apiKey : adminToken}` };
    };
  const reset = async () => {
    const again = await call(baseUrl, 'PUT', '/admin/v1/configuration', adminToken, doc);
    if (again.status !== 200) throw new Error(`configuration again: ${again.status} ${again.text}`);
  };
  return { docs, ctx, headers: { admin: credentials(adminToken), fieldService: credentials(apiKey) }, reset };
}
