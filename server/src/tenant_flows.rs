//! An organisation's own Power Automate settings, saved by its `Flowhost.TenantAdmin`: the
//! environment its widgets use, and which of the ISV's widgets its people see. These are the
//! organisation's settings, not part of the ISV's configuration versions.

use crate::AppState;
use crate::form_post::{Admitted, FormError, FormPost, Target};
use app::forms::{FormState, correct, expired};
use app::tenant_flows::{SWITCH_PREFIX, TENANT_FLOWS_FORM};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use domain::widget_config::FormValues;
use domain::{FieldErrors, Role};
use i18n::Msg;
use serde::Deserialize;
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/settings/flows", post(save))
        .route("/settings/flows/hooks/{id}/remove", post(remove_hook))
}

type Outcome = FormState<FormValues>;

#[derive(Deserialize)]
struct TenantFlowsPost {
    #[serde(default)]
    environment: String,
    /// `on.{key}` for each widget left on, and the CSRF token admission has checked.
    #[serde(flatten)]
    switches: BTreeMap<String, String>,
}

impl TenantFlowsPost {
    /// The form as typed, for the page to show again.
    fn typed(&self) -> FormValues {
        let mut values: FormValues = self
            .switches
            .iter()
            .filter(|(k, _)| k.starts_with(SWITCH_PREFIX))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        values.insert("environment".into(), self.environment.clone());
        values
    }

    fn on(&self, key: &str) -> bool {
        self.switches
            .get(&format!("{SWITCH_PREFIX}{key}"))
            .is_some_and(|v| !v.is_empty())
    }
}

impl FormPost for TenantFlowsPost {
    const ROLE: Option<Role> = Some(Role::TenantAdmin);
    type Expired = Outcome;

    fn page(&self, _: &str) -> Target {
        Target::new(TENANT_FLOWS_FORM, "/settings/flows")
    }

    fn expired(&self) -> Outcome {
        FormState::refused(self.typed(), Default::default(), expired())
    }
}

/// An environment name as Power Automate writes them: `Default-{tenant id}` or a GUID.
fn environment_ok(name: &str) -> bool {
    name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

async fn save(
    State(state): State<AppState>,
    post: Admitted<TenantFlowsPost>,
) -> Result<Response, FormError> {
    let form = &post.form;
    let tenant = &post.user.tenant_id;
    let before = state.db.scope(tenant).flow_settings().await?;
    let (environment, dataverse) = match chosen(&state, &post, &before).await {
        Ok(chosen) => chosen,
        Err(refusal) => {
            let mut errors = FieldErrors::default();
            errors.add("environment", refusal);
            return post
                .back(FormState::refused(form.typed(), errors, correct()))
                .await;
        }
    };
    let tenant = &post.user.tenant_id;
    let current = state.db.widget_config().await?;
    // Every widget the ISV shows this organisation, on or off as the form says.
    let switches: BTreeMap<String, bool> = current
        .config
        .for_tenant(tenant)
        .into_iter()
        .filter(|p| p.enabled)
        .map(|p| {
            let on = form.on(&p.key);
            (p.key, on)
        })
        .collect();
    state
        .db
        .scope(tenant)
        .set_flow_settings(environment.as_deref(), dataverse.as_deref(), &switches)
        .await?;
    state.hosting.config.forget_settings(tenant);
    tracing::info!(tenant = %tenant, "the organisation's Power Automate settings were saved");
    let done: Outcome = FormState::done(Msg::new("tenant-flows-saved"));
    post.back(done).await
}

/// The environment the form names (`None`: the default one) with its Dataverse organisation's
/// URL, as the environments list has them. When the list cannot be read, a well-formed name is
/// taken as typed, and the Dataverse URL is kept only if the environment stays the same.
async fn chosen(
    state: &AppState,
    post: &Admitted<TenantFlowsPost>,
    before: &domain::db::FlowSettings,
) -> Result<(Option<String>, Option<String>), Msg> {
    let typed = post.form.environment.trim();
    match state.platform.environments(&post.session, &post.user).await {
        Ok(listed) => {
            let found = if typed.is_empty() {
                listed.iter().find(|e| e.default)
            } else {
                listed.iter().find(|e| e.name.eq_ignore_ascii_case(typed))
            };
            match found {
                Some(e) => Ok((
                    (!typed.is_empty()).then(|| e.name.clone()),
                    e.dataverse.clone(),
                )),
                None if typed.is_empty() => Ok((None, None)),
                None => Err(Msg::new("tenant-flows-environment-unknown")),
            }
        }
        Err(why) => {
            tracing::warn!(reason = ?why, "the environments list could not be read");
            if !environment_ok(typed) {
                return Err(Msg::new("tenant-flows-environment-invalid"));
            }
            let environment = (!typed.is_empty()).then(|| typed.to_owned());
            let same = environment == before.environment;
            Ok((environment, before.dataverse.clone().filter(|_| same)))
        }
    }
}

/// The remove button of one flow's subscription: nothing but the CSRF token.
#[derive(Deserialize)]
struct RemoveHookPost {}

impl FormPost for RemoveHookPost {
    const ROLE: Option<Role> = Some(Role::TenantAdmin);
    type Expired = Outcome;

    fn page(&self, _: &str) -> Target {
        Target::new(TENANT_FLOWS_FORM, "/settings/flows")
    }

    fn expired(&self) -> Outcome {
        FormState::refused(FormValues::new(), Default::default(), expired())
    }
}

/// Removes a subscription of the organisation, whoever's flow it is.
async fn remove_hook(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: Admitted<RemoveHookPost>,
) -> Result<Response, FormError> {
    let scope = state.db.scope(&post.user.tenant_id);
    let removed = match id.parse::<i64>() {
        Ok(id) => scope.unsubscribe(id, None).await?,
        Err(_) => false,
    };
    let outcome: Outcome = if removed {
        tracing::info!(tenant = %post.user.tenant_id, subscription = %id, "an organisation's admin removed a flow's subscription");
        FormState::done(Msg::new("hook-removed"))
    } else {
        FormState::done(Msg::new("hook-gone"))
    };
    post.back(outcome).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn environment_names_are_power_automate_names() {
        assert!(super::environment_ok(
            "Default-c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70"
        ));
        assert!(super::environment_ok(""));
        assert!(!super::environment_ok("a b"));
        assert!(!super::environment_ok("x/../y"));
    }
}
