-- The appointment a hold was taken to move (a reservation made to reschedule one booking): only a
-- reschedule of that appointment may use the hold. NULL: any booking of the tenant may use it once.
ALTER TABLE holds ADD COLUMN for_appointment_id text;
