/**
 * The OpenAPI documents: /openapi.json for the whole service, /openapi/{api}.json for each API of
 * the registry, and the /docs browser. Shared schemas carry a TypeBox `$id`, which becomes their
 * component name (`#/components/schemas/Tenant`), so generated clients get named types.
 */
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Type } from '@sinclair/typebox';
import type { ApiFacade } from './api-facade.ts';
import { apiDocument } from './openapi-document.ts';

const OPERATIONS_TAG = {
  name: 'operations',
  description: 'Health, metrics and these documents; no credentials needed',
};

/** A document is any JSON object; its shape is the OpenAPI specification's. */
const OpenApiDocument = Type.Object({}, { additionalProperties: true, description: 'An OpenAPI 3.1 document' });

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * @fastify/swagger makes a component of every nested schema with an $id but writes a route's body
 * and response schemas inline; wrapped in a marked allOf they become nested too, and the wrapper
 * is removed from the finished document, leaving `{ $ref: '#/components/schemas/<$id>' }`.
 */
const WRAPPER = 'x-named-schema';
const wrap = (schema: unknown) =>
  isObject(schema) && typeof schema.$id === 'string' ? { [WRAPPER]: true, allOf: [schema] } : schema;

/**
 * A GET whose body the route reads itself (Fastify parses no body for GET, and refuses a `body` schema on it) declares
 * it as `x-get-body`: documented as its request body.
 */
export const GET_BODY = 'x-get-body';

function nameRouteSchemas(route: Json): Json {
  const { [GET_BODY]: getBody, ...schema } = route;
  if (getBody && !schema.body) schema.body = getBody;
  const response = isObject(schema.response)
    ? Object.fromEntries(Object.entries(schema.response).map(([code, s]) => [code, wrap(s)]))
    : undefined;
  return { ...schema, ...(schema.body ? { body: wrap(schema.body) } : {}), ...(response ? { response } : {}) };
}

function unwrap(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrap);
  if (!isObject(value)) return value;
  if (value[WRAPPER] === true && Array.isArray(value.allOf)) return unwrap(value.allOf[0]);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
}

/** PascalCase of a kebab-case name, for operation ids: field-service -> FieldService. */
const pascal = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());

/** Registers @fastify/swagger before any route (it collects them as they are added) and serves the documents. */
export async function registerOpenApi(
  app: FastifyInstance,
  facades: readonly ApiFacade[],
  version: string,
): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Scheduling service',
        version,
        description:
          'One scheduling core behind several appointment APIs. Authenticate with `Authorization: Bearer <tenant ' +
          'API key | JWT | ADMIN_TOKEN>`. ' +
          `Each API also has its own document: ${facades.map((f) => `/openapi/${f.name}.json`).join(', ')}.`,
      },
      servers: [{ url: '/', description: 'The host that serves this document' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A tenant API key, a JWT, or the ADMIN_TOKEN' },
        },
      },
      security: [{ bearer: [] }],
      tags: [...facades.flatMap((f) => f.openapi.tags), OPERATIONS_TAG],
    },
    transform: ({ schema, url }) => ({ schema: schema ? nameRouteSchemas(schema as Json) : schema, url }),
    transformObject: (doc) =>
      'openapiObject' in doc ? (unwrap(doc.openapiObject) as typeof doc.openapiObject) : doc.swaggerObject,
    // A schema's $id names its component; schemas without one get a generated name.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const tags = [OPERATIONS_TAG.name];
  app.get(
    '/openapi.json',
    {
      schema: {
        tags,
        operationId: 'getOpenApi',
        summary: 'The OpenAPI document of the whole service',
        description: 'Every API and the operations routes.',
        security: [],
        response: { 200: OpenApiDocument },
      },
    },
    async () => app.swagger(),
  );
  for (const api of facades) {
    app.get(
      `/openapi/${api.name}.json`,
      {
        schema: {
          tags,
          operationId: `getOpenApi${pascal(api.name)}`,
          summary: `The OpenAPI document of ${api.openapi.title}`,
          description:
            `Only the paths under ${api.prefix} and the schemas ` + `they use, for generating a client of this API.`,
          security: [],
          response: { 200: OpenApiDocument },
        },
      },
      async () => apiDocument(app.swagger(), api),
    );
  }
}
