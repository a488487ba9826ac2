//! A placement's preview: resolved for a record of an organisation the staff member chooses,
//! as that organisation's widget would get it. A preview that shows one of the organisation's
//! records is shown only once it is recorded in the organisation's audit of staff access.

use super::placements::PreviewFor;
use crate::AppState;
use app::console::Preview;
use app::widgets::WidgetPanel;
use app::widgets::strings::Lang;
use domain::db::audit::NewStaffPreview;
use domain::placement::{PageKind, Placement};
use domain::{CurrentUser, TenantId};
use i18n::Msg;

/// The placement resolved for a record of the chosen tenant, as a widget would get it, for
/// `staff`.
pub(super) async fn preview(
    state: &AppState,
    staff: &CurrentUser,
    p: &Placement,
    wanted: &PreviewFor,
    lang: Lang,
) -> Result<Preview, Msg> {
    let hosting = &state.hosting;
    let tenant = TenantId::parse(wanted.preview_tenant.trim())
        .map_err(|_| Msg::new("preview-choose-organisation"))?;
    let found = state
        .db
        .tenant(&tenant)
        .await
        .map_err(|_| Msg::new("preview-database-unavailable"))?
        .ok_or(Msg::new("preview-no-such-organisation"))?;
    let number = |typed: &str| -> Result<Option<i64>, Msg> {
        match Some(typed.trim()).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| Msg::new("preview-not-a-number").with("typed", v)),
        }
    };
    let scope = state.db.scope(&tenant);
    let needs_account = matches!(p.page, PageKind::Account | PageKind::Ticket);
    let account = match number(&wanted.preview_account)? {
        Some(a) => Some(a),
        None if needs_account => scope
            .accounts("", domain::PageRequest::new(1, 1))
            .await
            .map_err(|_| Msg::new("preview-database-unavailable"))?
            .items
            .first()
            .map(|a| a.id.0),
        None => None,
    };
    let ticket = match (number(&wanted.preview_ticket)?, account) {
        (Some(t), _) => Some(t),
        (None, Some(a)) if p.page == PageKind::Ticket => scope
            .tickets(a.into(), 1)
            .await
            .map_err(|_| Msg::new("preview-database-unavailable"))?
            .first()
            .map(|t| t.id.0),
        _ => None,
    };
    let no_such_record =
        || Msg::new("preview-no-such-record").with("organisation", found.name.as_str());
    let account = match account {
        Some(id) => Some(
            scope
                .account(id.into())
                .await
                .map_err(|_| Msg::new("preview-database-unavailable"))?
                .ok_or_else(no_such_record)?,
        ),
        None => None,
    };
    let ticket = match (&account, ticket) {
        (Some(a), Some(id)) => Some(
            scope
                .ticket(a.id, id.into())
                .await
                .map_err(|_| Msg::new("preview-database-unavailable"))?
                .ok_or_else(no_such_record)?,
        ),
        _ => None,
    };
    let record = app::widgets::record_context(
        &tenant,
        &hosting.public_url,
        account.as_ref(),
        ticket.as_ref(),
    );
    let environment = scope
        .flow_settings()
        .await
        .map_err(|_| Msg::new("preview-database-unavailable"))?
        .environment;
    let resolved = p
        .resolve(&record, environment.as_deref())
        .map_err(|e| Msg::new("preview-unresolved").with("reason", e.message()))?;
    let options = serde_json::to_string_pretty(&resolved.options).unwrap_or_default();
    let mut shown = resolved;
    if let Some(options) = shown.options.as_object_mut() {
        // The preview runs as the staff member, who has no access to the tenant's environment.
        options.remove("environmentId");
    }
    if let Some(account) = &record.account {
        let entry = NewStaffPreview {
            staff,
            account_id: account.id,
            account_name: &account.name,
            ticket_id: record.ticket.as_ref().map(|t| t.id),
            placement: &p.key,
        };
        // No access to a customer's record goes unrecorded: without the entry, no preview.
        scope.record_staff_preview(&entry).await.map_err(|e| {
            tracing::error!(error = %e, "a staff preview could not be recorded");
            Msg::new("preview-not-recorded")
        })?;
    }
    let what = match (&record.account, &record.ticket) {
        (Some(a), Some(t)) => Msg::new("preview-record-ticket")
            .with("organisation", found.name.as_str())
            .with("account", a.name.as_str())
            .with("ticket", t.id),
        (Some(a), None) => Msg::new("preview-record-account")
            .with("organisation", found.name.as_str())
            .with("account", a.name.as_str()),
        _ => Msg::new("preview-record-organisation").with("organisation", found.name.as_str()),
    };
    Ok(Preview {
        record: what,
        options,
        panel: WidgetPanel {
            host: hosting.host.clone(),
            lang,
            record: None,
            widgets: vec![shown],
            licence_note: None,
        },
    })
}
