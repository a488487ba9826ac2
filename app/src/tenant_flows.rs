//! An organisation's own Power Automate settings, for its `Flowhost.TenantAdmin`s: what the
//! page shows and the server function that loads it, with the ISV staff's previews of the
//! organisation's records. Saving goes through the form handler (`server::tenant_flows`).
//! The console's history lists every organisation's previews ([`get_staff_previews`]).

use crate::errors::AppError;
use crate::forms::FormState;
use domain::Tenant;
use domain::placement::{PageKind, WidgetType};
use domain::widget_config::FormValues;
use i18n::{Lang, t};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[cfg(feature = "ssr")]
use crate::ssr;

/// The session key of the form's outcome.
pub const TENANT_FLOWS_FORM: &str = "tenant-flows";
/// The session key of the outcome of a pre-built flow's form.
pub const PREBUILT_FORM: &str = "prebuilt";
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

/// How many previews of an organisation's records the pages list, newest first.
pub const STAFF_PREVIEWS_SHOWN: i64 = 50;

/// A member of the ISV's staff previewed a widget with one of an organisation's records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffPreviewRow {
    /// The organisation whose record it was.
    pub organisation: String,
    pub staff_name: String,
    pub staff_email: String,
    pub account_id: i64,
    /// The account's name when it was previewed.
    pub account_name: String,
    pub ticket_id: Option<i64>,
    pub at: OffsetDateTime,
}

impl StaffPreviewRow {
    /// The record previewed, e.g. `ticket #12 of account #3 (Coho Winery)`.
    pub fn record(&self, lang: Lang) -> String {
        let account = t!(
            lang,
            "staff-preview-account",
            id = self.account_id,
            name = self.account_name.as_str()
        );
        match self.ticket_id {
            Some(ticket) => t!(lang, "staff-preview-ticket", id = ticket, account = account),
            None => account,
        }
    }

    /// Who, e.g. `Iris Novak (iris@flowhost.example)`.
    pub fn staff(&self) -> String {
        format!("{} ({})", self.staff_name, self.staff_email)
    }
}

#[cfg(feature = "ssr")]
impl From<domain::db::audit::StaffPreview> for StaffPreviewRow {
    fn from(p: domain::db::audit::StaffPreview) -> Self {
        StaffPreviewRow {
            organisation: p.tenant.name,
            staff_name: p.staff_name,
            staff_email: p.staff_email,
            account_id: p.account_id,
            account_name: p.account_name,
            ticket_id: p.ticket_id,
            at: p.at,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenantFlows {
    pub tenant: Tenant,
    pub rows: Vec<SwitchRow>,
    /// The newest previews of the organisation's records by the ISV's staff.
    pub staff_previews: Vec<StaffPreviewRow>,
    /// The flows listening to the organisation's events, and their latest deliveries.
    pub hooks: Vec<crate::tenant_hooks::HookRow>,
    pub deliveries: Vec<crate::tenant_hooks::DeliveryRow>,
    /// `environment`, and `on.{key}` for each placement.
    pub form: FormState<FormValues>,
    /// The environments, connections and pre-built flows, read with the admin's tokens.
    pub platform: crate::deployments::PlatformView,
    /// The outcome of the last pre-built flow's form: `parameter.{name}` and `connection`.
    pub prebuilt_form: FormState<FormValues>,
    /// Whether the organisation's plan includes the pre-built flows, and the connector's
    /// triggers.
    pub prebuilt_in_plan: bool,
    pub connector_in_plan: bool,
    /// The organisation's Power Automate licences and who they do not cover.
    pub licences: crate::licences::OrgLicences,
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
        settings.environment.clone().unwrap_or_default(),
    );
    for row in &rows {
        values.insert(
            format!("{SWITCH_PREFIX}{}", row.key),
            if row.on { "on" } else { "" }.into(),
        );
    }
    let staff_previews = scope
        .staff_previews(STAFF_PREVIEWS_SHOWN)
        .await
        .map_err(ssr::db_error)?
        .into_iter()
        .map(StaffPreviewRow::from)
        .collect();
    let hooks = scope
        .subscriptions()
        .await
        .map_err(ssr::db_error)?
        .into_iter()
        .map(Into::into)
        .collect();
    let deliveries = scope
        .recent_deliveries(crate::tenant_hooks::DELIVERIES_SHOWN)
        .await
        .map_err(ssr::db_error)?
        .into_iter()
        .map(Into::into)
        .collect();
    let kept = ssr::take_flash(&signed.session, TENANT_FLOWS_FORM).await?;
    let deployments = scope.deployments().await.map_err(ssr::db_error)?;
    let mut platform = ssr::flow_hosting()?
        .platform
        .view(&signed.session, &signed.user, &settings, &deployments)
        .await;
    let leave = scope.rollout_leave().await.map_err(ssr::db_error)?;
    platform.leave = leave.map(|l| crate::deployments::LeaveView {
        here: platform.dataverse.as_deref() == Some(l.organisation_url.as_str()),
        by: l.by,
        at: l.at,
    });
    let prebuilt_kept = ssr::take_flash(&signed.session, PREBUILT_FORM).await?;
    let standing = signed
        .db
        .standing(&tenant.id)
        .await
        .map_err(ssr::db_error)?
        .unwrap_or(domain::plan::Standing::OPEN);
    let plans = ssr::flow_hosting()?.plans;
    let licences =
        crate::licences::org_licences(&signed, &tenant.id, crate::licences::LICENCES_FORM).await?;
    Ok(TenantFlows {
        licences,
        prebuilt_in_plan: standing.has(&plans, domain::plan::Feature::PrebuiltFlows),
        connector_in_plan: standing.has(&plans, domain::plan::Feature::Connector),
        tenant,
        rows,
        staff_previews,
        hooks,
        deliveries,
        form: FormState::shown(kept, values),
        platform,
        prebuilt_form: FormState::shown(prebuilt_kept, FormValues::new()),
        csrf: ssr::csrf_token(&signed.session).await?,
    })
}

/// The newest previews of every organisation's records, for the ISV's staff only.
#[server]
pub async fn get_staff_previews() -> Result<Vec<StaffPreviewRow>, AppError> {
    let signed = ssr::signed_in().await?;
    signed.require(domain::Role::IsvAdmin)?;
    Ok(signed
        .db
        .staff_previews(STAFF_PREVIEWS_SHOWN)
        .await
        .map_err(ssr::db_error)?
        .into_iter()
        .map(StaffPreviewRow::from)
        .collect())
}
