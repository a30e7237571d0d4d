-- Policy profiles (versioned per organisation), the documents and control
-- records they ask for, annual reviews against a checklist, and the outbox of
-- e-mail reminders.
CREATE TABLE policy_profiles (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    based_on TEXT,
    note TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (org_id, code, version)
);
-- The organisation's chosen profile (its newest version applies) and when it was adopted.
ALTER TABLE organisations ADD COLUMN policy_code TEXT;
ALTER TABLE organisations ADD COLUMN policy_adopted_on DATE;

CREATE TABLE system_documents (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    system_id UUID NOT NULL REFERENCES systems(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    reference TEXT,
    dated DATE NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX system_documents_system ON system_documents(system_id, kind);

-- A recurring control performed: on one system, or for the organisation (system_id NULL).
CREATE TABLE control_records (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    system_id UUID REFERENCES systems(id),
    control TEXT NOT NULL,
    performed_on DATE NOT NULL,
    result TEXT NOT NULL,
    note TEXT,
    review_id UUID,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX control_records_system ON control_records(system_id, control, performed_on);
CREATE INDEX control_records_org ON control_records(org_id, control, performed_on);

-- An annual review: the checklist as it stood when the review began, answered item by item.
CREATE TABLE reviews (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    system_id UUID NOT NULL REFERENCES systems(id),
    control TEXT NOT NULL,
    period TEXT NOT NULL,
    items JSONB NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    signed_by TEXT,
    signed_at TIMESTAMPTZ,
    UNIQUE (system_id, control, period)
);

-- Mail is written here in the transaction that decides to send it, and sent
-- after commit by a worker; dedupe_key makes each reminder exist once.
CREATE TABLE outbox (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID REFERENCES organisations(id),
    dedupe_key TEXT NOT NULL UNIQUE,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    claimed_by TEXT,
    claimed_until TIMESTAMPTZ,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at TIMESTAMPTZ
);
CREATE INDEX outbox_pending ON outbox(sent_at, created_at);

-- Each reminder (one finding, one due date, one stage, one person) is
-- queued once: its key is written here in the transaction that queues the
-- mail, so two servers reminding at once cannot both send it.
CREATE TABLE reminders_sent (
    reminder_key TEXT PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    recipient TEXT NOT NULL,
    queued_at TIMESTAMPTZ NOT NULL
);
