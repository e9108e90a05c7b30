-- Notifications (issue 10): templates per service, the snapshot each appointment takes of them, and
-- every message (sent, scheduled or not) with its outcome. tenant_id heads every key, as in 001.

-- A service's templates, as set by PUT /admin/v1/tenants/{t}/services/{s}/notifications.
-- `templates` is a JSON array in the seed's shape, checked and bounded by the core before it is stored.
CREATE TABLE notification_settings (
  tenant_id    text NOT NULL,
  service_id   text NOT NULL,
  active       boolean NOT NULL,
  sender_email text CHECK (length(sender_email) <= 254),
  templates    jsonb NOT NULL,
  updated_at   timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, service_id),
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, service_id) ON DELETE CASCADE
);

-- The templates an appointment took when it was created: a later change of the service's
-- templates does not change what an existing appointment's customer receives.
CREATE TABLE notification_snapshots (
  tenant_id      text NOT NULL,
  appointment_id text NOT NULL,
  active         boolean NOT NULL,
  sender_email   text,
  templates      jsonb NOT NULL,
  created_at     timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, appointment_id)
);

-- One message of one template for one appointment. Sent by the job 'notification-send' (payload:
-- tenant and message id), which claims the row while it is `scheduled` (so two processes never
-- both send it) and records the outcome. Reminders carry the start they remind of: a reschedule
-- withdraws them and schedules new ones.
CREATE TABLE notification_messages (
  tenant_id         text NOT NULL,
  message_id        text NOT NULL,
  appointment_id    text NOT NULL,
  -- The outbox event that caused it (appointment_events.event_id): what CREATE/RESCHEDULE/CANCEL render.
  event_id          text NOT NULL,
  channel           text NOT NULL CHECK (channel IN ('EMAIL', 'SMS')),
  type              text NOT NULL CHECK (type IN ('CREATE', 'RESCHEDULE', 'CANCEL', 'REMINDER', 'ROOM')),
  template          jsonb NOT NULL,
  sender_email      text,
  appointment_start timestamptz,
  scheduled_at      timestamptz NOT NULL,
  status            text NOT NULL CHECK (status IN ('scheduled', 'sent', 'not_sent', 'skipped', 'failed', 'withdrawn')),
  attempts          integer NOT NULL DEFAULT 0,
  lease_until       timestamptz,
  recipient         text CHECK (length(recipient) <= 320),
  last_error        text CHECK (length(last_error) <= 1000),
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  sent_at           timestamptz,
  PRIMARY KEY (tenant_id, message_id)
);
CREATE INDEX notification_messages_appointment ON notification_messages (tenant_id, appointment_id, created_at);

-- Sender addresses of a tenant and their verification: a 6-digit code sent to the address, kept as
-- a hash, single use, with an expiry and a count of wrong tries. Only a verified address sends.
CREATE TABLE notification_senders (
  tenant_id       text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  email           text NOT NULL CHECK (length(email) <= 254),
  code_hash       text,
  code_expires_at timestamptz,
  wrong_tries     integer NOT NULL DEFAULT 0,
  verified_at     timestamptz,
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, email)
);

-- Whether a tenant has notification settings is kept in memory with its catalog (see 005): a
-- booking of a tenant without any stays one statement. Changing them bumps the catalog version.
CREATE TRIGGER notification_settings_catalog_version AFTER INSERT OR UPDATE OR DELETE ON notification_settings
  FOR EACH ROW EXECUTE FUNCTION bump_catalog_version();
