-- Access management: each unit's manager (chef), access profiles per system,
-- orders (one per profile; an order of several profiles shares a group id)
-- with the steps taken on them, the holdings they lead to, and access
-- reviews with their frozen items.
ALTER TABLE units ADD COLUMN manager_id UUID REFERENCES people(id);

CREATE TABLE access_profiles (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    system_id UUID NOT NULL REFERENCES systems(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    grants TEXT,
    personal_data BOOLEAN NOT NULL DEFAULT FALSE,
    secret_info BOOLEAN NOT NULL DEFAULT FALSE,
    max_holders BIGINT,
    reason_required BOOLEAN NOT NULL DEFAULT FALSE,
    orderer TEXT NOT NULL,
    decider TEXT NOT NULL,
    executor TEXT NOT NULL,
    archived BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (system_id, name_key)
);
CREATE INDEX access_profiles_org ON access_profiles(org_id, system_id);

CREATE TABLE access_orders (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    group_id UUID NOT NULL,
    system_id UUID NOT NULL REFERENCES systems(id),
    profile_id UUID NOT NULL REFERENCES access_profiles(id),
    person_id UUID NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT,
    start_date DATE NOT NULL,
    end_date DATE,
    ticket TEXT,
    ordered_by TEXT NOT NULL,
    ordered_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX access_orders_org_state ON access_orders(org_id, state);
CREATE INDEX access_orders_person ON access_orders(person_id);
CREATE INDEX access_orders_group ON access_orders(group_id);

CREATE TABLE access_order_steps (
    id UUID PRIMARY KEY NOT NULL,
    order_id UUID NOT NULL REFERENCES access_orders(id),
    step TEXT NOT NULL,
    state TEXT NOT NULL,
    comment TEXT,
    ticket TEXT,
    done_on DATE,
    taken_by TEXT NOT NULL,
    taken_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX access_order_steps_order ON access_order_steps(order_id, taken_at);

CREATE TABLE access_holdings (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    system_id UUID NOT NULL REFERENCES systems(id),
    profile_id UUID NOT NULL REFERENCES access_profiles(id),
    person_id UUID NOT NULL REFERENCES people(id),
    since DATE NOT NULL,
    until DATE,
    order_id UUID REFERENCES access_orders(id),
    account TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX access_holdings_profile ON access_holdings(profile_id, until);
CREATE INDEX access_holdings_person ON access_holdings(person_id, until);
CREATE INDEX access_holdings_system ON access_holdings(system_id, until);

CREATE TABLE access_reviews (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    scope TEXT NOT NULL,
    system_id UUID REFERENCES systems(id),
    unit_id UUID REFERENCES units(id),
    reviewer_id UUID REFERENCES people(id),
    opened_on DATE NOT NULL,
    deadline DATE NOT NULL,
    signed_by TEXT,
    signed_at TIMESTAMPTZ,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX access_reviews_org ON access_reviews(org_id, signed_at, deadline);
CREATE INDEX access_reviews_system ON access_reviews(system_id, signed_at);

-- The holdings as they stood when the review opened: names copied, so that
-- later changes to people, profiles or holdings do not change the review.
CREATE TABLE access_review_items (
    id UUID PRIMARY KEY NOT NULL,
    review_id UUID NOT NULL REFERENCES access_reviews(id),
    holding_id UUID NOT NULL REFERENCES access_holdings(id),
    person_id UUID NOT NULL REFERENCES people(id),
    person_name TEXT NOT NULL,
    profile_id UUID NOT NULL REFERENCES access_profiles(id),
    profile_name TEXT NOT NULL,
    system_id UUID NOT NULL REFERENCES systems(id),
    system_name TEXT NOT NULL,
    since DATE NOT NULL,
    answer TEXT,
    comment TEXT,
    answered_by TEXT,
    answered_at TIMESTAMPTZ,
    removal_order_id UUID REFERENCES access_orders(id)
);
CREATE INDEX access_review_items_review ON access_review_items(review_id);
