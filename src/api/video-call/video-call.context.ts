/**
 * What every operation of the video-call API needs from the core: the appointment as this API sees
 * it, its application, its notifications snapshot, and a change made at the version read.
 */
import { randomBytes } from 'node:crypto';
import type { Core } from '../../core/core.ts';
import { invalidInput, notFound } from '../../core/errors.ts';
import type { Appointment, Principal } from '../../core/types.ts';
import type { AppointmentChange } from '../../core/booking/booking.types.ts';
import type { VideoApplication } from '../../core/applications/application.types.ts';
import { toAppointmentResponse, visibleVideoCall, VIDEO_CALL, type VideoCallData } from './appointment.mapper.ts';

/** The appointment of this API (made through it, not deleted); 404 otherwise. */
export async function loadVideoCall(core: Core, p: Principal | null, tenantId: string, id: string) {
  const a = await core.booking.getAppointment(p, tenantId, id);
  return { appointment: a, ...visibleVideoCall(a) };
}

/** The application, of the tenant, or of any tenant when null (it then names the tenant); null otherwise. */
async function findApplication(core: Core, tenantId: string | null, applicationId: string) {
  const app = await core.applications.findById(applicationId);
  return app && (tenantId === null || app.tenantId === tenantId) ? app : null;
}

/** The application addressed by a path or query: another tenant's is not found, as one that does not exist. */
export async function applicationOf(
  core: Core,
  tenantId: string | null,
  applicationId: string,
): Promise<VideoApplication> {
  const app = await findApplication(core, tenantId, applicationId);
  if (!app) throw notFound('Application', applicationId);
  return app;
}

/** An application named in a body: one that does not exist is a bad request, not a missing resource. */
export async function applicationIn(
  core: Core,
  tenantId: string | null,
  applicationId: string,
): Promise<VideoApplication> {
  const app = await findApplication(core, tenantId, applicationId);
  if (!app)
    throw invalidInput(`applicationId ${applicationId} names no application of this tenant`, [
      { field: 'applicationId', message: 'unknown' },
    ]);
  return app;
}

/** A ticket of the video service: 128 random bits, the tail of the join link. */
export const newTicket = () => randomBytes(16).toString('base64url');

/** The appointment as the API answers it, with its snapshot of notifications. */
export async function appointmentView(core: Core, p: Principal | null, a: Appointment) {
  return (await appointmentViews(core, p, a.tenantId, [a]))[0];
}

/** Several calls in this API's shape, their notifications snapshots read in one query (a page of find all). */
export async function appointmentViews(core: Core, p: Principal | null, tenantId: string, list: Appointment[]) {
  const snapshots = await core.notifications.appointmentSnapshots(
    p,
    tenantId,
    list.map((a) => a.id),
  );
  return list.map((a) => toAppointmentResponse(a, snapshots.get(a.id) ?? null));
}

/** This API's data changed as `patch` says, as a core update step. */
export const dataChange = (
  data: VideoCallData,
  patch: Partial<VideoCallData>,
): Extract<AppointmentChange, { kind: 'update' }> => ({
  kind: 'update',
  attributes: { [VIDEO_CALL]: { ...data, ...patch } },
});

/** Applies changes at the version read: a concurrent change in between is a 409, never a lost update. */
export function changeAtVersion(
  core: Core,
  p: Principal | null,
  a: Appointment,
  changes: AppointmentChange[],
): Promise<Appointment> {
  return core.booking.changeAppointment(p, a.tenantId, a.id, { expectedVersion: a.version, changes });
}
