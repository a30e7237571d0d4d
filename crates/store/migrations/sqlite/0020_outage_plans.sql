-- The outage plan (avbrottsplan) per system as a versioned document, like the
-- security plan: a draft, submitted, approved by the system owner, or
-- superseded by a newer approved version. Its sections are one JSON object.
CREATE TABLE outage_plans (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    system_id BLOB NOT NULL REFERENCES systems(id),
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    sections TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    approved_by TEXT,
    approved_at TEXT,
    UNIQUE (system_id, version)
);
