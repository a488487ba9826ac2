//! The organisation's deployments of the ISV's pre-built flows.

use super::tenants::now;
use super::{Db, TenantScope, with_pool};
use crate::deployment::{Deployment, DeploymentOf, DeploymentState};

const COLUMNS: &str = "flow_id, version, previous_version, organisation_url, workflow_id, \
     reference_name, connection_name, parameters, state, error, changed_by, changed_at";

/// A deployment about to be installed.
pub struct NewDeployment<'a> {
    pub flow_id: &'a str,
    pub version: i64,
    pub organisation_url: &'a str,
    pub workflow_id: &'a str,
    pub reference_name: &'a str,
    pub connection_name: Option<&'a str>,
    pub parameters: &'a str,
    pub by: &'a str,
}

impl TenantScope<'_> {
    /// The organisation's deployments, in the order they were first installed.
    pub async fn deployments(&self) -> Result<Vec<Deployment>, sqlx::Error> {
        let sql =
            format!("SELECT {COLUMNS} FROM deployments WHERE tenant_id = $1 ORDER BY flow_id");
        with_pool!(self.db, pool => sqlx::query_as::<_, Deployment>(&sql)
            .bind(self.tenant.as_str())
            .fetch_all(pool)
            .await)
    }

    pub async fn deployment(&self, flow_id: &str) -> Result<Option<Deployment>, sqlx::Error> {
        let sql =
            format!("SELECT {COLUMNS} FROM deployments WHERE tenant_id = $1 AND flow_id = $2");
        with_pool!(self.db, pool => sqlx::query_as::<_, Deployment>(&sql)
            .bind(self.tenant.as_str())
            .bind(flow_id)
            .fetch_optional(pool)
            .await)
    }

    /// Records an install about to begin; `false` when the flow already has a deployment.
    pub async fn begin_install(&self, new: &NewDeployment<'_>) -> Result<bool, sqlx::Error> {
        const SQL: &str = "INSERT INTO deployments (tenant_id, flow_id, version, \
             organisation_url, workflow_id, reference_name, connection_name, parameters, state, \
             changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'installing', $9, $10) \
             ON CONFLICT (tenant_id, flow_id) DO NOTHING";
        let done = with_pool!(self.db, pool => sqlx::query(SQL)
            .bind(self.tenant.as_str())
            .bind(new.flow_id)
            .bind(new.version)
            .bind(new.organisation_url)
            .bind(new.workflow_id)
            .bind(new.reference_name)
            .bind(new.connection_name)
            .bind(new.parameters)
            .bind(new.by)
            .bind(now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    /// Moves the deployment to `state` at `version` (with the version running before, while
    /// upgrading), with the failure that stopped it if any.
    pub async fn set_deployment(
        &self,
        flow_id: &str,
        state: DeploymentState,
        version: i64,
        previous_version: Option<i64>,
        error: Option<&i18n::Msg>,
        by: &str,
    ) -> Result<(), sqlx::Error> {
        let error = error.and_then(|msg| serde_json::to_string(msg).ok());
        const SQL: &str = "UPDATE deployments SET state = $3, version = $4, \
             previous_version = $5, error = $6, changed_by = $7, changed_at = $8 \
             WHERE tenant_id = $1 AND flow_id = $2";
        with_pool!(self.db, pool => sqlx::query(SQL)
            .bind(self.tenant.as_str())
            .bind(flow_id)
            .bind(state.as_str())
            .bind(version)
            .bind(previous_version)
            .bind(error)
            .bind(by)
            .bind(now())
            .execute(pool)
            .await
            .map(drop))
    }

    /// Records an upgrade of the installed `from_version` to `to_version` as begun, unless the
    /// deployment changed meanwhile (another step began, or it is gone): `false` then.
    pub async fn begin_upgrade(
        &self,
        flow_id: &str,
        from_version: i64,
        to_version: i64,
        by: &str,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE deployments SET state = 'upgrading', version = $4, \
             previous_version = $3, error = NULL, changed_by = $5, changed_at = $6 \
             WHERE tenant_id = $1 AND flow_id = $2 AND state = 'installed' AND version = $3";
        let done = with_pool!(self.db, pool => sqlx::query(SQL)
            .bind(self.tenant.as_str())
            .bind(flow_id)
            .bind(from_version)
            .bind(to_version)
            .bind(by)
            .bind(now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    /// Records the connection the admin chose for the deployment.
    pub async fn set_deployment_connection(
        &self,
        flow_id: &str,
        connection: &str,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "UPDATE deployments SET connection_name = $3 \
             WHERE tenant_id = $1 AND flow_id = $2";
        with_pool!(self.db, pool => sqlx::query(SQL)
            .bind(self.tenant.as_str())
            .bind(flow_id)
            .bind(connection)
            .execute(pool)
            .await
            .map(drop))
    }

    /// Forgets a deployment whose flow is gone from the environment.
    pub async fn forget_deployment(&self, flow_id: &str) -> Result<(), sqlx::Error> {
        const SQL: &str = "DELETE FROM deployments WHERE tenant_id = $1 AND flow_id = $2";
        with_pool!(self.db, pool => sqlx::query(SQL)
            .bind(self.tenant.as_str())
            .bind(flow_id)
            .execute(pool)
            .await
            .map(drop))
    }
}

impl Db {
    /// Every organisation's deployments, by organisation name: the ISV's overview.
    pub async fn all_deployments(&self) -> Result<Vec<DeploymentOf>, sqlx::Error> {
        const SQL: &str = "SELECT t.name AS organisation, d.* FROM deployments d \
             JOIN tenants t ON t.id = d.tenant_id ORDER BY t.name, d.flow_id";
        with_pool!(self, pool => sqlx::query_as::<_, DeploymentOf>(SQL)
            .fetch_all(pool)
            .await)
    }
}
