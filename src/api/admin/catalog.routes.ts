import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Principal } from '../../core/types.ts';
import type { Core } from '../../core/core.ts';
import { toResourceInput } from './admin.mappers.ts';
import * as S from './admin.schemas.ts';

interface EntityRoutes {
  path: string;
  tag: string;
  create: TSchema;
  patch: TSchema;
  item: TSchema;
  ops: {
    create(p: Principal | null, t: string, body: any): Promise<unknown>;
    get(p: Principal | null, t: string, id: string): Promise<unknown>;
    update(p: Principal | null, t: string, id: string, body: any): Promise<unknown>;
    list(p: Principal | null, t: string, paging: { limit?: number; offset?: number }): Promise<any>;
  };
}

const errors = { 400: S.ErrorBody, 401: S.ErrorBody, 403: S.ErrorBody, 404: S.ErrorBody, 409: S.ErrorBody };

/** Create, read, update and list for one kind of catalog entity under a tenant. */
const entityRoutes: FastifyPluginAsync<EntityRoutes> = async (fastify, e) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const base = `/tenants/:tenantId/${e.path}`;
  const ItemParams = Type.Object({ tenantId: Type.String(), id: Type.String({ minLength: 1, maxLength: 64 }) });
  const tags = [e.tag];
  app.post(base, { schema: { tags, summary: `Create a ${e.tag}`, params: S.TenantParams, body: e.create, response: { 201: e.item, ...errors } } }, async (req, reply) =>
    reply.code(201).send(await e.ops.create(req.principal, req.params.tenantId, req.body)),
  );
  app.get(base, { schema: { tags, summary: `List ${e.path}`, params: S.TenantParams, querystring: S.Paging, response: { 200: S.pageOf(e.item), ...errors } } }, async (req) =>
    e.ops.list(req.principal, req.params.tenantId, req.query),
  );
  app.get(`${base}/:id`, { schema: { tags, summary: `Get a ${e.tag}`, params: ItemParams, response: { 200: e.item, ...errors } } }, async (req) =>
    e.ops.get(req.principal, req.params.tenantId, req.params.id),
  );
  app.patch(`${base}/:id`, { schema: { tags, summary: `Update a ${e.tag}`, params: ItemParams, body: e.patch, response: { 200: e.item, ...errors } } }, async (req) =>
    e.ops.update(req.principal, req.params.tenantId, req.params.id, req.body),
  );
};

/** Sites, services and resources (with their schedules) of a tenant. */
export const catalogRoutes: FastifyPluginAsync<{ core: Core }> = async (fastify, { core }) => {
  const c = core.catalog;
  await fastify.register(entityRoutes, {
    path: 'sites',
    tag: 'site',
    create: S.SiteCreate,
    patch: S.SitePatch,
    item: S.Site,
    ops: { create: c.createSite, get: c.getSite, update: c.updateSite, list: c.listSites },
  });
  await fastify.register(entityRoutes, {
    path: 'services',
    tag: 'service',
    create: S.ServiceCreate,
    patch: S.ServicePatch,
    item: S.Service,
    ops: { create: c.createService, get: c.getService, update: c.updateService, list: c.listServices },
  });
  await fastify.register(entityRoutes, {
    path: 'resources',
    tag: 'resource',
    create: S.ResourceCreate,
    patch: S.ResourcePatch,
    item: S.Resource,
    ops: {
      create: (p, t, body) => c.createResource(p, t, toResourceInput(body)),
      get: c.getResource,
      update: (p, t, id, body) => c.updateResource(p, t, id, toResourceInput(body)),
      list: c.listResources,
    },
  });

  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const ScheduleParams = Type.Object({ tenantId: Type.String(), id: Type.String({ minLength: 1, maxLength: 64 }) });
  app.get('/tenants/:tenantId/resources/:id/schedule', { schema: { tags: ['resource'], summary: 'Working hours and time off of a resource', params: ScheduleParams, response: { 200: S.ScheduleView, ...errors } } }, async (req) => {
    const r = await c.getResource(req.principal, req.params.tenantId, req.params.id);
    return { workingHours: r.workingHours, timeOff: r.timeOff };
  });
  app.put('/tenants/:tenantId/resources/:id/schedule', { schema: { tags: ['resource'], summary: 'Replace the working hours and time off of a resource', params: ScheduleParams, body: S.Schedule, response: { 200: S.ScheduleView, ...errors } } }, async (req) => {
    const r = await c.updateResource(req.principal, req.params.tenantId, req.params.id, toResourceInput(req.body as Static<typeof S.ResourcePatch>));
    return { workingHours: r.workingHours, timeOff: r.timeOff };
  });
};
