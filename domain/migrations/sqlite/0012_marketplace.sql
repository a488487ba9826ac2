-- Organisations that arrive through the commercial marketplace: the SaaS subscription each
-- bought (as the Fulfillment API last told it), the marketplace's operations received (by
-- their id, so a webhook call delivered twice is carried out once, and queued so the webhook
-- answers at once), what happened to each subscription, and the people Flowhost itself made
-- an organisation's admins (the purchaser). An organisation's access and plan are kept on its
-- tenant row, so admission stays one lookup. Kept in step with
-- ../postgres/0012_marketplace.sql.
ALTER TABLE tenants ADD COLUMN plan_id TEXT;
ALTER TABLE tenants ADD COLUMN access TEXT NOT NULL DEFAULT 'open'
    CHECK (access IN ('open', 'subscribed', 'suspended', 'ended'));

CREATE TABLE subscriptions (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    name            TEXT NOT NULL,
    offer_id        TEXT NOT NULL,
    plan_id         TEXT NOT NULL,
    quantity        INTEGER,
    status          TEXT NOT NULL
                    CHECK (status IN ('PendingFulfillmentStart', 'Subscribed', 'Suspended', 'Unsubscribed')),
    free_trial      BOOLEAN NOT NULL,
    term_start      TEXT,
    term_end        TEXT,
    purchaser_email TEXT NOT NULL,
    purchaser_tenant TEXT NOT NULL,
    activated_by    TEXT NOT NULL,
    activated_at    TEXT NOT NULL,
    requested       TEXT,
    delete_after    TEXT,
    deleted_at      TEXT,
    updated_at      TEXT NOT NULL
);
CREATE INDEX subscriptions_tenant ON subscriptions (tenant_id);

CREATE TABLE marketplace_operations (
    id              TEXT PRIMARY KEY,
    subscription_id TEXT NOT NULL,
    action          TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('waiting', 'working', 'done', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    claimed_until   TEXT,
    received_at     TEXT NOT NULL,
    finished_at     TEXT
);
CREATE INDEX marketplace_operations_open ON marketplace_operations (state);

CREATE TABLE subscription_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id TEXT NOT NULL,
    at              TEXT NOT NULL,
    action          TEXT NOT NULL,
    source          TEXT NOT NULL,
    detail          TEXT NOT NULL
);
CREATE INDEX subscription_events_of ON subscription_events (subscription_id, at);

CREATE TABLE tenant_admins (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    object_id   TEXT NOT NULL,
    granted_by  TEXT NOT NULL,
    granted_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, object_id)
);
