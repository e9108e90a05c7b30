import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Principal } from '../../core/types.ts';
import type { Core } from '../../core/core.ts';
import { toResourceInput } from './admin.mappers.ts';
import * as S from './admin.schemas.ts';

interface EntityRoutes<Create extends TSchema, Patch extends TSchema> {
  path: string;
  tag: string;
  /** PascalCase, for operation ids: createSite, listSites… */
  name: string;
  create: Create;
  patch: Patch;
  item: TSchema;
  ops: {
    create(p: Principal | null, t: string, body: Static<Create>): Promise<unknown>;
    get(p: Principal | null, t: string, id: string): Promise<unknown>;
    update(p: Principal | null, t: string, id: string, body: Static<Patch>): Promise<unknown>;
    list(
      p: Principal | null,
      t: string,
      paging: { limit?: number; offset?: number },
    ): Promise<{ items: unknown[]; total: number; limit: number; offset: number }>;
  };
}

const errors = { 400: S.ErrorBody, 401: S.ErrorBody, 403: S.ErrorBody, 404: S.ErrorBody, 409: S.ErrorBody };

/** Create, read, update and list for one kind of catalog entity under a tenant. */
const entityRoutes =
  <Create extends TSchema, Patch extends TSchema>(e: EntityRoutes<Create, Patch>): FastifyPluginAsync =>
  async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const base = `/tenants/:tenantId/${e.path}`;
    const ItemParams = Type.Object({ tenantId: Type.String(), id: Type.String({ minLength: 1, maxLength: 64 }) });
    const tags = [e.tag];
    app.post(
      base,
      {
        schema: {
          tags,
          operationId: `create${e.name}`,
          summary: `Create a ${e.tag}`,
          description: `Adds a ${e.tag} to the tenant; its id is chosen by the caller and unique within the tenant.`,
          params: S.TenantParams,
          body: e.create,
          response: { 201: e.item, ...errors },
        },
      },
      async (req, reply) => reply.code(201).send(await e.ops.create(req.principal, req.params.tenantId, req.body)),
    );
    app.get(
      base,
      {
        schema: {
          tags,
          operationId: `list${e.name}s`,
          summary: `List ${e.path}`,
          description: `The tenant’s ${e.path}, by id, a page at a time.`,
          params: S.TenantParams,
          querystring: S.Paging,
          response: { 200: S.pageOf(e.item), ...errors },
        },
      },
      async (req) => e.ops.list(req.principal, req.params.tenantId, req.query),
    );
    app.get(
      `${base}/:id`,
      {
        schema: {
          tags,
          operationId: `get${e.name}`,
          summary: `Get a ${e.tag}`,
          description: `One ${e.tag} of the tenant.`,
          params: ItemParams,
          response: { 200: e.item, ...errors },
        },
      },
      async (req) => e.ops.get(req.principal, req.params.tenantId, req.params.id),
    );
    app.patch(
      `${base}/:id`,
      {
        schema: {
          tags,
          operationId: `update${e.name}`,
          summary: `Update a ${e.tag}`,
          description:
            `Changes the fields sent; the merged ${e.tag} is ` + `validated as a whole and kept unchanged on error.`,
          params: ItemParams,
          body: e.patch,
          response: { 200: e.item, ...errors },
        },
      },
      async (req) => e.ops.update(req.principal, req.params.tenantId, req.params.id, req.body),
    );
  };

/** Sites, services and resources (with their schedules) of a tenant. */
export const catalogRoutes: FastifyPluginAsync<{ core: Core }> = async (fastify, { core }) => {
  const c = core.catalog;
  await fastify.register(
    entityRoutes({
      path: 'sites',
      tag: 'site',
      name: 'Site',
      create: S.SiteCreate,
      patch: S.SitePatch,
      item: S.Site,
      ops: { create: c.createSite, get: c.getSite, update: c.updateSite, list: c.listSites },
    }),
  );
  await fastify.register(
    entityRoutes({
      path: 'services',
      tag: 'service',
      name: 'Service',
      create: S.ServiceCreate,
      patch: S.ServicePatch,
      item: S.Service,
      ops: { create: c.createService, get: c.getService, update: c.updateService, list: c.listServices },
    }),
  );
  await fastify.register(
    entityRoutes({
      path: 'resources',
      tag: 'resource',
      name: 'Resource',
      create: S.ResourceCreate,
      patch: S.ResourcePatch,
      item: S.Resource,
      ops: {
        create: (p, t, body) => c.createResource(p, t, toResourceInput(body)),
        get: c.getResource,
        update: (p, t, id, body) => c.updateResource(p, t, id, toResourceInput(body)),
        list: c.listResources,
      },
    }),
  );

  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const ScheduleParams = Type.Object({ tenantId: Type.String(), id: Type.String({ minLength: 1, maxLength: 64 }) });
  app.get(
    '/tenants/:tenantId/resources/:id/schedule',
    {
      schema: {
        tags: ['resource'],
        operationId: 'getResourceSchedule',
        summary: 'Working hours and time off of a resource',
        description: 'The weekly working hours, dated exceptions and time off of one resource.',
        params: ScheduleParams,
        response: { 200: S.ScheduleView, ...errors },
      },
    },
    async (req) => {
      const r = await c.getResource(req.principal, req.params.tenantId, req.params.id);
      return { workingHours: r.workingHours, timeOff: r.timeOff };
    },
  );
  app.put(
    '/tenants/:tenantId/resources/:id/schedule',
    {
      schema: {
        tags: ['resource'],
        operationId: 'replaceResourceSchedule',
        summary: 'Replace the working hours and time off of a resource',
        description: 'Both lists are replaced whole; appointments already booked stay.',
        params: ScheduleParams,
        body: S.Schedule,
        response: { 200: S.ScheduleView, ...errors },
      },
    },
    async (req) => {
      const r = await c.updateResource(req.principal, req.params.tenantId, req.params.id, toResourceInput(req.body));
      return { workingHours: r.workingHours, timeOff: r.timeOff };
    },
  );
};
