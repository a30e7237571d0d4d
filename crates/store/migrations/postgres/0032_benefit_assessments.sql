-- Benefit assessments (Stockholm 2.6): the system owner's regular
-- assessment of a system's value for the business and its users, with a
-- recommendation (keep, develop, phase out). Each records the
-- benefit_review control. Secret by default: never public.
CREATE TABLE benefit_assessments (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    system_id UUID NOT NULL REFERENCES systems(id),
    assessed_on DATE NOT NULL,
    assessed_by TEXT NOT NULL,
    business_value TEXT NOT NULL,
    user_satisfaction TEXT,
    users_asked TEXT,
    respondents BIGINT,
    strengths TEXT,
    problems TEXT,
    recommendation TEXT NOT NULL,
    note TEXT,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX benefit_assessments_system ON benefit_assessments(system_id, assessed_on);
