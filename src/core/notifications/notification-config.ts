import type { Queryable } from '../../db/database.ts';
import { getServices } from '../catalog/service.repository.ts';
import { invalidInput } from '../errors.ts';
import { putSettings } from './notification.repository.ts';
import type { NotificationTemplate } from './notification.types.ts';
import { checkSettings, type CheckOptions } from './template.validation.ts';

/** A service's templates in a tenant configuration document. */
export interface ConfiguredNotifications {
  serviceId: string;
  active: boolean;
  senderEmail?: string | null;
  templates: NotificationTemplate[];
}

/**
 * Sets a service's templates inside the configuration's transaction (after its services): checked as the admin API
 * checks them.
 */
export async function putConfiguredNotifications(
  tx: Queryable,
  tenantId: string,
  n: ConfiguredNotifications,
  now: Date,
  o: CheckOptions,
): Promise<void> {
  const settings = { active: n.active, senderEmail: n.senderEmail ?? null, templates: n.templates };
  checkSettings(settings, o);
  if ((await getServices(tx, tenantId, [n.serviceId])).length === 0)
    throw invalidInput(`Notifications of service ${n.serviceId}: no such service`, [
      { field: 'notifications.serviceId', message: 'unknown service' },
    ]);
  await putSettings(tx, tenantId, n.serviceId, settings, now);
}
