/**
 * Malformed requests generated from an API's own OpenAPI document: every operation's body, query
 * and path parameters are sampled from their schemas (examples first), then broken one way at a
 * time — wrong types, missing required fields, huge strings, deep nesting, impossible dates,
 * unicode and NUL, extra keys, bad numbers, bad path parameters, malformed JSON. Seeded, so a
 * failing run can be repeated (FUZZ_SEED).
 */

type Json = unknown;
type Schema = Record<string, any>;

export interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: Schema[]; requestBody?: Schema }>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  method: string;
  path: string;
  pathParams: Array<{ name: string; schema: Schema }>;
  queryParams: Array<{ name: string; schema: Schema; required: boolean }>;
  body: Schema | null;
}

export interface FuzzRequest {
  method: string;
  /** Path and query string, already encoded. */
  url: string;
  /** Raw body text (possibly not JSON), or undefined. */
  body?: string;
  contentType?: string;
  /** What was broken, for the report. */
  mutation: string;
  operation: string;
}

/** mulberry32: small, fast, good enough to pick mutations reproducibly. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
  };
}
export type Rng = ReturnType<typeof prng>;

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** The largest body generated: past every API's body limit (1 MiB by default), so larger proves nothing more. */
const MAX_BODY_CHARS = 4 * 1024 * 1024;

export function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.includes(method)) continue;
      const params = (op.parameters ?? []).map((p) => resolve(doc, p));
      const bodySchema = op.requestBody
        ? resolve(doc, resolve(doc, op.requestBody).content?.['application/json']?.schema ?? {})
        : null;
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params
          .filter((p) => p.in === 'path')
          .map((p) => ({ name: p.name, schema: resolve(doc, p.schema ?? {}) })),
        queryParams: params
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: resolve(doc, p.schema ?? {}), required: Boolean(p.required) })),
        body: bodySchema,
      });
    }
  }
  return ops;
}

function resolve(doc: OpenApiDoc, s: Schema): Schema {
  let cur = s;
  for (let i = 0; i < 10 && cur && typeof cur.$ref === 'string'; i++) {
    const name = cur.$ref.split('/').pop()!;
    cur = doc.components?.schemas?.[name] ?? {};
  }
  return cur ?? {};
}

/** A plausible value of a schema: its example when it has one, else built from its type. */
export function sample(doc: OpenApiDoc, schema: Schema, depth = 0): Json {
  const s = resolve(doc, schema);
  if (depth > 8) return null;
  if (Array.isArray(s.examples) && s.examples.length) return structuredClone(s.examples[0]);
  if (s.example !== undefined) return structuredClone(s.example);
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const variants = s.anyOf ?? s.oneOf;
  if (Array.isArray(variants) && variants.length)
    return sample(doc, variants.find((v: Schema) => v.type !== 'null') ?? variants[0], depth + 1);
  if (Array.isArray(s.allOf)) return Object.assign({}, ...s.allOf.map((x: Schema) => sample(doc, x, depth + 1)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type ?? (s.properties ? 'object' : undefined)) {
    case 'object': {
      const out: Record<string, Json> = {};
      for (const [k, v] of Object.entries<Schema>(s.properties ?? {})) out[k] = sample(doc, v, depth + 1);
      return out;
    }
    case 'array':
      return s.items ? [sample(doc, s.items, depth + 1)] : [];
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 1;
    case 'boolean':
      return true;
    case 'string':
      if (s.format === 'date-time') return '2030-08-18T13:00:00Z';
      if (s.format === 'date') return '2030-08-18';
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    default:
      return null;
  }
}

const BAD_DATES = [
  '2030-12-31T23:59:60Z',
  '2030-02-30T10:00:00Z',
  '2030-13-01T00:00:00Z',
  '2030-01-01T24:00:00Z',
  '+275760-09-13T00:00:01Z',
  '-271821-04-19T00:00:00Z',
  '0000-00-00T00:00:00Z',
  '2030-08-18T13:00:00',
  '2030-08-18',
  '18/08/2030',
  'Infinity',
  '',
  '9'.repeat(40),
];
const BAD_NUMBERS_TEXT = [
  'Infinity',
  '-Infinity',
  'NaN',
  '1e400',
  '-1e400',
  '1e-400',
  '0x10',
  '1_000',
  ' 1',
  '1.5',
  '-0',
  '9007199254740993',
  '99999999999999999999999',
];
const RAW_NUMBERS = [
  '1e400',
  '-1e400',
  '1e308',
  '-0',
  '9007199254740993',
  '1.0000000000000002',
  '0.1e-400',
  '123456789012345678901234567890',
];
const UNICODE = [
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🎉',
  '\u202eRTL\u202c',
  'e\u0301\u0301\u0301',
  '\uFEFFbom',
  '\ud800',
  '\udfff',
  'ǅ',
  '\u0000',
  'a\u0000b',
  '\u0007\u001b[31m',
  '%00',
  "'; DROP TABLE appointments; --",
  '{{7*7}}',
  '../../etc/passwd',
];
const BAD_PATH_SEGMENTS = [
  '',
  '%00',
  '%2e%2e',
  '..',
  '%2F',
  'a'.repeat(200),
  'a'.repeat(101),
  '%F0%9F%8E%89',
  '%ZZ',
  '%C0%AF',
  ' ',
  '%20',
  '-1',
  'null',
  '0',
  '%u0000',
  'x%00y',
  '%E2%80%AE',
];

/** Every path inside a value (arrays and objects), the root included. */
function pathsOf(
  v: Json,
  prefix: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
  out.push(prefix);
  if (out.length > 2000) return out;
  if (Array.isArray(v)) for (const [i, x] of v.entries()) pathsOf(x, [...prefix, i], out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...prefix, k], out);
  return out;
}

function setAt(root: Json, path: Array<string | number>, value: Json): Json {
  if (path.length === 0) return value;
  const parent = path.slice(0, -1).reduce<any>((acc, k) => acc?.[k], root);
  if (parent && typeof parent === 'object') parent[path.at(-1)!] = value;
  return root;
}

function deleteAt(root: Json, path: Array<string | number>): Json {
  if (path.length === 0) return undefined;
  const parent = path.slice(0, -1).reduce<any>((acc, k) => acc?.[k], root);
  if (Array.isArray(parent)) parent.splice(Number(path.at(-1)), 1);
  else if (parent && typeof parent === 'object') delete parent[path.at(-1)!];
  return root;
}

const nest = (levels: number, leaf: Json): Json => {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};

function otherType(rng: Rng, v: Json): Json {
  const options: Json[] = [0, -1, 1.5, 'text', true, false, null, [], {}, [1, 'a', null], { x: 1 }, '', 2 ** 53 + 2];
  const candidates = options.filter((o) => typeof o !== typeof v || Array.isArray(o) !== Array.isArray(v));
  return rng.pick(candidates.length ? candidates : options);
}

/** One body, broken one way: the returned text may not even be JSON. */
function mutateBody(rng: Rng, base: Json): { text: string; mutation: string; contentType?: string } {
  const value = structuredClone(base ?? {});
  const paths = pathsOf(value);
  const at = rng.pick(paths);
  const where = at.join('.') || '(root)';
  const kind = rng.int(16);
  switch (kind) {
    case 0:
      return {
        text: JSON.stringify(
          setAt(
            value,
            at,
            otherType(
              rng,
              at.reduce<any>((a, k) => a?.[k], value),
            ),
          ),
        ),
        mutation: `wrong type at ${where}`,
      };
    case 1: {
      const fields = paths.filter((p) => p.length > 0);
      const target = fields.length ? rng.pick(fields) : at;
      return { text: JSON.stringify(deleteAt(value, target) ?? null), mutation: `missing ${target.join('.')}` };
    }
    case 2:
      return {
        text: JSON.stringify(setAt(value, at, 'x'.repeat(rng.pick([1_000, 70_000, 300_000])))),
        mutation: `huge string at ${where}`,
      };
    case 3: {
      const levels = rng.pick([20, 31, 33, 100, 2_000]);
      return {
        text: JSON.stringify(setAt(value, at, nest(levels, 'deep'))),
        mutation: `nested ${levels} levels at ${where}`,
      };
    }
    case 4:
      return { text: JSON.stringify(setAt(value, at, rng.pick(BAD_DATES))), mutation: `bad date at ${where}` };
    case 5:
      return { text: JSON.stringify(setAt(value, at, rng.pick(UNICODE))), mutation: `unicode/NUL at ${where}` };
    case 6: {
      const n = rng.pick([5, 250, 5_000]);
      const extra = Object.fromEntries(Array.from({ length: n }, (_, i) => [`extra_${i}`, i % 2 ? 'v' : i]));
      const target = at.reduce<any>((a, k) => a?.[k], value);
      if (target && typeof target === 'object' && !Array.isArray(target)) Object.assign(target, extra);
      else if (value && typeof value === 'object' && !Array.isArray(value)) Object.assign(value, extra);
      return { text: JSON.stringify(value), mutation: `${n} extra keys at ${where}` };
    }
    case 7: {
      // A raw number JSON.stringify cannot write (1e400 parses as Infinity).
      const marker = '"__RAW_NUMBER__"';
      return {
        text: JSON.stringify(setAt(value, at, '__RAW_NUMBER__')).replace(marker, rng.pick(RAW_NUMBERS)),
        mutation: `raw number at ${where}`,
      };
    }
    case 8:
      return {
        text: JSON.stringify(setAt(value, at, rng.pick(BAD_NUMBERS_TEXT))),
        mutation: `number-like text at ${where}`,
      };
    case 9: {
      const text = JSON.stringify(value);
      const cut = rng.int(Math.max(1, text.length));
      return {
        text: rng.pick([
          text.slice(0, cut),
          `${text},`,
          text.replace(/"/, "'"),
          '',
          'null',
          '[]',
          '"string"',
          '{"a":1,"a":2}',
          '\u0000',
          '{'.repeat(10_000),
        ]),
        mutation: 'malformed JSON',
      };
    }
    case 10:
      return {
        text: JSON.stringify(value),
        contentType: rng.pick([
          'text/plain',
          'application/xml',
          'application/json; charset=latin1',
          'multipart/form-data',
          '',
        ]),
        mutation: 'content type',
      };
    case 11: {
      const item = at.reduce<any>((a, k) => a?.[k], value) ?? 1;
      // Long, but not without end: a few MiB already pass the body limit, and building hundreds of MiB here would
      // stall this process (its requests in flight then look unanswered).
      const itemBytes = JSON.stringify(item)?.length ?? 1;
      const length = Math.min(rng.pick([100, 1_000, 20_000]), Math.max(1, Math.floor(MAX_BODY_CHARS / itemBytes)));
      const big = Array.from({ length }, () => structuredClone(item));
      return { text: JSON.stringify(setAt(value, at, big)), mutation: `long array at ${where}` };
    }
    case 12:
      return {
        text: JSON.stringify(setAt(value, at, '__PROTO__')).replace(
          '"__PROTO__"',
          '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
        ),
        mutation: `prototype keys at ${where}`,
      };
    case 13:
      return {
        text: JSON.stringify(
          setAt(value, at, rng.pick([-1, 0, 2 ** 31, -(2 ** 31) - 1, 2 ** 63, Number.MAX_SAFE_INTEGER, 1e21, 0.1])),
        ),
        mutation: `numeric edge at ${where}`,
      };
    case 14:
      return { text: JSON.stringify(setAt(value, at, null)), mutation: `null at ${where}` };
    default: {
      // Several at once (a body already past the limit is refused on its size: nothing to add).
      const a = mutateBody(rng, value);
      if (a.text.length > MAX_BODY_CHARS / 4) return a;
      try {
        return { ...mutateBody(rng, JSON.parse(a.text)), mutation: `${a.mutation} + more` };
      } catch {
        return a;
      }
    }
  }
}

/** encodeURIComponent, except that a lone surrogate (which it refuses) goes as the invalid UTF-8 bytes it would be. */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text
      .split('')
      .map((c) => (/[\ud800-\udfff]/.test(c) ? '%ED%A0%80' : encodeURIComponent(c)))
      .join('');
  }
}

function textOf(v: Json): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export interface FuzzContext {
  /** Plausible values of path parameters (an existing tenant, appointment…), by name. */
  pathValues: Record<string, string[]>;
  /** Makes a sampled body valid for this server before it is broken (e.g. windows it really offers). */
  adapt?: (body: Json, rng: Rng) => Json;
}

/** The request of operation `op`, broken one way (sometimes not at all: valid traffic runs too). */
export function fuzzRequest(doc: OpenApiDoc, op: Operation, rng: Rng, ctx: FuzzContext): FuzzRequest {
  let mutation = 'none';
  const segments: Record<string, string> = {};
  const breakPath = op.pathParams.length > 0 && rng.chance(0.12);
  const broken = breakPath ? rng.pick(op.pathParams).name : null;
  for (const p of op.pathParams) {
    if (p.name === broken) {
      segments[p.name] = rng.pick(BAD_PATH_SEGMENTS);
      mutation = `path ${p.name}=${segments[p.name].slice(0, 20)}`;
    } else {
      const known = ctx.pathValues[p.name];
      segments[p.name] = encode(known?.length ? rng.pick(known) : textOf(sample(doc, p.schema)));
    }
  }
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name) => segments[name] ?? 'x');

  const query: string[] = [];
  const breakQuery = !breakPath && op.queryParams.length > 0 && rng.chance(0.35);
  const queryTarget = breakQuery ? rng.pick(op.queryParams).name : null;
  for (const q of op.queryParams) {
    if (q.name === queryTarget) {
      const bad = rng.pick([...BAD_NUMBERS_TEXT, ...BAD_DATES, ...UNICODE, 'x'.repeat(5_000), '']);
      query.push(`${q.name}=${encode(bad)}`);
      if (rng.chance(0.2)) query.push(`${q.name}=${encode(bad)}`);
      mutation = `query ${q.name}=${bad.slice(0, 20)}`;
    } else if (q.required || rng.chance(0.5)) {
      query.push(`${q.name}=${encode(textOf(sample(doc, q.schema)))}`);
    }
  }
  if (breakQuery && rng.chance(0.1)) query.push(`unknown_${rng.int(100)}=1`);

  let body: string | undefined;
  let contentType: string | undefined;
  if (op.body) {
    const sampled = sample(doc, op.body);
    const base = ctx.adapt ? ctx.adapt(sampled, rng) : sampled;
    if (!breakPath && !breakQuery && rng.chance(0.92)) {
      const m = mutateBody(rng, base);
      body = m.text;
      contentType = m.contentType;
      mutation = m.mutation;
    } else body = JSON.stringify(base);
  }
  const url = query.length ? `${path}?${query.join('&')}` : path;
  return {
    method: op.method,
    url,
    body,
    contentType: contentType ?? (body !== undefined ? 'application/json' : undefined),
    mutation,
    operation: `${op.method} ${op.path}`,
  };
}
