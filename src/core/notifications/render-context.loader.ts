import type { Queryable } from '../../db/database.ts';
import { getCustomer } from '../booking/customer.repository.ts';
import { getServices } from '../catalog/service.repository.ts';
import { getSite } from '../catalog/site.repository.ts';
import { getTenant } from '../catalog/tenant.repository.ts';
import type { Appointment } from '../types.ts';
import { messageLocale } from './message-locale.ts';
import { toE164 } from './phone-number.ts';
import type { RenderContext } from './template-renderer.ts';

export interface Addressee {
  ctx: RenderContext;
  /** The customer's e-mail (the customer record's, else a customer participant's). */
  email: string | null;
  /** The customer's phone as given, and in E.164 (null when it is not a valid number). */
  phone: string | null;
  phoneE164: string | null;
}

/**
 * What a message about an appointment is rendered with and sent to: its customer, its site's zone and country, its
 * service's name, its tenant's default phone country.
 */
export async function loadAddressee(
  q: Queryable,
  a: Appointment,
  templateLocale: string | undefined,
): Promise<Addressee> {
  const customer = a.customerId ? await getCustomer(q, a.tenantId, a.customerId) : null;
  const site = a.siteId ? await getSite(q, a.tenantId, a.siteId) : null;
  const tenant = await getTenant(q, a.tenantId);
  const [service] = await getServices(q, a.tenantId, a.serviceIds.slice(0, 1));
  const locale = messageLocale(templateLocale, customer?.language);
  const language = locale.split('-')[0];
  const start = a.start ?? new Date(0);
  const ctx: RenderContext = {
    customerName: customer?.name ?? null,
    title: service?.names[locale] ?? service?.names[language] ?? service?.name ?? 'Appointment',
    start,
    end: a.end ?? start,
    zone: site?.timeZone ?? 'UTC',
    locale,
    reference: a.externalRef ?? a.id,
  };
  const participantEmail = a.participants.find((p) => p.role === 'customer' && p.email)?.email ?? null;
  const phone = customer?.phone ?? null;
  return {
    ctx,
    email: customer?.email ?? participantEmail,
    phone,
    // A number without prefix is read in the tenant's default country, else in the site's.
    phoneE164: phone ? toE164(phone, tenant?.settings.defaultPhoneCountry ?? site?.address?.country ?? null) : null,
  };
}
