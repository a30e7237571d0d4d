-- Backups (säkerhetskopiering) and restore tests (återläsningstest) per
-- system (Mjölby 3.2.4). A restore test keeps the RTO and RPO it was judged
-- against, so a later change of the requirements does not rewrite it; its
-- deviations become actions with an owner and a deadline.
CREATE TABLE system_backups (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    system_id BLOB NOT NULL REFERENCES systems(id),
    what TEXT NOT NULL,
    location TEXT,
    frequency TEXT,
    retention TEXT,
    responsible TEXT,
    note TEXT,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX system_backups_system ON system_backups(system_id);

CREATE TABLE restore_tests (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    system_id BLOB NOT NULL REFERENCES systems(id),
    planned_on TEXT,
    performed_on TEXT,
    performed_by TEXT,
    restored TEXT,
    restore_point TEXT,
    restore_minutes BIGINT,
    data_loss_minutes BIGINT,
    required_rto_minutes BIGINT,
    required_rpo_minutes BIGINT,
    evidence_url TEXT,
    note TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX restore_tests_system ON restore_tests(system_id);

CREATE TABLE restore_test_actions (
    id BLOB PRIMARY KEY NOT NULL,
    test_id BLOB NOT NULL REFERENCES restore_tests(id),
    what TEXT NOT NULL,
    owner_id BLOB REFERENCES people(id),
    due_on TEXT,
    done_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX restore_test_actions_test ON restore_test_actions(test_id);
