-- IT services (IT-tjänster, Stockholm 5, R-SVC-1): who delivers each (a unit
-- or a supplier), its owner, yearly cost, contract and agreed service levels
-- (availability in thousandths of a per cent, support hours, response and
-- resolution hours); the systems behind it; and a follow-up per month or
-- quarter of what was measured. Not public: never read by the public register.
CREATE TABLE it_services (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT,
    unit_id UUID REFERENCES units(id),
    supplier_id UUID REFERENCES suppliers(id),
    owner_id UUID REFERENCES people(id),
    yearly_cost BIGINT,
    contract_id UUID REFERENCES contracts(id),
    availability_target_milli BIGINT,
    support_hours TEXT,
    response_hours BIGINT,
    resolution_hours BIGINT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX it_services_org_name ON it_services(org_id, name_key);

CREATE TABLE it_service_systems (
    service_id UUID NOT NULL REFERENCES it_services(id),
    system_id UUID NOT NULL REFERENCES systems(id),
    org_id UUID NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (service_id, system_id)
);
CREATE INDEX it_service_systems_system ON it_service_systems(system_id);

CREATE TABLE it_service_follow_ups (
    id UUID PRIMARY KEY NOT NULL,
    service_id UUID NOT NULL REFERENCES it_services(id),
    org_id UUID NOT NULL REFERENCES organisations(id),
    period TEXT NOT NULL,
    starts_on DATE NOT NULL,
    measured_availability_milli BIGINT,
    response_met BIGINT,
    response_missed BIGINT,
    resolution_met BIGINT,
    resolution_missed BIGINT,
    comment TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (service_id, period)
);
CREATE INDEX it_service_follow_ups_service ON it_service_follow_ups(service_id, starts_on);
