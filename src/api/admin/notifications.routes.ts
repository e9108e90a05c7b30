import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/core.ts';
import { ErrorBody } from './admin.schemas.ts';
import * as N from './notifications.schemas.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** Notification templates of a service and the messages of an appointment (docs/notifications.md). */
export const notificationRoutes: FastifyPluginAsync<{ core: Core }> = async (fastify, { core }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const n = core.notifications;
  const tags = ['notification'];
  const base = '/tenants/:tenantId/services/:serviceId/notifications';

  app.get(base, { schema: { tags, summary: "A service's notification templates", params: N.ServiceParams, response: { 200: N.NotificationSettingsView, ...errors } } }, async (req) =>
    n.getNotificationSettings(req.principal, req.params.tenantId, req.params.serviceId),
  );
  app.put(base, { schema: { tags, summary: "Replace a service's notification templates (appointments booked from now on take them)", params: N.ServiceParams, body: N.NotificationSettings, response: { 200: N.NotificationSettingsView, ...errors } } }, async (req) =>
    n.putNotificationSettings(req.principal, req.params.tenantId, req.params.serviceId, { ...req.body, senderEmail: req.body.senderEmail ?? null }),
  );
  app.get('/tenants/:tenantId/appointments/:id/notifications', { schema: { tags, summary: 'Every notification message of an appointment, newest first (at most 100)', params: N.AppointmentParams, response: { 200: N.NotificationMessages, ...errors } } }, async (req) => ({
    items: await n.listAppointmentNotifications(req.principal, req.params.tenantId, req.params.id),
  }));
};
