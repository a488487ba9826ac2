//! The organisation's Power Platform as its admin sees it on `/settings/flows`: the
//! environments to choose from, its connections to Flowhost, and the ISV's pre-built flows with
//! what is deployed of each. The server reads all of it with the admin's own tokens; the forms
//! post to `server::deployments`.

use crate::errors::AppError;
use domain::deployment::DeploymentState;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The form each pre-built flow's buttons post to is `/settings/flows/prebuilt/{id}`.
pub const PREBUILT_PATH: &str = "/settings/flows/prebuilt";
/// The form that gives or withdraws leave for roll-outs into the organisation's environment.
pub const ROLLOUT_LEAVE_PATH: &str = "/settings/flows/rollouts";
/// The ISV console's form that rolls a flow's new version out is `/admin/flows/rollout/{id}`.
pub const ROLLOUT_PATH: &str = "/admin/flows/rollout";
/// The session key of the outcome of the console's roll-out form.
pub const ROLLOUT_FORM: &str = "rollout";
/// The form field of a parameter is `parameter.{name}`.
pub const PARAMETER_PREFIX: &str = "parameter.";

/// One of the organisation's Power Platform environments.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentChoice {
    /// `Default-{tenant}` or a GUID.
    pub name: String,
    pub display_name: String,
    pub default: bool,
    /// Its Dataverse organisation's URL, when it has one.
    pub dataverse: Option<String>,
}

/// One of the admin's connections to Flowhost in the environment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectionChoice {
    pub name: String,
    /// Who it signs in as.
    pub account: String,
}

/// What the flow is doing in the environment, as Dataverse answers now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Live {
    On,
    Off,
    /// Off, because its connection reference has no connection yet.
    NeedsConnection,
    /// Deleted in Power Automate.
    Deleted,
    /// Its definition was changed in Power Automate.
    Changed,
    /// Dataverse did not answer; why.
    Unknown(i18n::Msg),
}

impl Live {
    /// Whether the flow is off while it could be on: a connection chosen turns it on.
    pub fn wants_connection(&self) -> bool {
        matches!(self, Live::NeedsConnection | Live::Off)
    }
}

/// How the flow's latest run ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LastRun {
    pub succeeded: bool,
    pub at: OffsetDateTime,
    /// The run's error message, when it failed.
    pub error: Option<String>,
}

/// A deployment of a pre-built flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeployedRow {
    pub version: i64,
    pub state: DeploymentState,
    pub live: Live,
    /// Its latest finished run, when Dataverse has one.
    pub last_run: Option<LastRun>,
    /// Why the last step failed.
    pub error: Option<i18n::Msg>,
    pub changed_by: String,
    pub changed_at: OffsetDateTime,
}

/// A parameter the admin fills in before installing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParameterField {
    pub name: String,
    pub description: String,
    pub value: String,
}

/// One of the catalog's pre-built flows, and what the organisation has of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrebuiltRow {
    pub id: String,
    pub title: String,
    pub description: String,
    /// The catalog's version.
    pub version: i64,
    pub parameters: Vec<ParameterField>,
    pub deployed: Option<DeployedRow>,
}

/// Everything the page shows of the Power Platform.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlatformView {
    /// The environments, or why they could not be listed.
    pub environments: Result<Vec<EnvironmentChoice>, i18n::Msg>,
    /// The environment's Dataverse organisation, when the chosen environment has one.
    pub dataverse: Option<String>,
    /// The admin's connections to Flowhost there, or why they could not be listed.
    pub connections: Result<Vec<ConnectionChoice>, i18n::Msg>,
    pub prebuilt: Vec<PrebuiltRow>,
    /// The leave the organisation's admins gave for roll-outs, if any.
    pub leave: Option<LeaveView>,
    /// Power Automate's page of the admin's connections in the environment, where a new one
    /// is made.
    pub connections_page: Option<String>,
}

/// Leave for the ISV to roll new versions out into the organisation's environment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeaveView {
    pub by: String,
    pub at: OffsetDateTime,
    /// Whether it is for the environment chosen now (not one chosen before).
    pub here: bool,
}

/// One of the catalog's pre-built flows, as the ISV's overview names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogEntry {
    pub id: String,
    pub title: String,
    pub version: i64,
}

/// One organisation's deployment of one pre-built flow, for the ISV's staff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverviewRow {
    pub organisation: String,
    pub flow_id: String,
    pub version: i64,
    pub state: DeploymentState,
    pub error: Option<i18n::Msg>,
    pub changed_by: String,
    pub changed_at: OffsetDateTime,
}

/// One organisation's part of a roll-out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RolloutTarget {
    pub organisation: String,
    pub state: domain::rollout::TargetState,
    pub result: Option<i18n::Msg>,
}

/// A roll-out of a flow's version, with every organisation's part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RolloutView {
    pub flow_id: String,
    pub version: i64,
    pub started_by: String,
    pub started_at: OffsetDateTime,
    pub targets: Vec<RolloutTarget>,
}

impl RolloutView {
    pub fn finished(&self) -> bool {
        self.targets.iter().all(|t| t.state.finished())
    }

    /// How many parts ended in `state`.
    pub fn count(&self, state: domain::rollout::TargetState) -> usize {
        self.targets.iter().filter(|t| t.state == state).count()
    }
}

/// How many roll-outs the overview lists, newest first.
pub const ROLLOUTS_SHOWN: i64 = 10;

/// Every organisation's deployments, with the catalog they are measured against, and the
/// latest roll-outs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeploymentOverview {
    pub catalog: Vec<CatalogEntry>,
    pub rows: Vec<OverviewRow>,
    pub rollouts: Vec<RolloutShown>,
    /// The outcome of the last roll-out form.
    pub notice: crate::forms::FormState<domain::widget_config::FormValues>,
    pub csrf: String,
}

/// The deployments of every organisation, for `Flowhost.IsvAdmin`.
#[server]
pub async fn get_deployment_overview() -> Result<DeploymentOverview, AppError> {
    use crate::ssr;
    let signed = ssr::signed_in().await?;
    signed.require(domain::Role::IsvAdmin)?;
    let catalog = ssr::flow_hosting()?.platform.catalog();
    let rows = signed
        .db
        .all_deployments()
        .await
        .map_err(ssr::db_error)?
        .into_iter()
        .map(|d| OverviewRow {
            error: d.deployment.failure(),
            organisation: d.organisation,
            flow_id: d.deployment.flow_id,
            version: d.deployment.version,
            state: d.deployment.state,
            changed_by: d.deployment.changed_by,
            changed_at: d.deployment.changed_at,
        })
        .collect();
    let rollouts = read_rollouts(&signed.db, &catalog).await?;
    let kept = ssr::take_flash(&signed.session, ROLLOUT_FORM).await?;
    Ok(DeploymentOverview {
        catalog,
        rows,
        rollouts,
        notice: crate::forms::FormState::shown(kept, Default::default()),
        csrf: ssr::csrf_token(&signed.session).await?,
    })
}

/// A roll-out as the console shows it, in the reader's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RolloutShown {
    pub flow_id: String,
    /// Every organisation's part has ended.
    pub finished: bool,
    pub heading: String,
    pub progress: String,
    /// The table's columns: organisation, state, result.
    pub columns: [String; 3],
    pub rows: Vec<[String; 3]>,
}

impl RolloutShown {
    /// `r` in `lang`, its flow named by `catalog` (by its id when the catalog has no entry).
    pub fn new(lang: i18n::Lang, r: &RolloutView, catalog: &[CatalogEntry]) -> RolloutShown {
        use domain::rollout::TargetState;
        use i18n::t;
        let title = catalog
            .iter()
            .find(|c| c.id.eq_ignore_ascii_case(&r.flow_id))
            .map_or(r.flow_id.as_str(), |c| c.title.as_str());
        let done = r.targets.iter().filter(|t| t.state.finished()).count();
        RolloutShown {
            flow_id: r.flow_id.clone(),
            finished: r.finished(),
            heading: t!(
                lang,
                "rollout-heading",
                title = title,
                version = r.version,
                who = r.started_by.as_str(),
                at = i18n::date_time(lang, r.started_at)
            ),
            progress: t!(
                lang,
                "rollout-progress",
                done = done,
                count = r.targets.len(),
                upgraded = r.count(TargetState::Upgraded),
                failed = r.count(TargetState::Failed),
                skipped = r.count(TargetState::Skipped)
            ),
            columns: [
                t!(lang, "deployments-organisation"),
                t!(lang, "deployments-state"),
                t!(lang, "rollout-result"),
            ],
            rows: r
                .targets
                .iter()
                .map(|target| {
                    let state = match target.state {
                        TargetState::Waiting => t!(lang, "rollout-state-waiting"),
                        TargetState::Working => t!(lang, "rollout-state-working"),
                        TargetState::Upgraded => t!(lang, "rollout-state-upgraded"),
                        TargetState::Failed => t!(lang, "rollout-state-failed"),
                        TargetState::Skipped => t!(lang, "rollout-state-skipped"),
                    };
                    let result = target.result.as_ref().map(|m| m.show(lang));
                    [
                        target.organisation.clone(),
                        state,
                        result.unwrap_or_default(),
                    ]
                })
                .collect(),
        }
    }
}

#[cfg(feature = "ssr")]
async fn read_rollouts(
    db: &domain::db::Db,
    catalog: &[CatalogEntry],
) -> Result<Vec<RolloutShown>, AppError> {
    let lang = crate::ssr::lang();
    Ok(db
        .rollouts(ROLLOUTS_SHOWN)
        .await
        .map_err(crate::ssr::db_error)?
        .into_iter()
        .map(|(r, targets)| RolloutView {
            flow_id: r.flow_id,
            version: r.version,
            started_by: r.started_by,
            started_at: r.started_at,
            targets: targets
                .into_iter()
                .map(|t| RolloutTarget {
                    result: t.said(),
                    organisation: t.organisation,
                    state: t.state,
                })
                .collect(),
        })
        .map(|r| RolloutShown::new(lang, &r, catalog))
        .collect())
}

/// The latest roll-outs, for `Flowhost.IsvAdmin`: what the console reads again while one is
/// under way.
#[server]
pub async fn get_rollouts() -> Result<Vec<RolloutShown>, AppError> {
    let signed = crate::ssr::signed_in().await?;
    signed.require(domain::Role::IsvAdmin)?;
    let catalog = crate::ssr::flow_hosting()?.platform.catalog();
    read_rollouts(&signed.db, &catalog).await
}
