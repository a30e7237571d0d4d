-- A system's decommissioning case (avveckling), at most one per system: the
-- decision, the planned date, the system receiving the information, and its
-- closing (when every gate passes, or with an exception the owner signs:
-- its reason and the gates that failed, as a comma-separated list).
CREATE TABLE decommission_cases (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    system_id BLOB NOT NULL UNIQUE REFERENCES systems(id),
    decided_by TEXT,
    decided_on TEXT,
    decision_reference TEXT,
    planned_on TEXT,
    target_system_id BLOB REFERENCES systems(id),
    note TEXT,
    status TEXT NOT NULL,
    closed_by TEXT,
    closed_at TEXT,
    exception_reason TEXT,
    exception_gates TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
