import { Type } from '@sinclair/typebox';

const DateTime = Type.Unsafe<string | Date>({ type: 'string', format: 'date-time' });

/** Notification templates in the video-call seed's shape; the core checks periods, placeholders and bounds. */
export const NotificationTemplate = Type.Object(
  {
    channel: Type.Union([Type.Literal('EMAIL'), Type.Literal('SMS')]),
    type: Type.Union([
      Type.Literal('CREATE'),
      Type.Literal('RESCHEDULE'),
      Type.Literal('CANCEL'),
      Type.Literal('REMINDER'),
      Type.Literal('ROOM'),
    ]),
    period: Type.Optional(
      Type.String({
        maxLength: 40,
        description: 'ISO 8601 duration before the start (REMINDER, ROOM), e.g. P1D, PT5M, PT90S',
      }),
    ),
    subject: Type.Optional(Type.String({ maxLength: 200 })),
    textBody: Type.String({ minLength: 1, maxLength: 4000 }),
    htmlBody: Type.Optional(Type.String({ maxLength: 100_000 })),
    locale: Type.Optional(Type.String({ maxLength: 35 })),
  },
  { $id: 'NotificationTemplate', additionalProperties: false },
);

export const NotificationSettings = Type.Object(
  {
    active: Type.Boolean(),
    senderEmail: Type.Optional(Type.Union([Type.String({ maxLength: 254 }), Type.Null()])),
    templates: Type.Array(NotificationTemplate, { maxItems: 20 }),
  },
  { $id: 'NotificationSettings', additionalProperties: false },
);

/** A service's templates in a tenant configuration document. */
export const ConfiguredNotifications = Type.Object(
  { serviceId: Type.String({ minLength: 1, maxLength: 64 }), ...NotificationSettings.properties },
  { $id: 'ConfiguredNotifications', additionalProperties: false },
);

export const NotificationSettingsView = Type.Object(
  {
    active: Type.Boolean(),
    senderEmail: Type.Union([Type.String(), Type.Null()]),
    templates: Type.Array(NotificationTemplate),
  },
  { $id: 'NotificationSettingsView' },
);

const PlaceholderValues = Type.Object(
  {
    roomLink: Type.Optional(
      Type.String({ maxLength: 2000, description: 'What {{roomLink}} renders: the join link, an http(s) URL' }),
    ),
  },
  { additionalProperties: false, description: 'Values the booking API gave the appointment’s placeholders' },
);

/** An appointment's own notifications: the templates it took, its switch and its placeholder values. */
export const AppointmentNotificationsView = Type.Object(
  { ...NotificationSettingsView.properties, values: PlaceholderValues },
  { $id: 'AppointmentNotificationsView' },
);

export const AppointmentNotificationsPatch = Type.Object(
  {
    active: Type.Optional(Type.Boolean({ description: 'The appointment’s switch: false sends nothing more' })),
    senderEmail: Type.Optional(Type.Union([Type.String({ maxLength: 254 }), Type.Null()])),
    templates: Type.Optional(Type.Array(NotificationTemplate, { maxItems: 20 })),
    values: Type.Optional(PlaceholderValues),
  },
  { $id: 'AppointmentNotificationsPatch', additionalProperties: false, minProperties: 1 },
);

export const ServiceParams = Type.Object({
  tenantId: Type.String({ minLength: 1, maxLength: 63 }),
  serviceId: Type.String({ minLength: 1, maxLength: 64 }),
});
export const AppointmentParams = Type.Object({
  tenantId: Type.String({ minLength: 1, maxLength: 63 }),
  id: Type.String({ minLength: 1, maxLength: 128 }),
});

export const NotificationMessage = Type.Object(
  {
    id: Type.String(),
    channel: Type.String(),
    type: Type.String(),
    recipient: Type.Union([Type.String({ description: 'masked' }), Type.Null()]),
    scheduledAt: DateTime,
    status: Type.String({ description: 'scheduled, sent, not_sent, skipped, failed, withdrawn' }),
    attempts: Type.Integer(),
    lastError: Type.Union([Type.String(), Type.Null()]),
    sentAt: Type.Union([DateTime, Type.Null()]),
    createdAt: DateTime,
  },
  { $id: 'NotificationMessage' },
);
export const NotificationMessages = Type.Object(
  { items: Type.Array(NotificationMessage) },
  { $id: 'NotificationMessages' },
);

export const TestSend = Type.Object(
  {
    template: NotificationTemplate,
    toEmail: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
    toPhone: Type.Optional(Type.String({ minLength: 3, maxLength: 32 })),
    appointmentId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  },
  { $id: 'NotificationTestSend', additionalProperties: false },
);

export const SenderRequest = Type.Object(
  { email: Type.String({ minLength: 3, maxLength: 254 }) },
  { $id: 'SenderRequest', additionalProperties: false },
);
export const SenderConfirm = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    code: Type.String({ pattern: '^[0-9]{6}$', description: 'the 6-digit code e-mailed to the address' }),
  },
  { $id: 'SenderConfirm', additionalProperties: false },
);

export const CalendarLinks = Type.Object(
  {
    ics: Type.String({ description: 'path of the public iCalendar document (no credentials needed)' }),
    google: Type.String({ description: 'Google Calendar "add event" link' }),
  },
  { $id: 'CalendarLinks' },
);
