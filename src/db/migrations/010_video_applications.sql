-- Video-call applications (issue 11): a tenant's configured video-call offering, addressed by an id
-- that is unique across tenants (the unauthenticated count endpoints of the video-call API name an
-- application alone). The core checks and bounds every field before it is stored.
CREATE TABLE video_applications (
  application_id        text PRIMARY KEY CHECK (length(application_id) <= 64),
  tenant_id             text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  name                  text NOT NULL CHECK (length(name) <= 200),
  service_id            text NOT NULL,
  site_id               text NOT NULL,
  video_base_url        text NOT NULL CHECK (length(video_base_url) <= 2048),
  -- ISO 8601 duration: how long before the start a call may be activated.
  activation_lead_time  text NOT NULL CHECK (length(activation_lead_time) <= 40),
  locale                text CHECK (length(locale) <= 35),
  timezone              text CHECK (length(timezone) <= 64),
  sender_email          text CHECK (length(sender_email) <= 254),
  notifications_active  boolean NOT NULL,
  -- Templates in the seed's notification shape (the same as notification_settings.templates).
  notifications         jsonb NOT NULL,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, service_id),
  FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, site_id)
);
CREATE INDEX video_applications_tenant ON video_applications (tenant_id, created_at, application_id);
