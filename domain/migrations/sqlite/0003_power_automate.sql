-- What Power Automate adds to the records: each tenant's environment, the flows made on a
-- record, its activity timeline, and the approvals raised on its tickets. Kept in step with
-- ../postgres/0003_power_automate.sql.
ALTER TABLE tenants ADD COLUMN flow_environment TEXT;

CREATE TABLE linked_flows (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    flow_id     TEXT NOT NULL,
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    ticket_id   INTEGER REFERENCES tickets (id),
    flow_url    TEXT NOT NULL,
    template    TEXT,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, flow_id)
);
CREATE INDEX linked_flows_record ON linked_flows (tenant_id, account_id, ticket_id);

CREATE TABLE record_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    ticket_id   INTEGER REFERENCES tickets (id),
    kind        TEXT NOT NULL CHECK (kind IN ('flow_linked', 'run_completed', 'approval')),
    subject     TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    actor       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX record_events_record ON record_events (tenant_id, account_id, ticket_id, id);

CREATE TABLE ticket_approvals (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    approval_id  TEXT NOT NULL,
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    ticket_id    INTEGER NOT NULL REFERENCES tickets (id),
    title        TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, approval_id)
);
