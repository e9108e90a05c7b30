-- The outbox: every recorded change is an event with a stable id, its place in its stream
-- (seq: 1, 2, 3… per appointment, unique with the stream key) and the request that caused it.
-- appointment_events already numbers its rows per appointment (primary key tenant, appointment,
-- seq); existing rows get an id here. Event ids are written by the application.
ALTER TABLE appointment_events ADD COLUMN event_id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE appointment_events ALTER COLUMN event_id DROP DEFAULT;
ALTER TABLE appointment_events ADD COLUMN correlation_id text;
ALTER TABLE appointment_events ADD CONSTRAINT appointment_events_event_id UNIQUE (tenant_id, event_id);

-- Holds have a stream of their own, keyed by hold: created, extended, released, expired,
-- converted. A hold is not an appointment (it may never become one), so its events do not
-- take places in an appointment's sequence; a conversion names the appointment in the snapshot.
CREATE TABLE hold_events (
  tenant_id      text NOT NULL,
  hold_id        text NOT NULL,
  seq            integer NOT NULL,
  event_id       uuid NOT NULL,
  event_type     text NOT NULL,
  actor          text NOT NULL,
  occurred_at    timestamptz NOT NULL,
  correlation_id text,
  hold           jsonb NOT NULL,
  PRIMARY KEY (tenant_id, hold_id, seq),
  UNIQUE (tenant_id, event_id),
  FOREIGN KEY (tenant_id, hold_id) REFERENCES holds (tenant_id, hold_id) ON DELETE CASCADE
);
