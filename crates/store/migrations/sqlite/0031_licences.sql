-- Licences (issue 19 item 3): what was bought for a system (metric,
-- quantity, yearly cost, the covering contract, valid from/until) and where
-- the number in use comes from (the system's access holdings, or entered).
-- Secret by default: never public.
CREATE TABLE licences (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    system_id BLOB NOT NULL REFERENCES systems(id),
    name TEXT NOT NULL,
    metric TEXT NOT NULL,
    quantity BIGINT,
    yearly_cost BIGINT,
    contract_id BLOB REFERENCES contracts(id),
    valid_from TEXT,
    valid_until TEXT,
    in_use_source TEXT NOT NULL,
    in_use_entered BIGINT,
    notes TEXT,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX licences_system ON licences(system_id, name);
CREATE INDEX licences_org ON licences(org_id, name);

-- Each system's free-text licence model and licence count become one
-- licence (its id the system's): the metric guessed from the words, the
-- number in use not known (entered, none) so nothing is flagged until the
-- owner says how it is counted. The system's two fields stay as they were.
INSERT INTO licences (id, org_id, system_id, name, metric, quantity, yearly_cost, contract_id,
    valid_from, valid_until, in_use_source, in_use_entered, notes, updated_by, updated_at)
SELECT id, org_id, id, COALESCE(NULLIF(TRIM(licence_model), ''), 'Licens'),
    CASE
        WHEN LOWER(COALESCE(licence_model, '')) LIKE '%samtidig%'
          OR LOWER(COALESCE(licence_model, '')) LIKE '%concurrent%' THEN 'concurrent_user'
        WHEN LOWER(COALESCE(licence_model, '')) LIKE '%install%'
          OR LOWER(COALESCE(licence_model, '')) LIKE '%enhet%'
          OR LOWER(COALESCE(licence_model, '')) LIKE '%device%' THEN 'installation'
        WHEN licence_count IS NULL AND (LOWER(COALESCE(licence_model, '')) LIKE '%site%'
          OR LOWER(COALESCE(licence_model, '')) LIKE '%kommunlicens%'
          OR LOWER(COALESCE(licence_model, '')) LIKE '%organisation%') THEN 'site'
        ELSE 'named_user'
    END,
    CASE WHEN licence_count >= 0 THEN licence_count END, NULL, NULL, NULL, NULL, 'entered', NULL,
    'Från systemets fält Licensmodell och Antal licenser (migrering 0031).',
    'migrering 0031', updated_at
FROM systems
WHERE NULLIF(TRIM(licence_model), '') IS NOT NULL OR licence_count IS NOT NULL;
