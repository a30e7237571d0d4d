-- Sign-in, permissions, API tokens, and the hash chain of the audit trail.
CREATE TABLE users (
    id BLOB PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_login_at TEXT
);

-- A role in one organisation, or in every organisation (org_id NULL).
CREATE TABLE user_grants (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users(id),
    org_id BLOB REFERENCES organisations(id),
    role TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX user_grants_user ON user_grants(user_id);

-- Only a hash of the session token is stored.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users(id),
    method TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    scope TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Which role types let their holders edit the system (configurable per organisation).
ALTER TABLE role_types ADD COLUMN grants_edit BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE role_types SET grants_edit = TRUE
    WHERE code IN ('system_owner', 'system_responsible', 'system_manager');

ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;
CREATE INDEX audit_events_at ON audit_events(at);

-- The end of the chain, so that removing the newest entries is noticed too.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY NOT NULL,
    last_seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
