-- An export done as a job (issue 23 item 5): the finished file, kept in the
-- database so that any instance behind the proxy can serve it. One file a
-- job, removed with its job (when it expires after 24 hours, or is made
-- room for). Like the job, not register data and not audited.
CREATE TABLE job_files (
    job_id UUID PRIMARY KEY NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    -- the name it is saved under (Content-Disposition)
    name TEXT NOT NULL,
    -- its media type
    media TEXT NOT NULL,
    bytes BYTEA NOT NULL
);
