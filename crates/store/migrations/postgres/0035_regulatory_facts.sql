-- Regulatory facts as data (issue 20 item 4). The organisation's entity
-- class under cybersäkerhetslagen (2025:1506): essential, important, not
-- covered or not assessed, its sector and its registration with the
-- supervisory authority; one row per organisation once set.
CREATE TABLE org_nis (
    org_id UUID PRIMARY KEY NOT NULL REFERENCES organisations(id),
    entity_class TEXT NOT NULL,
    sector TEXT,
    registered_on DATE,
    registration_reference TEXT,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
-- A system's AI Act facts: whether it contains an AI system, its risk class,
-- the organisation's role and, for high-risk use, the fundamental-rights
-- impact assessment (art. 27). Secret by default: never public.
CREATE TABLE system_ai_act (
    system_id UUID PRIMARY KEY NOT NULL REFERENCES systems(id),
    org_id UUID NOT NULL REFERENCES organisations(id),
    contains_ai TEXT NOT NULL,
    risk_class TEXT,
    role TEXT,
    description TEXT,
    fria_on DATE,
    fria_reference TEXT,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX system_ai_act_org ON system_ai_act(org_id);
