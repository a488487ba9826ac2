-- Widgets the Power Automate SDK rejected: its own widget's requests arrived from the Flow host
-- and none reached Flowhost. One row per Flow host and SDK version, with how often and where it
-- was last seen, for the ISV console. Kept in step with ../sqlite/0007_widget_rejections.sql.
CREATE TABLE widget_rejections (
    flow_host       TEXT NOT NULL,
    sdk_version     TEXT NOT NULL,
    reports         BIGINT NOT NULL,
    first_at        TIMESTAMPTZ NOT NULL,
    last_at         TIMESTAMPTZ NOT NULL,
    last_tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    last_page       TEXT NOT NULL,
    PRIMARY KEY (flow_host, sdk_version)
);
