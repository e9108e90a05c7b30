-- An appointment event stores what changed instead of two full copies of the appointment: the
-- state after the change is the JSON Patch (RFC 6902) from the state after the event before it
-- (current_patch), with a full copy (current) at the first event and at every 20th, from which a
-- page of the history is rebuilt; the state before an event is the state after the one before.
-- Rows written before this keep their full previous and current.
ALTER TABLE appointment_events ALTER COLUMN current DROP NOT NULL;
ALTER TABLE appointment_events ADD COLUMN current_patch jsonb;
ALTER TABLE appointment_events ADD CONSTRAINT appointment_events_state CHECK (current IS NOT NULL OR current_patch IS NOT NULL);
