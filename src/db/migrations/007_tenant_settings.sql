-- A tenant's own booking rules beyond what its services say (e.g. the notice a customer with a
-- fraud-risk scoring needs). Empty: no such rule, which is every tenant's default.
ALTER TABLE tenants ADD COLUMN settings jsonb NOT NULL DEFAULT '{}';
