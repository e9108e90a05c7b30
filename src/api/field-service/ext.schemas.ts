/** Request and error schemas of the Appointments Extension API (seed 000; examples in seed 001). */
import { Type, type Static } from '@sinclair/typebox';
import { EXAMPLES } from './field-service.examples.ts';
import {
  DigitsOrInteger,
  ID_PATTERN,
  LocalDate,
  Notes,
  Optional,
  RangePeriod,
  StringEnum,
  StringOrNumber,
} from './common.schemas.ts';

const open = { additionalProperties: true } as const;

export const SCORING_RESULTS = ['OK', 'RELEASE', 'RISK', 'A', 'R'] as const;
export const CTO_POLE_DB = ['POSTE', 'POSTE H', 'NO POSTE'] as const;
export const TIME_ZONES = ['TIME_ZONE_1', 'TIME_ZONE_2', 'TIME_ZONE_3', 'TIME_ZONE_4'] as const;
export const SEARCH_ACTIONS = ['NUEVACITA', 'MODIFICARCITA'] as const;

const WORK_ORDER =
  'work order identifier, with the prefix of its CRM: Y (Yoigo, e.g. Y360852), MYSIM_, WD_ or PP (Pepephone/HEOS). ' +
  'It is the appointment id and its searchable externalId.';

const workOrderId = Type.String({ pattern: ID_PATTERN, description: WORK_ORDER });
const scoringResult = StringEnum(
  SCORING_RESULTS,
  'overall risk value of customer fraud (a tenant may require notice for some values: settings riskNotice)',
);
const scoringLevel = DigitsOrInteger('^[0-9]+$', 'risk level of customer fraud');
const duration = DigitsOrInteger('^\\d+$', 'estimated work in minutes; at most the length of a window');
const ctoPoleDB = StringEnum(CTO_POLE_DB, 'cto database response');

export const Customer = Type.Object(
  {
    firstName: Optional(Type.String()),
    middleName: Optional(Type.String()),
    documentNumber: Optional(Type.String()),
    email: Optional(Type.String()),
    phoneNumber: Optional(StringOrNumber()),
    zipcode: Optional(StringOrNumber('postal code; a number is read as 5 digits (1001 -> 01001)')),
    language: Optional(Type.String()),
  },
  { ...open, $id: 'Customer' },
);
export type Customer = Static<typeof Customer>;

const workOrderDetails = {
  ctoPoleDB: Optional(ctoPoleDB),
  orderType: Optional(Type.String()),
  connectionInstallationFlow: Optional(Type.String()),
  donorOperator: Optional(StringOrNumber('donor operator; a number is read as 5 digits (833 -> 00833)')),
  linkState: Optional(Type.String()),
};

export const CreateAppointment = Type.Object(
  {
    workOrderId,
    category: Type.String({ minLength: 1, description: 'selects the service, e.g. installation' }),
    sellChannel: Type.String({ minLength: 1 }),
    userRole: StringOrNumber('role played by the user'),
    userCode: Optional(StringOrNumber()),
    segment: Type.String({ minLength: 1 }),
    tenantId: Optional(StringOrNumber('the CRM tenant code, echoed as the relatedParty "tenant"')),
    customer: Customer,
    scoringResult,
    scoringLevel,
    validFor: RangePeriod,
    gescalId: Optional(Type.String({ description: 'gescal 37 identifier: the intervention address' })),
    duration,
    ...workOrderDetails,
  },
  {
    $id: 'CreateAppointment',
    examples: [EXAMPLES.extCreateRequest],
    ...open,
    description: 'create appointment request',
  },
);
export type CreateAppointment = Static<typeof CreateAppointment>;

export const UpdateAppointment = Type.Object(
  {
    tenantId: Optional(StringOrNumber()),
    workOrderId,
    scoringResult: Optional(scoringResult),
    scoringLevel: Optional(scoringLevel),
    sellChannel: Optional(Type.String()),
    userRole: Optional(StringOrNumber()),
    userCode: Optional(StringOrNumber()),
    segment: Optional(Type.String()),
    duration,
    customer: Optional(Customer),
    validFor: RangePeriod,
    ...workOrderDetails,
  },
  {
    $id: 'UpdateAppointment',
    examples: [EXAMPLES.extUpdateRequest],
    ...open,
    description: 'update appointment request (by workOrderId)',
  },
);
export type UpdateAppointment = Static<typeof UpdateAppointment>;

export const SearchTimeSlots = Type.Object(
  {
    action: Optional(
      StringEnum(SEARCH_ACTIONS, 'NUEVACITA: a first appointment; MODIFICARCITA: moving the work order’s appointment'),
    ),
    scoringLevel: Optional(scoringLevel),
    scoringResult: Optional(scoringResult),
    segment: Optional(Type.String()),
    gescal: Optional(Type.String({ description: 'gescal 37' })),
    category: Type.String({ minLength: 1 }),
    orderWorkId: Type.String({ pattern: ID_PATTERN, description: 'order work identifier' }),
    accessToken: Optional(
      Type.String({ description: 'the embedding CRM session token: never stored nor echoed, not a credential here' }),
    ),
    relatedParty: Optional(Type.Object({}, { ...open, description: 'RelatedPartyExt' })),
    productSpecification: Optional(Type.Object({ schema: Optional(Type.String()) }, open)),
    contact: Optional(
      Type.Object(
        {
          emailAddress: Optional(Type.String()),
          postCode: Optional(StringOrNumber()),
          contactNumber: Optional(StringOrNumber()),
        },
        open,
      ),
    ),
    customer: Optional(Type.Object({}, { ...open, description: 'CustomerExt' })),
  },
  {
    $id: 'SearchTimeSlots',
    examples: [EXAMPLES.extSearchRequest],
    ...open,
    description: 'send to search time slots request',
  },
);
export type SearchTimeSlots = Static<typeof SearchTimeSlots>;

export const CreateTaskAppointment = Type.Object(
  {
    workOrderId,
    category: Optional(Type.String({ minLength: 1, description: 'not in the document: defaults to installation' })),
    sellChannel: Type.String({ minLength: 1 }),
    userRole: StringOrNumber(),
    segment: Type.String({ minLength: 1 }),
    tenantId: Optional(StringOrNumber()),
    customer: Customer,
    scoringResult,
    scoringLevel,
    startDate: Optional(LocalDate('start date. The format is yyyy-MM-dd.')),
    endDate: Optional(LocalDate('end date. The format is yyyy-MM-dd.')),
    timeZone: Optional(
      StringEnum(TIME_ZONES, 'zone of startDate/endDate: 1 Europe/Madrid, 2 Atlantic/Canary, 3 Africa/Ceuta, 4 UTC'),
    ),
    gescalId: Optional(Type.String()),
    note: Notes('item to highlight certain aspects of the appointment.'),
    duration: Optional(duration),
    ...workOrderDetails,
  },
  {
    $id: 'CreateTaskAppointment',
    examples: [EXAMPLES.extTaskRequest],
    ...open,
    description: 'create task appointment request',
  },
);
export type CreateTaskAppointment = Static<typeof CreateTaskAppointment>;

export const ExtError = Type.Object(
  {
    code: Type.String({ description: 'error code (the HTTP status)' }),
    status: Type.String({ description: 'error status, e.g. BAD_REQUEST' }),
    message: Type.String({ description: 'error message' }),
    detailMsg: Type.String({ description: 'error message obtained in the response' }),
  },
  { $id: 'BackendException', examples: [EXAMPLES.extBadRequest], description: 'BackendException' },
);
export type ExtError = Static<typeof ExtError>;
