import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/core.ts';
import * as S from './admin.schemas.ts';
import * as A from './applications.schemas.ts';

const errors = { 400: S.ErrorBody, 401: S.ErrorBody, 403: S.ErrorBody, 404: S.ErrorBody, 409: S.ErrorBody };

/** Video-call applications of a tenant (docs/video-call.md, "Applications"). */
export const applicationRoutes: FastifyPluginAsync<{ core: Core }> = async (fastify, { core }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const a = core.applications;
  const tags = ['application'];
  const base = '/tenants/:tenantId/applications';

  app.post(
    base,
    {
      schema: {
        tags,
        operationId: 'createApplication',
        summary: 'Create a video-call application',
        description:
          'The service and site it books, the join-link base, the activation lead time (default PT10M), default ' +
          'locale and zone, sender address and notification templates. Its id is the video-call API’s ' +
          '`applicationId`. Setting `senderEmail` e-mails a verification code to that address.',
        params: S.TenantParams,
        body: A.ApplicationCreate,
        response: { 201: A.ApplicationSaved, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await a.create(req.principal, req.params.tenantId, req.body)),
  );
  app.get(
    base,
    {
      schema: {
        tags,
        operationId: 'listApplications',
        summary: 'List video-call applications',
        description: 'The tenant’s applications in creation order, a page at a time: how a client discovers ids.',
        params: S.TenantParams,
        querystring: S.Paging,
        response: { 200: S.pageOf(A.Application), ...errors },
      },
    },
    async (req) => a.list(req.principal, req.params.tenantId, req.query),
  );
  app.get(
    `${base}/:id`,
    {
      schema: {
        tags,
        operationId: 'getApplication',
        summary: 'Get a video-call application',
        description: 'One application with its templates.',
        params: A.ApplicationParams,
        response: { 200: A.Application, ...errors },
      },
    },
    async (req) => a.get(req.principal, req.params.tenantId, req.params.id),
  );
  app.patch(
    `${base}/:id`,
    {
      schema: {
        tags,
        operationId: 'updateApplication',
        summary: 'Change a video-call application',
        description:
          'Changes the fields sent (null clears locale, timezone or senderEmail; `notifications` replaces the whole ' +
          'list). Appointments already booked keep the templates they took. A new `senderEmail` e-mails a ' +
          'verification code to it.',
        params: A.ApplicationParams,
        body: A.ApplicationPatch,
        response: { 200: A.ApplicationSaved, ...errors },
      },
    },
    async (req) => a.update(req.principal, req.params.tenantId, req.params.id, req.body),
  );
  app.delete(
    `${base}/:id`,
    {
      schema: {
        tags,
        operationId: 'deleteApplication',
        summary: 'Delete a video-call application',
        description:
          'Removes the application; appointments booked through it stay in the core, and its id is no longer found.',
        params: A.ApplicationParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await a.remove(req.principal, req.params.tenantId, req.params.id);
      return reply.code(204).send(null);
    },
  );
};
