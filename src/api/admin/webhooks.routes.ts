import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/core.ts';
import * as S from './admin.schemas.ts';
import * as W from './webhooks.schemas.ts';

const errors = { 400: S.ErrorBody, 401: S.ErrorBody, 403: S.ErrorBody, 404: S.ErrorBody, 409: S.ErrorBody };

/** Outgoing webhook subscriptions of a tenant, their deliveries, redelivery, replay and ping (docs/webhooks.md). */
export const webhookRoutes: FastifyPluginAsync<{ core: Core }> = async (fastify, { core }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const w = core.webhooks;
  const tags = ['webhook'];
  const base = '/tenants/:tenantId/webhooks';

  app.post(
    base,
    {
      schema: {
        tags,
        operationId: 'createWebhook',
        summary: 'Subscribe a URL (the secret is shown once)',
        description:
          'Subscribes an https URL to the tenant’s appointment events (all event types unless `events` names some). ' +
          'The signing secret is generated unless given, and shown only in this answer.',
        params: S.TenantParams,
        body: W.WebhookCreate,
        response: { 201: W.WebhookWithSecret, ...errors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await w.createSubscription(req.principal, req.params.tenantId, req.body)),
  );
  app.get(
    base,
    {
      schema: {
        tags,
        operationId: 'listWebhooks',
        summary: 'List webhooks',
        description: 'The tenant’s webhook subscriptions, a page at a time; secrets are never shown.',
        params: S.TenantParams,
        querystring: S.Paging,
        response: { 200: S.pageOf(W.WebhookView), ...errors },
      },
    },
    async (req) => w.listSubscriptions(req.principal, req.params.tenantId, req.query),
  );
  app.get(
    `${base}/:id`,
    {
      schema: {
        tags,
        operationId: 'getWebhook',
        summary: 'Get a webhook, with its delivery counts',
        description:
          'One subscription with its pending, delivered and failed delivery counts, so an endpoint that keeps ' +
          'failing is visible.',
        params: W.WebhookParams,
        response: { 200: W.WebhookView, ...errors },
      },
    },
    async (req) => w.getSubscription(req.principal, req.params.tenantId, req.params.id),
  );
  app.patch(
    `${base}/:id`,
    {
      schema: {
        tags,
        operationId: 'updateWebhook',
        summary: 'Update a webhook, or rotate its secret (both sign during the overlap)',
        description:
          'Changes the URL, event filter, description or active flag; `rotateSecret` issues a new secret shown ' +
          'once, and the old one keeps signing during the overlap period.',
        params: W.WebhookParams,
        body: W.WebhookPatch,
        response: { 200: W.WebhookWithSecret, ...errors },
      },
    },
    async (req) => w.updateSubscription(req.principal, req.params.tenantId, req.params.id, req.body),
  );
  app.delete(
    `${base}/:id`,
    {
      schema: {
        tags,
        operationId: 'deleteWebhook',
        summary: 'Delete a webhook and its deliveries',
        description: 'Removes the subscription; nothing more is sent to it.',
        params: W.WebhookParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await w.deleteSubscription(req.principal, req.params.tenantId, req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    `${base}/:id/deliveries`,
    {
      schema: {
        tags,
        operationId: 'listWebhookDeliveries',
        summary: 'Deliveries of a webhook, newest first',
        description:
          'Each delivery with its event, status (pending, delivered, failed), attempts, last response and next ' +
          'attempt; filter by status and appointment.',
        params: W.WebhookParams,
        querystring: W.DeliveryQuery,
        response: { 200: S.pageOf(W.Delivery), ...errors },
      },
    },
    async (req) => w.listDeliveries(req.principal, req.params.tenantId, req.params.id, req.query),
  );
  app.post(
    `${base}/:id/deliveries/:deliveryId/redeliver`,
    {
      schema: {
        tags,
        operationId: 'redeliverWebhookDelivery',
        summary: 'Send a delivered or failed event again (a new delivery)',
        description: 'Queues the same event (same event id, so receivers can deduplicate) as a new delivery.',
        params: W.DeliveryParams,
        response: { 202: W.Delivery, ...errors },
      },
    },
    async (req, reply) =>
      reply.code(202).send(await w.redeliver(req.principal, req.params.tenantId, req.params.id, req.params.deliveryId)),
  );
  app.post(
    `${base}/:id/replay`,
    {
      schema: {
        tags,
        operationId: 'replayWebhook',
        summary: 'Send again every event of a period that the webhook wants, in order',
        description:
          'Queues, in order per appointment, every event between `from` and `to` that the subscription’s filter ' +
          'selects (at most 10,000).',
        params: W.WebhookParams,
        body: W.Replay,
        response: { 202: W.ReplayQueued, ...errors },
      },
    },
    async (req, reply) =>
      reply.code(202).send(
        await w.replay(req.principal, req.params.tenantId, req.params.id, {
          from: new Date(req.body.from),
          to: new Date(req.body.to),
        }),
      ),
  );
  app.post(
    `${base}/:id/ping`,
    {
      schema: {
        tags,
        operationId: 'pingWebhook',
        summary: 'Queue a signed test event',
        description:
          'Sends a signed event of entity `Ping` to the URL, to check the endpoint and its signature verification.',
        params: W.WebhookParams,
        response: { 202: W.Delivery, ...errors },
      },
    },
    async (req, reply) => reply.code(202).send(await w.ping(req.principal, req.params.tenantId, req.params.id)),
  );
};
