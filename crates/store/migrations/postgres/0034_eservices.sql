-- E-services (e-tjänster, R-SVC-3): their step on Utvecklingstrappan, target
-- groups and målområden (codes separated by commas), the accessibility
-- statement, the systems behind them and Södertälje's five e-function
-- criteria as assessed. Secret by default: shown in the public register only
-- when published, with the fields the organisation makes public
-- (eservice_public_fields; a field not listed keeps its default).
CREATE TABLE eservices (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    unit_id UUID REFERENCES units(id),
    name TEXT NOT NULL,
    description TEXT,
    url TEXT,
    owner TEXT,
    step TEXT NOT NULL,
    target_groups TEXT NOT NULL,
    other_target_groups TEXT,
    goal_areas TEXT NOT NULL,
    statement_url TEXT,
    statement_date DATE,
    accessibility_status TEXT,
    statement_reviewed_on DATE,
    published BOOLEAN NOT NULL DEFAULT FALSE,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX eservices_org ON eservices(org_id, step, name);

CREATE TABLE eservice_systems (
    eservice_id UUID NOT NULL REFERENCES eservices(id),
    system_id UUID NOT NULL REFERENCES systems(id),
    org_id UUID NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (eservice_id, system_id)
);
CREATE INDEX eservice_systems_system ON eservice_systems(system_id);

CREATE TABLE eservice_criteria (
    eservice_id UUID NOT NULL REFERENCES eservices(id),
    criterion TEXT NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    verdict TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (eservice_id, criterion)
);

CREATE TABLE eservice_public_fields (
    org_id UUID NOT NULL REFERENCES organisations(id),
    field TEXT NOT NULL,
    public BOOLEAN NOT NULL,
    PRIMARY KEY (org_id, field)
);
