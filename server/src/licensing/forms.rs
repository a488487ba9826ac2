//! Reading an organisation's licences now: its admin from `/settings/flows`, the ISV's staff
//! from the console. The read happens before the page comes back, which then shows it.

use crate::AppState;
use crate::form_post::{Admitted, FormError, FormPost, Target};
use app::forms::{FormState, expired};
use app::licences::{CONSOLE_LICENCES_FORM, LICENCES_FORM, console_page, outcome_msg};
pub use app::licences::{CONSOLE_REFRESH_PATH, SETTINGS_REFRESH_PATH};
use axum::extract::State;
use axum::response::Response;
use domain::licence::ReadOutcome;
use domain::widget_config::FormValues;
use domain::{Role, TenantId};
use i18n::Msg;
use serde::Deserialize;

type Outcome = FormState<FormValues>;

/// The settings page's button: nothing but the CSRF token.
#[derive(Deserialize)]
pub struct SettingsRefresh {}

impl FormPost for SettingsRefresh {
    const ROLE: Option<Role> = Some(Role::TenantAdmin);
    type Expired = Outcome;

    fn page(&self, _: &str) -> Target {
        Target::new(LICENCES_FORM, "/settings/flows")
    }

    fn expired(&self) -> Outcome {
        FormState::refused(FormValues::new(), Default::default(), expired())
    }
}

/// The console's button, for one organisation.
#[derive(Deserialize)]
pub struct ConsoleRefresh {
    #[serde(default)]
    tenant: String,
}

impl FormPost for ConsoleRefresh {
    const ROLE: Option<Role> = Some(Role::IsvAdmin);
    type Expired = Outcome;

    fn page(&self, _: &str) -> Target {
        Target::new(CONSOLE_LICENCES_FORM, console_page(&self.tenant))
    }

    fn expired(&self) -> Outcome {
        FormState::refused(FormValues::new(), Default::default(), expired())
    }
}

/// What the page says of a read.
pub fn said(outcome: Option<ReadOutcome>) -> Outcome {
    match outcome {
        None => FormState::refused(
            FormValues::new(),
            Default::default(),
            Msg::new("licences-ended"),
        ),
        Some(ReadOutcome::Read) => FormState::done(Msg::new("licences-refreshed")),
        Some(other) => FormState::refused(
            FormValues::new(),
            Default::default(),
            Msg::new("licences-refresh-failed").with("reason", outcome_msg(other)),
        ),
    }
}

/// Reads `tenant`'s licences now, unless Graph asked to wait and the wait is not over.
async fn read_now(state: &AppState, tenant: &TenantId) -> Result<Option<ReadOutcome>, FormError> {
    let waiting = state
        .db
        .licence_reading(tenant)
        .await?
        .and_then(|r| r.retry_at)
        .is_some_and(|at| at > time::OffsetDateTime::now_utc());
    if waiting {
        return Ok(Some(ReadOutcome::Throttled));
    }
    Ok(state.licences.refresh(&state.db, tenant).await?)
}

pub async fn settings_refresh(
    State(state): State<AppState>,
    post: Admitted<SettingsRefresh>,
) -> Result<Response, FormError> {
    let outcome = read_now(&state, &post.user.tenant_id).await?;
    tracing::info!(tenant = %post.user.tenant_id, outcome = ?outcome, "an organisation's admin read its licences");
    post.back(said(outcome)).await
}

pub async fn console_refresh(
    State(state): State<AppState>,
    post: Admitted<ConsoleRefresh>,
) -> Result<Response, FormError> {
    let known = match TenantId::parse(post.form.tenant.trim()) {
        Ok(id) => state.db.tenant(&id).await?.map(|_| id),
        Err(_) => None,
    };
    let Some(tenant) = known else {
        return post
            .back(FormState::<FormValues>::refused(
                FormValues::new(),
                Default::default(),
                Msg::new("licences-unknown-organisation"),
            ))
            .await;
    };
    let outcome = read_now(&state, &tenant).await?;
    tracing::info!(%tenant, outcome = ?outcome, "the ISV's staff read an organisation's licences");
    post.back(said(outcome)).await
}
