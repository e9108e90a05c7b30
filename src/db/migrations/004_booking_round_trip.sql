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
