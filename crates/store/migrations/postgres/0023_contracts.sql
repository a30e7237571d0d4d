-- Contracts (avtal) with suppliers: the term, renewals and notice periods
-- the last day to give notice is computed from (insyn_domain::contract),
-- the systems each covers and the role reminded before that day; and each
-- organisation's lead time for the reminders. Reminders are deduplicated in
-- reminders_sent, keyed by (contract, notice day, stage, recipient), so a
-- changed date re-arms them. Not public: never read by the public register.
CREATE TABLE contracts (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    supplier_id UUID NOT NULL REFERENCES suppliers(id),
    kind TEXT NOT NULL,
    reference TEXT,
    diary_number TEXT,
    procurement TEXT,
    procurement_reference TEXT,
    signed_on DATE,
    start_date DATE,
    initial_months BIGINT,
    end_date DATE,
    renewal TEXT NOT NULL,
    renewal_months BIGINT,
    options_count BIGINT NOT NULL,
    options_used BIGINT NOT NULL,
    customer_notice_months BIGINT NOT NULL,
    customer_notice_end_of TEXT NOT NULL,
    supplier_notice_months BIGINT NOT NULL,
    supplier_notice_end_of TEXT NOT NULL,
    notice_given_on DATE,
    notice_given_by TEXT,
    value_sek BIGINT,
    yearly_cost_sek BIGINT,
    responsible_role_id UUID REFERENCES role_types(id),
    note TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX contracts_org ON contracts(org_id, supplier_id);

CREATE TABLE contract_systems (
    contract_id UUID NOT NULL REFERENCES contracts(id),
    system_id UUID NOT NULL REFERENCES systems(id),
    org_id UUID NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (contract_id, system_id)
);
CREATE INDEX contract_systems_system ON contract_systems(system_id);

CREATE TABLE contract_settings (
    org_id UUID PRIMARY KEY NOT NULL REFERENCES organisations(id),
    lead_days BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
