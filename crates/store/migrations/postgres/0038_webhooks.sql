-- Webhooks (issue 21): an organisation's subscriptions, each with the
-- secret insyn signs its deliveries with (Standard Webhooks; never in an
-- export, the audit trail or a page after it was shown once) and how far
-- its deliveries have announced the change feed; the delivery queue
-- (claimed with a lease like the mail outbox, retried with back-off, then
-- parked until replayed; the id is the stable webhook-id) and each
-- attempt's outcome for the subscription's delivery log.
CREATE TABLE webhook_subscriptions (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    url TEXT NOT NULL,
    description TEXT,
    object_types TEXT NOT NULL,
    include_events BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL,
    secret TEXT NOT NULL,
    announced_seq BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_subscriptions_org ON webhook_subscriptions(org_id);

CREATE TABLE webhook_deliveries (
    id UUID PRIMARY KEY NOT NULL,
    subscription_id UUID NOT NULL REFERENCES webhook_subscriptions(id),
    org_id UUID NOT NULL REFERENCES organisations(id),
    after_seq BIGINT NOT NULL,
    up_to_seq BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_by TEXT,
    claimed_until TIMESTAMPTZ,
    delivered_at TIMESTAMPTZ,
    parked_at TIMESTAMPTZ,
    last_status INTEGER,
    last_error TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(delivered_at, parked_at, claimed_until);
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries(subscription_id, created_at);

CREATE TABLE webhook_attempts (
    id UUID PRIMARY KEY NOT NULL,
    delivery_id UUID NOT NULL REFERENCES webhook_deliveries(id),
    subscription_id UUID NOT NULL REFERENCES webhook_subscriptions(id),
    at TIMESTAMPTZ NOT NULL,
    attempt INTEGER NOT NULL,
    status INTEGER,
    error TEXT,
    response TEXT
);
CREATE INDEX webhook_attempts_subscription ON webhook_attempts(subscription_id, at);
