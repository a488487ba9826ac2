-- ISV staff's access to customer records: each console preview that read an organisation's
-- account or ticket, who made it and when. The account's name is kept as it was then, and an
-- entry does not depend on the record staying. Kept in step with
-- ../postgres/0005_staff_audit.sql.
CREATE TABLE staff_previews (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id        TEXT NOT NULL REFERENCES tenants (id),
    staff_tenant_id  TEXT NOT NULL,
    staff_object_id  TEXT NOT NULL,
    staff_name       TEXT NOT NULL,
    staff_email      TEXT NOT NULL,
    account_id       INTEGER NOT NULL,
    account_name     TEXT NOT NULL,
    ticket_id        INTEGER,
    placement_key    TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX staff_previews_tenant ON staff_previews (tenant_id, id);
