-- Roll-outs of a pre-built flow's new version to every organisation that has it, carried out
-- with Flowhost's own access to each organisation's Dataverse (an application user its admin
-- added there). A roll-out has one target per organisation; a target is claimed by one
-- instance at a time, and a claim older than its lease is taken up again; only the instance
-- holding the claim records how it ended. Kept in step with
-- ../sqlite/0011_rollouts.sql.
ALTER TABLE tenants ADD COLUMN rollout_organisation_url TEXT;
ALTER TABLE tenants ADD COLUMN rollout_allowed_by TEXT;
ALTER TABLE tenants ADD COLUMN rollout_allowed_at TIMESTAMPTZ;

CREATE TABLE rollouts (
    id          BIGSERIAL PRIMARY KEY,
    flow_id     TEXT NOT NULL,
    version     BIGINT NOT NULL,
    started_by  TEXT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE rollout_targets (
    rollout_id   BIGINT NOT NULL REFERENCES rollouts (id),
    flow_id      TEXT NOT NULL,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    state        TEXT NOT NULL
                 CHECK (state IN ('waiting', 'working', 'upgraded', 'failed', 'skipped')),
    result       TEXT,
    claimed_until TIMESTAMPTZ,
    finished_at  TIMESTAMPTZ,
    PRIMARY KEY (rollout_id, tenant_id)
);
CREATE INDEX rollout_targets_open ON rollout_targets (state);
-- One organisation's flow is in at most one roll-out under way, whichever instance started it.
CREATE UNIQUE INDEX rollout_targets_one_at_a_time ON rollout_targets (flow_id, tenant_id)
    WHERE state IN ('waiting', 'working');
