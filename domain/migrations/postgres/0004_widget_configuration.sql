-- The widget configuration ISV staff edit, one row a version (the whole configuration as
-- JSON, who saved it, what changed), and the placements each tenant's admins turned off or on.
-- Kept in step with ../sqlite/0004_widget_configuration.sql.
CREATE TABLE widget_config_versions (
    version     BIGINT PRIMARY KEY,
    document    TEXT NOT NULL,
    author      TEXT NOT NULL,
    summary     TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE tenant_placements (
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    placement_key  TEXT NOT NULL,
    enabled        BOOLEAN NOT NULL,
    PRIMARY KEY (tenant_id, placement_key)
);
