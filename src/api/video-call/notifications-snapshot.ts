/**
 * The call's notifications snapshot (core.notifications): read for every answer, and its
 * `values.roomLink` is the join link activation hands out. The one place this API touches it.
 */
import type { Core } from '../../core/core.ts';
import type { CreateAppointmentInput } from '../../core/booking/booking.types.ts';
import type { AppointmentNotificationsInput, PlaceholderValues } from '../../core/notifications/notification.types.ts';
import type { Principal } from '../../core/types.ts';

export const snapshotOf = (core: Core, p: Principal | null, tenantId: string, id: string) =>
  core.notifications.appointmentSnapshot(p, tenantId, id);

/** Sets the join link, beside the other values of the snapshot the caller already read. */
export async function setRoomLink(
  core: Core,
  p: Principal | null,
  a: { tenantId: string; id: string },
  values: PlaceholderValues,
  roomLink: string,
) {
  await core.notifications.setAppointmentNotifications(p, a.tenantId, a.id, { values: { ...values, roomLink } });
}

/** A create request that snapshots these notifications instead of the service's. */
export const withNotifications = (
  input: CreateAppointmentInput,
  notifications: AppointmentNotificationsInput,
): CreateAppointmentInput => ({ ...input, notifications });
