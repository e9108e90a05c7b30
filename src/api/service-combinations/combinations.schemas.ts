/**
 * The service-combinations API's shapes (seed 004): the appointment as the seed shows it, plus the
 * designed steps of the flow (time slots for several services, reservations, creating). Every
 * request is bounded; times are RFC 3339 with the branch's offset.
 */
import { Type, type Static } from '@sinclair/typebox';
import { MAX_NOTE_LENGTH } from '../../core/limits.ts';
import { EXAMPLES } from './combinations.examples.ts';
import { SEED_LANGUAGES } from './request-context.ts';

/** The most services one visit combines, and the most people one booking may bring (the API's own bounds). */
export const MAX_SERVICES = 10;
export const MAX_RESERVATIONS = 1000;
/** The longest period one time-slot search covers. */
export const MAX_SEARCH_DAYS = 31;

const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$';
const Id = (description: string) => Type.String({ pattern: ID_PATTERN, description });
const DateTime = (description: string) =>
  Type.String({ format: 'date-time', description, examples: ['2030-03-04T09:00:00+01:00'] });
const Uuid = (description: string) =>
  Type.String({
    pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
    description,
  });

export const Headers = Type.Object({
  'x-tenant-id': Type.String({ description: 'The tenant (an existing tenant id)', maxLength: 63 }),
  'accept-language': Type.String({
    description:
      `Language of the service names: ${SEED_LANGUAGES.join(', ')} (any case), or a standard tag or list such ` +
      'as es-ES; falls back to the default name',
    maxLength: 200,
  }),
});

/** The headers of a create that a client may retry: `what` the first request made is answered again. */
const retryableHeaders = (what: string) =>
  Type.Composite([
    Headers,
    Type.Object({
      'idempotency-key': Type.Optional(
        Type.String({
          description:
            `Makes a retry safe: the same key with the same body answers ${what} the first request made (201); ` +
            'the same key with another body → 409. 1 to 255 characters.',
        }),
      ),
    }),
  ]);
export const CreateHeaders = retryableHeaders('the appointment');
export const ReservationHeaders = retryableHeaders('the reservation (as it is now)');

export const AppointmentParams = Type.Object({
  appointmentId: Id('Appointment id (a GUID for appointments made here)'),
});
export type AppointmentParams = Static<typeof AppointmentParams>;
export const ReservationParams = Type.Object({ reservationId: Uuid('Reservation id') });
export type ReservationParams = Static<typeof ReservationParams>;

const PersonalIdentifier = Type.String({
  minLength: 1,
  maxLength: 100,
  description: 'The customer’s personal identifier; only its keyed hash is kept',
});

export const SearchBody = Type.Object(
  { customer: Type.Object({ personalIdentifier: PersonalIdentifier }, { additionalProperties: false }) },
  { $id: 'CombinationSearchRequest', additionalProperties: false, examples: [EXAMPLES.searchRequest] },
);
export type SearchBody = Static<typeof SearchBody>;
export const SearchQuery = Type.Object(
  { personalIdentifier: Type.Optional(PersonalIdentifier) },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

export const TimeSlot = Type.Object(
  { startTime: DateTime('Start, in the branch’s zone'), endTime: DateTime('End, in the branch’s zone') },
  { description: 'A time slot in the branch’s zone, with its offset' },
);

const ServiceConfig = Type.Object({
  maxNumberOfReservations: Type.Integer({
    minimum: 0,
    description: `The most people one booking may bring (${MAX_RESERVATIONS} when the service sets no limit)`,
  }),
});

export const ServiceView = Type.Object(
  { id: Type.String(), name: Type.String({ description: 'In the Accept-Language language' }), config: ServiceConfig },
  { description: 'A service, named in the Accept-Language language' },
);
export const ServiceInVisit = Type.Object(
  {
    id: Type.String(),
    name: Type.String({ description: 'In the Accept-Language language' }),
    config: ServiceConfig,
    timeSlot: TimeSlot,
  },
  { description: 'One service of the visit with its own time, in order' },
);

const Branch = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    address: Type.Object({
      streetName: Type.Union([Type.String(), Type.Null()]),
      zipCode: Type.Union([Type.String(), Type.Null()]),
      city: Type.Union([Type.String(), Type.Null()]),
      country: Type.Union([Type.String(), Type.Null()]),
    }),
    location: Type.Union([Type.Object({ longitude: Type.Number(), latitude: Type.Number() }), Type.Null()]),
  },
  { description: 'The branch (a site of the tenant)' },
);

const CustomerView = Type.Object({
  firstName: Type.Union([Type.String(), Type.Null()]),
  lastName: Type.Union([Type.String(), Type.Null()]),
  phoneNumber: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  dateOfBirth: Type.Union([Type.String(), Type.Null()]),
});

export const Appointment = Type.Object(
  {
    appointmentId: Type.String(),
    status: Type.String({
      description: 'BOOKED, IN_PROGRESS, COMPLETED, CANCELLED, NO_SHOW or REQUESTED',
      enum: ['BOOKED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'NO_SHOW', 'REQUESTED'],
    }),
    timeSlot: TimeSlot,
    customer: CustomerView,
    service: ServiceView,
    services: Type.Array(ServiceInVisit, { description: 'Every service of the visit, in order, each with its time' }),
    branch: Branch,
    numberOfReservations: Type.Integer({ minimum: 0 }),
    supportNotes: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'CombinationAppointment', examples: [EXAMPLES.appointmentResponse] },
);
export const AppointmentList = Type.Array(Appointment, { $id: 'CombinationAppointmentList' });

const ServiceIds = Type.Array(Id('Service id'), {
  minItems: 1,
  maxItems: MAX_SERVICES,
  uniqueItems: true,
  description: 'The services of the visit, in the order they are delivered',
});
const NumberOfReservations = Type.Integer({
  minimum: 1,
  maximum: MAX_RESERVATIONS,
  description: 'How many people the booking is for (default 1); at most each service’s maxNumberOfReservations',
});
const DayOrTime = Type.Union(
  [
    Type.String({ format: 'date', description: 'A day in the branch’s zone (yyyy-MM-dd)' }),
    Type.String({ format: 'date-time', description: 'An instant with its offset' }),
  ],
  { examples: ['2030-03-04'] },
);

export const TimeslotSearch = Type.Object(
  {
    branchId: Id('Branch id'),
    serviceIds: ServiceIds,
    from: DayOrTime,
    to: DayOrTime,
    numberOfReservations: Type.Optional(NumberOfReservations),
  },
  { $id: 'CombinationTimeslotSearch', additionalProperties: false },
);
export type TimeslotSearch = Static<typeof TimeslotSearch>;

export const TimeslotList = Type.Object(
  {
    branchId: Type.String(),
    services: Type.Array(ServiceView),
    timeSlots: Type.Array(
      Type.Object({
        startTime: DateTime('Start of the first service'),
        endTime: DateTime('End of the last service'),
        services: Type.Array(ServiceInVisit),
      }),
    ),
  },
  { $id: 'CombinationTimeslotList' },
);

export const ReservationCreate = Type.Object(
  {
    branchId: Id('Branch id'),
    serviceIds: ServiceIds,
    startTime: DateTime('A start offered by the time-slot search'),
    numberOfReservations: Type.Optional(NumberOfReservations),
    appointmentId: Type.Optional(
      Id('The appointment this reservation is made to move: only its reschedule may then use the reservation'),
    ),
  },
  { $id: 'CombinationReservationCreate', additionalProperties: false },
);
export type ReservationCreate = Static<typeof ReservationCreate>;

export const Reservation = Type.Object(
  {
    reservationId: Type.String({ description: 'Reservation id (a GUID)' }),
    expiresAt: DateTime('When the reservation lapses if not used'),
    branchId: Type.String(),
    timeSlot: TimeSlot,
    services: Type.Array(ServiceInVisit),
    numberOfReservations: Type.Integer({ minimum: 1 }),
    appointmentId: Type.Optional(Type.String({ description: 'The appointment the reservation is made to move' })),
  },
  { $id: 'CombinationReservation' },
);

const Name = Type.String({ minLength: 1, maxLength: 100 });
export const AppointmentCreate = Type.Object(
  {
    reservationId: Uuid('A live reservation'),
    customer: Type.Object(
      {
        firstName: Name,
        lastName: Name,
        phoneNumber: Type.Optional(Type.String({ maxLength: 40 })),
        email: Type.Optional(Type.String({ maxLength: 254 })),
        dateOfBirth: Type.Optional(Type.String({ format: 'date' })),
        personalIdentifier: Type.Optional(PersonalIdentifier),
      },
      { additionalProperties: false },
    ),
    supportNotes: Type.Optional(Type.String({ maxLength: MAX_NOTE_LENGTH })),
    numberOfReservations: Type.Optional(NumberOfReservations),
  },
  { $id: 'CombinationAppointmentCreate', additionalProperties: false },
);
export type AppointmentCreate = Static<typeof AppointmentCreate>;

export const Reschedule = Type.Object(
  { reservationId: Uuid('A live reservation made for the new time') },
  { $id: 'CombinationReschedule', additionalProperties: false, examples: [EXAMPLES.rescheduleRequest] },
);
export type Reschedule = Static<typeof Reschedule>;

export const ErrorBody = Type.Object(
  {
    status: Type.Integer({ description: 'The HTTP status' }),
    error: Type.String({ description: 'The HTTP reason phrase in upper snake case, e.g. NOT_FOUND' }),
    message: Type.String(),
    details: Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), {
      description: 'One entry per field at fault (a header, a path or body field); empty when none is',
    }),
  },
  {
    $id: 'CombinationError',
    examples: [
      {
        status: 400,
        error: 'BAD_REQUEST',
        message: 'customer.firstName is required',
        details: [{ field: 'customer.firstName', message: 'is required' }],
      },
    ],
  },
);
export const Empty = Type.Null({ description: 'No content' });
