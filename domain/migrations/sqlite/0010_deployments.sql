-- Pre-built flows deployed into an organisation's environment through its Dataverse
-- organisation. The environment's Dataverse URL is kept with its name. A deployment row is
-- written before the first call to Dataverse, with the workflow's id chosen then, so an
-- interrupted install, upgrade or removal is found and finished or undone. Kept in step with
-- ../postgres/0010_deployments.sql.
ALTER TABLE tenants ADD COLUMN flow_dataverse_url TEXT;

CREATE TABLE deployments (
    tenant_id         TEXT NOT NULL REFERENCES tenants (id),
    flow_id           TEXT NOT NULL,
    version           INTEGER NOT NULL,
    previous_version  INTEGER,
    organisation_url  TEXT NOT NULL,
    workflow_id       TEXT NOT NULL,
    reference_name    TEXT NOT NULL,
    connection_name   TEXT,
    parameters        TEXT NOT NULL,
    state             TEXT NOT NULL
                      CHECK (state IN ('installing', 'installed', 'upgrading', 'removing')),
    error             TEXT,
    changed_by        TEXT NOT NULL,
    changed_at        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, flow_id)
);
