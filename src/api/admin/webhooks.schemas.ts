import { Type } from '@sinclair/typebox';
import { SEED_EVENT_TYPES } from '../../outbound/webhooks/event-type.mapper.ts';

/**
 * Request and response schemas of /admin/v1/tenants/{t}/webhooks. Secrets appear only in the answers that create or
 * rotate them.
 */
const DateTime = Type.Unsafe<string | Date>({ type: 'string', format: 'date-time' });
const Url = Type.String({
  maxLength: 2048,
  pattern: '^https?://[^\\s]+$',
  description: 'https URL (http only with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true)',
});
const EventType = Type.Union(SEED_EVENT_TYPES.map((t) => Type.Literal(t)));
const Events = Type.Union([Type.Array(EventType, { minItems: 1, maxItems: 11, uniqueItems: true }), Type.Null()], {
  description: 'Event types to send; null or absent = all',
});
const Secret = Type.String({
  minLength: 38,
  maxLength: 200,
  pattern: '^whsec_',
  description: 'whsec_ + base64 of 24 to 128 random bytes; generated when absent',
});
const Description = Type.Union([Type.String({ maxLength: 500 }), Type.Null()]);
const Language = Type.String({
  pattern: '^[a-z]{2}$',
  description: 'language tag given to texts we hold in one language only (site names, addresses); default en',
});

export const WebhookParams = Type.Object({
  tenantId: Type.String({ minLength: 1, maxLength: 63 }),
  id: Type.String({ minLength: 1, maxLength: 64 }),
});
export const DeliveryParams = Type.Object({
  tenantId: Type.String({ minLength: 1, maxLength: 63 }),
  id: Type.String({ minLength: 1, maxLength: 64 }),
  deliveryId: Type.String({ minLength: 1, maxLength: 64 }),
});

export const WebhookCreate = Type.Object(
  {
    url: Url,
    events: Type.Optional(Events),
    secret: Type.Optional(Secret),
    description: Type.Optional(Description),
    language: Type.Optional(Language),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const WebhookPatch = Type.Object(
  {
    url: Type.Optional(Url),
    events: Type.Optional(Events),
    description: Type.Optional(Description),
    language: Type.Optional(Language),
    active: Type.Optional(Type.Boolean()),
    secret: Type.Optional(Secret),
    rotateSecret: Type.Optional(Type.Boolean({ description: 'generate a new secret (answered once)' })),
    secretOverlapSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 604_800,
        description: 'how long the replaced secret keeps signing; default 86400',
      }),
    ),
  },
  { additionalProperties: false },
);

export const Webhook = Type.Object({
  id: Type.String(),
  url: Type.String(),
  events: Type.Union([Type.Array(Type.String()), Type.Null()]),
  description: Type.Union([Type.String(), Type.Null()]),
  language: Type.String(),
  active: Type.Boolean(),
  previousSecretUntil: Type.Union([DateTime, Type.Null()]),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const WebhookWithSecret = Type.Intersect([Webhook, Type.Object({ secret: Type.Optional(Type.String()) })]);

/** A subscription as read back: with its delivery counts (retrying or failed > 0: the endpoint is failing). */
export const WebhookView = Type.Intersect([
  Webhook,
  Type.Object({
    deliveries: Type.Object({ pending: Type.Integer(), retrying: Type.Integer(), failed: Type.Integer() }),
  }),
]);

export const DeliveryQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')])),
  appointmentId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })),
});

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const Delivery = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'event, or ping' }),
  eventId: Type.String(),
  eventType: Type.String(),
  appointmentId: Nullable(Type.String()),
  seq: Nullable(Type.Integer()),
  status: Type.String({ description: 'pending, delivered or failed' }),
  attempts: Type.Integer(),
  lastResponseStatus: Nullable(Type.Integer()),
  lastResponseBody: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  nextAttemptAt: Nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
  deliveredAt: Nullable(DateTime),
});

export const Replay = Type.Object(
  { from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }) },
  { additionalProperties: false },
);
export const ReplayQueued = Type.Object({ queued: Type.Integer() });

/**
 * A subscription in a tenant configuration document (PUT /admin/v1/configuration, CONFIG_FILE): its id and secret come
 * from the document.
 */
export const ConfiguredWebhook = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*$' }),
    url: Url,
    secret: Secret,
    events: Type.Optional(Events),
    description: Type.Optional(Description),
    language: Type.Optional(Language),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
