-- The register search's index is kept per organisation for a version that
-- moves only when what it reads moves: a system added, removed, renamed,
-- re-described or archived (its name, name_key, search_text or archived).
-- Before, any write of the organisation (a reminder, a mail setting) made
-- the index of 100,000 names be built again.
CREATE TABLE search_versions (
    org_id BLOB PRIMARY KEY NOT NULL REFERENCES organisations(id),
    version BIGINT NOT NULL
);
CREATE TRIGGER search_versions_insert AFTER INSERT ON systems BEGIN
    INSERT INTO search_versions (org_id, version) VALUES (new.org_id, 1)
        ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER search_versions_delete AFTER DELETE ON systems BEGIN
    INSERT INTO search_versions (org_id, version) VALUES (old.org_id, 1)
        ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER search_versions_update AFTER UPDATE OF org_id, name, name_key, search_text, archived ON systems
    WHEN old.org_id IS NOT new.org_id OR old.name IS NOT new.name OR old.name_key IS NOT new.name_key
      OR old.search_text IS NOT new.search_text OR old.archived IS NOT new.archived
BEGIN
    INSERT INTO search_versions (org_id, version) VALUES (old.org_id, 1)
        ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
    INSERT INTO search_versions (org_id, version) VALUES (new.org_id, 1)
        ON CONFLICT (org_id) DO UPDATE SET version = version + 1;
END;
