-- The audit chain keyed with a secret kept outside the database
-- (HMAC-SHA256). key_id names the key an entry was sealed with; entries
-- written before keying began keep NULL and stay plain SHA-256 links.
-- audit_head.key_id is that of the newest entry, so that a writer without
-- the key refuses to append to a keyed chain.
ALTER TABLE audit_events ADD COLUMN key_id TEXT;
ALTER TABLE audit_head ADD COLUMN key_id TEXT;

-- The audit trail an organisation brought along in a full export
-- (`insyn import-full`), as it was where it came from: kept as the
-- organisation's imported history, never a link of this installation's chain.
CREATE TABLE audit_imported (
    org_id UUID NOT NULL REFERENCES organisations(id),
    pos BIGINT NOT NULL,
    id UUID NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    actor TEXT NOT NULL,
    request_id TEXT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id UUID NOT NULL,
    changes JSONB NOT NULL,
    PRIMARY KEY (org_id, pos)
);
CREATE INDEX audit_imported_object ON audit_imported(object_id, pos);
