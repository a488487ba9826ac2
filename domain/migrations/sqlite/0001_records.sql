-- Tenants, their users, accounts and tickets. Kept in step with ../postgres/0001_records.sql.
CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    object_id     TEXT NOT NULL,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL,
    roles         TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, object_id)
);

CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    name        TEXT NOT NULL,
    domain      TEXT NOT NULL,
    tier        TEXT NOT NULL CHECK (tier IN ('standard', 'premium', 'enterprise')),
    owner       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX accounts_tenant_name ON accounts (tenant_id, name);

CREATE TABLE tickets (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'pending', 'resolved', 'closed')),
    priority     TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    requester    TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX tickets_tenant_account ON tickets (tenant_id, account_id, updated_at);
