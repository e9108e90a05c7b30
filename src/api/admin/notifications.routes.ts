import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/core.ts';
import { notFound } from '../../core/errors.ts';
import { ErrorBody, TenantParams } from './admin.schemas.ts';
import * as N from './notifications.schemas.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 503: ErrorBody };

/** Notification templates of a service and the messages of an appointment (docs/notifications.md). */
export const notificationRoutes: FastifyPluginAsync<{ core: Core }> = async (fastify, { core }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const n = core.notifications;
  const tags = ['notification'];
  const base = '/tenants/:tenantId/services/:serviceId/notifications';

  app.get(
    base,
    {
      schema: {
        tags,
        operationId: 'getServiceNotifications',
        summary: "A service's notification templates",
        description:
          'The templates (EMAIL, SMS; CREATE, RESCHEDULE, CANCEL, REMINDER, ROOM) of a service; none set: inactive ' +
          'and empty.',
        params: N.ServiceParams,
        response: { 200: N.NotificationSettingsView, ...errors },
      },
    },
    async (req) => n.getNotificationSettings(req.principal, req.params.tenantId, req.params.serviceId),
  );
  app.put(
    base,
    {
      schema: {
        tags,
        operationId: 'putServiceNotifications',
        summary: "Replace a service's notification templates",
        description:
          'Checks every template (periods, sizes, placeholders: an unknown one is a 400 naming it) and replaces the ' +
          'set; appointments booked from now on take a snapshot of it.',
        params: N.ServiceParams,
        body: N.NotificationSettings,
        response: { 200: N.NotificationSettingsView, ...errors },
      },
    },
    async (req) =>
      n.putNotificationSettings(req.principal, req.params.tenantId, req.params.serviceId, {
        ...req.body,
        senderEmail: req.body.senderEmail ?? null,
      }),
  );
  app.get(
    '/tenants/:tenantId/appointments/:id/notifications',
    {
      schema: {
        tags,
        operationId: 'listAppointmentNotifications',
        summary: 'Notification messages of an appointment',
        description:
          'Every message of the appointment, newest first (at most 100): channel, type, masked recipient, scheduled ' +
          'time, status, attempts and last error.',
        params: N.AppointmentParams,
        response: { 200: N.NotificationMessages, ...errors },
      },
    },
    async (req) => ({
      items: await n.listAppointmentNotifications(req.principal, req.params.tenantId, req.params.id),
    }),
  );
  const own = '/tenants/:tenantId/appointments/:id/notification-settings';
  app.get(
    own,
    {
      schema: {
        tags,
        operationId: 'getAppointmentNotificationSettings',
        summary: "An appointment's own notification templates and switch",
        description:
          'The snapshot the appointment took when it was created (its service’s templates, or those its API gave), ' +
          'its switch and its placeholder values; 404 when it took none.',
        params: N.AppointmentParams,
        response: { 200: N.AppointmentNotificationsView, ...errors },
      },
    },
    async (req) => {
      const s = await n.appointmentSnapshot(req.principal, req.params.tenantId, req.params.id);
      if (!s) throw notFound('Notification settings of appointment', req.params.id);
      return s;
    },
  );
  app.patch(
    own,
    {
      schema: {
        tags,
        operationId: 'patchAppointmentNotificationSettings',
        summary: "Switch an appointment's notifications, or change its templates",
        description:
          'Switched off (active false), its scheduled reminders are withdrawn and nothing more is sent; switched on ' +
          'or given other templates, its reminders are planned again for its current start. Nothing is sent at once.',
        params: N.AppointmentParams,
        body: N.AppointmentNotificationsPatch,
        response: { 200: N.AppointmentNotificationsView, ...errors },
      },
    },
    async (req) => n.setAppointmentNotifications(req.principal, req.params.tenantId, req.params.id, req.body),
  );
  app.post(
    '/tenants/:tenantId/notifications/test',
    {
      schema: {
        tags,
        operationId: 'sendTestNotification',
        summary: 'Send a template once, at once',
        description:
          'Renders the template with sample data (or the appointment named) and sends it to toEmail (EMAIL) or ' +
          'toPhone (SMS) now; 503 when the channel is not configured or refuses.',
        params: TenantParams,
        body: N.TestSend,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await n.sendTestNotification(req.principal, req.params.tenantId, req.body);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/tenants/:tenantId/senders',
    {
      schema: {
        tags,
        operationId: 'requestSenderVerification',
        summary: 'Send a verification code to a sender address',
        description:
          'E-mails a 6-digit code, valid 15 minutes, to the address; a new request replaces a pending code. Until ' +
          'confirmed, the address is never used as a sender.',
        params: TenantParams,
        body: N.SenderRequest,
        response: { 204: Type.Null(), 409: ErrorBody, ...errors },
      },
    },
    async (req, reply) => {
      await n.requestSenderCode(req.principal, req.params.tenantId, req.body.email);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/tenants/:tenantId/senders/confirm',
    {
      schema: {
        tags,
        operationId: 'confirmSenderVerification',
        summary: 'Confirm a sender address with its code',
        description:
          'Marks the address verified when the code is right. The code is single use; a wrong code is a 400, and 5 ' +
          'wrong codes void it.',
        params: TenantParams,
        body: N.SenderConfirm,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await n.confirmSender(req.principal, req.params.tenantId, req.body.email, req.body.code);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/tenants/:tenantId/appointments/:id/calendar',
    {
      schema: {
        tags,
        operationId: 'getAppointmentCalendarLinks',
        summary: 'Calendar links of an appointment',
        description:
          'The public iCalendar document (reachable without credentials through an unguessable id) and the Google ' +
          'Calendar link of the appointment.',
        params: N.AppointmentParams,
        response: { 200: N.CalendarLinks, ...errors },
      },
    },
    async (req) => {
      const links = await n.getCalendarLinks(req.principal, req.params.tenantId, req.params.id);
      return { ics: `/calendar/v1/${links.token}/event.ics`, google: links.googleLink };
    },
  );
};
