-- Nothing on PostgreSQL: its search candidates come from the trigram index
-- and are read from the table pages in one bitmap heap scan (see
-- systems.rs, where_clause). The migration exists so that both backends
-- keep the same numbering.
SELECT 1;
