-- Information classification, system security plans and operational approval.
CREATE TABLE classification_levels (
    org_id BLOB NOT NULL REFERENCES organisations(id),
    level INTEGER NOT NULL,
    name_sv TEXT NOT NULL,
    name_en TEXT NOT NULL,
    PRIMARY KEY (org_id, level)
);
INSERT INTO classification_levels (org_id, level, name_sv, name_en)
    SELECT id, 0, 'Ingen eller försumbar', 'None or negligible' FROM organisations;
INSERT INTO classification_levels (org_id, level, name_sv, name_en)
    SELECT id, 1, 'Måttlig', 'Moderate' FROM organisations;
INSERT INTO classification_levels (org_id, level, name_sv, name_en)
    SELECT id, 2, 'Betydande', 'Significant' FROM organisations;
INSERT INTO classification_levels (org_id, level, name_sv, name_en)
    SELECT id, 3, 'Allvarlig', 'Serious' FROM organisations;
INSERT INTO classification_levels (org_id, level, name_sv, name_en)
    SELECT id, 4, 'Synnerligen allvarlig', 'Very serious' FROM organisations;

ALTER TABLE organisations ADD COLUMN traceability_required BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE information_sets (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    system_id BLOB NOT NULL REFERENCES systems(id),
    name TEXT NOT NULL,
    description TEXT,
    personal_data BOOLEAN NOT NULL DEFAULT FALSE,
    sensitive_personal_data BOOLEAN NOT NULL DEFAULT FALSE,
    archived BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX information_sets_system ON information_sets(system_id);

CREATE TABLE classifications (
    seq INTEGER PRIMARY KEY,
    id BLOB NOT NULL UNIQUE,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    information_set_id BLOB NOT NULL REFERENCES information_sets(id),
    confidentiality INTEGER NOT NULL,
    integrity INTEGER NOT NULL,
    availability INTEGER NOT NULL,
    traceability INTEGER,
    justification TEXT NOT NULL,
    classified_by TEXT NOT NULL,
    classified_at TEXT NOT NULL,
    valid_until TEXT
);
CREATE INDEX classifications_set ON classifications(information_set_id, seq);

CREATE TABLE business_critical_decisions (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    system_id BLOB NOT NULL REFERENCES systems(id),
    critical BOOLEAN NOT NULL,
    owner_name TEXT NOT NULL,
    it_name TEXT NOT NULL,
    note TEXT,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX business_critical_decisions_system ON business_critical_decisions(system_id, decided_at);

-- Rows override the defaults of FIELD_SECRECY_DEFAULTS.
CREATE TABLE field_secrecy (
    org_id BLOB NOT NULL REFERENCES organisations(id),
    field TEXT NOT NULL,
    secret BOOLEAN NOT NULL,
    PRIMARY KEY (org_id, field)
);

CREATE TABLE security_plans (
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

CREATE TABLE approvals (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    system_id BLOB NOT NULL REFERENCES systems(id),
    baseline TEXT NOT NULL,
    measures TEXT NOT NULL,
    classification_id BLOB,
    plan_id BLOB,
    plan_version INTEGER,
    owner_signed_by TEXT,
    owner_signed_at TEXT,
    it_signed_by TEXT,
    it_signed_at TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX approvals_system ON approvals(system_id, created_at);
