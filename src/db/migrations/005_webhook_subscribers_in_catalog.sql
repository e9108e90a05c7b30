-- Whether a tenant has webhook subscribers is kept in memory with its catalog, so that a booking
-- of a tenant without any needs no transaction of its own for them (one statement). Changing a
-- subscription therefore bumps the catalog version, like any catalog write (migration 004).
CREATE TRIGGER webhook_subscriptions_catalog_version AFTER INSERT OR UPDATE OR DELETE ON webhook_subscriptions
  FOR EACH ROW EXECUTE FUNCTION bump_catalog_version();
