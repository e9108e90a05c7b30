-- An appointment event keeps the state after the change in full (`current`) and, instead of a
-- second full copy of the state before it, the JSON Patch (RFC 6902) that turns `current` back
-- into it (`previous_patch`): a change of one field of a large appointment stores that field, and
-- each row still reads on its own. Rows written before this keep their full `previous`; the event
-- of a creation has neither.
ALTER TABLE appointment_events ADD COLUMN previous_patch jsonb;
