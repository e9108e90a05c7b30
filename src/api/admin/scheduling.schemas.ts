import { Type } from '@sinclair/typebox';
import { DEFAULT_HISTORY_PAGE, MAX_HISTORY_PAGE } from '../../core/limits.ts';
import { DateIn, DateTime } from './admin.schemas.ts';
const Id = Type.String({ minLength: 1, maxLength: 64 });

export const SlotQuery = Type.Object({
  serviceIds: Type.String({ minLength: 1, description: 'comma-separated, in booking order' }),
  siteId: Type.Optional(Id),
  postalCode: Type.Optional(Type.String({ maxLength: 20 })),
  addressId: Type.Optional(Type.String({ maxLength: 64 })),
  from: DateIn,
  to: DateIn,
  resourceId: Type.Optional(Id),
});
export const SlotList = Type.Object(
  {
    siteId: Type.String(),
    timeZone: Type.String(),
    slots: Type.Array(
      Type.Object({
        start: DateTime,
        end: DateTime,
        capacity: Type.Integer(),
        free: Type.Integer(),
        occupied: Type.Integer(),
      }),
    ),
  },
  { $id: 'SlotList' },
);

export const HoldCreate = Type.Object(
  {
    serviceIds: Type.Array(Id, { minItems: 1, maxItems: 10 }),
    siteId: Type.Optional(Id),
    postalCode: Type.Optional(Type.String({ maxLength: 20 })),
    addressId: Type.Optional(Type.String({ maxLength: 64 })),
    start: DateIn,
    end: Type.Optional(DateIn),
    resourceId: Type.Optional(Id),
    ttlSec: Type.Optional(Type.Integer({ minimum: 10, maximum: 86400 })),
    forAppointmentId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        description:
          'The appointment the hold is taken to move: only its reschedule may use the hold (unknown → 404, ' +
          'an appointment that can no longer move → 400)',
      }),
    ),
  },
  { $id: 'HoldCreate', additionalProperties: false },
);
export const HoldExtend = Type.Object(
  { ttlSec: Type.Integer({ minimum: 10, maximum: 86400 }) },
  { $id: 'HoldExtend', additionalProperties: false },
);
export const Hold = Type.Object(
  {
    id: Type.String(),
    serviceIds: Type.Array(Type.String()),
    siteId: Type.String(),
    resourceId: Type.String(),
    start: DateTime,
    end: DateTime,
    expiresAt: DateTime,
    status: Type.String(),
    appointmentId: Type.Union([Type.String(), Type.Null()]),
    forAppointmentId: Type.Union([Type.String(), Type.Null()], {
      description: 'The appointment the hold was taken to move: only its reschedule may use the hold',
    }),
  },
  { $id: 'Hold' },
);
export const HoldParams = Type.Object({ tenantId: Type.String(), holdId: Id });

export const AppointmentParams = Type.Object({
  tenantId: Type.String(),
  appointmentId: Type.String({ minLength: 1, maxLength: 128 }),
});
export const HistoryQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_HISTORY_PAGE, default: DEFAULT_HISTORY_PAGE })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })),
});
export const AppointmentQuery = Type.Object({
  status: Type.Optional(Type.String({ description: 'comma-separated statuses' })),
  from: Type.Optional(DateIn),
  to: Type.Optional(DateIn),
  resourceId: Type.Optional(Id),
  externalRef: Type.Optional(Type.String({ maxLength: 128 })),
  siteId: Type.Optional(Id),
  serviceId: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
  sort: Type.Optional(Type.Union([Type.Literal('start'), Type.Literal('createdAt'), Type.Literal('updatedAt')])),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
});
const appointmentFields = {
  id: Type.String(),
  serviceIds: Type.Array(Type.String()),
  siteId: Type.Union([Type.String(), Type.Null()]),
  resourceId: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  start: Type.Union([DateTime, Type.Null()]),
  end: Type.Union([DateTime, Type.Null()]),
  customerId: Type.Union([Type.String(), Type.Null()]),
  externalRef: Type.Union([Type.String(), Type.Null()]),
  cancelReason: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
};
/** An appointment as the core holds it, whichever API created it. */
export const Appointment = Type.Object(appointmentFields, { $id: 'ScheduledAppointment' });
export const AppointmentEvent = Type.Object(
  {
    seq: Type.Integer(),
    type: Type.String(),
    actor: Type.String(),
    at: DateTime,
    // The same fields, inline: a schema with an $id may appear only once in a response schema.
    previous: Type.Union([Type.Object(appointmentFields), Type.Null()]),
    current: Appointment,
  },
  { $id: 'AppointmentEvent' },
);
