-- Pages over 50 ms at 100,000 systems (issue 22).
--
-- The dependency map draws the most critical flows first, by id within a
-- criticality: read one criticality at a time from this index, each read
-- stops after the flows still wanted instead of sorting every flow of the
-- organisation. It begins with the old (org_id, criticality) index, which goes.
CREATE INDEX integrations_org_criticality ON integrations(org_id, criticality, id);
DROP INDEX integrations_org;

-- "If X is down" walks the graph level by level through a system's flows
-- from it and to it: with every column of an edge in these indexes the walk
-- reads no flow's row (at 100,000 systems a walk meets about 15,000 flows).
-- They begin with the columns of the old ones, which go.
CREATE INDEX integrations_from_edge
    ON integrations(org_id, from_system_id, to_system_id, direction, criticality, id);
CREATE INDEX integrations_to_edge
    ON integrations(org_id, to_system_id, from_system_id, direction, criticality, id);
DROP INDEX integrations_from;
DROP INDEX integrations_to;

-- The facts the impact reads of every system it meets (about 14,000 at
-- 100,000 systems), without reading the systems' rows. It begins with the
-- id, so that it is never taken for the organisation's systems in order.
CREATE INDEX systems_impact_facts
    ON systems(id, org_id, business_critical, responsible_unit_id, name);

-- The organisation's systems that have a supplier (the processor agreements'
-- gaps and the supplier facts of compliance), without reading every link.
CREATE INDEX system_suppliers_org ON system_suppliers(org_id);
