/**
 * The outbox: the only way a change is recorded. `recordEvent` appends the event to its stream
 * with the next sequence number and, in the same transaction, hands it to every consumer, which
 * enqueues its own work (a job) there. A rollback leaves neither the event nor the work; a commit
 * leaves both. Consumers never send anything from inside the transaction.
 */
import type { Queryable } from '../../db/database.ts';
import type { TenantCatalog } from '../catalog/catalog.cache.ts';
import type { Appointment, AppointmentEventType, Hold } from '../types.ts';
import { insertAppointmentEvent, insertHoldEvent } from './event.repository.ts';
import type { Consumer, NewEvent, NewHoldEvent, RecordedEvent, RecordedHoldEvent } from './event.types.ts';

export interface Outbox {
  /** Records one change of `event.current` (tenant and appointment are taken from it). */
  recordEvent(tx: Queryable, event: NewEvent): Promise<RecordedEvent>;
  /** Records one change of `event.hold`. */
  recordHoldEvent(tx: Queryable, event: NewHoldEvent): Promise<RecordedHoldEvent>;
  /**
   * Whether a consumer may have work for this event (a statement that appends an event itself must then hand it over,
   * in its transaction).
   */
  wantsEvent(catalog: TenantCatalog, type: AppointmentEventType): boolean;
  /**
   * Hands an event that a statement appended itself (the one-statement booking) to the consumers, in the same
   * transaction.
   */
  handOver(tx: Queryable, event: RecordedEvent): Promise<void>;
}

export function createOutbox(deps: { newId: () => string; consumers: readonly Consumer[] }): Outbox {
  const onEvent = deps.consumers.filter((c): c is Extract<Consumer, { onEvent: unknown }> => 'onEvent' in c);
  const onHoldEvent = deps.consumers.filter(
    (c): c is Extract<Consumer, { onHoldEvent: unknown }> => 'onHoldEvent' in c,
  );
  return {
    wantsEvent: (catalog, type) => onEvent.some((c) => c.mayWant?.(catalog, type) ?? true),
    async handOver(tx, recorded) {
      for (const c of onEvent) await c.onEvent(tx, recorded);
    },
    async recordEvent(tx, e) {
      const current: Appointment = e.current;
      const unnumbered = { ...e, tenantId: current.tenantId, appointmentId: current.id, id: deps.newId() };
      const recorded: RecordedEvent = { ...unnumbered, seq: await insertAppointmentEvent(tx, unnumbered) };
      for (const c of onEvent) await c.onEvent(tx, recorded);
      return recorded;
    },
    async recordHoldEvent(tx, e) {
      const hold: Hold = e.hold;
      const unnumbered = { ...e, tenantId: hold.tenantId, holdId: hold.id, id: deps.newId() };
      const recorded: RecordedHoldEvent = { ...unnumbered, seq: await insertHoldEvent(tx, unnumbered) };
      for (const c of onHoldEvent) await c.onHoldEvent(tx, recorded);
      return recorded;
    },
  };
}
