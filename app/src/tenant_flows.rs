//! An organisation's own Power Automate settings, for its `Flowhost.TenantAdmin`s: what the
//! page shows and the server function that loads it. Saving goes through the form handler
//! (`server::tenant_flows`).

use crate::errors::AppError;
use crate::forms::FormState;
use domain::Tenant;
use domain::placement::{PageKind, WidgetType};
use domain::widget_config::FormValues;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::ssr;

/// The session key of the form's outcome.
pub const TENANT_FLOWS_FORM: &str = "tenant-flows";
/// The form's switch of a placement is the field `on.{key}`.
pub const SWITCH_PREFIX: &str = "on.";

/// One placement an organisation's admin may turn off or on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SwitchRow {
    pub key: String,
    pub page: PageKind,
    pub widget: WidgetType,
    pub title: String,
    pub on: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenantFlows {
    pub tenant: Tenant,
    pub rows: Vec<SwitchRow>,
    /// `environment`, and `on.{key}` for each placement.
    pub form: FormState<FormValues>,
    pub csrf: String,
}

/// The signed-in organisation admin's own Power Automate settings.
#[server]
pub async fn get_tenant_flows() -> Result<TenantFlows, AppError> {
    let signed = ssr::signed_in().await?;
    signed.require(domain::Role::TenantAdmin)?;
    let tenant = signed.tenant().await?;
    let scope = signed.scope();
    let current = signed.db.widget_config().await.map_err(ssr::db_error)?;
    let settings = scope.flow_settings().await.map_err(ssr::db_error)?;
    let rows: Vec<SwitchRow> = current
        .config
        .for_tenant(&tenant.id)
        .into_iter()
        .filter(|p| p.enabled)
        .map(|p| SwitchRow {
            on: settings.shows(&p.key),
            page: p.page,
            widget: p.settings.widget_type(),
            title: p.title,
            key: p.key,
        })
        .collect();
    let mut values = FormValues::new();
    values.insert(
        "environment".into(),
        settings.environment.unwrap_or_default(),
    );
    for row in &rows {
        values.insert(
            format!("{SWITCH_PREFIX}{}", row.key),
            if row.on { "on" } else { "" }.into(),
        );
    }
    let kept = ssr::take_flash(&signed.session, TENANT_FLOWS_FORM).await?;
    Ok(TenantFlows {
        tenant,
        rows,
        form: FormState::shown(kept, values),
        csrf: ssr::csrf_token(&signed.session).await?,
    })
}
