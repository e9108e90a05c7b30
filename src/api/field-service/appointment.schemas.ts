/** Request and response schemas of the Appointments API (TMF646 style, seed 001). */
import { Type, type Static } from '@sinclair/typebox';
import { EXAMPLES } from './field-service.examples.ts';
import {
  ContactMedium,
  DateTime,
  ID_PATTERN,
  Notes,
  Optional,
  RangePeriod,
  RelatedEntity,
  RelatedParty,
  RelatedPlace,
  ResourceOrderItem,
  StringEnum,
  TimeSlot,
} from './common.schemas.ts';
import { TMF_STATUS_INPUTS } from './status.mapper.ts';

const open = { additionalProperties: true } as const;

const appointmentFields = {
  category: Optional(
    Type.String({ minLength: 1, description: 'Business category; selects the service (default "installation")' }),
  ),
  contactMedium: Optional(Type.Array(ContactMedium)),
  description: Optional(Type.String()),
  externalId: Optional(Type.String({ description: 'The CRM work order (prefix Y, MYSIM_, WD_, PP…); searchable' })),
  note: Optional(Notes()),
  relatedEntity: Optional(Type.Array(RelatedEntity)),
  relatedParty: Optional(Type.Array(RelatedParty)),
  relatedPlace: Optional(RelatedPlace),
  resourceOrderItem: Optional(Type.Array(ResourceOrderItem)),
  status: Optional(StringEnum(TMF_STATUS_INPUTS, 'Life cycle state')),
};

export const AppointmentCreate = Type.Object(
  {
    id: Optional(Type.String({ pattern: ID_PATTERN, description: 'Client-chosen id (409 when it exists)' })),
    ...appointmentFields,
    validFor: RangePeriod,
  },
  {
    $id: 'AppointmentCreate',
    examples: [EXAMPLES.tmfCreateRequest],
    ...open,
    description: 'Request to create appointment in FSM',
  },
);
export type AppointmentCreate = Static<typeof AppointmentCreate>;

export const AppointmentPatch = Type.Object(
  {
    id: Optional(Type.String({ minLength: 1, description: 'Ignored: the path names the appointment' })),
    ...appointmentFields,
    validFor: Optional(RangePeriod),
  },
  {
    $id: 'AppointmentUpdate',
    examples: [EXAMPLES.tmfPatchRequest],
    ...open,
    description: 'Request to update appointment in FSM (partial)',
  },
);
export type AppointmentPatch = Static<typeof AppointmentPatch>;

const StringParty = Type.Object(
  { id: Type.String(), role: Optional(Type.String()), name: Optional(Type.String()), href: Optional(Type.String()) },
  open,
);
const StringEntity = Type.Object(
  { id: Type.String(), role: Optional(Type.String()), name: Optional(Type.String()), href: Optional(Type.String()) },
  open,
);
const PeriodOut = Type.Object({ endDateTime: Type.String(), startDateTime: Type.String() });

/** The appointment as the operator's documents return it (both APIs answer this shape). */
export const AppointmentResponse = Type.Object(
  {
    category: Optional(Type.String()),
    contactMedium: Optional(Type.Array(ContactMedium)),
    creationDate: DateTime('Date when the appointment was created'),
    description: Optional(Type.String()),
    externalId: Optional(Type.String()),
    id: Type.String(),
    lastUpdate: DateTime('Date of the last update'),
    note: Type.Array(Type.Object({ author: Optional(Type.String()), date: Type.String(), text: Type.String() })),
    relatedEntity: Optional(Type.Array(StringEntity)),
    relatedParty: Type.Array(StringParty),
    relatedPlace: Optional(
      Type.Object(
        {
          href: Optional(Type.String()),
          id: Optional(Type.String()),
          name: Optional(Type.String()),
          role: Optional(Type.String()),
        },
        open,
      ),
    ),
    resourceOrderItem: Optional(Type.Array(ResourceOrderItem)),
    status: Type.String({ description: 'initialized | accepted | inProgress | completed | cancelled | failed' }),
    validFor: Optional(PeriodOut),
  },
  { ...open, $id: 'Appointment', examples: [EXAMPLES.tmfGetResponse] },
);
export type AppointmentResponse = Static<typeof AppointmentResponse>;

export const AppointmentList = Type.Array(AppointmentResponse);

export const ListQuery = Type.Object({
  status: Optional(Type.String({ description: 'Comma-separated states, e.g. initialized,accepted' })),
  externalId: Optional(Type.String({ description: 'Work order id' })),
  offset: Optional(Type.String({ pattern: '^[0-9]+$' })),
  limit: Optional(Type.String({ pattern: '^[0-9]+$' })),
});
export type ListQuery = Static<typeof ListQuery>;

export const SearchTimeSlotRequest = Type.Object(
  {
    id: Optional(Type.String({ description: 'The appointment to move, if any: its own place counts as free' })),
    category: Optional(Type.String({ minLength: 1 })),
    relatedEntity: Optional(Type.Array(RelatedEntity)),
    relatedParty: Optional(Type.Array(RelatedParty)),
    relatedPlace: Optional(RelatedPlace),
    requestedTimeSlot: Optional(Type.Array(TimeSlot)),
    resourceOrderItem: Optional(Type.Array(ResourceOrderItem)),
  },
  {
    $id: 'SearchTimeSlot',
    examples: [EXAMPLES.tmfSearchRequest],
    ...open,
    description: 'Request with information of period of installation',
  },
);
export type SearchTimeSlotRequest = Static<typeof SearchTimeSlotRequest>;

export const SearchTimeSlotResponse = Type.Object(
  {
    availableTimeSlot: Type.Array(Type.Object({ relatedParty: Type.Array(StringParty), validFor: PeriodOut })),
    id: Optional(Type.String()),
    relatedEntity: Optional(Type.Array(StringEntity)),
    relatedParty: Type.Array(StringParty),
    relatedPlace: Optional(
      Type.Object(
        {
          href: Optional(Type.String()),
          id: Optional(Type.String()),
          name: Optional(Type.String()),
          role: Optional(Type.String()),
        },
        open,
      ),
    ),
    requestedTimeSlot: Optional(Type.Array(Type.Object({ validFor: PeriodOut }, open))),
    resourceOrderItem: Optional(Type.Array(ResourceOrderItem)),
    searchDate: Type.String(),
    searchResult: Type.String({ description: 'success when at least one window is offered, else fail' }),
    status: Type.String(),
  },
  { ...open, $id: 'SearchTimeSlotResponse', examples: [EXAMPLES.tmfSearchResponse] },
);
export type SearchTimeSlotResponse = Static<typeof SearchTimeSlotResponse>;

export const TmfError = Type.Object(
  {
    componentMsg: Type.String({ description: 'Detailed error message' }),
    id: Type.String({ description: 'Error identifier' }),
    msg: Type.String({ description: 'Generic error message' }),
    status: Type.Integer({ description: 'HTTP error code' }),
  },
  { $id: 'TmfError', examples: [EXAMPLES.tmfNotFound], description: 'Error response' },
);
export type TmfError = Static<typeof TmfError>;
