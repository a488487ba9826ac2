-- Webhook triggers: the connector's subscriptions, each an organisation's user's callback
-- for one kind of event (optionally on one account); the outbox of events, written in the
-- transaction of the change that caused them; and one delivery per event and matching
-- subscription, delivered at least once, in order per subscription. Kept in step with
-- ../postgres/0009_webhooks.sql.
CREATE TABLE hook_subscriptions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id        TEXT NOT NULL REFERENCES tenants (id),
    owner_object_id  TEXT NOT NULL,
    owner_name       TEXT NOT NULL,
    event            TEXT NOT NULL
                     CHECK (event IN ('ticket_created', 'ticket_status_changed', 'comment_added')),
    account_id       INTEGER REFERENCES accounts (id),
    callback_url     TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX hook_subscriptions_match ON hook_subscriptions (tenant_id, event);
CREATE INDEX hook_subscriptions_owner ON hook_subscriptions (tenant_id, owner_object_id);

CREATE TABLE hook_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    event       TEXT NOT NULL,
    account_id  INTEGER NOT NULL,
    payload     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE hook_deliveries (
    subscription_id  INTEGER NOT NULL REFERENCES hook_subscriptions (id) ON DELETE CASCADE,
    event_id         INTEGER NOT NULL REFERENCES hook_events (id),
    tenant_id        TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_status      INTEGER,
    last_error       TEXT,
    finished_at      TEXT,
    PRIMARY KEY (subscription_id, event_id)
);
CREATE INDEX hook_deliveries_due ON hook_deliveries (state, next_attempt_at);
CREATE INDEX hook_deliveries_tenant ON hook_deliveries (tenant_id, event_id);
