/**
 * The call's notifications snapshot (the contract of issue 10's leftovers, built on main): read for
 * every answer, and its `values.roomLink` is the join link activation hands out. The one place this
 * API touches it.
 */
import type { Core } from '../../core/core.ts';
import type { CreateAppointmentInput } from '../../core/booking/booking.types.ts';
import type { NotificationTemplate } from '../../core/notifications/notification.types.ts';
import type { Principal } from '../../core/types.ts';

export interface AppointmentNotifications {
  active: boolean;
  senderEmail?: string | null;
  templates: NotificationTemplate[];
  values?: { roomLink?: string };
}

interface SnapshotUseCases {
  appointmentSnapshot(p: Principal | null, tenantId: string, id: string): Promise<AppointmentNotifications | null>;
  setAppointmentNotifications(
    p: Principal | null,
    tenantId: string,
    id: string,
    change: Partial<AppointmentNotifications>,
  ): Promise<unknown>;
}

// TODO(merge main): the use cases are core.notifications' once main has them; until then, none.
const useCases = (core: Core) => core.notifications as unknown as Partial<SnapshotUseCases>;

export async function snapshotOf(core: Core, p: Principal | null, tenantId: string, id: string) {
  return (await useCases(core).appointmentSnapshot?.(p, tenantId, id)) ?? null;
}

export async function setRoomLink(core: Core, p: Principal | null, tenantId: string, id: string, roomLink: string) {
  await useCases(core).setAppointmentNotifications?.(p, tenantId, id, { values: { roomLink } });
}

/** A create request that snapshots these notifications instead of the service's. */
export const withNotifications = (input: CreateAppointmentInput, n: AppointmentNotifications): CreateAppointmentInput =>
  ({ ...input, notifications: n }) as CreateAppointmentInput;
