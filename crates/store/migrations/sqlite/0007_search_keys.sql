-- A search's matches come from the FTS index as rowids (`seq`); what the
-- register then needs of each match (organisation, archived, sort key, id)
-- is read from this index instead of the whole row. At 100,000 systems the
-- 4,117 matches of "ekonomi" were 4,117 row reads, mostly from the operating
-- system's cache through pread: 60 -> 90 searches/s (BENCHMARKS.md).
CREATE INDEX systems_seq_keys ON systems(seq, org_id, archived, name_key, id);
