-- Power Automate licences: each organisation's licences as Microsoft Graph last told them
-- (kept with the time of that reading, and apart from the outcome of the latest attempt, so
-- a failed read never looks like "no licences"), each person's Power Automate rights, and
-- for an ISV that is a Cloud Solution Provider the Partner Center customer each organisation
-- is and the orders placed for it (each worked on by one instance at a time until
-- `claimed_until`, which is also the wait before its next attempt). Kept in step with ../sqlite/0013_licences.sql.
CREATE TABLE licence_readings (
    tenant_id   TEXT PRIMARY KEY REFERENCES tenants (id),
    skus        TEXT,
    read_at     TIMESTAMPTZ,
    attempt_at  TIMESTAMPTZ NOT NULL,
    outcome     TEXT NOT NULL
                CHECK (outcome IN ('read', 'no-consent', 'unreachable', 'throttled')),
    retry_at    TIMESTAMPTZ,
    detail      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE person_licences (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    object_id   TEXT NOT NULL,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    rights      TEXT NOT NULL CHECK (rights IN ('premium', 'standard', 'none')),
    pending     BOOLEAN NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('directory', 'sign-in')),
    read_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, object_id)
);

CREATE TABLE csp_customers (
    tenant_id   TEXT PRIMARY KEY REFERENCES tenants (id),
    customer_id TEXT NOT NULL,
    company     TEXT NOT NULL,
    linked_by   TEXT NOT NULL,
    linked_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE csp_orders (
    id               TEXT PRIMARY KEY,
    tenant_id        TEXT NOT NULL REFERENCES tenants (id),
    customer_id      TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('new', 'seats')),
    offer_id         TEXT NOT NULL,
    offer_name       TEXT NOT NULL,
    quantity         BIGINT NOT NULL,
    subscription_id  TEXT,
    cart_request     TEXT NOT NULL,
    checkout_request TEXT NOT NULL,
    cart_id          TEXT,
    order_id         TEXT,
    status           TEXT NOT NULL
                     CHECK (status IN ('placing', 'pending', 'completed', 'failed')),
    detail           TEXT NOT NULL DEFAULT '',
    attempts         BIGINT NOT NULL DEFAULT 0,
    claimed_until    TIMESTAMPTZ,
    ordered_by       TEXT NOT NULL,
    ordered_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX csp_orders_of ON csp_orders (tenant_id, ordered_at);
CREATE INDEX csp_orders_open ON csp_orders (status);
