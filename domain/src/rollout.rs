//! A roll-out of a pre-built flow's new version to every organisation that has the flow: one
//! target per organisation, each carried out with Flowhost's own access to the organisation's
//! Dataverse and ending upgraded, failed (the old version still runs) or skipped, with why.

use serde::{Deserialize, Serialize};

/// Where one organisation's part of a roll-out stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetState {
    Waiting,
    /// Claimed by an instance, which is upgrading it.
    Working,
    Upgraded,
    Failed,
    Skipped,
}

impl TargetState {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetState::Waiting => "waiting",
            TargetState::Working => "working",
            TargetState::Upgraded => "upgraded",
            TargetState::Failed => "failed",
            TargetState::Skipped => "skipped",
        }
    }

    pub fn finished(self) -> bool {
        !matches!(self, TargetState::Waiting | TargetState::Working)
    }
}

impl TryFrom<String> for TargetState {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Ok(match value.as_str() {
            "waiting" => TargetState::Waiting,
            "working" => TargetState::Working,
            "upgraded" => TargetState::Upgraded,
            "failed" => TargetState::Failed,
            "skipped" => TargetState::Skipped,
            other => return Err(format!("unknown roll-out state {other:?}")),
        })
    }
}

/// A roll-out as started.
#[cfg(feature = "db")]
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct Rollout {
    pub id: i64,
    pub flow_id: String,
    pub version: i64,
    pub started_by: String,
    pub started_at: time::OffsetDateTime,
}

/// One organisation's part of a roll-out.
#[cfg(feature = "db")]
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct Target {
    pub rollout_id: i64,
    pub tenant_id: String,
    pub organisation: String,
    #[sqlx(try_from = "String")]
    pub state: TargetState,
    /// What happened, a message as JSON ([`Target::said`] reads it).
    pub result: Option<String>,
    pub finished_at: Option<time::OffsetDateTime>,
}

#[cfg(feature = "db")]
impl Target {
    pub fn said(&self) -> Option<i18n::Msg> {
        serde_json::from_str(self.result.as_deref()?).ok()
    }
}

/// A target claimed for work, with its roll-out.
#[cfg(feature = "db")]
#[derive(Clone, Debug, PartialEq)]
pub struct Claimed {
    pub rollout: Rollout,
    pub tenant_id: String,
    /// Until when the claim holds.
    pub until: time::OffsetDateTime,
}

/// An organisation admin's leave for roll-outs into one Dataverse organisation.
#[cfg(feature = "db")]
#[derive(Clone, Debug, PartialEq)]
pub struct RolloutLeave {
    pub organisation_url: String,
    pub by: String,
    pub at: time::OffsetDateTime,
}
