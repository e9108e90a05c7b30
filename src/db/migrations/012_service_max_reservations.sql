-- The most people one booking of a service may bring (a branch visit for a couple, a family).
-- NULL: the service sets no limit of its own, which is every service's default.
ALTER TABLE services ADD COLUMN max_reservations integer CHECK (max_reservations BETWEEN 1 AND 1000);
