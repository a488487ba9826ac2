//! Rolling a pre-built flow's new version out to every organisation that has it, from the ISV
//! console (`POST /admin/flows/rollout/{flow}`), with Flowhost's own access to each
//! organisation's Dataverse. That access is the organisation admin's to give: on
//! `/settings/flows` (`POST /settings/flows/rollouts`) the admin makes Flowhost an application
//! user of the environment, or withdraws the leave.
//!
//! Every instance runs a worker that claims one organisation's part at a time. An organisation
//! is upgraded the way its admin's own "Upgrade" does it, so a failure leaves the old version
//! running and says why; one without leave, or with a step of its own unfinished, is skipped
//! and says so. A claim lapses after [`LEASE`], so a part an instance stopped in is taken up
//! again, and an upgrade it began is finished.

use super::job::Job;
use crate::AppState;
use crate::form_post::{Admitted, FormError, FormPost, Target};
use crate::hooks::Wake;
use crate::power_platform::{PlatformError, PowerPlatform, organisation_of};
use app::deployments::{ROLLOUT_FORM, ROLLOUT_LEAVE_PATH, ROLLOUT_PATH};
use app::forms::{FormState, correct, expired};
use app::tenant_flows::PREBUILT_FORM;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use domain::db::{Db, Started};
use domain::deployment::DeploymentState;
use domain::plan::{Feature, Plans};
use domain::rollout::{Claimed, TargetState};
use domain::widget_config::FormValues;
use domain::{Role, TenantId};
use i18n::Msg;
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;

/// How often a worker looks for work when nothing woke it.
const POLL: Duration = Duration::from_secs(2);
/// How long a claimed part is this worker's: longer than one upgrade may take.
const LEASE: Duration = Duration::from_secs(5 * 60);

pub fn router() -> Router<AppState> {
    Router::new()
        .route(ROLLOUT_LEAVE_PATH, post(leave))
        .route(&format!("{ROLLOUT_PATH}/{{flow}}"), post(start))
}

type Outcome = FormState<FormValues>;

fn said(msg: Msg) -> Outcome {
    FormState::done(msg)
}

fn refused(msg: Msg) -> Outcome {
    FormState::refused(FormValues::new(), Default::default(), msg)
}

#[derive(Deserialize)]
struct LeavePost {
    #[serde(default)]
    intent: String,
}

impl FormPost for LeavePost {
    const ROLE: Option<Role> = Some(Role::TenantAdmin);
    type Expired = Outcome;

    fn page(&self, _: &str) -> Target {
        Target::new(PREBUILT_FORM, "/settings/flows")
    }

    fn expired(&self) -> Outcome {
        refused(expired())
    }
}

/// Gives leave (making Flowhost an application user of the chosen environment's Dataverse)
/// or withdraws it.
async fn leave(
    State(state): State<AppState>,
    post: Admitted<LeavePost>,
) -> Result<Response, FormError> {
    let user = &post.user;
    let scope = state.db.scope(&user.tenant_id);
    let outcome = match post.form.intent.as_str() {
        "withdraw" => {
            scope.set_rollout_leave(None, &user.name).await?;
            tracing::info!("an organisation withdrew its leave for roll-outs");
            said(Msg::new("rollout-leave-withdrawn"))
        }
        "allow" => allow(&state, &post).await?,
        _ => refused(correct()),
    };
    post.back(outcome).await
}

async fn allow(state: &AppState, post: &Admitted<LeavePost>) -> Result<Outcome, FormError> {
    let (session, user) = (&post.session, &post.user);
    let scope = state.db.scope(&user.tenant_id);
    let settings = scope.flow_settings().await?;
    let listed = match state.platform.environments(session, user).await {
        Ok(listed) => listed,
        Err(why) => return Ok(refused(failed_leave(&why))),
    };
    let environment = match &settings.environment {
        Some(name) => listed.iter().find(|e| e.name.eq_ignore_ascii_case(name)),
        None => listed.iter().find(|e| e.default),
    };
    let (Some(environment), Some(organisation)) =
        (environment, organisation_of(&settings, &listed))
    else {
        return Ok(refused(Msg::new("rollout-leave-no-dataverse")));
    };
    if let Err(why) = state
        .platform
        .add_app_user(session, user, &environment.name)
        .await
    {
        return Ok(refused(failed_leave(&why)));
    }
    scope
        .set_rollout_leave(Some(&organisation), &user.name)
        .await?;
    tracing::info!("an organisation gave leave for roll-outs");
    Ok(said(
        Msg::new("rollout-leave-given").with("environment", environment.display_name.clone()),
    ))
}

fn failed_leave(why: &PlatformError) -> Msg {
    Msg::new("rollout-leave-failed").with("reason", why.msg())
}

#[derive(Deserialize)]
struct StartPost {}

impl FormPost for StartPost {
    const ROLE: Option<Role> = Some(Role::IsvAdmin);
    type Expired = Outcome;

    fn page(&self, _: &str) -> Target {
        Target::new(ROLLOUT_FORM, "/admin/flows")
    }

    fn expired(&self) -> Outcome {
        refused(expired())
    }
}

/// Starts rolling the catalog's version of `flow` out to every organisation behind it.
async fn start(
    State(state): State<AppState>,
    Path(flow_id): Path<String>,
    post: Admitted<StartPost>,
) -> Result<Response, FormError> {
    let Some(flow) = state.platform.catalog.find(&flow_id) else {
        return post
            .back(refused(Msg::new("prebuilt-unknown").with("title", flow_id)))
            .await;
    };
    let (title, version) = (flow.meta.title.clone(), i64::from(flow.meta.version));
    let outcome = match state
        .db
        .start_rollout(&flow.meta.id, version, &post.user.name)
        .await?
    {
        Started::Started { targets, .. } => {
            state.rollouts.now();
            tracing::info!(flow = %flow.meta.id, version, targets, "a roll-out started");
            said(
                Msg::new("rollout-started")
                    .with("title", title)
                    .with("version", version)
                    .with("count", targets),
            )
        }
        Started::Busy => refused(Msg::new("rollout-busy").with("title", title)),
        Started::NothingBehind => refused(
            Msg::new("rollout-nothing-behind")
                .with("title", title)
                .with("version", version),
        ),
    };
    post.back(outcome).await
}

/// Starts this instance's roll-out worker for as long as the process runs.
pub fn start_worker(db: Db, platform: Arc<PowerPlatform>, plans: Arc<Plans>) -> Wake {
    let wake = Wake::default();
    tokio::spawn(work(db, platform, plans, wake.clone()));
    wake
}

async fn work(db: Db, platform: Arc<PowerPlatform>, plans: Arc<Plans>, wake: Wake) {
    loop {
        match db.claim_rollout_target(LEASE).await {
            Ok(Some(claimed)) => {
                let (state, result) = match in_plan(&db, &plans, &claimed.tenant_id).await {
                    true => carry_out(&db, &platform, &claimed).await,
                    false => (TargetState::Skipped, Msg::new("rollout-not-in-plan")),
                };
                match db.finish_rollout_target(&claimed, state, &result).await {
                    Ok(true) => {}
                    Ok(false) => tracing::warn!(
                        "an organisation's roll-out outlasted its claim; the instance that took it over records it"
                    ),
                    Err(e) => {
                        tracing::warn!(error = %e, "could not record an organisation's roll-out")
                    }
                }
            }
            Ok(None) => wake.wait(POLL).await,
            Err(e) => {
                tracing::warn!(error = %e, "could not look for roll-outs");
                wake.wait(POLL).await;
            }
        }
    }
}

/// Whether the organisation's plan includes pre-built flows (when the database cannot say,
/// the upgrade's own reads find out).
async fn in_plan(db: &Db, plans: &Plans, tenant: &str) -> bool {
    let Ok(tenant) = TenantId::parse(tenant) else {
        return true;
    };
    db.has_feature(&tenant, plans, Feature::PrebuiltFlows)
        .await
        .unwrap_or(true)
}

/// Upgrades one organisation as the roll-out asks; how it ended, and why.
async fn carry_out(db: &Db, platform: &PowerPlatform, claimed: &Claimed) -> (TargetState, Msg) {
    let rollout = &claimed.rollout;
    let Ok(tenant) = TenantId::parse(&claimed.tenant_id) else {
        return (TargetState::Skipped, Msg::new("rollout-gone"));
    };
    let scope = db.scope(&tenant);
    let Some(flow) = platform.catalog.find(&rollout.flow_id) else {
        return (TargetState::Failed, Msg::new("rollout-not-in-catalog"));
    };
    let version = i64::from(flow.meta.version);
    if version != rollout.version {
        let msg = Msg::new("rollout-catalog-moved").with("version", version);
        return (TargetState::Failed, msg);
    }
    let read = async {
        Ok::<_, domain::db::DbError>((
            scope.deployment(&flow.meta.id).await?,
            scope.rollout_leave().await?,
        ))
    };
    let (d, leave) = match read.await {
        Ok(read) => read,
        Err(e) => {
            tracing::warn!(error = %e, "could not read an organisation's deployment");
            return (TargetState::Failed, Msg::new("rollout-unavailable"));
        }
    };
    let Some(d) = d else {
        return (TargetState::Skipped, Msg::new("rollout-gone"));
    };
    if d.version >= version && d.state == DeploymentState::Installed {
        return (
            TargetState::Skipped,
            Msg::new("rollout-already").with("version", d.version),
        );
    }
    // This roll-out's own upgrade, which a stopped instance left unfinished, is finished.
    let resumed = d.state == DeploymentState::Upgrading
        && d.version == version
        && d.changed_by == rollout.started_by;
    if d.state != DeploymentState::Installed && !resumed {
        return (TargetState::Skipped, Msg::new("rollout-unfinished"));
    }
    if leave.is_none_or(|l| l.organisation_url != d.organisation_url) {
        return (TargetState::Skipped, Msg::new("rollout-no-leave"));
    }
    let dv = match platform
        .dataverse_as_app(&claimed.tenant_id, &d.organisation_url)
        .await
    {
        Ok(dv) => dv,
        Err(why) => return (TargetState::Failed, why.msg()),
    };
    let job = Job {
        scope: &scope,
        dv: &dv,
        flow: &flow,
        by: &rollout.started_by,
    };
    let upgraded = if resumed {
        job.upgrade(&d).await
    } else {
        job.begin_upgrade(d, version).await
    };
    match upgraded {
        Ok(outcome) if !outcome.refused => (
            TargetState::Upgraded,
            Msg::new("rollout-upgraded").with("version", version),
        ),
        Ok(outcome) => (
            TargetState::Failed,
            outcome
                .notice
                .unwrap_or_else(|| Msg::new("rollout-unavailable")),
        ),
        Err(_) => (TargetState::Failed, Msg::new("rollout-unavailable")),
    }
}
