//! The ISV's pre-built flows in an organisation's environment, for its `Flowhost.TenantAdmin`:
//! one form per catalog flow on `/settings/flows`, whose `intent` installs it, binds its
//! connection and turns it on, upgrades it to the catalog's version, restores it, resumes an
//! interrupted step, or uninstalls it. Every change is recorded before Dataverse is called, so
//! a step cut short shows as unfinished, with its error, until it is resumed or undone.

mod job;
mod rollout;
mod source;
mod view;
mod work;

use crate::AppState;
use crate::form_post::{Admitted, FormError, FormPost, Target};
use crate::power_platform::PlatformError;
use app::deployments::{PARAMETER_PREFIX, PREBUILT_PATH};
use app::forms::{FormState, correct, expired};
use app::tenant_flows::PREBUILT_FORM;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use domain::db::NewDeployment;
use domain::deployment::{Deployment, DeploymentState};
use domain::widget_config::FormValues;
use domain::{FieldErrors, Role};
use i18n::Msg;
use job::Job;
use serde::Deserialize;
use std::collections::BTreeMap;

pub use rollout::start_worker as start_rollouts;
pub use source::CatalogSource;
pub use view::parameter_fields;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(&format!("{PREBUILT_PATH}/{{flow}}"), post(act))
        .merge(rollout::router())
}

type Outcome = FormState<FormValues>;

#[derive(Deserialize)]
struct PrebuiltPost {
    #[serde(default)]
    intent: String,
    /// The admin's connection to Flowhost to bind.
    #[serde(default)]
    connection: String,
    /// `parameter.{name}` for each parameter, and the CSRF token admission has checked.
    #[serde(flatten)]
    fields: BTreeMap<String, String>,
}

impl PrebuiltPost {
    fn typed(&self) -> FormValues {
        let mut values: FormValues = self
            .fields
            .iter()
            .filter(|(k, _)| k.starts_with(PARAMETER_PREFIX))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        values.insert("connection".into(), self.connection.clone());
        values
    }
}

impl FormPost for PrebuiltPost {
    const ROLE: Option<Role> = Some(Role::TenantAdmin);
    type Expired = Outcome;

    fn page(&self, _: &str) -> Target {
        Target::new(PREBUILT_FORM, "/settings/flows")
    }

    fn expired(&self) -> Outcome {
        FormState::refused(self.typed(), Default::default(), expired())
    }
}

/// What the admin asked for.
#[derive(Clone, Copy, PartialEq)]
enum Intent {
    Install,
    Bind,
    Upgrade,
    /// Restore, or resume what was cut short: both bring the flow to what was recorded.
    Resume,
    Uninstall,
}

impl Intent {
    fn parse(text: &str) -> Option<Intent> {
        Some(match text {
            "install" => Intent::Install,
            "bind" => Intent::Bind,
            "upgrade" => Intent::Upgrade,
            "restore" | "retry" => Intent::Resume,
            "uninstall" => Intent::Uninstall,
            _ => return None,
        })
    }
}

/// The outcome with `msg` about flow `title`.
fn told(id: &'static str, title: &str) -> Outcome {
    FormState::done(Msg::new(id).with("title", title.to_owned()))
}

fn failed(title: &str, why: &PlatformError) -> Outcome {
    let mut outcome = told("prebuilt-failed", title);
    outcome.notice = outcome.notice.map(|m| m.with("reason", why.msg()));
    outcome.refused = true;
    outcome
}

async fn act(
    State(state): State<AppState>,
    Path(flow_id): Path<String>,
    post: Admitted<PrebuiltPost>,
) -> Result<Response, FormError> {
    let form = &post.form;
    let Some(flow) = state.platform.catalog.find(&flow_id) else {
        return post.back(told("prebuilt-unknown", &flow_id)).await;
    };
    let Some(intent) = Intent::parse(&form.intent) else {
        return post
            .back(FormState::refused(
                form.typed(),
                Default::default(),
                correct(),
            ))
            .await;
    };
    let feature = domain::plan::Feature::PrebuiltFlows;
    if intent != Intent::Uninstall
        && !state
            .db
            .has_feature(&post.user.tenant_id, &state.market.plans, feature)
            .await?
    {
        let refusal = FormState::refused(
            form.typed(),
            Default::default(),
            app::subscription::not_in_plan_msg(feature),
        );
        return post.back(refusal).await;
    }
    let scope = state.db.scope(&post.user.tenant_id);
    let outcome = match scope.deployment(&flow.meta.id).await? {
        None if intent != Intent::Install => told("prebuilt-not-installed", &flow.meta.title),
        None => install_new(&state, &post, &flow).await?,
        Some(d) => change(&state, &post, &flow, d, intent).await?,
    };
    post.back(outcome).await
}

/// The admin's connection to Flowhost chosen on the form, if any.
fn connection_of(form: &PrebuiltPost) -> Option<&str> {
    Some(form.connection.trim()).filter(|c| !c.is_empty())
}

/// The one thing done to a deployment that exists.
enum Step {
    /// Bring it to what was recorded (binding the connection chosen, if any).
    Resume,
    Upgrade,
    Uninstall,
}

/// Installs `flow`, which the organisation does not have yet. The form's own mistakes are
/// refused before anything is asked of the Power Platform.
async fn install_new(
    state: &AppState,
    post: &Admitted<PrebuiltPost>,
    flow: &catalog::Flow,
) -> Result<Outcome, FormError> {
    let (form, user) = (&post.form, &post.user);
    let title = flow.meta.title.as_str();
    let values = match chosen(flow, form, user, &state.hosting.public_url) {
        Ok(values) => values,
        Err(errors) => return Ok(FormState::refused(typed_for(form, flow), errors, correct())),
    };
    let scope = state.db.scope(&user.tenant_id);
    let settings = scope.flow_settings().await?;
    let Some(organisation) = state
        .platform
        .organisation(&post.session, user, &settings)
        .await
    else {
        return Ok(told("prebuilt-no-dataverse", title));
    };
    let dv = match state
        .platform
        .dataverse(&post.session, user, &organisation)
        .await
    {
        Ok(dv) => dv,
        Err(why) => return Ok(failed(title, &why)),
    };
    let job = Job {
        scope: &scope,
        dv: &dv,
        flow,
        by: &user.name,
    };
    install(&job, &organisation, connection_of(form), &values).await
}

/// Does what `intent` asks to the organisation's deployment `d` of `flow`. What the form and
/// the record alone decide is answered before anything is asked of the Power Platform.
async fn change(
    state: &AppState,
    post: &Admitted<PrebuiltPost>,
    flow: &catalog::Flow,
    mut d: Deployment,
    intent: Intent,
) -> Result<Outcome, FormError> {
    let (form, user) = (&post.form, &post.user);
    let title = flow.meta.title.as_str();
    let connection = connection_of(form);
    let catalog_version = i64::from(flow.meta.version);
    let step = match intent {
        Intent::Install => return Ok(told("prebuilt-already", title)),
        Intent::Bind if connection.is_none() => {
            let mut errors = FieldErrors::default();
            errors.add("connection", Msg::new("prebuilt-connection-needed"));
            return Ok(FormState::refused(typed_for(form, flow), errors, correct()));
        }
        Intent::Upgrade if d.version >= catalog_version => {
            return Ok(told("prebuilt-up-to-date", title));
        }
        Intent::Bind | Intent::Resume => Step::Resume,
        Intent::Upgrade => Step::Upgrade,
        Intent::Uninstall => Step::Uninstall,
    };
    let dv = match state
        .platform
        .dataverse(&post.session, user, &d.organisation_url)
        .await
    {
        Ok(dv) => dv,
        Err(why) => return Ok(failed(title, &why)),
    };
    let scope = state.db.scope(&user.tenant_id);
    let by = user.name.as_str();
    let job = Job {
        scope: &scope,
        dv: &dv,
        flow,
        by,
    };
    match step {
        Step::Resume => {
            if let Some(chosen) = connection.filter(|_| d.state != DeploymentState::Removing) {
                scope.set_deployment_connection(&d.flow_id, chosen).await?;
                d.connection_name = Some(chosen.to_owned());
            }
            match d.state {
                DeploymentState::Removing => job.uninstall(&d).await,
                DeploymentState::Upgrading => job.upgrade(&d).await,
                _ => job.settle(&d).await,
            }
        }
        Step::Upgrade => job.begin_upgrade(d, catalog_version).await,
        Step::Uninstall => job.uninstall(&d).await,
    }
}

/// Records the install of the job's flow with `values` for its parameters (and the workflow id
/// chosen now), then carries it out.
async fn install(
    job: &Job<'_>,
    organisation: &str,
    connection: Option<&str>,
    values: &BTreeMap<String, String>,
) -> Result<Outcome, FormError> {
    let flow = job.flow;
    let parameters = serde_json::to_string(values).unwrap_or_default();
    let workflow_id = uuid::Uuid::new_v4().to_string();
    let reference = work::reference_name(flow);
    let new = NewDeployment {
        flow_id: &flow.meta.id,
        version: i64::from(flow.meta.version),
        organisation_url: organisation,
        workflow_id: &workflow_id,
        reference_name: &reference,
        connection_name: connection,
        parameters: &parameters,
        by: job.by,
    };
    if !job.scope.begin_install(&new).await? {
        return Ok(told("prebuilt-already", &flow.meta.title));
    }
    let d = job
        .scope
        .deployment(&flow.meta.id)
        .await?
        .ok_or(FormError::Unavailable)?;
    tracing::info!(flow = %flow.meta.id, "installing a pre-built flow");
    job.settle(&d).await
}

/// The form as typed, naming the flow it is for.
fn typed_for(form: &PrebuiltPost, flow: &catalog::Flow) -> FormValues {
    let mut values = form.typed();
    values.insert("flow".into(), flow.meta.id.clone());
    values
}

/// The flow's parameter values: what the admin typed, or the default; Flowhost's own address
/// for `flowhost.url`.
fn chosen(
    flow: &catalog::Flow,
    form: &PrebuiltPost,
    user: &domain::CurrentUser,
    public_url: &str,
) -> Result<BTreeMap<String, String>, FieldErrors> {
    let mut values = BTreeMap::new();
    let mut errors = FieldErrors::default();
    for field in parameter_fields(flow, user) {
        let key = format!("{PARAMETER_PREFIX}{}", field.name);
        let typed = form.fields.get(&key).map(|v| v.trim()).unwrap_or_default();
        let value = if typed.is_empty() {
            field.value
        } else {
            typed.to_owned()
        };
        if value.is_empty() {
            errors.add(&key, Msg::new("prebuilt-parameter-needed"));
        } else if value.chars().count() > 256 {
            errors.add(&key, Msg::new("prebuilt-parameter-long"));
        }
        values.insert(field.name, value);
    }
    if flow
        .meta
        .parameters
        .iter()
        .any(|p| p.name == "flowhost.url")
    {
        values.insert("flowhost.url".into(), public_url.to_owned());
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}
