-- One-time codes sent to customers (issue 11: the video-call API's OTP). One row per code sent.
-- Neither the recipient nor the code is kept in clear: both are keyed hashes (hashPersonalId), so
-- the table holds no personal data and a leaked row reveals no code. Rows older than the rate
-- limit's window are deleted when the next code of the tenant is requested.
CREATE TABLE customer_codes (
  tenant_id       text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  code_id         text NOT NULL,
  recipient_hash  text NOT NULL,
  application_id  text NOT NULL,
  channel         text NOT NULL CHECK (channel IN ('EMAIL', 'SMS')),
  code_hash       text NOT NULL,
  expires_at      timestamptz NOT NULL,
  wrong_tries     integer NOT NULL DEFAULT 0,
  -- Set when the code was accepted (single use) or voided by too many wrong tries.
  used_at         timestamptz,
  voided_at       timestamptz,
  created_at      timestamptz NOT NULL,
  -- The order codes were inserted in (their recipient's requests are serialized): of two codes
  -- created in the same millisecond, the later one is the newest.
  seq             bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (tenant_id, code_id)
);
CREATE INDEX customer_codes_recipient ON customer_codes (tenant_id, recipient_hash, created_at);
CREATE INDEX customer_codes_created ON customer_codes (tenant_id, created_at);
