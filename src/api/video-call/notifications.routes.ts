/** Notifications of an application: confirm its sender address, send a test message (seed 002). */
import type { FastifyPluginAsync } from 'fastify';
import type { Core } from '../../core/core.ts';
import { invalidInput } from '../../core/errors.ts';
import { requireRoles, tenantOf } from './roles.ts';
import * as S from './video-call.schemas.ts';
import { applicationIn } from './video-call.context.ts';

const tags = ['Video-call notifications'];
const errors = S.ERRORS;

export const notificationsRoutes: FastifyPluginAsync<{ core: Core }> = async (app, { core }) => {
  app.post<{ Body: S.ServiceConfirmationRequest }>(
    '/notifications/emails/confirm',
    {
      onRequest: requireRoles('ADMIN'),
      schema: {
        tags,
        operationId: 'confirmSenderEmail',
        summary: 'OTP email apptsvc confirmation',
        description:
          'Completes the verification of the application’s senderEmail with the code e-mailed to it when it was ' +
          'set (single use, 15 minutes, 5 wrong tries void it): from then on the application’s messages are sent ' +
          'from it. A wrong or expired code, or an application without senderEmail, is a 400.',
        body: S.ServiceConfirmationRequest,
        response: { 204: { type: 'null', description: 'Confirmed' }, ...errors },
      },
    },
    async (req, reply) => {
      const tenantId = tenantOf(req);
      const application = await applicationIn(core, tenantId, req.body.applicationId);
      if (!application.senderEmail)
        throw invalidInput('The application has no senderEmail to confirm', [
          { field: 'applicationId', message: 'no senderEmail' },
        ]);
      await core.notifications.confirmSender(req.principal, tenantId, application.senderEmail, req.body.code);
      return reply.code(204).send();
    },
  );

  app.post<{ Body: S.EmailNotificationRequest }>(
    '/notifications/emails/test',
    {
      onRequest: requireRoles('ADMIN'),
      schema: {
        tags,
        operationId: 'testEmailNotification',
        summary: 'Test an email notification',
        description:
          'Renders the template with sample data (a sample customer, tomorrow 10:00 UTC) and sends it at once to ' +
          'toEmail; nothing is recorded. 400 for an invalid template, 503 when the mail server is missing or ' +
          'refuses.',
        body: S.EmailNotificationRequest,
        response: { 204: { type: 'null', description: 'Sent' }, 503: S.SpringError, ...errors },
      },
    },
    async (req, reply) => {
      const tenantId = tenantOf(req);
      await applicationIn(core, tenantId, req.body.applicationId);
      const b = req.body;
      await core.notifications.sendTestNotification(req.principal, tenantId, {
        template: {
          channel: b.channel,
          type: b.type,
          textBody: b.textBody,
          ...(b.period !== undefined ? { period: b.period } : {}),
          ...(b.subject !== undefined ? { subject: b.subject } : {}),
          ...(b.htmlBody !== undefined ? { htmlBody: b.htmlBody } : {}),
          ...(b.locale !== undefined ? { locale: b.locale } : {}),
        },
        toEmail: b.toEmail,
      });
      return reply.code(204).send();
    },
  );
};
