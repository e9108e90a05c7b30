import { Type } from '@sinclair/typebox';
import { NotificationTemplate } from './notifications.schemas.ts';

/**
 * Request and response schemas of /admin/v1/tenants/{t}/applications: video-call applications (docs/video-call.md).
 * The core checks what a schema cannot (the service and site exist, the zone, the duration, the placeholders).
 */
const DateTime = Type.Unsafe<string | Date>({ type: 'string', format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const CatalogId = Type.String({ minLength: 1, maxLength: 64 });

const fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  serviceId: Type.String({ ...CatalogId, description: 'the service it books (a video call on a start-time grid)' }),
  siteId: Type.String({ ...CatalogId, description: 'the site it books at' }),
  videoBaseUrl: Type.String({
    minLength: 8,
    maxLength: 2048,
    pattern: '^https?://',
    description: 'the join-link base: an activated call’s url is this followed by its ticket',
  }),
  activationLeadTime: Type.String({
    maxLength: 40,
    description: 'ISO 8601 duration, at most P7D: how long before the start a call may be activated; default PT10M',
  }),
  locale: Nullable(Type.String({ maxLength: 35, description: 'default locale, e.g. en_US or en-GB' })),
  timezone: Nullable(Type.String({ maxLength: 64, description: 'default IANA time zone, e.g. Europe/Berlin' })),
  senderEmail: Nullable(
    Type.String({
      maxLength: 254,
      description: 'the address e-mails go out from once verified; setting it e-mails a verification code to it',
    }),
  ),
  notificationsActive: Type.Boolean({ description: 'default true' }),
  notifications: Type.Array(NotificationTemplate, {
    maxItems: 20,
    description: 'templates in the seed’s notification shape (CREATE, RESCHEDULE, CANCEL, REMINDER, ROOM)',
  }),
};
const { name, serviceId, siteId, videoBaseUrl, ...optional } = fields;

export const ApplicationCreate = Type.Object(
  {
    name,
    serviceId,
    siteId,
    videoBaseUrl,
    activationLeadTime: Type.Optional(optional.activationLeadTime),
    locale: Type.Optional(optional.locale),
    timezone: Type.Optional(optional.timezone),
    senderEmail: Type.Optional(optional.senderEmail),
    notificationsActive: Type.Optional(optional.notificationsActive),
    notifications: Type.Optional(optional.notifications),
  },
  { $id: 'ApplicationCreate', additionalProperties: false },
);

export const ApplicationPatch = Type.Partial(Type.Object(fields, { additionalProperties: false }), {
  $id: 'ApplicationPatch',
});

/** In a tenant configuration document: the document gives the id, so the docs and clients can name it. */
export const ConfiguredApplication = Type.Object(
  {
    id: Type.String({
      pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
      description: 'a UUID, unique across tenants',
    }),
    ...ApplicationCreate.properties,
  },
  { $id: 'ConfiguredApplication', additionalProperties: false },
);

export const ApplicationParams = Type.Object({
  tenantId: Type.String({ minLength: 1, maxLength: 63 }),
  id: Type.String({ minLength: 1, maxLength: 64 }),
});

export const Application = Type.Object(
  {
    id: Type.String({ description: 'a UUID, unique across tenants: the video-call API’s applicationId' }),
    name: Type.String(),
    serviceId: Type.String(),
    siteId: Type.String(),
    videoBaseUrl: Type.String(),
    activationLeadTime: Type.String(),
    locale: Nullable(Type.String()),
    timezone: Nullable(Type.String()),
    senderEmail: Nullable(Type.String()),
    notificationsActive: Type.Boolean(),
    notifications: Type.Array(NotificationTemplate),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'Application' },
);

/** A created or changed application, with what setting its sender address did. */
export const ApplicationSaved = Type.Object(
  {
    ...Application.properties,
    senderVerification: Nullable(
      Type.Union([Type.Literal('verified'), Type.Literal('code_sent'), Type.Literal('not_sent')], {
        description:
          'null: no new sender address; verified: already verified; code_sent: a code went to it (confirm with ' +
          'POST /tenants/{t}/senders/confirm); not_sent: no e-mail channel (ask again with POST /tenants/{t}/senders)',
      }),
    ),
  },
  { $id: 'ApplicationSaved' },
);
