/**
 * What the outbox records and hands to its consumers. Two streams, each numbered 1, 2, 3…:
 * - appointment events, keyed by (tenant, appointment): every change of an appointment;
 * - hold events, keyed by (tenant, hold): created, extended, released, expired, converted. A hold
 *   is not an appointment (most never become one), so it does not take places in an appointment's
 *   sequence; converting a hold records `hold.converted` in the hold's stream and the appointment's
 *   own event (created, or rescheduled onto the hold) in the appointment's.
 */
import type { Queryable } from '../../db/database.ts';
import type { Appointment, AppointmentEventType, Hold } from '../types.ts';
import type { TenantCatalog } from '../catalog/catalog.cache.ts';

export type { AppointmentEventType };

export interface RecordedEvent {
  tenantId: string;
  /** The event's own id (a UUID): what a consumer deduplicates on. */
  id: string;
  appointmentId: string;
  /** 1, 2, 3… per appointment, in the order the changes committed. */
  seq: number;
  type: AppointmentEventType;
  at: Date;
  /** The principal's subject ('system' for jobs). */
  actor: string;
  /** The x-request-id of the request that caused the change; null for changes made by jobs. */
  correlationId: string | null;
  previous: Appointment | null;
  current: Appointment;
}

export interface EventConsumer {
  name: string;
  /** Called inside the transaction that records the event: enqueue work here, never send. */
  onEvent(tx: Queryable, event: RecordedEvent): Promise<void>;
  /**
   * Whether the consumer may have work for an event of this tenant, judged from the tenant's
   * catalog in memory (checked current by the statement that records the event). False lets a
   * one-statement change skip the transaction it would otherwise open for consumers. Absent: yes.
   */
  mayWant?(catalog: TenantCatalog, type: AppointmentEventType): boolean;
}

export type HoldEventType = 'hold.created' | 'hold.extended' | 'hold.released' | 'hold.expired' | 'hold.converted';

export interface RecordedHoldEvent {
  tenantId: string;
  id: string;
  holdId: string;
  /** 1, 2, 3… per hold. */
  seq: number;
  type: HoldEventType;
  at: Date;
  actor: string;
  correlationId: string | null;
  /** The hold after the change (a converted hold names its appointment). */
  hold: Hold;
}

export interface HoldEventConsumer {
  name: string;
  /** Called inside the transaction that records the event: enqueue work here, never send. */
  onHoldEvent(tx: Queryable, event: RecordedHoldEvent): Promise<void>;
}

/** A consumer of appointment events, of hold events, or of both. */
export type Consumer = EventConsumer | HoldEventConsumer | (EventConsumer & HoldEventConsumer);

/** What a use case hands to the outbox; the outbox adds the id and the sequence number. */
export type NewEvent = Omit<RecordedEvent, 'id' | 'seq' | 'tenantId' | 'appointmentId'>;
export type NewHoldEvent = Omit<RecordedHoldEvent, 'id' | 'seq' | 'tenantId' | 'holdId'>;
