-- A contract's dates as last computed (insyn_domain::contract::schedule),
-- stored so that the list sorts and pages by the last day to give notice
-- in SQL: written in the same transaction as every contract write,
-- backfilled for existing rows by this migration (Rust, in migrate.rs),
-- and refreshed by the daily reminder pass once `dates_valid_until` (the
-- next day any of them can change) has passed. Pages still show the dates
-- computed fresh; these columns only order and select.
ALTER TABLE contracts ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN status TEXT NOT NULL DEFAULT 'draft';
ALTER TABLE contracts ADD COLUMN next_end TEXT;
ALTER TABLE contracts ADD COLUMN last_notice_day TEXT;
ALTER TABLE contracts ADD COLUMN dates_valid_until TEXT;
CREATE INDEX contracts_notice_day ON contracts(org_id, last_notice_day);
CREATE INDEX contracts_dates_valid ON contracts(dates_valid_until);
-- A supplier found by its organisation number (the import's supplier column).
CREATE INDEX suppliers_org_number ON suppliers(org_id, org_number);
