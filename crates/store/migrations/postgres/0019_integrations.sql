-- Integrations (samverkande system): information flows from one system of
-- the organisation to another (or both ways), with the interface, the
-- information sets that flow, how often, how critical the flow is and who is
-- responsible. The to-system depends on the from-system. Secret by default
-- (OSL 18:13): never in the public register.
CREATE TABLE integrations (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    from_system_id UUID NOT NULL REFERENCES systems(id),
    to_system_id UUID NOT NULL REFERENCES systems(id),
    direction TEXT NOT NULL,
    interface TEXT,
    frequency TEXT NOT NULL,
    criticality TEXT NOT NULL,
    responsible_id UUID REFERENCES people(id),
    note TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX integrations_from ON integrations(org_id, from_system_id);
CREATE INDEX integrations_to ON integrations(org_id, to_system_id);
CREATE INDEX integrations_org ON integrations(org_id, criticality);

CREATE TABLE integration_information_sets (
    integration_id UUID NOT NULL REFERENCES integrations(id),
    information_set_id UUID NOT NULL REFERENCES information_sets(id),
    org_id UUID NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (integration_id, information_set_id)
);
