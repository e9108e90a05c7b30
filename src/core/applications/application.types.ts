import type { NotificationTemplate } from '../notifications/notification.types.ts';

/**
 * A video-call application (issue 11): a tenant's configured video-call offering — the service and
 * site it books, the join-link base, how early a call may be activated, its default locale and zone,
 * its sender address and notification templates. Its id is a UUID unique across tenants.
 */
export interface VideoApplication {
  tenantId: string;
  id: string;
  name: string;
  serviceId: string;
  siteId: string;
  videoBaseUrl: string;
  /** ISO 8601 duration, default 'PT10M': how long before the start a call may be activated. */
  activationLeadTime: string;
  locale: string | null;
  timezone: string | null;
  senderEmail: string | null;
  notificationsActive: boolean;
  notifications: NotificationTemplate[];
  createdAt: Date;
  updatedAt: Date;
}

export interface ApplicationInput {
  name: string;
  serviceId: string;
  siteId: string;
  videoBaseUrl: string;
  activationLeadTime?: string;
  locale?: string | null;
  timezone?: string | null;
  senderEmail?: string | null;
  notificationsActive?: boolean;
  notifications?: NotificationTemplate[];
}

/** A change: absent fields stay; null clears a nullable one; `notifications` replaces the whole list. */
export type ApplicationPatch = Partial<ApplicationInput>;

/**
 * What happened to the sender address when it was set: already `verified` (nothing sent), `code_sent` (the code went
 * to the address), or `not_sent` (no e-mail channel, or the server refused: request it again later).
 */
export type SenderVerificationStart = 'verified' | 'code_sent' | 'not_sent';

/** A created or changed application, with what its sender address's verification did (null: no new address). */
export type SavedApplication = VideoApplication & { senderVerification: SenderVerificationStart | null };

export const DEFAULT_ACTIVATION_LEAD_TIME = 'PT10M';

/** Bounds on what a tenant can store (docs/limits.md); the templates' own bounds are NOTIFICATION_LIMITS. */
export const APPLICATION_LIMITS = {
  applicationsPerTenant: 50,
  nameChars: 200,
  urlChars: 2048,
  /** The longest activation lead time: 7 days before the start. */
  maxLeadTimeSeconds: 7 * 86_400,
  localeChars: 35,
  senderEmailChars: 254,
} as const;
