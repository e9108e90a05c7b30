/**
 * Appointments Extension API (seed 000): flat create / update by work order, window search for the booking component,
 * back-office tasks.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Core } from '../../core/core.ts';
import { toTmfAppointment } from './appointment.mapper.ts';
import { AppointmentResponse, SearchTimeSlotResponse } from './appointment.schemas.ts';
import { OrgParams } from './common.schemas.ts';
import { prepareExtSearch, toExtSearchResponse } from './ext-search.mapper.ts';
import { extChangeRequest, repeatsBooking, toExtCreateInput, toTaskInput } from './ext.mapper.ts';
import * as S from './ext.schemas.ts';
import type { WorkOrderCommands } from './work-order.commands.ts';
import { idempotencyOf } from '../http/idempotency.ts';
import { riskNoticeOf } from './tenant-rules.ts';

const tags = ['Appointments Extension'];
const errors = { 400: S.ExtError, 401: S.ExtError, 403: S.ExtError, 404: S.ExtError, 409: S.ExtError, 503: S.ExtError };

export const extRoutes: FastifyPluginAsync<{ core: Core; commands: WorkOrderCommands }> = async (
  app,
  { core, commands },
) => {
  const now = () => core.now();

  app.post<{ Params: OrgParams; Body: S.CreateAppointment }>(
    '/:org/ext/appointments',
    {
      schema: {
        tags,
        operationId: 'extCreateAppointment',
        description:
          'Books the window validFor for the work order workOrderId at the gescal address or the customer’s postal ' +
          'code. A waiting task of the work order gets the window; the same request again answers the booked ' +
          'appointment; another window while one is booked is a 409.',
        summary: 'CreateAppointment: books the work order (its waiting task, if any, gets this window)',
        params: OrgParams,
        body: S.CreateAppointment,
        response: { 201: AppointmentResponse, ...errors },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const riskNotice = await riskNoticeOf(core, req.principal, req.params.org);
      const booked = await commands.bookWorkOrder(req.principal, req.params.org, b.workOrderId, {
        create: () => ({ ...toExtCreateInput(b, now(), riskNotice), idempotency: idempotencyOf(req) }),
        convert: (task) => extChangeRequest(task, b, now(), riskNotice),
        repeats: (live) => repeatsBooking(live, b),
      });
      return reply.code(201).send(toTmfAppointment(booked));
    },
  );

  app.put<{ Params: OrgParams; Body: S.UpdateAppointment }>(
    '/:org/ext/appointments',
    {
      schema: {
        tags,
        operationId: 'extUpdateAppointment',
        description:
          'Finds the live appointment of workOrderId, moves it to validFor (409 when taken) and refreshes the ' +
          'customer and work-order fields sent.',
        summary: 'UpdateAppointment: moves the work order’s appointment to validFor and refreshes its fields',
        params: OrgParams,
        body: S.UpdateAppointment,
        response: { 200: AppointmentResponse, ...errors },
      },
    },
    async (req) => {
      const b = req.body;
      const riskNotice = await riskNoticeOf(core, req.principal, req.params.org);
      return toTmfAppointment(
        await commands.changeWorkOrder(req.principal, req.params.org, b.workOrderId, (current) =>
          extChangeRequest(current, b, now(), riskNotice),
        ),
      );
    },
  );

  app.post<{ Params: OrgParams; Body: S.SearchTimeSlots }>(
    '/:org/ext/searchTimeSlots',
    {
      schema: {
        tags,
        operationId: 'extSearchTimeSlots',
        description:
          'The windows the booking component offers: NUEVACITA for a first appointment, MODIFICARCITA for moving ' +
          'the live appointment of orderWorkId (its own place counts as free). The tenant may require notice for ' +
          'some scoring results (settings riskNotice; none by default).',
        summary:
          'SearchTimeSlots: windows for a first appointment (NUEVACITA) or for moving the work order’s one ' +
          '(MODIFICARCITA)',
        params: OrgParams,
        body: S.SearchTimeSlots,
        response: { 200: SearchTimeSlotResponse, ...errors },
      },
    },
    async (req) => {
      const b = req.body;
      const at = now();
      const workOrder = b.action === 'MODIFICARCITA' ? b.orderWorkId : null;
      const riskNotice = await riskNoticeOf(core, req.principal, req.params.org);
      const found = await commands.searchForWorkOrder(req.principal, req.params.org, workOrder, (live) =>
        prepareExtSearch(b, live, at, riskNotice),
      );
      return toExtSearchResponse(b, found, req.params.org, at);
    },
  );

  app.post<{ Params: OrgParams; Body: S.CreateTaskAppointment }>(
    '/:org/ext/task',
    {
      schema: {
        tags,
        operationId: 'extCreateTask',
        description:
          'Records a back-office task to get an appointment for the work order between startDate and endDate (whole ' +
          'local days of timeZone); a later CreateAppointment of the same work order books it.',
        summary:
          'CreateTaskAppointment: a back-office task to get an appointment for the work order between startDate and ' +
          'endDate',
        params: OrgParams,
        body: S.CreateTaskAppointment,
        response: { 200: AppointmentResponse, ...errors },
      },
    },
    async (req) => {
      const input = { ...toTaskInput(req.body, now()), idempotency: idempotencyOf(req) };
      const { appointment } = await core.booking.createAppointment(req.principal, req.params.org, input);
      return toTmfAppointment(appointment);
    },
  );
};
