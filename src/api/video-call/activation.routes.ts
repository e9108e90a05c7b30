/**
 * Activation: the join link of a call (the application's videoBaseUrl and the call's ticket) inside
 * its eligibility window, start − lead time … end; and the calls eligible now (seed 002).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Core } from '../../core/core.ts';
import type { Appointment, Principal } from '../../core/types.ts';
import type { VideoApplication } from '../../core/applications/application.types.ts';
import { VIDEO_CALL, visibleVideoCall } from './appointment.mapper.ts';
import { parseDuration } from './duration.ts';
import {
  activationLeadSeconds,
  assertActivatableStatus,
  assertInActivationWindow,
  eligibleFrom,
} from '../../core/applications/activation.ts';
import { requireRoles, tenantOf } from './roles.ts';
import * as S from './video-call.schemas.ts';
import { applicationOf, loadVideoCall, newTicket } from './video-call.context.ts';
import { setRoomLink, snapshotOf } from './notifications-snapshot.ts';

const tags = ['Video-call appointments'];
const errors = S.ERRORS;
/** The longest timeFrame of the eligible search (as the longest lead time an application may have). */
const MAX_TIME_FRAME_S = 7 * 86_400;
/** Eligible calls answered at most (the earliest). */
const MAX_ELIGIBLE = 500;

/** The call's join link: the one its notifications snapshot carries ({{roomLink}}), made once if it has none. */
async function roomLinkOf(core: Core, p: Principal | null, a: Appointment, app: VideoApplication): Promise<string> {
  const values = (await snapshotOf(core, p, a.tenantId, a.id))?.values ?? {};
  if (values.roomLink) return values.roomLink;
  const made = `${app.videoBaseUrl}${newTicket()}`;
  await setRoomLink(core, p, a, values, made);
  return made;
}

export const activationRoutes: FastifyPluginAsync<{ core: Core }> = async (app, { core }) => {
  app.post<{ Params: S.IdParams }>(
    '/appointments/activate/:id',
    {
      onRequest: requireRoles('CLIENT_SERVICE'),
      schema: {
        tags,
        operationId: 'activate',
        summary: 'Activate',
        description:
          'The join link of the call: the application’s videoBaseUrl followed by the call’s unguessable ticket (the ' +
          'same link its ROOM message carries as {{roomLink}}), valid until the call’s end (expires). Only from ' +
          'start − the application’s activationLeadTime until the end, and only for a call not ended: 400 ' +
          'otherwise. Activating again answers the same link.',
        params: S.IdParams,
        response: { 200: S.AppointmentActivationResponse, ...errors },
      },
    },
    async (req) => {
      const tenantId = tenantOf(req);
      const { appointment: a, data, start, end } = await loadVideoCall(core, req.principal, tenantId, req.params.id);
      assertActivatableStatus(a.status);
      const application = await applicationOf(core, tenantId, data.applicationId);
      assertInActivationWindow(application, { start, end }, core.now());
      const url = await roomLinkOf(core, req.principal, a, application);
      return { expires: end.toISOString(), type: 'MULTI_USE_TICKET' as const, url };
    },
  );

  app.get<{ Querystring: { timeFrame?: string } }>(
    '/appointments/eligible/',
    {
      onRequest: requireRoles('CLIENT_SERVICE'),
      schema: {
        tags,
        operationId: 'findAllEligible',
        summary: 'Find all eligible for activation',
        description:
          'The scheduled calls that can be activated now: eligibleFrom (start − timeFrame, or start − the ' +
          'application’s activationLeadTime without timeFrame) has passed and the call has not ended. timeFrame ' +
          'at most P7D; at most 500 calls, the earliest first.',
        querystring: S.EligibleQuery,
        response: { 200: S.FindAppointmentsEligibleResponse, ...errors },
      },
    },
    async (req) => {
      const tenantId = tenantOf(req);
      const frame =
        req.query.timeFrame === undefined
          ? null
          : parseDuration(req.query.timeFrame, 'timeFrame', { min: 0, max: MAX_TIME_FRAME_S });
      const now = core.now();
      const page = await core.booking.listAppointments(req.principal, tenantId, {
        status: ['booked'],
        from: now,
        // Calls starting within the longest lead time: which of them are eligible depends on each one's lead.
        to: new Date(now.getTime() + (frame ?? MAX_TIME_FRAME_S) * 1000 + 1),
        attributes: [{ path: [VIDEO_CALL, 'applicationId'] }],
        sort: 'start',
        order: 'asc',
        limit: MAX_ELIGIBLE,
      });
      const leads = new Map<string, number>();
      const eligible = [];
      for (const a of page.items) {
        const { data, start } = visibleVideoCall(a);
        let lead = frame ?? leads.get(data.applicationId);
        if (lead === undefined) {
          const application = await applicationOf(core, tenantId, data.applicationId).catch(() => null);
          lead = application ? activationLeadSeconds(application) : 0;
          leads.set(data.applicationId, lead);
        }
        const from = eligibleFrom(start, lead);
        if (from <= now)
          eligible.push({
            eligibleFrom: from.toISOString(),
            id: a.id,
            start: start.toISOString(),
            timezone: data.timezone,
          });
      }
      return eligible;
    },
  );
};
