import type { Static } from '@sinclair/typebox';
import type { ApiKeyRecord } from '../../core/catalog/api-key.repository.ts';
import type { ResourceInput, TenantConfiguration } from '../../core/catalog/catalog.types.ts';
import type { Configuration, ResourceCreate, ResourcePatch, TimeOff } from './admin.schemas.ts';

/** JSON bodies carry instants as strings; the core takes Dates. Everything else passes as it is. */
const toTimeOff = (t: Static<typeof TimeOff>) => ({ ...t, start: new Date(t.start), end: new Date(t.end) });

export function toResourceInput(body: Static<typeof ResourceCreate>): ResourceInput;
export function toResourceInput(body: Static<typeof ResourcePatch>): Partial<ResourceInput>;
export function toResourceInput(body: Static<typeof ResourcePatch>): Partial<ResourceInput> {
  const { timeOff, ...rest } = body;
  return timeOff ? { ...rest, timeOff: timeOff.map(toTimeOff) } : rest;
}

export function toConfiguration(body: Static<typeof Configuration>): TenantConfiguration {
  return { ...body, resources: body.resources?.map((r) => toResourceInput(r)) };
}

export const toApiKeyDto = (k: ApiKeyRecord) => ({
  keyId: k.keyId,
  label: k.label,
  roles: k.roles,
  createdAt: k.createdAt,
  revokedAt: k.revokedAt,
});
