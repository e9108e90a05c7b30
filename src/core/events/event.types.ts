import type { Queryable } from '../../db/database.ts';
import type { Appointment, AppointmentEventType } from '../types.ts';
export interface RecordedEvent {
  tenantId: string; id: string /* event uuid */; appointmentId: string; seq: number /* per appointment 1,2,3 */;
  type: AppointmentEventType; at: Date; actor: string;
  correlationId: string | null /* x-request-id of the request that caused the change */;
  previous: Appointment | null; current: Appointment;
}
export interface EventConsumer {
  name: string;
  /** Called inside the transaction that records the event: enqueue work here, never send. */
  onEvent(tx: Queryable, event: RecordedEvent): Promise<void>;
}
