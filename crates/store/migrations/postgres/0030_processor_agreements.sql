-- Processor agreements (personuppgiftsbiträdesavtal, GDPR art. 28): one
-- with a supplier, covering some of the organisation's systems, perhaps part
-- of a contract; its sub-processors and third-country transfers as JSON
-- arrays (insyn_domain::processor::{SubProcessor, Transfer}); the supervision
-- interval and last review the next review is computed from. Not public:
-- never read by the public register.
CREATE TABLE processor_agreements (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    supplier_id UUID NOT NULL REFERENCES suppliers(id),
    contract_id UUID REFERENCES contracts(id),
    reference TEXT,
    signed_on DATE,
    ends_on DATE,
    terminated_on DATE,
    sub_processors TEXT NOT NULL,
    transfers TEXT NOT NULL,
    review_interval_months BIGINT,
    last_review_on DATE,
    note TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX processor_agreements_org ON processor_agreements(org_id, supplier_id);

CREATE TABLE processor_agreement_systems (
    agreement_id UUID NOT NULL REFERENCES processor_agreements(id),
    system_id UUID NOT NULL REFERENCES systems(id),
    org_id UUID NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (agreement_id, system_id)
);
CREATE INDEX processor_agreement_systems_system ON processor_agreement_systems(system_id);
