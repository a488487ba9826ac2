//! Server functions behind the widgets: the widgets a page shows, the token a widget asks for,
//! and what the widgets' events leave on the record. Each one checks the session itself; the
//! events come from the user's browser, so each is checked against the user's own records,
//! confirmed with the Flow service where it can be (`confirm`), and limited per user.

use super::{TokenAnswer, WidgetPanel};
use crate::errors::AppError;
use domain::placement::PageKind;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::ssr;

/// The widgets of `page`, resolved for the record it shows (an account, or a ticket of it).
#[server]
pub async fn get_widget_panel(
    page: PageKind,
    account: Option<i64>,
    ticket: Option<i64>,
) -> Result<WidgetPanel, AppError> {
    let signed = ssr::signed_in().await?;
    let hosting = ssr::flow_hosting()?;
    let found = match account {
        Some(id) => Some(signed.account(id.into()).await?),
        None => None,
    };
    let found_ticket = match (account, ticket) {
        (Some(account), Some(id)) => Some(signed.ticket(account.into(), id.into()).await?),
        _ => None,
    };
    let record = record_context(
        &signed.user.tenant_id,
        &hosting.public_url,
        found.as_ref(),
        found_ticket.as_ref(),
    );
    let settings = hosting
        .config
        .settings(&signed.db, &signed.user.tenant_id)
        .await
        .map_err(ssr::db_error)?;
    let current = hosting
        .config
        .get(&signed.db)
        .await
        .map_err(ssr::db_error)?;
    let widgets = current
        .config
        .for_tenant(&signed.user.tenant_id)
        .iter()
        .filter(|p| p.page == page && p.enabled && settings.shows(&p.key))
        .filter_map(
            |p| match p.resolve(&record, settings.environment.as_deref()) {
                Ok(widget) => Some(widget),
                Err(e) => {
                    tracing::error!(placement = %p.key, error = %e, "a placement does not resolve");
                    None
                }
            },
        )
        .collect();
    // On a record page, the visitor's rights come with the record's activity.
    let licence_note = match account {
        Some(account) if matches!(page, PageKind::Account | PageKind::Ticket) => {
            let record = domain::RecordRef {
                account: account.into(),
                ticket: ticket.map(Into::into),
            };
            let (_, rights) = signed.activity_seen(record).await?;
            crate::licences::licence_note(&signed, rights).await?
        }
        _ => None,
    };
    Ok(WidgetPanel {
        licence_note,
        host: hosting.host,
        lang: ssr::lang(),
        record: account.map(|a| domain::RecordRef {
            account: a.into(),
            ticket: ticket.map(Into::into),
        }),
        widgets,
    })
}

/// A Power Automate access token for the signed-in user, for a widget's `GET_ACCESS_TOKEN`.
#[server]
pub async fn get_flow_token(resource: String) -> Result<TokenAnswer, AppError> {
    let signed = ssr::signed_in().await?;
    let hosting = ssr::flow_hosting()?;
    Ok(hosting
        .tokens
        .flow_token(&signed.session, &signed.user, &resource)
        .await)
}

#[server]
pub async fn get_record_activity(
    account: i64,
    ticket: Option<i64>,
) -> Result<crate::activity::ActivityView, AppError> {
    let signed = ssr::signed_in().await?;
    let record = checks::owned(&signed, account, ticket).await?;
    let (read, _) = signed.activity_seen(record).await?;
    Ok(crate::activity::worded(ssr::lang(), read, ticket.is_some()))
}

/// `FLOW_CREATION_SUCCEEDED`: the new flow is linked to the record it was made on, once the
/// Flow service confirms the user can see it in the organisation's environment. The template
/// recorded is the one the service names.
#[server]
pub async fn link_flow(
    account: i64,
    ticket: Option<i64>,
    flow_id: String,
    flow_url: String,
    template: Option<String>,
) -> Result<(), AppError> {
    let signed = ssr::signed_in().await?;
    let hosting = ssr::flow_hosting()?;
    checks::admit(&signed, &hosting)?;
    let record = checks::owned(&signed, account, ticket).await?;
    checks::check_id(&flow_id)?;
    if let Some(t) = &template {
        checks::check_id(t)?;
    }
    // Only a link into the Flow host is shown as a link.
    let url = url_in(&hosting.host, &flow_url).ok_or_else(|| {
        tracing::warn!("refused a flow link outside the Flow host");
        AppError::NotFound
    })?;
    let confirmed = super::confirm::flow(&signed, &hosting, &flow_id).await?;
    let scope = signed.scope();
    let flow = domain::db::NewLinkedFlow {
        flow_id: &flow_id,
        flow_url: &url,
        template: confirmed.template.as_deref(),
        created_by: &signed.user.name,
    };
    match scope
        .link_flow(record, &flow)
        .await
        .map_err(ssr::db_error)?
    {
        domain::db::Linked::New => {}
        domain::db::Linked::Already => return Ok(()),
        domain::db::Linked::Full => {
            tracing::warn!("refused a flow link: the record has as many flows as it may");
            return Err(AppError::RecordFull);
        }
    }
    let subject = checks::flow_subject(confirmed.template.as_deref());
    scope
        .add_event(
            record,
            &domain::db::NewEvent {
                kind: domain::EventKind::FlowLinked,
                subject: &subject,
                outcome: "",
                actor: &signed.user.name,
                confirmed: true,
            },
        )
        .await
        .map_err(ssr::db_error)
}

/// `RUN_FLOW_COMPLETED`: the run goes on the record's timeline once the Flow service confirms
/// it ended as reported.
#[server]
pub async fn record_run(
    account: i64,
    ticket: Option<i64>,
    flow_name: String,
    run_id: String,
    status: String,
) -> Result<(), AppError> {
    let signed = ssr::signed_in().await?;
    let hosting = ssr::flow_hosting()?;
    checks::admit(&signed, &hosting)?;
    let record = checks::owned(&signed, account, ticket).await?;
    checks::check_id(&flow_name)?;
    checks::check_id(&run_id)?;
    let outcome = match status.as_str() {
        "Succeeded" => "succeeded",
        "Failed" => "failed",
        "Cancelled" => "cancelled",
        _ => return Err(AppError::NotFound),
    };
    super::confirm::run(&signed, &hosting, &flow_name, &run_id, &status).await?;
    let scope = signed.scope();
    let template = scope
        .linked_flow_template(&flow_name)
        .await
        .map_err(ssr::db_error)?;
    let subject = checks::flow_subject(template.as_deref());
    scope
        .add_event(
            record,
            &domain::db::NewEvent {
                kind: domain::EventKind::RunCompleted,
                subject: &subject,
                outcome,
                actor: &signed.user.name,
                confirmed: true,
            },
        )
        .await
        .map_err(ssr::db_error)
}

/// The approvals widget's status events. Flowhost cannot confirm an approval with the Flow
/// service yet, so each is kept as the widget reported it: its decisions go on the ticket's
/// timeline marked as reported, and the ticket's counts leave it out. Only approvals whose
/// item is this ticket are taken.
#[server]
pub async fn record_approval(
    account: i64,
    ticket: i64,
    approval_id: String,
    title: String,
    status: String,
    item_link: String,
) -> Result<(), AppError> {
    let signed = ssr::signed_in().await?;
    let hosting = ssr::flow_hosting()?;
    checks::admit(&signed, &hosting)?;
    let record = checks::owned(&signed, account, Some(ticket)).await?;
    checks::check_id(&approval_id)?;
    if item_link != ticket_url(&hosting.public_url, account, ticket) {
        tracing::info!("an approval of another item was not counted on the ticket");
        return Err(AppError::NotFound);
    }
    let state = domain::ApprovalState::from_widget(&status).ok_or(AppError::NotFound)?;
    let title: String = title.trim().chars().take(200).collect();
    let scope = signed.scope();
    let before = scope
        .set_approval(record, &approval_id, &title, state, false)
        .await
        .map_err(ssr::db_error)?
        .map_err(|_| AppError::NotFound)?;
    if before != Some(state) {
        scope
            .add_event(
                record,
                &domain::db::NewEvent {
                    kind: domain::EventKind::Approval,
                    subject: &title,
                    outcome: state.as_str(),
                    actor: &signed.user.name,
                    confirmed: false,
                },
            )
            .await
            .map_err(ssr::db_error)?;
    }
    Ok(())
}

/// A widget the SDK rejected on `page` (its requests came from the Flow host and none reached
/// Flowhost's callbacks): logged for the ISV with what to change, and counted for the console.
#[server]
pub async fn report_rejected_widget(sdk_version: String, page: String) -> Result<(), AppError> {
    let signed = ssr::signed_in().await?;
    let hosting = ssr::flow_hosting()?;
    checks::admit(&signed, &hosting)?;
    let version = checks::sdk_version(&sdk_version);
    let page = checks::page_path(&page);
    tracing::error!(
        flow_host = %hosting.host,
        sdk_version = version,
        page,
        "the Power Automate SDK from FLOW_HOST rejected its own widget: its requests arrived and \
         none reached Flowhost. SDK 1.1 accepts widget messages only from flow.microsoft.com and \
         flow.microsoft.us; set FLOW_HOST to the host whose SDK accepts its own widgets \
         (https://make.powerautomate.com serves the current SDK)"
    );
    signed
        .scope()
        .record_widget_rejection(&hosting.host, version, page)
        .await
        .map_err(ssr::db_error)
}

/// An account's page.
#[cfg(feature = "ssr")]
pub fn account_url(public_url: &str, account: i64) -> String {
    format!("{public_url}/accounts/{account}")
}

/// A ticket's page: approvals on it link here.
#[cfg(feature = "ssr")]
pub fn ticket_url(public_url: &str, account: i64, ticket: i64) -> String {
    format!("{}/tickets/{ticket}", account_url(public_url, account))
}

/// What the placeholders of a page's widgets see: `tenant`'s account and one of its tickets.
#[cfg(feature = "ssr")]
pub fn record_context(
    tenant: &domain::TenantId,
    public_url: &str,
    account: Option<&domain::Account>,
    ticket: Option<&domain::Ticket>,
) -> domain::placeholders::RecordContext {
    use domain::placeholders::{AccountFacts, RecordContext, TicketFacts};
    RecordContext {
        tenant: tenant.clone(),
        account: account.map(|a| AccountFacts {
            id: a.id.0,
            name: a.name.clone(),
            domain: a.domain.clone(),
            url: account_url(public_url, a.id.0),
        }),
        ticket: account.zip(ticket).map(|(a, t)| TicketFacts {
            id: t.id.0,
            title: t.title.clone(),
            url: ticket_url(public_url, a.id.0, t.id.0),
        }),
    }
}

/// `url` if it lies on `host` (an origin), normalised.
#[cfg(feature = "ssr")]
fn url_in(host: &str, url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let origin = url::Url::parse(host).ok()?.origin();
    (parsed.origin() == origin && url.len() <= 2000).then(|| parsed.to_string())
}

/// Checks shared by the server functions above.
#[cfg(feature = "ssr")]
mod checks {
    use crate::errors::AppError;
    use crate::ssr::{FlowHosting, Signed};
    use domain::RecordRef;

    /// Refuses the user's widget event when they reported too many lately.
    pub fn admit(signed: &Signed, hosting: &FlowHosting) -> Result<(), AppError> {
        if hosting.event_limit.admit(&signed.user) {
            Ok(())
        } else {
            tracing::warn!("refused a widget event: too many from the user");
            Err(AppError::TooManyRequests)
        }
    }

    /// The record, if it is the user's tenant's; another tenant's is "not found".
    pub async fn owned(
        signed: &Signed,
        account: i64,
        ticket: Option<i64>,
    ) -> Result<RecordRef, AppError> {
        let record = RecordRef {
            account: account.into(),
            ticket: ticket.map(Into::into),
        };
        match record.ticket {
            // A ticket is found only on its own account of the user's organisation.
            Some(id) => signed.ticket(record.account, id).await.map(drop)?,
            None => signed.account(record.account).await.map(drop)?,
        }
        Ok(record)
    }

    /// An SDK version as the SDK writes it (`1.1`, `2.2.0`): digits and dots, at most 16;
    /// anything else is `unknown`.
    pub fn sdk_version(version: &str) -> &str {
        let ok = !version.is_empty()
            && version.len() <= 16
            && version.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        if ok { version } else { "unknown" }
    }

    /// A page's path: `/` and printable ASCII, at most 200; anything else is `/`.
    pub fn page_path(path: &str) -> &str {
        let ok = path.starts_with('/')
            && path.len() <= 200
            && path.bytes().all(|b| b.is_ascii_graphic());
        if ok { path } else { "/" }
    }

    /// Flow, template, run and approval ids: letters, digits and `-`, at most 100.
    pub fn check_id(id: &str) -> Result<(), AppError> {
        let ok = !id.is_empty()
            && id.len() <= 100
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if ok {
            Ok(())
        } else {
            tracing::warn!("refused a widget event with a malformed id");
            Err(AppError::NotFound)
        }
    }

    /// How the timeline names a flow: by its template, when Flowhost knows it; empty
    /// otherwise, which the timeline shows as "a flow" in the reader's language.
    pub fn flow_subject(template: Option<&str>) -> String {
        template
            .and_then(domain::placement::templates::name)
            .unwrap_or_default()
            .to_owned()
    }
}
