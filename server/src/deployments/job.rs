//! One step on one organisation's deployment of a pre-built flow, recorded as it ends: done,
//! or what stopped it, with the state the flow is really in.

use super::{Outcome, failed, told, work};
use crate::form_post::FormError;
use crate::power_platform::PlatformError;
use crate::power_platform::dataverse::Dataverse;
use domain::db::TenantScope;
use domain::deployment::{Deployment, DeploymentState};

pub(super) struct Job<'a> {
    pub scope: &'a TenantScope<'a>,
    pub dv: &'a Dataverse<'a>,
    pub flow: &'a catalog::Flow,
    /// Who asked for it.
    pub by: &'a str,
}

impl Job<'_> {
    fn title(&self) -> &str {
        &self.flow.meta.title
    }

    /// Records where the deployment stands, with the failure that stopped it, if any.
    async fn record(
        &self,
        d: &Deployment,
        state: DeploymentState,
        version: i64,
        previous: Option<i64>,
        why: Option<&PlatformError>,
    ) -> Result<(), FormError> {
        let failure = why.map(PlatformError::msg);
        if let Some(why) = why {
            tracing::warn!(flow = %d.flow_id, reason = ?why, ?state, "a pre-built flow's step failed");
        }
        self.scope
            .set_deployment(
                &d.flow_id,
                state,
                version,
                previous,
                failure.as_ref(),
                self.by,
            )
            .await?;
        Ok(())
    }

    /// Brings the flow to its recorded version and marks it installed, or records why not.
    pub async fn settle(&self, d: &Deployment) -> Result<Outcome, FormError> {
        match work::converge(self.dv, self.flow, d).await {
            Ok(on) => {
                self.record(d, DeploymentState::Installed, d.version, None, None)
                    .await?;
                let said = if on {
                    "prebuilt-on"
                } else {
                    "prebuilt-installed-off"
                };
                Ok(told(said, self.title()))
            }
            Err(why) => {
                self.record(d, d.state, d.version, d.previous_version, Some(&why))
                    .await?;
                Ok(failed(self.title(), &why))
            }
        }
    }

    /// Records an upgrade of the installed `d` to `version` as begun, then carries it out;
    /// refused when the deployment changed since `d` was read.
    pub async fn begin_upgrade(&self, d: Deployment, version: i64) -> Result<Outcome, FormError> {
        if !self
            .scope
            .begin_upgrade(&d.flow_id, d.version, version, self.by)
            .await?
        {
            let mut outcome = told("prebuilt-changed-meanwhile", self.title());
            outcome.refused = true;
            return Ok(outcome);
        }
        let d = Deployment {
            state: DeploymentState::Upgrading,
            previous_version: Some(d.version),
            version,
            ..d
        };
        self.upgrade(&d).await
    }

    /// Finishes an upgrade recorded as begun. When it fails, Dataverse is asked which version
    /// the flow holds: the old one goes on running and the record says so; when Dataverse
    /// cannot say, the upgrade stays unfinished.
    pub async fn upgrade(&self, d: &Deployment) -> Result<Outcome, FormError> {
        let Err(why) = work::converge(self.dv, self.flow, d).await else {
            self.record(d, DeploymentState::Installed, d.version, None, None)
                .await?;
            tracing::info!(flow = %d.flow_id, version = d.version, "a pre-built flow was upgraded");
            return Ok(told("prebuilt-upgraded", self.title()));
        };
        let new_data = work::clientdata(self.flow, &work::parameters(d), &d.reference_name);
        let (state, version, previous) = match self.dv.workflow(&d.workflow_id).await {
            Ok(Some(row)) if work::holds(&row, &new_data) => {
                (DeploymentState::Installed, d.version, None)
            }
            Ok(Some(_)) => (
                DeploymentState::Installed,
                d.previous_version.unwrap_or(d.version),
                None,
            ),
            _ => (DeploymentState::Upgrading, d.version, d.previous_version),
        };
        self.record(d, state, version, previous, Some(&why)).await?;
        Ok(failed(self.title(), &why))
    }

    /// Removes the flow and its connection reference, then forgets the deployment; what fails
    /// is recorded and the deployment stays, marked as being removed.
    pub async fn uninstall(&self, d: &Deployment) -> Result<Outcome, FormError> {
        let removing = DeploymentState::Removing;
        self.scope
            .set_deployment(
                &d.flow_id,
                removing,
                d.version,
                d.previous_version,
                d.failure().as_ref(),
                self.by,
            )
            .await?;
        match work::remove(self.dv, d).await {
            Ok(()) => {
                self.scope.forget_deployment(&d.flow_id).await?;
                tracing::info!(flow = %d.flow_id, "a pre-built flow was uninstalled");
                Ok(told("prebuilt-uninstalled", self.title()))
            }
            Err(why) => {
                self.record(d, removing, d.version, d.previous_version, Some(&why))
                    .await?;
                Ok(failed(self.title(), &why))
            }
        }
    }
}
