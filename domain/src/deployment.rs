//! A pre-built flow of the ISV's catalog deployed into an organisation's environment, as
//! Flowhost keeps track of it.

use serde::{Deserialize, Serialize};

/// Where a deployment stands. Every state but `Installed` names work begun and not finished:
/// the work is resumed or undone from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeploymentState {
    Installing,
    Installed,
    Upgrading,
    Removing,
}

impl DeploymentState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeploymentState::Installing => "installing",
            DeploymentState::Installed => "installed",
            DeploymentState::Upgrading => "upgrading",
            DeploymentState::Removing => "removing",
        }
    }
}

impl TryFrom<String> for DeploymentState {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        match value.as_str() {
            "installing" => Ok(DeploymentState::Installing),
            "installed" => Ok(DeploymentState::Installed),
            "upgrading" => Ok(DeploymentState::Upgrading),
            "removing" => Ok(DeploymentState::Removing),
            other => Err(format!("unknown deployment state {other:?}")),
        }
    }
}

/// One organisation's deployment of one catalog flow.
#[cfg(feature = "db")]
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct Deployment {
    /// The catalog entry's id.
    pub flow_id: String,
    /// The catalog version installed, or being installed or upgraded to.
    pub version: i64,
    /// While upgrading: the version running before.
    pub previous_version: Option<i64>,
    /// The Dataverse organisation the flow lives in.
    pub organisation_url: String,
    /// The flow's `workflowid`, chosen before it is made.
    pub workflow_id: String,
    /// The logical name of its connection reference to Flowhost.
    pub reference_name: String,
    /// The connection to Flowhost the admin chose for it, if any yet.
    pub connection_name: Option<String>,
    /// The parameter values the admin chose, a JSON object.
    pub parameters: String,
    #[sqlx(try_from = "String")]
    pub state: DeploymentState,
    /// Why the last step failed: a message, as JSON ([`Deployment::failure`] reads it).
    pub error: Option<String>,
    pub changed_by: String,
    pub changed_at: time::OffsetDateTime,
}

#[cfg(feature = "db")]
impl Deployment {
    /// Why the last step failed, as the message recorded then.
    pub fn failure(&self) -> Option<i18n::Msg> {
        serde_json::from_str(self.error.as_deref()?).ok()
    }
}

/// A deployment with the name of the organisation it belongs to.
#[cfg(feature = "db")]
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct DeploymentOf {
    pub organisation: String,
    #[sqlx(flatten)]
    pub deployment: Deployment,
}
