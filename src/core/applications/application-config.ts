import type { Queryable } from '../../db/database.ts';
import { conflict, invalidInput } from '../errors.ts';
import type { CheckOptions } from '../notifications/template.validation.ts';
import * as repo from './application.repository.ts';
import { applicationFrom } from './application.service.ts';
import type { ApplicationInput } from './application.types.ts';
import { assertRoomForApplication, checkApplication } from './application.validation.ts';

/** An application in a tenant configuration document: the document names its id (a UUID, so docs can show it). */
export type ConfiguredApplication = ApplicationInput & { id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Creates or replaces a configured application inside the configuration's transaction (after its sites and
 * services), checked as the admin API checks it. Applying the same document again changes nothing. No verification
 * code is sent from here: loading a document sends no mail (ask for one with POST /admin/v1/tenants/{t}/senders).
 */
export async function putConfiguredApplication(
  tx: Queryable,
  tenantId: string,
  c: ConfiguredApplication,
  now: Date,
  o: CheckOptions,
): Promise<void> {
  if (!UUID.test(c.id))
    throw invalidInput(`Application ${c.id}: id must be a UUID`, [{ field: 'applications.id', message: 'not a UUID' }]);
  const { id, ...input } = c;
  const found = await repo.getApplication(tx, tenantId, id, true);
  // Fields the document leaves out take their defaults: the document is the whole application.
  const a = applicationFrom({ tenantId, id, createdAt: found?.createdAt ?? now }, input, now);
  try {
    await checkApplication(tx, a, o);
  } catch (e) {
    throw invalidInput(`Application ${id}: ${(e as Error).message}`, [
      { field: 'applications', message: (e as Error).message },
    ]);
  }
  if (!found) {
    await assertRoomForApplication(tx, tenantId);
  }
  if (!(await repo.putApplication(tx, a))) throw conflict(`Application id ${id} is taken by another tenant`);
}
