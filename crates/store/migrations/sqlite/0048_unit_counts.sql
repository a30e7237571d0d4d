-- How many of each organisation's active (not archived) systems each unit
-- is responsible for, kept by the triggers below in the same transaction as
-- the write: the unit tree (the organisation's page and every unit's page)
-- shows these counts, and counting them from the systems read every system
-- (at 100,000 systems 80 ms on PostgreSQL). Rows whose count falls to 0
-- stay; a removed unit's row is not read.
CREATE TABLE unit_counts (
    org_id BLOB NOT NULL REFERENCES organisations(id),
    unit_id BLOB NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, unit_id)
);
INSERT INTO unit_counts (org_id, unit_id, n)
    SELECT org_id, responsible_unit_id, COUNT(*) FROM systems
    WHERE archived = FALSE AND responsible_unit_id IS NOT NULL
    GROUP BY org_id, responsible_unit_id;

CREATE TRIGGER unit_counts_insert AFTER INSERT ON systems
    WHEN new.archived = FALSE AND new.responsible_unit_id IS NOT NULL
BEGIN
    INSERT INTO unit_counts (org_id, unit_id, n) VALUES (new.org_id, new.responsible_unit_id, 1)
        ON CONFLICT (org_id, unit_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER unit_counts_delete AFTER DELETE ON systems
    WHEN old.archived = FALSE AND old.responsible_unit_id IS NOT NULL
BEGIN
    UPDATE unit_counts SET n = n - 1 WHERE org_id = old.org_id AND unit_id = old.responsible_unit_id;
END;
CREATE TRIGGER unit_counts_update AFTER UPDATE OF org_id, archived, responsible_unit_id ON systems
    WHEN old.org_id IS NOT new.org_id OR old.archived IS NOT new.archived
        OR old.responsible_unit_id IS NOT new.responsible_unit_id
BEGIN
    UPDATE unit_counts SET n = n - 1
        WHERE old.archived = FALSE AND org_id = old.org_id AND unit_id = old.responsible_unit_id;
    INSERT INTO unit_counts (org_id, unit_id, n)
        SELECT new.org_id, new.responsible_unit_id, 1
        WHERE new.archived = FALSE AND new.responsible_unit_id IS NOT NULL
        ON CONFLICT (org_id, unit_id) DO UPDATE SET n = n + 1;
END;
