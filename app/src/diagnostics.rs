//! The ISV console's diagnostics: the Flow host Flowhost is configured with, a test widget
//! the staff member runs in their browser, and the widgets the SDK rejected on customers'
//! pages.

use crate::errors::AppError;
use crate::widgets::WidgetPanel;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[cfg(feature = "ssr")]
use crate::ssr;

/// Rejections reported for the configured Flow host and one SDK version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rejection {
    pub sdk_version: String,
    pub reports: i64,
    pub first_at: OffsetDateTime,
    pub last_at: OffsetDateTime,
    pub organisation: String,
    pub page: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagnostics {
    /// `FLOW_HOST`.
    pub flow_host: String,
    /// `FLOW_RESOURCE`.
    pub flow_resource: String,
    /// The test widget (My flows), run as the signed-in staff member.
    pub panel: WidgetPanel,
    pub rejections: Vec<Rejection>,
}

#[server]
pub async fn get_diagnostics() -> Result<Diagnostics, AppError> {
    use domain::placement::{ResolvedWidget, WidgetType};
    let signed = ssr::signed_in().await?;
    signed.require(domain::Role::IsvAdmin)?;
    let hosting = ssr::flow_hosting()?;
    let lang = ssr::lang();
    let rejections = rejections(&signed.db, &hosting.host).await?;
    let widget = ResolvedWidget {
        key: "diagnostics".into(),
        slot: "main".into(),
        widget_type: WidgetType::Flows,
        title: i18n::t!(lang, "diagnostics-widget-title"),
        options: serde_json::json!({ "flowsSettings": { "tab": "myFlows" } }),
        action: None,
    };
    Ok(Diagnostics {
        flow_host: hosting.host.clone(),
        flow_resource: hosting.resource.clone(),
        panel: WidgetPanel {
            host: hosting.host,
            lang,
            record: None,
            widgets: vec![widget],
            licence_note: None,
        },
        rejections,
    })
}

/// The rejections reported for `flow_host`, newest first.
#[cfg(feature = "ssr")]
pub async fn rejections(db: &domain::db::Db, flow_host: &str) -> Result<Vec<Rejection>, AppError> {
    Ok(db
        .widget_rejections(flow_host)
        .await
        .map_err(ssr::db_error)?
        .into_iter()
        .map(|r| Rejection {
            sdk_version: r.sdk_version,
            reports: r.reports,
            first_at: r.first_at,
            last_at: r.last_at,
            organisation: r.last_tenant_name,
            page: r.last_page,
        })
        .collect())
}
