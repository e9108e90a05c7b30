/**
 * TypeBox schemas of the video-call API (seed 002), named as the document names them. Objects the
 * client owns (metadata, interaction, customFields) are kept verbatim; the rest is closed.
 */
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../http/schema-types.ts';
import { EXAMPLES } from './video-call.examples.ts';

const open = { additionalProperties: true } as const;
const closed = { additionalProperties: false } as const;

const DateTime = (description: string) =>
  Type.String({ format: 'date-time', description, examples: ['2030-01-31T19:00:00.000Z'] });
const Duration = (description: string) => Type.String({ maxLength: 40, description, examples: ['PT5M'] });
/** Ids travel in URLs and bodies: UUIDs mostly, but an agent's id is its resource id. */
const Id = (description: string) => Type.String({ minLength: 1, maxLength: 64, pattern: '^[^/?#\\s]+$', description });
const Text = (max: number, description: string) => Type.String({ maxLength: max, description });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const IdParams = Type.Object({ id: Id('Unique appointment identifier') });
export type IdParams = Static<typeof IdParams>;
export const ParticipantParams = Type.Object({
  id: Id('Unique appointment identifier'),
  pid: Id('Unique participant identifier'),
});
export type ParticipantParams = Static<typeof ParticipantParams>;

export const Metadata = Type.Record(Type.String({ maxLength: 200 }), Type.Unknown(), {
  description: 'Free-form data of the client, kept verbatim',
});

export const Interaction = Type.Object(
  {
    customFields: Type.Optional(Type.Record(Type.String({ maxLength: 200 }), Type.Unknown())),
    routing: Type.Optional(
      Type.Object(
        {
          properties: Type.Optional(Type.Record(Type.String({ maxLength: 200 }), Type.Unknown())),
          type: Type.Optional(Type.String({ maxLength: 100 })),
        },
        open,
      ),
    ),
    state: Type.Optional(Type.String({ maxLength: 40, description: 'PENDING until the call is ended (ENDED)' })),
  },
  { ...open, $id: 'Interaction', description: 'The contact-centre interaction of the call, kept verbatim' },
);

export const Notification = Type.Object(
  {
    channel: StringEnum(['EMAIL', 'SMS'] as const),
    type: StringEnum(['CREATE', 'RESCHEDULE', 'CANCEL', 'REMINDER', 'ROOM'] as const),
    period: Type.Optional(Type.String({ description: 'ISO 8601 before the start (REMINDER, ROOM)' })),
    subject: Type.Optional(Type.String()),
    textBody: Type.String(),
    htmlBody: Type.Optional(Type.String()),
    locale: Type.Optional(Type.String()),
  },
  { $id: 'NotificationTemplate', description: 'A template of the appointment’s snapshot' },
);

const Participant = Type.Object(
  { id: Type.String(), type: StringEnum(['AGENT', 'CUSTOMER'] as const) },
  { description: 'A participant: an agent (its resource id) or a customer' },
);

export const GetAppointmentResponse = Type.Object(
  {
    applicationId: Type.String(),
    duration: Duration('Scheduled duration'),
    end: DateTime('Scheduled end in UTC'),
    id: Type.String(),
    interaction: Type.Union([Interaction, Type.Null()]),
    locale: Type.Union([Type.String(), Type.Null()]),
    metadata: Type.Union([Metadata, Type.Null()]),
    notes: Type.Union([Type.String(), Type.Null()]),
    notifications: Type.Array(Notification),
    notificationsActive: Type.Boolean(),
    organizer: Participant,
    participantIds: Type.Array(Participant),
    start: DateTime('Scheduled start in UTC'),
    timezone: Type.Union([Type.String(), Type.Null()]),
    title: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'GetAppointmentResponse', examples: [EXAMPLES.appointmentResponse] },
);
export type GetAppointmentResponse = Static<typeof GetAppointmentResponse>;

export const SORT_FIELDS = ['start', 'end', 'duration', 'id'] as const;
export const FindAllQuery = Type.Object(
  {
    organizerId: Type.Optional(
      Text(2000, 'Organizer ids, comma-separated (honoured for SUPERVISOR only; ignored otherwise)'),
    ),
    duration: Type.Optional(Text(500, 'Durations, comma-separated ISO 8601 (PT5M,PT10M)')),
    range: Type.Optional(Text(100, 'Start and end in UTC, comma-separated: appointments lying wholly inside')),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 25 })),
    pageNumber: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1, description: 'From 1' })),
    sortOrder: Type.Optional(StringEnum(['asc', 'desc'] as const)),
    sortField: Type.Optional(StringEnum(SORT_FIELDS)),
  },
  closed,
);
export type FindAllQuery = Static<typeof FindAllQuery>;

export const FindAppointmentsResponsePaged = Type.Object(
  {
    content: Type.Array(GetAppointmentResponse),
    pageCount: Type.Integer(),
    pageNumber: Type.Integer(),
    pageSize: Type.Integer(),
    sortField: Type.String(),
    sortOrder: Type.String(),
    total: Type.Integer(),
  },
  { $id: 'FindAppointmentsResponsePaged', examples: [EXAMPLES.findAllResponse] },
);

export const UpdateAppointmentRequest = Type.Object(
  {
    id: Id('The appointment'),
    interaction: Type.Optional(Type.Union([Interaction, Type.Null()])),
    metadata: Type.Optional(Type.Union([Metadata, Type.Null()])),
    notes: Type.Optional(Nullable(Text(4000, 'Notes; absent or empty clears them'))),
    title: Type.Optional(Nullable(Text(200, 'Title; absent or empty clears it'))),
  },
  { ...closed, $id: 'UpdateAppointmentRequest', examples: [EXAMPLES.updateRequest] },
);
export type UpdateAppointmentRequest = Static<typeof UpdateAppointmentRequest>;

export const RescheduleAppointmentRequest = Type.Object(
  {
    duration: Type.Optional(Duration('The service’s duration (the only one offered); absent: unchanged')),
    id: Id('The appointment'),
    locale: Type.Optional(Nullable(Text(35, 'Locale of the customer; absent: unchanged'))),
    start: DateTime('New start in UTC, on the service’s grid'),
    timezone: Type.Optional(Nullable(Text(64, 'IANA zone of the customer; absent: unchanged'))),
  },
  { ...closed, $id: 'RescheduleAppointmentRequest', examples: [EXAMPLES.rescheduleRequest] },
);
export type RescheduleAppointmentRequest = Static<typeof RescheduleAppointmentRequest>;

export const AddParticipantAgentRequest = Type.Object(
  { id: Id('The appointment'), userId: Id('The agent (its resource id)') },
  { ...closed, $id: 'AddParticipantAgentRequest', examples: [EXAMPLES.addAgentRequest] },
);
export type AddParticipantAgentRequest = Static<typeof AddParticipantAgentRequest>;

export const Customer = Type.Object(
  {
    contact: Type.Optional(
      Type.Object(
        {
          primaryEmail: Type.Optional(Text(254, 'E-mail address')),
          primaryPhone: Type.Optional(Text(40, 'Phone number')),
        },
        closed,
      ),
    ),
    metadata: Type.Optional(Metadata),
    name: Type.Optional(
      Type.Object(
        { firstName: Type.Optional(Text(100, 'First name')), lastName: Type.Optional(Text(100, 'Last name')) },
        closed,
      ),
    ),
    username: Type.Optional(Text(254, 'The customer’s user name')),
  },
  { ...closed, $id: 'Customer' },
);
export type Customer = Static<typeof Customer>;

export const AddParticipantCustomerRequest = Type.Object(
  { customer: Customer, id: Id('The appointment') },
  { ...closed, $id: 'AddParticipantCustomerRequest', examples: [EXAMPLES.addCustomerRequest] },
);
export type AddParticipantCustomerRequest = Static<typeof AddParticipantCustomerRequest>;

export const GetParticipantDetailsResponse = Type.Object(
  {
    contact: Type.Optional(
      Type.Object({ primaryEmail: Type.Optional(Type.String()), primaryPhone: Type.Optional(Type.String()) }),
    ),
    id: Type.String(),
    metadata: Type.Optional(Metadata),
    name: Type.Optional(
      Type.Object({ firstName: Type.Optional(Type.String()), lastName: Type.Optional(Type.String()) }),
    ),
    type: StringEnum(['AGENT', 'CUSTOMER'] as const),
    username: Type.Optional(Type.String()),
  },
  { $id: 'GetParticipantDetailsResponse', examples: [EXAMPLES.participantResponse] },
);
export type GetParticipantDetailsResponse = Static<typeof GetParticipantDetailsResponse>;

export const AppointmentActivationResponse = Type.Object(
  {
    expires: DateTime('Until when the ticket works: the appointment’s end'),
    type: Type.Literal('MULTI_USE_TICKET'),
    url: Type.String({ description: 'The application’s videoBaseUrl followed by the ticket' }),
  },
  { $id: 'AppointmentActivationResponse', examples: [EXAMPLES.activationResponse] },
);

export const EligibleQuery = Type.Object(
  { timeFrame: Type.Optional(Duration('Eligible from start − timeFrame; absent: the application’s lead time')) },
  closed,
);
export const FindAppointmentsEligibleResponse = Type.Array(
  Type.Object({
    eligibleFrom: DateTime('From when activation is allowed'),
    id: Type.String(),
    start: DateTime('Scheduled start in UTC'),
    timezone: Type.Union([Type.String(), Type.Null()]),
  }),
  { $id: 'FindAppointmentsEligibleResponse', examples: [EXAMPLES.eligibleResponse] },
);

const ApplicationId = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'Unique application identifier',
  examples: ['bf8215e5-a39e-490a-a0e2-07df6a3d8c1f'],
});
export const CountQuery = Type.Object(
  {
    applicationId: ApplicationId,
    start: DateTime('Start of the period, in UTC'),
    timeFrame: Duration('Length of the period (at most 366 days)'),
  },
  closed,
);
export type CountQuery = Static<typeof CountQuery>;
export const AppointmentCountResponse = Type.Array(
  Type.Object({
    count: Type.Integer({ description: 'Number of appointments with this schedule' }),
    duration: Duration('Scheduled duration'),
    end: DateTime('Scheduled end in UTC'),
    start: DateTime('Scheduled start in UTC'),
    timezone: Type.Union([Type.String(), Type.Null()]),
  }),
  { $id: 'AppointmentCountResponse', examples: [EXAMPLES.countResponse] },
);
export const OverlapQuery = Type.Object(
  { applicationId: ApplicationId, start: DateTime('Start in UTC'), duration: Duration('Length of the period') },
  closed,
);
export type OverlapQuery = Static<typeof OverlapQuery>;
export const AppointmentOverlapResponse = Type.Object(
  { count: Type.Integer() },
  { $id: 'AppointmentOverlapResponse', examples: [EXAMPLES.overlapResponse] },
);

export const ServiceConfirmationRequest = Type.Object(
  { applicationId: ApplicationId, code: Type.String({ pattern: '^[0-9]{6}$', description: 'The 6-digit code' }) },
  { ...closed, $id: 'ServiceConfirmationRequest', examples: [EXAMPLES.confirmRequest] },
);
export type ServiceConfirmationRequest = Static<typeof ServiceConfirmationRequest>;

export const EmailNotificationRequest = Type.Object(
  {
    applicationId: ApplicationId,
    channel: StringEnum(['EMAIL', 'SMS'] as const),
    type: StringEnum(['CREATE', 'RESCHEDULE', 'CANCEL', 'REMINDER', 'ROOM'] as const),
    period: Type.Optional(Type.String({ maxLength: 40 })),
    subject: Type.Optional(Type.String({ maxLength: 200 })),
    textBody: Type.String({ maxLength: 4000 }),
    htmlBody: Type.Optional(Type.String({ maxLength: 100_000 })),
    locale: Type.Optional(Type.String({ maxLength: 35 })),
    timezone: Type.Optional(Type.String({ maxLength: 64 })),
    toEmail: Type.String({ maxLength: 254, description: 'Where the test message goes' }),
  },
  { ...closed, $id: 'EmailNotificationRequest', examples: [EXAMPLES.testEmailRequest] },
);
export type EmailNotificationRequest = Static<typeof EmailNotificationRequest>;

export const OtpRequest = Type.Object(
  {
    applicationId: ApplicationId,
    email: Type.Optional(Text(254, 'Send the code to this address')),
    phone: Type.Optional(Text(40, 'Or by SMS to this number')),
  },
  { ...closed, $id: 'OtpRequest', examples: [EXAMPLES.otpRequest] },
);
export type OtpRequest = Static<typeof OtpRequest>;

export const ScheduleAppointmentRequest = Type.Object(
  {
    applicationId: ApplicationId,
    start: DateTime('Start in UTC, on the service’s grid'),
    duration: Type.Optional(Duration('The service’s duration (the only one offered); absent: that one')),
    timezone: Type.Optional(Nullable(Text(64, 'IANA zone of the customer'))),
    locale: Type.Optional(Nullable(Text(35, 'Locale of the customer'))),
    title: Type.Optional(Nullable(Text(200, 'Title'))),
    notes: Type.Optional(Nullable(Text(4000, 'Notes'))),
    metadata: Type.Optional(Type.Union([Metadata, Type.Null()])),
    interaction: Type.Optional(Type.Union([Interaction, Type.Null()])),
    customer: Type.Optional(Customer),
  },
  { ...closed, $id: 'ScheduleAppointmentRequest', examples: [EXAMPLES.scheduleRequest] },
);
export type ScheduleAppointmentRequest = Static<typeof ScheduleAppointmentRequest>;

export const SpringError = Type.Object(
  {
    timestamp: Type.String({ format: 'date-time' }),
    status: Type.Integer(),
    error: Type.String({ description: 'The reason phrase of the status' }),
    message: Type.String(),
    path: Type.String(),
  },
  { $id: 'SpringError', description: 'Spring Boot’s default error body', examples: [EXAMPLES.notFoundResponse] },
);

/** The error answers of an operation with credentials, and of a public one. */
export const ERRORS = { 400: SpringError, 401: SpringError, 403: SpringError, 404: SpringError };
export const PUBLIC_ERRORS = { 400: SpringError, 404: SpringError };
