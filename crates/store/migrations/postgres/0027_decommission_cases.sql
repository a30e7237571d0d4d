-- A system's decommissioning case (avveckling), at most one per system: the
-- decision, the planned date, the system receiving the information, and its
-- closing (when every gate passes, or with an exception the owner signs:
-- its reason and the gates that failed, as a comma-separated list).
CREATE TABLE decommission_cases (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    system_id UUID NOT NULL UNIQUE REFERENCES systems(id),
    decided_by TEXT,
    decided_on DATE,
    decision_reference TEXT,
    planned_on DATE,
    target_system_id UUID REFERENCES systems(id),
    note TEXT,
    status TEXT NOT NULL,
    closed_by TEXT,
    closed_at TIMESTAMPTZ,
    exception_reason TEXT,
    exception_gates TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
