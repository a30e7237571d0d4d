-- The outage plan (avbrottsplan) per system as a versioned document, like the
-- security plan: a draft, submitted, approved by the system owner, or
-- superseded by a newer approved version. Its sections are one JSON object.
CREATE TABLE outage_plans (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    system_id UUID NOT NULL REFERENCES systems(id),
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    sections JSONB NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    submitted_at TIMESTAMPTZ,
    approved_by TEXT,
    approved_at TIMESTAMPTZ,
    UNIQUE (system_id, version)
);
