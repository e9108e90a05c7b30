/**
 * Personal data, decided once for every API: what counts as a personal identifier (a document
 * number: national id, tax id, passport, social security number), how it is kept (only its keyed
 * hash, customers.personal_id_hash: searchable, never readable) and how it is shown (masked).
 * Facades call these on whatever vendor fields they keep; nothing else decides it.
 */

/**
 * Names of a personal identifier, written lowercase without separators: `documentNumber`,
 * `document_number`, `Document Number`, `DNI`, ` nif ` are all one name here.
 */
const PERSONAL_ID_NAMES = new Set([
  'documentid',
  'documentno',
  'documentnumber',
  'documentnum',
  'docid',
  'docno',
  'docnumber',
  'identitydocument',
  'identitynumber',
  'idcard',
  'idcardnumber',
  'iddocument',
  'idnumber',
  'nationalid',
  'nationalidnumber',
  'personalid',
  'personalidentifier',
  'personalidnumber',
  'dni',
  'nif',
  'nie',
  'cif',
  'taxid',
  'taxnumber',
  'passport',
  'passportid',
  'passportno',
  'passportnumber',
  'ssn',
  'socialsecurity',
  'socialsecuritynumber',
  'nss',
]);

const MASK = '*';

/** Case, spaces, `_`, `-` and `.` do not make another name. */
const canonical = (name: string) => name.toLowerCase().replace(/[\s_.-]+/g, '');

/** Whether a field or role name names a personal identifier, in any spelling. */
export const isPersonalIdName = (name: unknown): boolean =>
  typeof name === 'string' && PERSONAL_ID_NAMES.has(canonical(name));

/** All but the last characters (4 at most, half at most) replaced by `*`: '12345678T' -> '*****678T'. */
export function maskPersonalId(value: string): string {
  const visible = Math.min(4, Math.floor(value.length / 2));
  return MASK.repeat(value.length - visible) + value.slice(value.length - visible);
}

/** A value we masked (a client sending back what it read). No real document number starts with `*`. */
export const isMasked = (value: string) => value.startsWith(MASK);

/** The form whose keyed hash is kept and searched: case and surrounding spaces do not matter. */
export const personalIdKey = (value: string) => value.trim().toUpperCase();

type Json = unknown;

const maskValue = (v: Json): Json =>
  typeof v === 'string'
    ? isMasked(v)
      ? v
      : maskPersonalId(v)
    : typeof v === 'number'
      ? maskPersonalId(String(v))
      : maskAny(v);

/**
 * The value with every personal identifier masked, at any depth: a field named like one
 * (`{ dni: '…' }`), and the `id` (or `value`) of an entry whose `role` / `name` / `type` names one
 * (`{ id: '…', role: 'document_number' }`, the TMF relatedParty style). Returns a copy when
 * something changed, the same value otherwise.
 */
export function maskPersonalData<T>(value: T): T {
  return maskAny(value) as T;
}

function maskAny(value: Json): Json {
  if (Array.isArray(value)) {
    const out = value.map(maskAny);
    return out.some((v, i) => v !== value[i]) ? out : value;
  }
  if (!value || typeof value !== 'object') return value;
  const obj = value as Record<string, Json>;
  const labelled =
    isPersonalIdName(obj.role) || isPersonalIdName(obj.type) || (isPersonalIdName(obj.name) && 'id' in obj);
  let changed = false;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(obj)) {
    const masked = isPersonalIdName(k) || (labelled && (k === 'id' || k === 'value')) ? maskValue(v) : maskAny(v);
    if (masked !== v) changed = true;
    out[k] = masked;
  }
  return changed ? out : value;
}

/**
 * The first personal identifier in clear in a list of labelled entries (`{ id, role }`): what a
 * facade hands to the core as the customer's personalId. A masked one (read back from us and sent
 * again) is not a new identifier.
 */
export function personalIdOf(entries: ReadonlyArray<{ id?: unknown; role?: unknown }> | undefined): string | undefined {
  for (const e of entries ?? []) {
    if (!isPersonalIdName(e.role)) continue;
    const id = typeof e.id === 'number' ? String(e.id) : e.id;
    if (typeof id === 'string' && id.trim() && !isMasked(id)) return id;
  }
  return undefined;
}

/** The first personal identifier among an object's own fields (`{ documentId: '…' }`, `{ DNI: '…' }`), as text. */
export function personalIdField(fields: object | undefined): string | undefined {
  for (const [k, v] of Object.entries(fields ?? {})) {
    if (isPersonalIdName(k) && (typeof v === 'string' || typeof v === 'number') && String(v).trim()) return String(v);
  }
  return undefined;
}
