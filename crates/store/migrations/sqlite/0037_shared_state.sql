-- State that lived in one server's memory and is now shared by every insyn
-- instance on the database (several instances behind one load balancer):
-- OpenID Connect sign-ins in progress, uploaded spreadsheets waiting for
-- their confirmation, and failed sign-ins for the back-off. Every row is
-- short-lived and removed on the way when it expires; none holds a register
-- row, so there are no foreign keys.

-- A sign-in at the OpenID provider, by the hash of the id in the browser's
-- cookie; deleted when the browser comes back (used once) or expires.
CREATE TABLE oidc_flows (
    id_hash TEXT PRIMARY KEY NOT NULL,
    state TEXT NOT NULL,
    nonce TEXT NOT NULL,
    verifier TEXT NOT NULL,
    next_path TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX oidc_flows_expires ON oidc_flows(expires_at);

-- An uploaded file waiting for the confirmation of the user who uploaded it,
-- by the hash of its token.
CREATE TABLE pending_uploads (
    token_hash TEXT PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    system_id BLOB,
    -- register, user_list (of system_id) or hr_file
    kind TEXT NOT NULL,
    hr_complete BOOLEAN NOT NULL,
    file_name TEXT NOT NULL,
    bytes BLOB NOT NULL,
    columns TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX pending_uploads_expires ON pending_uploads(expires_at);

-- Failed password sign-ins of an account (`user:<e-mail>`) or an address
-- (`ip:<address>`), forgotten an hour after the last one.
CREATE TABLE sign_in_failures (
    key TEXT PRIMARY KEY NOT NULL,
    failures BIGINT NOT NULL,
    last_at TEXT NOT NULL
);
CREATE INDEX sign_in_failures_last ON sign_in_failures(last_at);
