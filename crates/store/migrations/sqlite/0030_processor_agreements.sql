-- Processor agreements (personuppgiftsbiträdesavtal, GDPR art. 28): one
-- with a supplier, covering some of the organisation's systems, perhaps part
-- of a contract; its sub-processors and third-country transfers as JSON
-- arrays (insyn_domain::processor::{SubProcessor, Transfer}); the supervision
-- interval and last review the next review is computed from. Not public:
-- never read by the public register.
CREATE TABLE processor_agreements (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    supplier_id BLOB NOT NULL REFERENCES suppliers(id),
    contract_id BLOB REFERENCES contracts(id),
    reference TEXT,
    signed_on TEXT,
    ends_on TEXT,
    terminated_on TEXT,
    sub_processors TEXT NOT NULL,
    transfers TEXT NOT NULL,
    review_interval_months BIGINT,
    last_review_on TEXT,
    note TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX processor_agreements_org ON processor_agreements(org_id, supplier_id);

CREATE TABLE processor_agreement_systems (
    agreement_id BLOB NOT NULL REFERENCES processor_agreements(id),
    system_id BLOB NOT NULL REFERENCES systems(id),
    org_id BLOB NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (agreement_id, system_id)
);
CREATE INDEX processor_agreement_systems_system ON processor_agreement_systems(system_id);
