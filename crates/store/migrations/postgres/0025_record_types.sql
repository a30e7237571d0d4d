-- The record types (handlingstyper) a system holds, as the information
-- management plan (informationshanteringsplan) names them: keep (bevara) or
-- dispose (gallra) with the disposal period and the decision it rests on
-- (gallringsbeslut), and the delivery to the e-archive (format, deadline,
-- last delivery and its reference). Secret by default: never public.
CREATE TABLE record_types (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    system_id UUID NOT NULL REFERENCES systems(id),
    name TEXT NOT NULL,
    disposition TEXT NOT NULL,
    disposal_period TEXT,
    decision_reference TEXT,
    decision_date DATE,
    archive_format TEXT,
    delivery_deadline DATE,
    delivered_on DATE,
    delivery_reference TEXT,
    note TEXT,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX record_types_system ON record_types(system_id);

-- Who answers for the system's records in the archive (arkivansvar).
CREATE TABLE archive_responsibilities (
    system_id UUID PRIMARY KEY NOT NULL REFERENCES systems(id),
    org_id UUID NOT NULL REFERENCES organisations(id),
    unit_id UUID REFERENCES units(id),
    role TEXT,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
