-- What the REST API needs: a version on each ticket for ETag / If-Match, and comments on
-- tickets, written by a person on the ticket page or by a flow on someone's behalf. Kept in
-- step with ../postgres/0008_ticket_api.sql.
ALTER TABLE tickets ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE ticket_comments (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id         TEXT NOT NULL REFERENCES tenants (id),
    ticket_id         INTEGER NOT NULL REFERENCES tickets (id),
    body              TEXT NOT NULL,
    author_name       TEXT NOT NULL,
    author_object_id  TEXT NOT NULL,
    via               TEXT NOT NULL CHECK (via IN ('person', 'flow')),
    created_at        TEXT NOT NULL
);
CREATE INDEX ticket_comments_ticket ON ticket_comments (tenant_id, ticket_id, id);
