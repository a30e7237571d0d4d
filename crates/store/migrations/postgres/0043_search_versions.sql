-- The register search's index is kept per organisation for a version that
-- moves only when what it reads moves: a system added, removed, renamed,
-- re-described or archived (its name, name_key, search_text or archived).
-- Before, any write of the organisation (a reminder, a mail setting) made
-- the index of 100,000 names be built again.
CREATE TABLE search_versions (
    org_id UUID PRIMARY KEY NOT NULL REFERENCES organisations(id),
    version BIGINT NOT NULL
);
-- Statement-level with transition tables, like system_counts: a bulk insert
-- moves each organisation's version once. Organisations in order, so two
-- writers lock the same rows in the same order.
CREATE FUNCTION search_versions_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO search_versions (org_id, version)
            SELECT DISTINCT org_id, 1 FROM new_rows ORDER BY 1
        ON CONFLICT (org_id) DO UPDATE SET version = search_versions.version + 1;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO search_versions (org_id, version)
            SELECT DISTINCT org_id, 1 FROM old_rows ORDER BY 1
        ON CONFLICT (org_id) DO UPDATE SET version = search_versions.version + 1;
    ELSE
        INSERT INTO search_versions (org_id, version)
            SELECT DISTINCT x.org_id, 1 FROM (
                SELECT o.org_id FROM old_rows o JOIN new_rows n ON n.id = o.id
                WHERE o.org_id IS DISTINCT FROM n.org_id OR o.name IS DISTINCT FROM n.name
                   OR o.name_key IS DISTINCT FROM n.name_key
                   OR o.search_text IS DISTINCT FROM n.search_text
                   OR o.archived IS DISTINCT FROM n.archived
                UNION
                SELECT n.org_id FROM old_rows o JOIN new_rows n ON n.id = o.id
                WHERE o.org_id IS DISTINCT FROM n.org_id
            ) x ORDER BY 1
        ON CONFLICT (org_id) DO UPDATE SET version = search_versions.version + 1;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER search_versions_insert AFTER INSERT ON systems
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_versions_apply();
CREATE TRIGGER search_versions_update AFTER UPDATE ON systems
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_versions_apply();
CREATE TRIGGER search_versions_delete AFTER DELETE ON systems
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_versions_apply();
