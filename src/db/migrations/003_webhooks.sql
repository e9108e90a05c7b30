-- Outgoing webhooks (issue 9). tenant_id heads every key, as in 001.

-- A subscriber: where to send which event types, signed with `secret` (and, during a rotation's
-- overlap, also with `previous_secret` until `previous_secret_until`).
CREATE TABLE webhook_subscriptions (
  tenant_id             text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  subscription_id       text NOT NULL,
  url                   text NOT NULL CHECK (length(url) <= 2048),
  -- Seed event types this subscriber wants; NULL means all of them.
  events                text[] CHECK (events IS NULL OR cardinality(events) <= 20),
  secret                text NOT NULL CHECK (length(secret) <= 200),
  previous_secret       text CHECK (length(previous_secret) <= 200),
  previous_secret_until timestamptz,
  description           text CHECK (length(description) <= 500),
  -- Language tag given to texts we hold in one language only (site names, addresses).
  language              text NOT NULL DEFAULT 'en' CHECK (length(language) <= 2),
  active                boolean NOT NULL,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, subscription_id)
);

-- Deliveries send the outbox's own events (appointment_events, found by tenant and event_id, with
-- seq, correlation_id and the snapshots before and after): no copy is kept here. A replay reads the
-- tenant's events of a period, hence this index.
CREATE INDEX appointment_events_period ON appointment_events (tenant_id, occurred_at);

-- One event to one subscriber. Pending rows are claimed with a lease (lease_token, lease_until) so
-- that a process killed mid-send leaves the row to be claimed again once the lease has run out.
-- event_id is appointment_events.event_id (as text). A ping has no event: its kind is 'ping' and
-- event_id names only itself.
CREATE TABLE webhook_deliveries (
  tenant_id            text NOT NULL,
  delivery_id          text NOT NULL,
  subscription_id      text NOT NULL,
  kind                 text NOT NULL CHECK (kind IN ('event', 'ping')),
  event_id             text NOT NULL,
  appointment_id       text,
  seq                  integer,
  event_type           text NOT NULL,
  status               text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts             integer NOT NULL DEFAULT 0,
  next_attempt_at      timestamptz,
  lease_token          text,
  lease_until          timestamptz,
  last_response_status integer,
  last_response_body   text CHECK (length(last_response_body) <= 2048),
  last_error           text CHECK (length(last_error) <= 1000),
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL,
  delivered_at         timestamptz,
  PRIMARY KEY (tenant_id, delivery_id),
  FOREIGN KEY (tenant_id, subscription_id) REFERENCES webhook_subscriptions (tenant_id, subscription_id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (tenant_id, subscription_id, appointment_id, seq) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_list ON webhook_deliveries (tenant_id, subscription_id, created_at);
