-- Every table carries tenant_id at the head of every key and constraint, so the schema can be
-- distributed by tenant (Citus) unchanged.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE tenants (
  tenant_id   text PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);

-- Keys look like '<tenant>.<secret>'; only a SHA-256 of the whole key is stored.
CREATE TABLE api_keys (
  tenant_id   text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  key_id      text NOT NULL,
  key_hash    text NOT NULL,
  label       text,
  roles       text[] NOT NULL,
  created_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  PRIMARY KEY (tenant_id, key_id),
  UNIQUE (tenant_id, key_hash)
);

CREATE TABLE sites (
  tenant_id    text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  site_id      text NOT NULL,
  name         text NOT NULL,
  time_zone    text NOT NULL,
  address      jsonb,
  geo          jsonb,
  service_area jsonb,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, site_id)
);

CREATE TABLE services (
  tenant_id         text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  service_id        text NOT NULL,
  name              text NOT NULL,
  names             jsonb NOT NULL,
  duration_min      integer NOT NULL CHECK (duration_min > 0),
  buffer_before_min integer NOT NULL CHECK (buffer_before_min >= 0),
  buffer_after_min  integer NOT NULL CHECK (buffer_after_min >= 0),
  seats             integer NOT NULL DEFAULT 1 CHECK (seats BETWEEN 1 AND 1000),
  rules             jsonb NOT NULL,
  slot_policy       jsonb NOT NULL,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, service_id)
);

CREATE TABLE resources (
  tenant_id     text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  resource_id   text NOT NULL,
  kind          text NOT NULL,
  name          text NOT NULL,
  service_ids   text[] NOT NULL,
  site_ids      text[] NOT NULL,
  working_hours jsonb NOT NULL,
  active        boolean NOT NULL,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, resource_id)
);

CREATE TABLE resource_time_off (
  tenant_id   text NOT NULL,
  resource_id text NOT NULL,
  time_off_id text NOT NULL,
  during      tstzrange NOT NULL,
  reason      text,
  PRIMARY KEY (tenant_id, resource_id, time_off_id),
  FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, resource_id) ON DELETE CASCADE
);

-- The personal identifier is kept only as a keyed hash: searchable, never readable.
CREATE TABLE customers (
  tenant_id        text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  customer_id      text NOT NULL,
  name             text,
  email            text,
  phone            text,
  language         text,
  personal_id_hash text,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, customer_id)
);
CREATE INDEX customers_personal_id ON customers (tenant_id, personal_id_hash) WHERE personal_id_hash IS NOT NULL;

CREATE TABLE appointments (
  tenant_id        text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  appointment_id   text NOT NULL,
  service_ids      text[] NOT NULL,
  site_id          text,
  resource_id      text,
  status           text NOT NULL CHECK (status IN ('requested', 'booked', 'in_progress', 'completed', 'cancelled', 'no_show')),
  starts_at        timestamptz,
  ends_at          timestamptz,
  requested_period tstzrange,
  customer_id      text,
  external_ref     text,
  participants     jsonb NOT NULL,
  notes            jsonb NOT NULL,
  attributes       jsonb NOT NULL,
  cancel_reason    text,
  version          integer NOT NULL,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, appointment_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, customer_id),
  CHECK ((starts_at IS NULL) = (ends_at IS NULL))
);
CREATE INDEX appointments_start ON appointments (tenant_id, starts_at);
CREATE INDEX appointments_status ON appointments (tenant_id, status, starts_at);
CREATE INDEX appointments_external_ref ON appointments (tenant_id, external_ref) WHERE external_ref IS NOT NULL;
CREATE INDEX appointments_customer ON appointments (tenant_id, customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX appointments_resource ON appointments (tenant_id, resource_id, starts_at);

CREATE TABLE holds (
  tenant_id      text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  hold_id        text NOT NULL,
  service_ids    text[] NOT NULL,
  site_id        text NOT NULL,
  resource_id    text NOT NULL,
  starts_at      timestamptz NOT NULL,
  ends_at        timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  status         text NOT NULL CHECK (status IN ('active', 'released', 'converted', 'expired')),
  appointment_id text,
  created_at     timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, hold_id)
);

-- What a resource is busy with: a hold or an appointment, buffers included. Exclusion
-- constraints, not application code, make overlapping active allocations of one resource
-- impossible: allocations of different sessions never overlap, and within one session (a
-- service with several seats, same start) each seat is taken once. A one-seat booking is its
-- own session (session_key = allocation_id). An expired hold is switched off (active = false)
-- by whichever transaction needs its time first, or by the expiry job.
CREATE TABLE allocations (
  tenant_id      text NOT NULL,
  allocation_id  text NOT NULL,
  resource_id    text NOT NULL,
  during         tstzrange NOT NULL,
  session_key    text NOT NULL,
  seat           integer NOT NULL CHECK (seat >= 1),
  appointment_id text,
  hold_id        text,
  expires_at     timestamptz,
  active         boolean NOT NULL,
  PRIMARY KEY (tenant_id, allocation_id),
  FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, resource_id),
  CHECK ((appointment_id IS NULL) <> (hold_id IS NULL)),
  CONSTRAINT allocations_no_overlap EXCLUDE USING gist (tenant_id WITH =, resource_id WITH =, during WITH &&, session_key WITH <>) WHERE (active),
  CONSTRAINT allocations_one_per_seat EXCLUDE USING gist (tenant_id WITH =, resource_id WITH =, seat WITH =, during WITH &&) WHERE (active)
);
CREATE INDEX allocations_appointment ON allocations (tenant_id, appointment_id) WHERE appointment_id IS NOT NULL;
CREATE INDEX allocations_hold ON allocations (tenant_id, hold_id) WHERE hold_id IS NOT NULL;

CREATE TABLE appointment_events (
  tenant_id      text NOT NULL,
  appointment_id text NOT NULL,
  seq            integer NOT NULL,
  event_type     text NOT NULL,
  actor          text NOT NULL,
  occurred_at    timestamptz NOT NULL,
  previous       jsonb,
  current        jsonb NOT NULL,
  PRIMARY KEY (tenant_id, appointment_id, seq),
  FOREIGN KEY (tenant_id, appointment_id) REFERENCES appointments (tenant_id, appointment_id) ON DELETE CASCADE
);

CREATE TABLE idempotency_keys (
  tenant_id      text NOT NULL,
  scope          text NOT NULL,
  idem_key       text NOT NULL,
  fingerprint    text NOT NULL,
  appointment_id text NOT NULL,
  created_at     timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, scope, idem_key)
);
