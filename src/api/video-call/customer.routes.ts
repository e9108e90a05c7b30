/** The customer's own booking: ask for a one-time code, then book with it (seed 002 "Schedule new"). */
import type { FastifyPluginAsync } from 'fastify';
import type { Core } from '../../core/core.ts';
import { toAppointmentResponse } from './appointment.mapper.ts';
import { basicCredentials, customerBookingInput, customerWithContact, verifiedCustomer } from './customer-booking.ts';
import * as S from './video-call.schemas.ts';
import { applicationIn } from './video-call.context.ts';

const tags = ['Video-call appointments'];

export const customerRoutes: FastifyPluginAsync<{ core: Core }> = async (app, { core }) => {
  app.post<{ Body: S.OtpRequest }>(
    '/appointments/basic/otp',
    {
      schema: {
        tags,
        security: [],
        operationId: 'requestOtp',
        summary: 'Send a one-time code to a customer',
        description:
          'Sends a 6-digit code to email (e-mail) or phone (SMS) for booking with the application: single use, ' +
          'valid 10 minutes, 5 wrong tries void it, at most 5 codes per recipient per hour (429 beyond). A new ' +
          'code replaces the earlier ones. Not in the document: its “Schedule new” needs the code.',
        body: S.OtpRequest,
        response: {
          204: { type: 'null', description: 'Sent' },
          400: S.SpringError,
          404: S.SpringError,
          429: S.SpringError,
          503: S.SpringError,
        },
      },
    },
    async (req, reply) => {
      // The application names the tenant: this request carries no credentials.
      await core.customerCodes.request({
        tenantId: null,
        applicationId: req.body.applicationId,
        email: req.body.email ?? null,
        phone: req.body.phone ?? null,
        now: core.now(),
      });
      return reply.code(204).send();
    },
  );

  app.post<{ Body: S.ScheduleAppointmentRequest }>(
    '/appointments/basic',
    {
      // The credentials' form is checked before the body: no or a malformed Basic header is a 401 whatever the body.
      onRequest: async (req) => {
        basicCredentials(req.headers.authorization);
      },
      schema: {
        tags,
        security: [],
        operationId: 'scheduleAsCustomer',
        summary: 'Schedule new',
        description:
          'Books a call as the customer, with Authorization: Basic base64(<email or phone>:<one-time code>) (a ' +
          'wrong, expired or used code → 401). start must be on the service’s grid, within its notice and ' +
          'horizon and an agent’s working hours (400 naming the reason); duration, when given, must be the ' +
          'service’s. A free agent is assigned (409 when none is free); the application’s templates become the ' +
          'call’s notifications, with its join link as {{roomLink}}. The verified address or number is the ' +
          'customer’s contact.',
        body: S.ScheduleAppointmentRequest,
        response: {
          200: S.GetAppointmentResponse,
          400: S.SpringError,
          401: S.SpringError,
          403: S.SpringError,
          409: S.SpringError,
        },
      },
    },
    async (req) => {
      const credentials = basicCredentials(req.headers.authorization);
      const application = await applicationIn(core, null, req.body.applicationId);
      const principal = await verifiedCustomer(core, application.tenantId, credentials, req.id);
      const customer = customerWithContact(req.body.customer, credentials.recipient);
      const { input } = customerBookingInput(req.body, application, customer);
      const { appointment } = await core.booking.createAppointment(principal, application.tenantId, input);
      return toAppointmentResponse(appointment, {
        active: application.notificationsActive,
        templates: application.notifications,
      });
    },
  );
};
