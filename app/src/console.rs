//! What the ISV console shows, and the server functions that load it. Saving goes through the form handlers (`server::console`), which
//! keep what was typed in the session for the page to show again (post/redirect/get).

use crate::errors::AppError;
use crate::forms::FormState;
use crate::widgets::WidgetPanel;
use domain::placement::{PageKind, WidgetType};
use domain::widget_config::FormValues;
use domain::{Tenant, TenantId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[cfg(feature = "ssr")]
use crate::ssr;

/// The session keys of the console's forms.
pub fn placement_form(key: &str, tenant: Option<&TenantId>) -> String {
    format!(
        "placement:{key}:{}",
        tenant.map(|t| t.as_str()).unwrap_or("-")
    )
}
pub const IMPORT_FORM: &str = "widget-import";
pub const HISTORY_FORM: &str = "widget-history";
pub const CONSOLE_FORM: &str = "widget-console";

/// One row of the console's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlacementRow {
    pub key: String,
    pub page: PageKind,
    pub slot: String,
    pub widget: WidgetType,
    pub title: String,
    pub order: i32,
    pub enabled: bool,
    /// For the chosen tenant: the fields it overrides (empty: all inherited).
    pub overridden: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Console {
    pub version: i64,
    pub saved_by: String,
    pub saved_at: OffsetDateTime,
    pub tenants: Vec<Tenant>,
    /// The tenant whose view of the placements is shown, if one was chosen.
    pub tenant: Option<TenantId>,
    pub rows: Vec<PlacementRow>,
    pub notice: Option<i18n::Msg>,
    /// The newest version could not be read, and which one pages use instead.
    pub failure: Option<i18n::Msg>,
    /// `FLOW_HOST`.
    pub flow_host: String,
    /// Widgets the SDK from `flow_host` rejected on customers' pages in the last week.
    pub rejected: Option<crate::diagnostics::Rejection>,
}

/// What a preview shows: the options as the widget gets them for the record, and the widget.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    /// Which record the options were resolved for.
    pub record: i18n::Msg,
    /// `renderWidget`'s options, as JSON.
    pub options: String,
    /// The widget itself, run as the signed-in staff member in their own environment.
    pub panel: WidgetPanel,
}

/// A placement form's outcome, kept for the page it redirects to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlacementDraft {
    pub form: FormState<FormValues>,
    pub preview: Option<Preview>,
    /// The record the preview asked for, as typed.
    pub preview_for: FormValues,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlacementEditor {
    pub is_new: bool,
    pub key: String,
    pub widget: WidgetType,
    /// Set when editing what one tenant sees (an override).
    pub tenant: Option<Tenant>,
    /// For an override: the values each field inherits.
    pub inherited: FormValues,
    /// For an override: the fields it overrides now.
    pub overridden: Vec<String>,
    pub revision: u32,
    pub draft: PlacementDraft,
    pub tenants: Vec<Tenant>,
    pub csrf: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionRow {
    pub version: i64,
    pub author: String,
    pub saved_at: OffsetDateTime,
    /// What changed, one message a change.
    pub changes: Vec<i18n::Msg>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct History {
    pub current: i64,
    pub versions: Vec<VersionRow>,
    pub notice: Option<FormState<FormValues>>,
    pub csrf: String,
}

/// The import form's outcome: the file as pasted, and either its problems or what it changes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportDraft {
    pub document: String,
    /// Every problem of the file, each naming its placement.
    pub problems: Vec<i18n::Msg>,
    /// Set once the file passed every check: what applying it changes, against `base`.
    pub changes: Option<Vec<i18n::Msg>>,
    pub base: i64,
    pub notice: Option<i18n::Msg>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportPage {
    pub version: i64,
    pub draft: ImportDraft,
    pub csrf: String,
}

#[server]
pub async fn get_console(tenant: Option<String>) -> Result<Console, AppError> {
    let signed = server::isv_admin().await?;
    let current = signed.db.widget_config().await.map_err(ssr::db_error)?;
    let tenants = signed.db.tenants().await.map_err(ssr::db_error)?;
    let tenant = tenant
        .filter(|t| !t.is_empty())
        .map(|t| TenantId::parse(&t).map_err(|_| AppError::NotFound))
        .transpose()?;
    let config = &current.config;
    let rows = match &tenant {
        Some(t) => config.for_tenant(t),
        None => config.sorted(),
    }
    .into_iter()
    .map(|p| PlacementRow {
        overridden: tenant
            .as_ref()
            .and_then(|t| config.override_of(t, &p.key))
            .map(domain::widget_config::Override::fields)
            .unwrap_or_default(),
        key: p.key,
        page: p.page,
        slot: p.slot,
        widget: p.settings.widget_type(),
        title: p.title,
        order: p.order,
        enabled: p.enabled,
    })
    .collect();
    let notice = ssr::take_flash::<FormState<FormValues>>(&signed.session, CONSOLE_FORM)
        .await?
        .and_then(|f| f.notice);
    // A newest version that cannot be read is said on the console, beside any form notice.
    let failure = current.fallback.as_ref().map(domain::db::Fallback::notice);
    let hosting = ssr::flow_hosting()?;
    let week_ago = OffsetDateTime::now_utc() - time::Duration::days(7);
    let rejected = crate::diagnostics::rejections(&signed.db, &hosting.host)
        .await?
        .into_iter()
        .find(|r| r.last_at >= week_ago);

    Ok(Console {
        version: current.version,
        saved_by: current.author,
        saved_at: current.saved_at,
        tenants,
        tenant,
        rows,
        notice,
        failure,
        flow_host: hosting.host,
        rejected,
    })
}

/// The form of one placement (`key`), of a new one (`widget` type, on `page`), or of what
/// `tenant` sees of one.
#[server]
pub async fn get_placement_editor(
    key: Option<String>,
    widget: Option<String>,
    page: Option<String>,
    tenant: Option<String>,
) -> Result<PlacementEditor, AppError> {
    use domain::widget_config::{apply, to_form};
    let signed = server::isv_admin().await?;
    let current = signed.db.widget_config().await.map_err(ssr::db_error)?;
    let tenants = signed.db.tenants().await.map_err(ssr::db_error)?;
    let csrf = ssr::csrf_token(&signed.session).await?;
    let config = &current.config;
    let tenant = match tenant.filter(|t| !t.is_empty()) {
        None => None,
        Some(t) => {
            let id = TenantId::parse(&t).map_err(|_| AppError::NotFound)?;
            Some(
                tenants
                    .iter()
                    .find(|x| x.id == id)
                    .cloned()
                    .ok_or(AppError::NotFound)?,
            )
        }
    };
    let (is_new, base) = match key.filter(|k| !k.is_empty()) {
        Some(key) => (
            false,
            config.placement(&key).cloned().ok_or(AppError::NotFound)?,
        ),
        None => {
            let widget = widget
                .and_then(|w| WidgetType::parse(&w))
                .unwrap_or(WidgetType::Flows);
            let page = page
                .and_then(|p| PageKind::parse(&p))
                .unwrap_or(PageKind::Account);
            (true, domain::placement::blank(widget, page))
        }
    };
    let existing = tenant
        .as_ref()
        .and_then(|t| config.override_of(&t.id, &base.key))
        .cloned();
    let shown = match &existing {
        Some(o) => apply(&base, o).unwrap_or_else(|_| base.clone()),
        None => base.clone(),
    };
    let form_key = placement_form(&base.key, tenant.as_ref().map(|t| &t.id));
    let kept: Option<PlacementDraft> = ssr::take_flash(&signed.session, &form_key).await?;
    let current_values = to_form(&shown);
    let draft = match kept {
        Some(kept) => PlacementDraft {
            form: FormState::shown(Some(kept.form), current_values),
            ..kept
        },
        None => PlacementDraft {
            form: FormState::shown(None, current_values),
            ..Default::default()
        },
    };
    Ok(PlacementEditor {
        is_new,
        key: base.key.clone(),
        widget: base.settings.widget_type(),
        inherited: if tenant.is_some() {
            to_form(&base)
        } else {
            FormValues::new()
        },
        overridden: existing
            .as_ref()
            .map(domain::widget_config::Override::fields)
            .unwrap_or_default(),
        revision: match (&tenant, &existing) {
            (Some(_), Some(o)) => o.revision,
            (Some(_), None) => 0,
            (None, _) => base.revision,
        },
        tenant,
        draft,
        tenants,
        csrf,
    })
}

#[server]
pub async fn get_history() -> Result<History, AppError> {
    let signed = server::isv_admin().await?;
    // Reading the configuration seeds version 1 on a new database.
    let current = signed.db.widget_config().await.map_err(ssr::db_error)?;
    let versions = signed
        .db
        .widget_config_history(200)
        .await
        .map_err(ssr::db_error)?
        .into_iter()
        .map(|v| VersionRow {
            version: v.version,
            author: v.author,
            saved_at: v.saved_at,
            changes: v.changes,
        })
        .collect();
    Ok(History {
        current: current.version,
        versions,
        notice: ssr::take_flash(&signed.session, HISTORY_FORM).await?,
        csrf: ssr::csrf_token(&signed.session).await?,
    })
}

#[server]
pub async fn get_import_page() -> Result<ImportPage, AppError> {
    let signed = server::isv_admin().await?;
    let current = signed.db.widget_config().await.map_err(ssr::db_error)?;
    Ok(ImportPage {
        version: current.version,
        draft: ssr::take_flash(&signed.session, IMPORT_FORM)
            .await?
            .unwrap_or_default(),
        csrf: ssr::csrf_token(&signed.session).await?,
    })
}

#[cfg(feature = "ssr")]
mod server {
    use crate::errors::AppError;
    use crate::ssr::{self, Signed};

    /// The signed-in member of the ISV's staff; everyone else is refused (403). The visitor's
    /// roles are those the server honours on this request (`server::auth::admission`):
    /// IsvAdmin only for a user of the ISV's own tenant, whatever the session holds.
    pub async fn isv_admin() -> Result<Signed, AppError> {
        let signed = ssr::signed_in().await?;
        signed.require(domain::Role::IsvAdmin)?;
        Ok(signed)
    }
}
