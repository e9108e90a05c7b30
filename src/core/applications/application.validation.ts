import { IANAZone } from 'luxon';
import type { Queryable } from '../../db/database.ts';
import { getSite } from '../catalog/site.repository.ts';
import { getServices } from '../catalog/service.repository.ts';
import { conflict, invalidInput, type FieldIssue } from '../errors.ts';
import * as repo from './application.repository.ts';
import { canonicalLocale } from '../notifications/message-locale.ts';
import { periodSeconds } from '../notifications/notification-period.ts';
import { EMAIL_FORMAT, templateListIssues, type CheckOptions } from '../notifications/template.validation.ts';
import { APPLICATION_LIMITS as L, type VideoApplication } from './application.types.ts';

/** en, en_US, en-GB, zh-Hant-TW: the seed writes both separators. */

function urlProblem(url: string): string | null {
  if (url.length > L.urlChars) return `must be at most ${L.urlChars} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an http or https URL';
  if (parsed.username || parsed.password) return 'must not carry credentials';
  return null;
}

/** The problems of an application's own fields, as it would be stored (every field named under its API name). */
function applicationIssues(a: VideoApplication, o: CheckOptions): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: string, message: string) => issues.push({ field, message });
  if (a.name.trim().length === 0 || a.name.length > L.nameChars)
    add('name', `must have 1 to ${L.nameChars} characters`);
  const url = urlProblem(a.videoBaseUrl);
  if (url) add('videoBaseUrl', url);
  const lead = periodSeconds(a.activationLeadTime);
  if (lead === null) add('activationLeadTime', 'must be an ISO 8601 duration such as PT10M');
  else if (lead < 0 || lead > L.maxLeadTimeSeconds)
    add('activationLeadTime', `must be at most ${L.maxLeadTimeSeconds / 86_400} days`);
  if (a.locale !== null && (a.locale.length > L.localeChars || !canonicalLocale(a.locale)))
    add('locale', 'must be a locale such as en_US or en-GB');
  if (a.timezone !== null && (a.timezone.length > 64 || !IANAZone.isValidZone(a.timezone)))
    add('timezone', `"${a.timezone.slice(0, 64)}" is not an IANA time zone`);
  if (a.senderEmail !== null && (a.senderEmail.length > L.senderEmailChars || !EMAIL_FORMAT.test(a.senderEmail)))
    add('senderEmail', 'must be an e-mail address');
  issues.push(...templateListIssues(a.notifications, 'notifications', o));
  return issues;
}

/** The service and site an application books must be the tenant's own: otherwise 400 naming which. */
export async function catalogIssues(q: Queryable, a: VideoApplication): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  if ((await getServices(q, a.tenantId, [a.serviceId])).length === 0)
    issues.push({ field: 'serviceId', message: `no service ${a.serviceId.slice(0, 64)} in this tenant` });
  if (!(await getSite(q, a.tenantId, a.siteId)))
    issues.push({ field: 'siteId', message: `no site ${a.siteId.slice(0, 64)} in this tenant` });
  return issues;
}

/** Refuses (400, every problem named) an application that may not be stored; nothing is written. */
/** A new application must leave the tenant within its bound; the tenant's creations are serialized (a lock). */
export async function assertRoomForApplication(tx: Queryable, tenantId: string): Promise<void> {
  await repo.lockTenantApplications(tx, tenantId);
  if ((await repo.countApplications(tx, tenantId)) >= L.applicationsPerTenant)
    throw conflict(`A tenant has at most ${L.applicationsPerTenant} applications`);
}

export async function checkApplication(q: Queryable, a: VideoApplication, o: CheckOptions): Promise<void> {
  const issues = applicationIssues(a, o);
  if (issues.length === 0) issues.push(...(await catalogIssues(q, a)));
  if (issues.length) throw invalidInput(issues.map((i) => `${i.field} ${i.message}`).join('; '), issues);
}
