-- Incidents: the record, the systems and information sets it touches, its
-- reporting clocks' events (a report made, or a clock set aside with a
-- judgement), its timeline and its actions. Each organisation numbers its
-- incidents 1, 2, 3 …
CREATE TABLE incidents (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    detection TEXT NOT NULL,
    occurred_at TEXT,
    aware_at TEXT NOT NULL,
    reported_by TEXT,
    controller TEXT,
    cause TEXT,
    lessons TEXT,
    status TEXT NOT NULL,
    personal_data BOOLEAN NOT NULL DEFAULT FALSE,
    pd_categories TEXT,
    pd_sensitive BOOLEAN NOT NULL DEFAULT FALSE,
    pd_subjects BIGINT,
    pd_records BIGINT,
    pd_consequences TEXT,
    significance TEXT,
    significance_by TEXT,
    significance_at TEXT,
    significance_reason TEXT,
    contained_at TEXT,
    closed_at TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (org_id, number)
);
CREATE INDEX incidents_org ON incidents(org_id, aware_at);
CREATE INDEX incidents_open ON incidents(org_id, status);

CREATE TABLE incident_systems (
    incident_id BLOB NOT NULL REFERENCES incidents(id),
    system_id BLOB NOT NULL REFERENCES systems(id),
    PRIMARY KEY (incident_id, system_id)
);
CREATE INDEX incident_systems_system ON incident_systems(system_id);

CREATE TABLE incident_clock_events (
    incident_id BLOB NOT NULL REFERENCES incidents(id),
    deadline_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    by_name TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (incident_id, deadline_id)
);

CREATE TABLE incident_timeline (
    id BLOB PRIMARY KEY NOT NULL,
    incident_id BLOB NOT NULL REFERENCES incidents(id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    by_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX incident_timeline_incident ON incident_timeline(incident_id, at);

CREATE TABLE incident_information_sets (
    incident_id BLOB NOT NULL REFERENCES incidents(id),
    information_set_id BLOB NOT NULL REFERENCES information_sets(id),
    PRIMARY KEY (incident_id, information_set_id)
);

CREATE TABLE incident_actions (
    id BLOB PRIMARY KEY NOT NULL,
    incident_id BLOB NOT NULL REFERENCES incidents(id),
    what TEXT NOT NULL,
    owner_id BLOB REFERENCES people(id),
    due_on TEXT,
    done_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX incident_actions_incident ON incident_actions(incident_id);
