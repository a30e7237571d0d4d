-- Performance (issue 7): indexes with `archived` in front of every filter and
-- sort the register offers, so a page of 50 reads 50 index entries and no
-- sort; and maintained counts, so the total behind a page is cheap.

-- Filters and sorts of the register. The default view has `archived = FALSE`;
-- `id` last makes the order total (`ORDER BY …, s.id`) without a sort.
DROP INDEX systems_org_name;
DROP INDEX systems_org_unit;
DROP INDEX systems_org_lifecycle;
DROP INDEX systems_org_critical;
DROP INDEX systems_org_users;
DROP INDEX systems_org_golive;
DROP INDEX systems_org_updated;
CREATE INDEX systems_org_name ON systems(org_id, archived, name_key, id);
-- "Show archived": every system of the organisation by name.
CREATE INDEX systems_org_all_name ON systems(org_id, name_key, id);
CREATE INDEX systems_org_unit ON systems(org_id, archived, responsible_unit_id, name_key, id);
CREATE INDEX systems_org_lifecycle ON systems(org_id, archived, lifecycle, name_key, id);
CREATE INDEX systems_org_critical ON systems(org_id, archived, business_critical, name_key, id);
CREATE INDEX systems_org_users ON systems(org_id, archived, (user_count IS NULL), user_count, name_key, id);
CREATE INDEX systems_org_golive ON systems(org_id, archived, (go_live_date IS NULL), go_live_date, name_key, id);
CREATE INDEX systems_org_updated ON systems(org_id, archived, updated_at, id);

-- How many systems each organisation has, by archived, lifecycle and
-- business_critical: the total of the unfiltered register and of its
-- lifecycle and business-critical filters, kept by the triggers below in the
-- same transaction as the write.
CREATE TABLE system_counts (
    org_id UUID NOT NULL REFERENCES organisations(id),
    archived BOOLEAN NOT NULL,
    lifecycle TEXT NOT NULL,
    business_critical BOOLEAN NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, archived, lifecycle, business_critical)
);
INSERT INTO system_counts (org_id, archived, lifecycle, business_critical, n)
    SELECT org_id, archived, lifecycle, business_critical, COUNT(*) FROM systems
    GROUP BY org_id, archived, lifecycle, business_critical;

-- Statement-level triggers with transition tables: a bulk insert of 500 rows
-- updates each count once. Keys are taken in order, so two writers lock the
-- same count rows in the same order.
CREATE FUNCTION system_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        WITH d AS (
            SELECT org_id, archived, lifecycle, business_critical, COUNT(*) AS k
            FROM old_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        )
        UPDATE system_counts c SET n = c.n - d.k FROM d
        WHERE c.org_id = d.org_id AND c.archived = d.archived
          AND c.lifecycle = d.lifecycle AND c.business_critical = d.business_critical;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO system_counts (org_id, archived, lifecycle, business_critical, n)
            SELECT org_id, archived, lifecycle, business_critical, COUNT(*)
            FROM new_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (org_id, archived, lifecycle, business_critical)
            DO UPDATE SET n = system_counts.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER system_counts_insert AFTER INSERT ON systems
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION system_counts_apply();
CREATE TRIGGER system_counts_update AFTER UPDATE ON systems
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION system_counts_apply();
CREATE TRIGGER system_counts_delete AFTER DELETE ON systems
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION system_counts_apply();
