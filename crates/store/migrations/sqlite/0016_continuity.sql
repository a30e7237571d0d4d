-- Continuity requirements per system, set by its owner (Mjölby 3.2.2): the
-- longest acceptable outage (RTO), the largest acceptable data loss (RPO) and
-- the point where an outage becomes unacceptable for the business (MTD), in
-- minutes; the critical periods and the fallback routine (reservrutin) as text.
-- Restore tests, backups and integrations read RTO, RPO and MTD from here.
CREATE TABLE system_continuity (
    system_id BLOB PRIMARY KEY NOT NULL REFERENCES systems(id),
    rto_minutes BIGINT,
    rpo_minutes BIGINT,
    mtd_minutes BIGINT,
    critical_periods TEXT,
    fallback_routine TEXT,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
