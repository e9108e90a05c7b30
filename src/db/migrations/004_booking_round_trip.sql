-- Issue 8: one live appointment per work order decided by an index, and a per-tenant catalog
-- version that lets every process keep the catalog in memory.

-- An appointment created with "at most one live appointment for this external reference" (a
-- work order) keeps that mark for its whole life: a change of its reference, or reopening it,
-- is then refused by the same unique index as a second create, with no lock and no race.
ALTER TABLE appointments ADD COLUMN exclusive_ref boolean NOT NULL DEFAULT false;

-- Existing field-service appointments were created exclusive; the oldest live one of each work
-- order gets the mark (an older database could hold two, which the index would refuse).
UPDATE appointments a SET exclusive_ref = true
WHERE a.external_ref IS NOT NULL AND a.attributes ? 'tmf646'
  AND a.appointment_id = (
    SELECT b.appointment_id FROM appointments b
    WHERE b.tenant_id = a.tenant_id AND b.external_ref = a.external_ref AND b.attributes ? 'tmf646'
      AND b.status IN ('requested', 'booked', 'in_progress')
    ORDER BY b.created_at, b.appointment_id LIMIT 1);
UPDATE appointments a SET exclusive_ref = true
WHERE a.external_ref IS NOT NULL AND a.attributes ? 'tmf646' AND a.status NOT IN ('requested', 'booked', 'in_progress');

CREATE UNIQUE INDEX appointments_live_work_order ON appointments (tenant_id, external_ref)
  WHERE exclusive_ref AND status IN ('requested', 'booked', 'in_progress');

-- The catalog's version per tenant, bumped by every write of a site, service, resource or time
-- off (by a trigger, so no writer can forget it). A process keeps the catalog in memory and
-- compares this number, cheaply, before trusting its copy.
CREATE TABLE catalog_versions (
  tenant_id text PRIMARY KEY,
  version   bigint NOT NULL
);

CREATE FUNCTION bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  t text := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
BEGIN
  INSERT INTO catalog_versions (tenant_id, version) VALUES (t, 1)
  ON CONFLICT (tenant_id) DO UPDATE SET version = catalog_versions.version + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER sites_catalog_version AFTER INSERT OR UPDATE OR DELETE ON sites
  FOR EACH ROW EXECUTE FUNCTION bump_catalog_version();
CREATE TRIGGER services_catalog_version AFTER INSERT OR UPDATE OR DELETE ON services
  FOR EACH ROW EXECUTE FUNCTION bump_catalog_version();
CREATE TRIGGER resources_catalog_version AFTER INSERT OR UPDATE OR DELETE ON resources
  FOR EACH ROW EXECUTE FUNCTION bump_catalog_version();
CREATE TRIGGER resource_time_off_catalog_version AFTER INSERT OR UPDATE OR DELETE ON resource_time_off
  FOR EACH ROW EXECUTE FUNCTION bump_catalog_version();

-- A booking in one statement (issue 8): everything a new booked appointment needs, decided in
-- the database in one round trip. The caller (src/core/booking/booking.statement.ts) has already
-- checked the request against its in-memory catalog (of version p_catalog_version) and found the
-- slot and the resources that work then, in the order to try them. Here:
--   1. the catalog must still be at that version, else 'stale' and nothing written (the caller
--      reloads its catalog and calls again);
--   2. the Idempotency-Key is claimed, else 'replay' with the earlier claim, nothing written;
--   3. the candidates are tried in order: INSERT ... ON CONFLICT DO NOTHING, so the exclusion
--      constraints decide every clash; an expired hold still switched on is switched off only
--      when it stands in the way, then the candidate is tried once more;
--   4. the customer is found by id or personal-id hash and upserted, the appointment inserted,
--      its appointment.created event appended (seq 1, the outbox's event id).
-- Refusals raise (so a claimed key is rolled back with the rest): SB001 the appointment id exists,
-- SB002 the work order has a live appointment (DETAIL: its id), SB003 no candidate is free. The
-- unique index on live work orders still decides a race between two creates (23505).
CREATE FUNCTION book_appointment(
  p_tenant text, p_id text, p_catalog_version bigint, p_now timestamptz,
  p_idem jsonb, p_exclusive boolean,
  p_candidates text[], p_allocation_ids text[], p_alloc_start timestamptz, p_alloc_end timestamptz,
  p_customer jsonb, p_appointment jsonb, p_event jsonb
) RETURNS TABLE (outcome text, earlier_id text, earlier_fingerprint text, booked_resource_id text, booked_customer_id text)
LANGUAGE plpgsql AS $$
DECLARE
  v_during tstzrange := tstzrange(p_alloc_start, p_alloc_end);
  v_ref text := p_appointment->>'externalRef';
  v_live text;
  v_resource text;
  v_customer text;
  v_current jsonb;
BEGIN
  IF coalesce((SELECT c.version FROM catalog_versions c WHERE c.tenant_id = p_tenant), 0) <> p_catalog_version THEN
    RETURN QUERY SELECT 'stale'::text, NULL::text, NULL::text, NULL::text, NULL::text;
    RETURN;
  END IF;

  IF p_idem IS NOT NULL THEN
    INSERT INTO idempotency_keys (tenant_id, scope, idem_key, fingerprint, appointment_id, created_at)
    VALUES (p_tenant, p_idem->>'scope', p_idem->>'key', p_idem->>'fingerprint', p_id, p_now) ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'replay'::text, k.appointment_id, k.fingerprint, NULL::text, NULL::text
        FROM idempotency_keys k WHERE k.tenant_id = p_tenant AND k.scope = p_idem->>'scope' AND k.idem_key = p_idem->>'key';
      RETURN;
    END IF;
  END IF;

  IF EXISTS (SELECT 1 FROM appointments a WHERE a.tenant_id = p_tenant AND a.appointment_id = p_id) THEN
    RAISE EXCEPTION 'appointment % exists', p_id USING ERRCODE = 'SB001';
  END IF;
  IF p_exclusive AND v_ref IS NOT NULL THEN
    SELECT a.appointment_id INTO v_live FROM appointments a
    WHERE a.tenant_id = p_tenant AND a.external_ref = v_ref AND a.status IN ('requested', 'booked', 'in_progress')
    ORDER BY a.exclusive_ref DESC LIMIT 1;
    IF v_live IS NOT NULL THEN
      RAISE EXCEPTION 'work order % has a live appointment', v_ref USING ERRCODE = 'SB002', DETAIL = v_live;
    END IF;
  END IF;

  FOR i IN 1 .. coalesce(array_length(p_candidates, 1), 0) LOOP
    INSERT INTO allocations (tenant_id, allocation_id, resource_id, during, session_key, seat, appointment_id, hold_id, expires_at, active)
    VALUES (p_tenant, p_allocation_ids[i], p_candidates[i], v_during, p_allocation_ids[i], 1, p_id, NULL, NULL, true)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      UPDATE allocations l SET active = false
      WHERE l.tenant_id = p_tenant AND l.resource_id = p_candidates[i] AND l.active AND l.expires_at <= p_now AND l.during && v_during;
      IF FOUND THEN
        INSERT INTO allocations (tenant_id, allocation_id, resource_id, during, session_key, seat, appointment_id, hold_id, expires_at, active)
        VALUES (p_tenant, p_allocation_ids[i], p_candidates[i], v_during, p_allocation_ids[i], 1, p_id, NULL, NULL, true)
        ON CONFLICT DO NOTHING;
      END IF;
    END IF;
    IF FOUND THEN
      v_resource := p_candidates[i];
      EXIT;
    END IF;
  END LOOP;
  IF v_resource IS NULL THEN
    RAISE EXCEPTION 'no candidate is free' USING ERRCODE = 'SB003';
  END IF;

  IF p_customer IS NOT NULL THEN
    v_customer := coalesce(
      p_customer->>'id',
      (SELECT c.customer_id FROM customers c WHERE c.tenant_id = p_tenant AND c.personal_id_hash = p_customer->>'hash' ORDER BY c.created_at LIMIT 1),
      p_customer->>'newId');
    INSERT INTO customers AS c (tenant_id, customer_id, name, email, phone, language, personal_id_hash, created_at, updated_at)
    VALUES (p_tenant, v_customer, p_customer->>'name', p_customer->>'email', p_customer->>'phone', p_customer->>'language',
      p_customer->>'hash', p_now, p_now)
    ON CONFLICT (tenant_id, customer_id) DO UPDATE SET
      name = CASE WHEN (p_customer->>'keepName')::boolean THEN c.name ELSE EXCLUDED.name END,
      email = CASE WHEN (p_customer->>'keepEmail')::boolean THEN c.email ELSE EXCLUDED.email END,
      phone = CASE WHEN (p_customer->>'keepPhone')::boolean THEN c.phone ELSE EXCLUDED.phone END,
      language = CASE WHEN (p_customer->>'keepLanguage')::boolean THEN c.language ELSE EXCLUDED.language END,
      personal_id_hash = CASE WHEN (p_customer->>'keepHash')::boolean THEN c.personal_id_hash ELSE EXCLUDED.personal_id_hash END,
      updated_at = EXCLUDED.updated_at;
  END IF;

  v_current := p_appointment || jsonb_build_object('resourceId', v_resource, 'customerId', v_customer);
  INSERT INTO appointments (tenant_id, appointment_id, service_ids, site_id, resource_id, status, starts_at, ends_at,
    requested_period, customer_id, external_ref, participants, notes, attributes, cancel_reason, version, created_at, updated_at, exclusive_ref)
  VALUES (p_tenant, p_id, ARRAY(SELECT jsonb_array_elements_text(p_appointment->'serviceIds')), p_appointment->>'siteId', v_resource,
    p_appointment->>'status', (p_appointment->>'start')::timestamptz, (p_appointment->>'end')::timestamptz,
    CASE WHEN jsonb_typeof(p_appointment->'requestedPeriod') = 'object'
      THEN tstzrange((p_appointment#>>'{requestedPeriod,start}')::timestamptz, (p_appointment#>>'{requestedPeriod,end}')::timestamptz) END,
    v_customer, v_ref, p_appointment->'participants', p_appointment->'notes', p_appointment->'attributes', NULL,
    (p_appointment->>'version')::integer, (p_appointment->>'createdAt')::timestamptz, (p_appointment->>'updatedAt')::timestamptz,
    p_exclusive AND v_ref IS NOT NULL);

  INSERT INTO appointment_events (tenant_id, appointment_id, seq, event_id, event_type, actor, occurred_at, correlation_id, previous, current)
  VALUES (p_tenant, p_id, 1, (p_event->>'id')::uuid, p_event->>'type', p_event->>'actor', (p_event->>'at')::timestamptz,
    p_event->>'correlationId', NULL, v_current);

  RETURN QUERY SELECT 'booked'::text, NULL::text, NULL::text, v_resource, v_customer;
END $$;
