/** Inputs of the catalog use cases (tenants, sites, services, resources), shared by the admin API and config files. */
import type {
  Address,
  BookingRules,
  ResourceKind,
  ServiceArea,
  SlotPolicy,
  TenantSettings,
  WorkingHours,
} from '../types.ts';
import type { ConfiguredApplication } from '../applications/application-config.ts';
import type { ConfiguredNotifications } from '../notifications/notification-config.ts';
import type { ConfiguredWebhook } from '../webhooks/webhook-config.ts';

export interface TenantInput {
  id: string;
  name: string;
  /** Omitted: kept as they are (a new tenant: DEFAULT_TENANT_SETTINGS). */
  settings?: Partial<TenantSettings>;
}

export const DEFAULT_TENANT_SETTINGS: TenantSettings = { riskNotice: null, defaultPhoneCountry: null };
/** Longest notice a risk rule may ask for (30 days). */
export const MAX_RISK_NOTICE_HOURS = 720;

export interface SiteInput {
  id: string;
  name: string;
  timeZone: string;
  address?: Address | null;
  geo?: { lat: number; lon: number } | null;
  serviceArea?: ServiceArea | null;
}

export interface ServiceInput {
  id: string;
  name: string;
  names?: Record<string, string>;
  durationMin: number;
  bufferBeforeMin?: number;
  bufferAfterMin?: number;
  seats?: number;
  /** Omitted or null: no limit of the service's own. */
  maxNumberOfReservations?: number | null;
  rules?: Partial<BookingRules>;
  slotPolicy: SlotPolicy;
}

export interface TimeOffInput {
  id?: string;
  start: Date;
  end: Date;
  reason?: string | null;
}

export interface ResourceInput {
  id: string;
  kind: ResourceKind;
  name: string;
  serviceIds: string[];
  siteIds: string[];
  workingHours: WorkingHours;
  timeOff?: TimeOffInput[];
  active?: boolean;
}

/** A whole tenant's configuration, as loaded from a JSON or YAML file. */
export interface TenantConfiguration {
  tenant: TenantInput;
  sites?: SiteInput[];
  services?: ServiceInput[];
  resources?: ResourceInput[];
  /** Outgoing webhook subscriptions (docs/webhooks.md). */
  webhooks?: ConfiguredWebhook[];
  /** Notification templates per service (docs/notifications.md). */
  notifications?: ConfiguredNotifications[];
  /** Video-call applications, with their ids (docs/video-call.md). */
  applications?: ConfiguredApplication[];
}

export const DEFAULT_RULES: BookingRules = { minNoticeMin: 60, horizonDays: 60, holdTtlSec: 600 };
