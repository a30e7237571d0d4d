-- How many of each organisation's active (not archived) systems each unit
-- is responsible for, kept by the triggers below in the same transaction as
-- the write: the unit tree (the organisation's page and every unit's page)
-- shows these counts, and counting them from the systems read every system
-- (at 100,000 systems 80 ms). Rows whose count falls to 0 stay; a removed
-- unit's row is not read.
CREATE TABLE unit_counts (
    org_id UUID NOT NULL REFERENCES organisations(id),
    unit_id UUID NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, unit_id)
);
INSERT INTO unit_counts (org_id, unit_id, n)
    SELECT org_id, responsible_unit_id, COUNT(*) FROM systems
    WHERE archived = FALSE AND responsible_unit_id IS NOT NULL
    GROUP BY org_id, responsible_unit_id;

-- Statement-level triggers with transition tables, like system_counts: a
-- bulk insert changes each count once, the keys taken in order. An update
-- touches the counts only for the rows whose unit, organisation or
-- archived flag changed.
CREATE FUNCTION unit_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO unit_counts (org_id, unit_id, n)
        SELECT org_id, responsible_unit_id, COUNT(*) FROM new_rows
        WHERE archived = FALSE AND responsible_unit_id IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (org_id, unit_id) DO UPDATE SET n = unit_counts.n + EXCLUDED.n;
    RETURN NULL;
END;
$$;
CREATE FUNCTION unit_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH d AS (
        SELECT org_id, responsible_unit_id AS unit_id, COUNT(*) AS k FROM old_rows
        WHERE archived = FALSE AND responsible_unit_id IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2
    )
    UPDATE unit_counts c SET n = c.n - d.k FROM d
    WHERE c.org_id = d.org_id AND c.unit_id = d.unit_id;
    RETURN NULL;
END;
$$;
CREATE FUNCTION unit_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH d AS (
        SELECT o.org_id, o.responsible_unit_id AS unit_id, COUNT(*) AS k
        FROM old_rows o JOIN new_rows w ON w.id = o.id
        WHERE o.archived = FALSE AND o.responsible_unit_id IS NOT NULL
        AND (w.archived OR w.org_id <> o.org_id OR w.responsible_unit_id IS DISTINCT FROM o.responsible_unit_id)
        GROUP BY 1, 2 ORDER BY 1, 2
    )
    UPDATE unit_counts c SET n = c.n - d.k FROM d
    WHERE c.org_id = d.org_id AND c.unit_id = d.unit_id;
    INSERT INTO unit_counts (org_id, unit_id, n)
        SELECT w.org_id, w.responsible_unit_id, COUNT(*)
        FROM new_rows w JOIN old_rows o ON o.id = w.id
        WHERE w.archived = FALSE AND w.responsible_unit_id IS NOT NULL
        AND (o.archived OR o.org_id <> w.org_id OR o.responsible_unit_id IS DISTINCT FROM w.responsible_unit_id)
        GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (org_id, unit_id) DO UPDATE SET n = unit_counts.n + EXCLUDED.n;
    RETURN NULL;
END;
$$;
CREATE TRIGGER unit_counts_insert AFTER INSERT ON systems
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION unit_counts_insert();
CREATE TRIGGER unit_counts_update AFTER UPDATE ON systems
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION unit_counts_update();
CREATE TRIGGER unit_counts_delete AFTER DELETE ON systems
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION unit_counts_delete();
