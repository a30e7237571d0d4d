-- Erasure records (NIST SP 800-88): one row per medium that held a
-- system's data; the medium is erased once method, date and a passed
-- verification are recorded. Secret by default: never public.
CREATE TABLE erasures (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    system_id BLOB NOT NULL REFERENCES systems(id),
    medium_type TEXT NOT NULL,
    serial TEXT,
    method TEXT,
    tool TEXT,
    tool_version TEXT,
    operator TEXT,
    erased_on TEXT,
    verified_by TEXT,
    verification_method TEXT,
    verification_result TEXT,
    certificate_reference TEXT,
    note TEXT,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX erasures_system ON erasures(system_id);
