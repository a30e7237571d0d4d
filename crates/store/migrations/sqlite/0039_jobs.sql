-- Long work (an import of thousands of rows) done as a job in a task of the
-- instance that accepted it, its progress kept here so that a page on any
-- instance shows it (issue 23). Like pending uploads, these rows are not
-- register data and are not audited (the import a job makes is); removed
-- on the way when they expire. A job still queued or running whose
-- updated_at is old is shown as interrupted.
CREATE TABLE jobs (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL,
    -- register_import
    kind TEXT NOT NULL,
    owner_id BLOB NOT NULL,
    -- queued, running, done or failed
    state TEXT NOT NULL,
    -- reading, checking or saving
    phase TEXT NOT NULL,
    done BIGINT NOT NULL,
    total BIGINT NOT NULL,
    -- the file's name
    subject TEXT NOT NULL,
    -- counts, problems or the reason it failed (JSON)
    result TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX jobs_expires ON jobs(expires_at);
CREATE INDEX jobs_org ON jobs(org_id, created_at);
