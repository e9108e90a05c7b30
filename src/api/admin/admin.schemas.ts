import { Type, type TSchema } from '@sinclair/typebox';
import { CREDENTIAL_ROLES } from '../../core/access/access.ts';
import { MAX_RISK_NOTICE_HOURS } from '../../core/catalog/catalog.types.ts';
import { ConfiguredApplication } from './applications.schemas.ts';
import { ConfiguredNotifications } from './notifications.schemas.ts';
import { ConfiguredWebhook } from './webhooks.schemas.ts';

/** Request and response schemas of the admin API (our own design). Responses also stop fields from leaking. */
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*$' });
const HHmm = Type.String({ pattern: '^(?:[01]\\d|2[0-3]):[0-5]\\d$|^24:00$', description: 'local wall time HH:mm' });
const LocalRange = Type.Object({ start: HHmm, end: HHmm }, { additionalProperties: false });
/** RFC 3339 on the wire (format date-time, checked by http/schema-types.ts); the mappers give the core Dates. */
export const DateIn = Type.String({ format: 'date-time', examples: ['2030-08-18T13:00:00Z'] });
/** What the core returns (Date), written by the serializer as an RFC 3339 string. */
export const DateTime = Type.Unsafe<string | Date>({ type: 'string', format: 'date-time' });

export const TenantParams = Type.Object({ tenantId: Type.String({ minLength: 1, maxLength: 63 }) });
export const Paging = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })),
});
export const pageOf = (item: TSchema) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });

export const ErrorBody = Type.Object(
  {
    code: Type.String({
      description:
        'NOT_FOUND, INVALID_INPUT, CONFLICT, SLOT_UNAVAILABLE, NOT_ALLOWED, UNAUTHENTICATED, RATE_LIMITED, ' +
        'UNAVAILABLE, PAYLOAD_TOO_LARGE',
    }),
    message: Type.String(),
    details: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
  },
  { $id: 'AdminError' },
);

const RiskNotice = Type.Object(
  {
    scorings: Type.Array(Type.String({ minLength: 1, maxLength: 32 }), {
      minItems: 1,
      maxItems: 20,
      description: 'Fraud-risk scorings (case-insensitive), e.g. ["RISK", "R"]',
    }),
    hours: Type.Integer({
      minimum: 1,
      maximum: MAX_RISK_NOTICE_HOURS,
      description: 'Notice such a customer needs, in hours',
    }),
  },
  { additionalProperties: false },
);
const tenantSettingsFields = {
  riskNotice: Type.Union([RiskNotice, Type.Null()], {
    description:
      'Customers with one of these scorings can only be booked this many hours ahead (field-service scoringResult). ' +
      'null or absent: no such rule (the default).',
  }),
  defaultPhoneCountry: Type.Union([Type.String({ pattern: '^[A-Z]{2}$' }), Type.Null()], {
    description:
      'ISO 3166 country in which customer phone numbers without a country prefix are read (e.g. ES): such ' +
      'numbers are then checked at booking (400 when not valid there). null or absent: read in the site’s ' +
      'country when an SMS is sent (the default).',
  }),
};
/** What a tenant sets; a field left out keeps its value. */
export const TenantSettingsInput = Type.Object(
  {
    riskNotice: Type.Optional(tenantSettingsFields.riskNotice),
    defaultPhoneCountry: Type.Optional(tenantSettingsFields.defaultPhoneCountry),
  },
  {
    $id: 'TenantSettingsInput',
    additionalProperties: false,
    description: 'The tenant’s own booking rules; each is off unless set here',
  },
);
export const TenantCreate = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    settings: Type.Optional(TenantSettingsInput),
  },
  { $id: 'TenantCreate', additionalProperties: false },
);
export const TenantPatch = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), settings: Type.Optional(TenantSettingsInput) },
  { $id: 'TenantPatch', additionalProperties: false },
);
export const Tenant = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    settings: Type.Object(tenantSettingsFields),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'Tenant' },
);

const Address = Type.Object(
  {
    line1: Type.Optional(Type.String({ maxLength: 300 })),
    city: Type.Optional(Type.String({ maxLength: 100 })),
    postalCode: Type.Optional(Type.String({ maxLength: 20 })),
    region: Type.Optional(Type.String({ maxLength: 100 })),
    country: Type.Optional(Type.String({ maxLength: 2, minLength: 2 })),
  },
  { additionalProperties: false },
);
const Geo = Type.Object(
  { lat: Type.Number({ minimum: -90, maximum: 90 }), lon: Type.Number({ minimum: -180, maximum: 180 }) },
  { additionalProperties: false },
);
const ServiceArea = Type.Object(
  {
    postalCodes: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 10000 }),
    addressPrefixes: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 10000 }),
  },
  { additionalProperties: false },
);
const siteFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Madrid' }),
  address: Type.Optional(Type.Union([Address, Type.Null()])),
  geo: Type.Optional(Type.Union([Geo, Type.Null()])),
  serviceArea: Type.Optional(Type.Union([ServiceArea, Type.Null()])),
};
export const SiteCreate = Type.Object({ id: Id, ...siteFields }, { $id: 'SiteCreate', additionalProperties: false });
export const SitePatch = Type.Partial(Type.Object(siteFields, { additionalProperties: false }), { $id: 'SitePatch' });
export const Site = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    timeZone: Type.String(),
    address: Type.Union([Address, Type.Null()]),
    geo: Type.Union([Geo, Type.Null()]),
    serviceArea: Type.Union([ServiceArea, Type.Null()]),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'Site' },
);

const SlotPolicy = Type.Union([
  Type.Object(
    { kind: Type.Literal('windows'), windows: Type.Array(LocalRange, { minItems: 1, maxItems: 48 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('grid'), stepMin: Type.Integer({ minimum: 5, maximum: 1440 }) },
    { additionalProperties: false },
  ),
]);
const Rules = Type.Object(
  {
    minNoticeMin: Type.Integer({ minimum: 0, maximum: 525600 }),
    horizonDays: Type.Integer({ minimum: 1, maximum: 730 }),
    holdTtlSec: Type.Integer({ minimum: 10, maximum: 86400 }),
  },
  { additionalProperties: false },
);
const serviceFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  names: Type.Optional(
    Type.Record(Type.String({ pattern: '^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$' }), Type.String({ maxLength: 200 })),
  ),
  durationMin: Type.Integer({ minimum: 1, maximum: 1440 }),
  bufferBeforeMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 720 })),
  bufferAfterMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 720 })),
  seats: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 1000,
      description: 'customers one resource takes in the same slot; 1 = exclusive',
    }),
  ),
  maxNumberOfReservations: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1, maximum: 1000 }), Type.Null()], {
      description: 'the most people one booking may bring (numberOfReservations); null or omitted: no limit',
    }),
  ),
  rules: Type.Optional(Type.Partial(Rules)),
  slotPolicy: SlotPolicy,
};
export const ServiceCreate = Type.Object(
  { id: Id, ...serviceFields },
  { $id: 'ServiceCreate', additionalProperties: false },
);
export const ServicePatch = Type.Partial(Type.Object(serviceFields, { additionalProperties: false }), {
  $id: 'ServicePatch',
});
export const Service = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    names: Type.Record(Type.String(), Type.String()),
    durationMin: Type.Integer(),
    bufferBeforeMin: Type.Integer(),
    bufferAfterMin: Type.Integer(),
    seats: Type.Integer(),
    maxNumberOfReservations: Type.Union([Type.Integer(), Type.Null()]),
    rules: Rules,
    slotPolicy: SlotPolicy,
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'Service' },
);

const Day = Type.Optional(Type.Array(LocalRange, { maxItems: 24 }));
export const WorkingHours = Type.Object(
  {
    weekly: Type.Object(
      { mon: Day, tue: Day, wed: Day, thu: Day, fri: Day, sat: Day, sun: Day },
      { additionalProperties: false, description: 'local working ranges by weekday' },
    ),
    exceptions: Type.Optional(
      Type.Record(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), Type.Array(LocalRange, { maxItems: 24 })),
    ),
  },
  { $id: 'WorkingHours', additionalProperties: false },
);
export const TimeOff = Type.Object(
  {
    id: Type.Optional(Id),
    start: DateIn,
    end: DateIn,
    reason: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  },
  { $id: 'TimeOff', additionalProperties: false },
);
const resourceFields = {
  kind: Type.Union([Type.Literal('technician'), Type.Literal('agent'), Type.Literal('employee'), Type.Literal('room')]),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  serviceIds: Type.Array(Id, { maxItems: 500 }),
  siteIds: Type.Array(Id, { maxItems: 500 }),
  workingHours: WorkingHours,
  timeOff: Type.Optional(Type.Array(TimeOff, { maxItems: 1000 })),
  active: Type.Optional(Type.Boolean()),
};
export const ResourceCreate = Type.Object(
  { id: Id, ...resourceFields },
  { $id: 'ResourceCreate', additionalProperties: false },
);
export const ResourcePatch = Type.Partial(Type.Object(resourceFields, { additionalProperties: false }), {
  $id: 'ResourcePatch',
});
export const Schedule = Type.Object(
  { workingHours: WorkingHours, timeOff: Type.Array(TimeOff, { maxItems: 1000 }) },
  { $id: 'Schedule', additionalProperties: false },
);
const TimeOffView = Type.Object({
  id: Type.String(),
  start: DateTime,
  end: DateTime,
  reason: Type.Union([Type.String(), Type.Null()]),
});
export const ScheduleView = Type.Object(
  { workingHours: WorkingHours, timeOff: Type.Array(TimeOffView) },
  { $id: 'ScheduleView' },
);
export const Resource = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    name: Type.String(),
    serviceIds: Type.Array(Type.String()),
    siteIds: Type.Array(Type.String()),
    workingHours: WorkingHours,
    timeOff: Type.Array(TimeOffView),
    active: Type.Boolean(),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'Resource' },
);

export const ApiKeyCreate = Type.Object(
  {
    label: Type.Optional(Type.String({ maxLength: 200 })),
    roles: Type.Optional(
      Type.Array(Type.Union(CREDENTIAL_ROLES.map((r) => Type.Literal(r))), {
        minItems: 1,
      }),
    ),
  },
  { $id: 'ApiKeyCreate', additionalProperties: false },
);
export const ApiKey = Type.Object(
  {
    keyId: Type.String(),
    label: Type.Union([Type.String(), Type.Null()]),
    roles: Type.Array(Type.String()),
    createdAt: DateTime,
    revokedAt: Type.Union([DateTime, Type.Null()]),
  },
  { $id: 'ApiKey' },
);
export const ApiKeyCreated = Type.Object(
  { key: Type.String({ description: 'shown once; only its hash is kept' }), apiKey: ApiKey },
  { $id: 'ApiKeyCreated' },
);

export const Configuration = Type.Object(
  {
    tenant: TenantCreate,
    sites: Type.Optional(Type.Array(SiteCreate, { maxItems: 10000 })),
    services: Type.Optional(Type.Array(ServiceCreate, { maxItems: 10000 })),
    resources: Type.Optional(Type.Array(ResourceCreate, { maxItems: 10000 })),
    webhooks: Type.Optional(Type.Array(ConfiguredWebhook, { maxItems: 50 })),
    /** Notification templates per service (docs/notifications.md). */
    notifications: Type.Optional(Type.Array(ConfiguredNotifications, { maxItems: 10000 })),
    /** Video-call applications, with their ids (docs/video-call.md). */
    applications: Type.Optional(Type.Array(ConfiguredApplication, { maxItems: 50 })),
  },
  { $id: 'Configuration', additionalProperties: false },
);
export const ConfigurationApplied = Type.Object(
  { tenant: Tenant, newApiKey: Type.Union([Type.String(), Type.Null()]) },
  { $id: 'ConfigurationApplied' },
);
