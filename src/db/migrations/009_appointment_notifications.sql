-- Notifications per appointment (issue 10, second part).

-- Values an API gives an appointment's messages beyond what the core knows, e.g. the video-call
-- API's join link ({{roomLink}}). A JSON object of strings, bounded by the core.
ALTER TABLE notification_snapshots ADD COLUMN placeholder_values jsonb NOT NULL DEFAULT '{}';

-- Verification codes requested for a sender address in the current hour: requests are limited per
-- address, so the endpoint cannot be used to flood someone's mailbox.
ALTER TABLE notification_senders ADD COLUMN codes_requested integer NOT NULL DEFAULT 0;
ALTER TABLE notification_senders ADD COLUMN codes_window_start timestamptz;

-- A tenant's settings (e.g. the default country of phone numbers, read at booking) are part of the
-- catalog kept in memory: changing them bumps the catalog version, like any catalog write (004).
CREATE TRIGGER tenants_catalog_version AFTER INSERT OR UPDATE OF settings ON tenants
  FOR EACH ROW EXECUTE FUNCTION bump_catalog_version();
