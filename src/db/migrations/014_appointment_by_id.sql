-- The video-call API's public calendar links name an appointment by its id alone (a UUID), without
-- its tenant: looking it up across tenants needs the id on its own.
CREATE INDEX appointments_by_id ON appointments (appointment_id);
