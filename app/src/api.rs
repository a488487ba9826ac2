//! Server functions that load what each page shows. Each one checks the session itself.

use crate::errors::AppError;
use crate::forms::FormState;
use domain::{Account, Comment, CurrentUser, Page, Tenant, Ticket, UserSummary};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::ssr;

pub const ACCOUNTS_PER_PAGE: u32 = 20;
pub const TICKETS_ON_ACCOUNT_PAGE: i64 = 50;
/// A ticket page shows this many of its comments, the oldest first.
pub const COMMENTS_ON_TICKET_PAGE: usize = 100;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountDetail {
    pub account: Account,
    pub tickets: Vec<Ticket>,
}

/// A page with a form: the record it belongs to, the form's last outcome and its CSRF token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormPage<T> {
    pub record: T,
    pub form: FormState,
    pub csrf: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketDetail {
    pub account: Account,
    pub ticket: Ticket,
    /// At most [`COMMENTS_ON_TICKET_PAGE`], and whether there are more.
    pub comments: Vec<Comment>,
    pub more_comments: bool,
    /// The comment form's last outcome.
    pub comment: FormState<domain::CommentInput>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganisationSettings {
    pub tenant: Tenant,
    pub users: Vec<UserSummary>,
    /// Its marketplace subscription, if it arrived through the marketplace.
    pub subscription: Option<crate::subscription::SubscriptionView>,
    pub csrf: String,
}

/// The signed-in user, with the token their sign-out form carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub user: CurrentUser,
    pub csrf: String,
}

#[server]
pub async fn get_viewer() -> Result<Option<Viewer>, AppError> {
    let Some(user) = ssr::current_user()? else {
        return Ok(None);
    };
    let csrf = ssr::csrf_token(&ssr::session().await?).await?;
    Ok(Some(Viewer { user, csrf }))
}

#[server]
pub async fn list_accounts(search: String, page: u32) -> Result<Page<Account>, AppError> {
    let signed = ssr::signed_in().await?;
    let request = domain::PageRequest::new(page, ACCOUNTS_PER_PAGE);
    signed
        .scope()
        .accounts(&search, request)
        .await
        .map_err(ssr::db_error)
}

#[server]
pub async fn get_account(id: i64) -> Result<AccountDetail, AppError> {
    let signed = ssr::signed_in().await?;
    let (account, tickets) = signed
        .account_with_tickets(id.into(), TICKETS_ON_ACCOUNT_PAGE)
        .await?;
    Ok(AccountDetail { account, tickets })
}

#[server]
pub async fn get_new_ticket_form(account: i64) -> Result<FormPage<Account>, AppError> {
    let signed = ssr::signed_in().await?;
    let record = signed.account(account.into()).await?;
    let kept = ssr::take_flash(&signed.session, &crate::forms::new_ticket_form(account)).await?;
    let blank = domain::TicketInput {
        priority: domain::Priority::Normal.as_str().into(),
        requester: signed.user.email.clone(),
        ..Default::default()
    };
    let form = FormState::shown(kept, blank);
    let csrf = ssr::csrf_token(&signed.session).await?;
    Ok(FormPage { record, form, csrf })
}

#[server]
pub async fn get_ticket(account: i64, ticket: i64) -> Result<FormPage<TicketDetail>, AppError> {
    let signed = ssr::signed_in().await?;
    let (account, ticket) = signed
        .ticket_with_account(account.into(), ticket.into())
        .await?;
    let kept = ssr::take_flash(
        &signed.session,
        &crate::forms::edit_ticket_form(ticket.id.0),
    )
    .await?;
    let current = domain::TicketInput {
        status: ticket.status.as_str().into(),
        priority: ticket.priority.as_str().into(),
        ..Default::default()
    };
    let form = FormState::shown(kept, current);
    let shown = COMMENTS_ON_TICKET_PAGE as i64;
    let mut comments = signed
        .scope()
        .comments(ticket.id, shown + 1, 0)
        .await
        .map_err(ssr::db_error)?;
    let more_comments = comments.len() > COMMENTS_ON_TICKET_PAGE;
    comments.truncate(COMMENTS_ON_TICKET_PAGE);
    let kept = ssr::take_flash(&signed.session, &crate::forms::comment_form(ticket.id.0)).await?;
    let comment = FormState::shown(kept, domain::CommentInput::default());
    let csrf = ssr::csrf_token(&signed.session).await?;
    Ok(FormPage {
        record: TicketDetail {
            account,
            ticket,
            comments,
            more_comments,
            comment,
        },
        form,
        csrf,
    })
}

#[server]
pub async fn get_organisation_settings() -> Result<OrganisationSettings, AppError> {
    let signed = ssr::signed_in().await?;
    signed.require(domain::Role::TenantAdmin)?;
    let tenant = signed.tenant().await?;
    let users = signed.scope().users().await.map_err(ssr::db_error)?;
    let subscription = crate::subscription::subscription_view(&signed).await?;
    Ok(OrganisationSettings {
        tenant,
        users,
        subscription,
        csrf: ssr::csrf_token(&signed.session).await?,
    })
}
