/**
 * One API's OpenAPI document, cut from the whole service's: its paths only, its tags, and the
 * components those paths reference (transitively), so a vendor's generated client sees its API
 * and nothing else.
 */
import type { ApiFacade } from './api-facade.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const SCHEMA_REF = '#/components/schemas/';

/** The component names `value` references with `$ref`, at any depth. */
function refsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) refsIn(v, found);
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(SCHEMA_REF)) found.add(v.slice(SCHEMA_REF.length));
      else refsIn(v, found);
    }
  }
  return found;
}

/** Whether an OpenAPI path ('/admin/v1/tenants/{tenantId}') lies under an API's prefix. */
const pathUnder = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

export function apiDocument(whole: object, api: ApiFacade): Json {
  const doc = structuredClone(whole) as Json;
  const paths = Object.fromEntries(
    Object.entries(isObject(doc.paths) ? doc.paths : {}).filter(([p]) => pathUnder(p, api.prefix)),
  );
  const components = isObject(doc.components) ? doc.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};

  const kept = new Set<string>();
  const queue = [...refsIn(paths)];
  while (queue.length) {
    const name = queue.pop() as string;
    if (kept.has(name) || !(name in schemas)) continue;
    kept.add(name);
    queue.push(...refsIn(schemas[name]));
  }
  const keptSchemas = Object.fromEntries(Object.entries(schemas).filter(([name]) => kept.has(name)));

  return {
    ...doc,
    info: { ...(isObject(doc.info) ? doc.info : {}), title: api.openapi.title, description: api.openapi.description },
    tags: api.openapi.tags,
    paths,
    components: { ...components, schemas: keptSchemas },
  };
}
