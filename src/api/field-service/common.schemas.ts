/**
 * TypeBox building blocks shared by the operator's two APIs (Appointments, Appointments Extension).
 *
 * The documents' examples send numbers where their schemas say string (userRole: 10, duration: 80,
 * phoneNumber, zipcode, donorOperator…): those fields accept both, explicitly, because this facade
 * validates without type coercion (http/request-validator.ts). Objects stay open (additionalProperties):
 * unknown vendor fields are kept verbatim, as TMF allows.
 */
import { Type, type Static, type TSchema, type TString } from '@sinclair/typebox';
import { MAX_NOTE_LENGTH, MAX_NOTES } from '../../core/limits.ts';

export { StringEnum } from '../http/schema-types.ts';

const open = { additionalProperties: true } as const;

/** A string, or a number the mappers turn into its decimal string. */
export const StringOrNumber = (description?: string) =>
  Type.Union([Type.String(), Type.Number()], description ? { description } : {});

/** Digits only: a string matching `pattern`, or a non-negative integer. */
export const DigitsOrInteger = (pattern: string, description?: string) =>
  Type.Union([Type.String({ pattern }), Type.Integer({ minimum: 0 })], description ? { description } : {});

/** RFC 3339 (format date-time: a real instant, checked by http/schema-types.ts). */
export const DateTime = (description?: string): TString =>
  Type.String({ format: 'date-time', ...(description ? { description } : {}), examples: ['2030-08-18T13:00:00Z'] });

/** yyyy-MM-dd (format date), as the Extension API documents its dates. */
export const LocalDate = (description?: string): TString =>
  Type.String({ format: 'date', ...(description ? { description } : {}), examples: ['2030-08-18'] });

/** Appointment ids and work orders travel in URLs (`/appointments/{id}`): letters, digits and `_ . : -`. */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$';

export const Optional = <T extends TSchema>(schema: T) => Type.Optional(schema);

/** RangePeriod / TimePeriod with both ends: what books a window. */
export const RangePeriod = Type.Object(
  { startDateTime: DateTime('Start of the window (RFC 3339)'), endDateTime: DateTime('End of the window (RFC 3339)') },
  { $id: 'RangePeriod', ...open, description: 'RangePeriod reference' },
);
export type RangePeriod = Static<typeof RangePeriod>;

export const RelatedParty = Type.Object(
  {
    id: StringOrNumber('Value of the party for its role (a name, a code, a count…)'),
    role: Optional(Type.String()),
    name: Optional(Type.String()),
    href: Optional(Type.String()),
  },
  { ...open, $id: 'RelatedParty' },
);
export type RelatedParty = Static<typeof RelatedParty>;

export const RelatedEntity = Type.Object(
  { id: StringOrNumber(), role: Optional(Type.String()), name: Optional(Type.String()), href: Optional(Type.String()) },
  open,
);
export type RelatedEntity = Static<typeof RelatedEntity>;

export const RelatedPlace = Type.Object(
  {
    id: Optional(StringOrNumber('Gescal 37 address id, e.g. "01000500059400011 001B"')),
    href: Optional(Type.String()),
    name: Optional(Type.String()),
    role: Optional(Type.String()),
  },
  { ...open, $id: 'RelatedPlace' },
);
export type RelatedPlace = Static<typeof RelatedPlace>;

export const Note = Type.Object(
  {
    id: Optional(StringOrNumber()),
    author: Optional(Type.String()),
    date: Optional(DateTime()),
    text: Type.String({ maxLength: MAX_NOTE_LENGTH, description: `at most ${MAX_NOTE_LENGTH} characters` }),
  },
  { ...open, $id: 'Note' },
);
export type Note = Static<typeof Note>;

export const ContactMedium = Type.Object(
  {
    mediumType: Optional(Type.String()),
    preferred: Optional(Type.Boolean()),
    characteristic: Optional(Type.Object({ key: Optional(Type.String()), value: Optional(StringOrNumber()) }, open)),
  },
  { ...open, $id: 'ContactMedium' },
);
export type ContactMedium = Static<typeof ContactMedium>;

export const ResourceOrderItem = Type.Object(
  {
    id: Optional(StringOrNumber()),
    resource: Optional(
      Type.Object(
        {
          resourceCharacteristic: Optional(
            Type.Array(Type.Object({ name: Optional(Type.String()), value: Optional(Type.Unknown()) }, open)),
          ),
        },
        open,
      ),
    ),
  },
  { ...open, $id: 'ResourceOrderItem' },
);
export type ResourceOrderItem = Static<typeof ResourceOrderItem>;

export const TimeSlot = Type.Object({ validFor: RangePeriod, relatedParty: Optional(Type.Array(RelatedParty)) }, open);

export const OrgParams = Type.Object({ org: Type.String({ minLength: 1, description: 'tenant name' }) });
export type OrgParams = Static<typeof OrgParams>;

export const OrgIdParams = Type.Object({
  org: Type.String({ minLength: 1, description: 'tenant name' }),
  id: Type.String({ minLength: 1, description: 'appointment id' }),
});
export type OrgIdParams = Static<typeof OrgIdParams>;

/** Notes of a request: an appointment keeps at most MAX_NOTES in all (core/limits.ts). */
export const Notes = (description?: string) =>
  Type.Array(Note, { maxItems: MAX_NOTES, ...(description ? { description } : {}) });
