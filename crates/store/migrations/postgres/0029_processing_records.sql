-- Records of processing activities (registerförteckning, GDPR art. 30), one
-- per processing, kept by its controller: a unit (the nämnd) or, with no
-- unit, the organisation itself. The systems and information sets involved
-- and the transfers to third countries in tables of their own. Secret by
-- default: never public.
CREATE TABLE processing_records (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    unit_id UUID REFERENCES units(id),
    name TEXT NOT NULL,
    contact TEXT,
    purposes TEXT,
    legal_basis TEXT,
    legal_reference TEXT,
    data_subjects TEXT,
    data_categories TEXT,
    sensitive_data BOOLEAN NOT NULL DEFAULT FALSE,
    offence_data BOOLEAN NOT NULL DEFAULT FALSE,
    personal_numbers BOOLEAN NOT NULL DEFAULT FALSE,
    recipients TEXT,
    processors TEXT,
    retention TEXT,
    security_measures TEXT,
    dpia_required TEXT,
    dpia_reason TEXT,
    dpia_date DATE,
    dpia_result TEXT,
    dpia_next_review DATE,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX processing_records_org ON processing_records(org_id, unit_id);

CREATE TABLE processing_record_systems (
    processing_record_id UUID NOT NULL REFERENCES processing_records(id),
    system_id UUID NOT NULL REFERENCES systems(id),
    org_id UUID NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (processing_record_id, system_id)
);
CREATE INDEX processing_record_systems_system ON processing_record_systems(system_id);

CREATE TABLE processing_record_sets (
    processing_record_id UUID NOT NULL REFERENCES processing_records(id),
    information_set_id UUID NOT NULL REFERENCES information_sets(id),
    org_id UUID NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (processing_record_id, information_set_id)
);

CREATE TABLE processing_transfers (
    processing_record_id UUID NOT NULL REFERENCES processing_records(id),
    position BIGINT NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    country TEXT NOT NULL,
    mechanism TEXT,
    PRIMARY KEY (processing_record_id, position)
);
