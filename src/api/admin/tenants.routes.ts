import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/core.ts';
import { toApiKeyDto, toConfiguration } from './admin.mappers.ts';
import * as S from './admin.schemas.ts';

const errors = { 400: S.ErrorBody, 401: S.ErrorBody, 403: S.ErrorBody, 404: S.ErrorBody, 409: S.ErrorBody };

/** Tenants, their API keys, and whole-tenant configuration documents. */
export const tenantRoutes: FastifyPluginAsync<{ core: Core }> = async (fastify, { core }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const c = core.catalog;
  const tags = ['tenant'];
  app.post(
    '/tenants',
    {
      schema: {
        tags,
        operationId: 'createTenant',
        summary: 'Create a tenant (operator only)',
        description:
          'Creates an empty tenant; add its sites, services and resources next, or apply a whole configuration with ' +
          'PUT /configuration.',
        body: S.TenantCreate,
        response: { 201: S.Tenant, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await c.createTenant(req.principal, req.body)),
  );
  app.get(
    '/tenants',
    {
      schema: {
        tags,
        operationId: 'listTenants',
        summary: 'List tenants (operator only)',
        description: 'Every tenant, by id, a page at a time.',
        querystring: S.Paging,
        response: { 200: S.pageOf(S.Tenant), ...errors },
      },
    },
    async (req) => c.listTenants(req.principal, req.query),
  );
  app.get(
    '/tenants/:tenantId',
    {
      schema: {
        tags,
        operationId: 'getTenant',
        summary: 'Get a tenant',
        description: 'The operator sees every tenant; a tenant credential sees only its own.',
        params: S.TenantParams,
        response: { 200: S.Tenant, ...errors },
      },
    },
    async (req) => c.getTenant(req.principal, req.params.tenantId),
  );
  app.patch(
    '/tenants/:tenantId',
    {
      schema: {
        tags,
        operationId: 'updateTenant',
        summary: 'Rename a tenant or change its settings (operator only)',
        description:
          'Changes the display name and/or the settings sent (riskNotice, defaultPhoneCountry); the id is permanent.',
        params: S.TenantParams,
        body: S.TenantPatch,
        response: { 200: S.Tenant, ...errors },
      },
    },
    async (req) => c.updateTenant(req.principal, req.params.tenantId, req.body),
  );

  const keyTags = ['api-key'];
  app.post(
    '/tenants/:tenantId/api-keys',
    {
      schema: {
        tags: keyTags,
        operationId: 'createApiKey',
        summary: 'Issue an API key (shown once)',
        description: 'The key is in this answer only: the service keeps its hash. Roles default to scheduler.',
        params: S.TenantParams,
        body: S.ApiKeyCreate,
        response: { 201: S.ApiKeyCreated, ...errors },
      },
    },
    async (req, reply) => {
      const { record, key } = await c.createApiKey(req.principal, req.params.tenantId, req.body ?? {});
      return reply.code(201).send({ key, apiKey: toApiKeyDto(record) });
    },
  );
  app.get(
    '/tenants/:tenantId/api-keys',
    {
      schema: {
        tags: keyTags,
        operationId: 'listApiKeys',
        summary: 'List API keys (never the keys themselves)',
        description: 'Ids, labels, roles and revocation dates of the tenant’s keys.',
        params: S.TenantParams,
        response: { 200: Type.Object({ items: Type.Array(S.ApiKey) }), ...errors },
      },
    },
    async (req) => ({
      items: (await c.listApiKeys(req.principal, req.params.tenantId)).map(toApiKeyDto),
    }),
  );
  const KeyParams = Type.Object({ tenantId: Type.String(), keyId: Type.String({ minLength: 1, maxLength: 64 }) });
  app.delete(
    '/tenants/:tenantId/api-keys/:keyId',
    {
      schema: {
        tags: keyTags,
        operationId: 'revokeApiKey',
        summary: 'Revoke an API key',
        description: 'The key stops working at once; revoking it again changes nothing.',
        params: KeyParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await c.revokeApiKey(req.principal, req.params.tenantId, req.params.keyId);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/configuration',
    {
      schema: {
        tags: ['configuration'],
        operationId: 'applyConfiguration',
        summary: 'Apply a whole tenant configuration, idempotently (operator only)',
        description:
          'Creates or updates the tenant and every site, service and resource the document lists; applying the same ' +
          'document twice changes nothing. A new tenant’s first API key is returned once.',
        body: S.Configuration,
        response: { 200: S.ConfigurationApplied, ...errors },
      },
    },
    async (req) => c.applyConfiguration(req.principal, toConfiguration(req.body)),
  );
};
