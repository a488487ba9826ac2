//! The ticket forms: open a ticket on an account, change a ticket's status and priority,
//! comment on a ticket.
//!
//! Each answers with a redirect to the page the form belongs to; what the page shows next (the
//! input as typed with its errors, or a notice) travels in the session. The page itself
//! decides about 401 and 404, so a form posted to a record the user may not see ends on the
//! same page as any other link to it.

use crate::AppState;
use crate::form_post::{Admitted, FormError, FormPost, Target};
use app::forms::{FormState, comment_form, correct, edit_ticket_form, expired, new_ticket_form};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use domain::{
    AccountId, Author, CommentInput, CommentVia, NewComment, NewTicket, TicketChange, TicketId,
    TicketInput,
};
use i18n::Msg;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/accounts/{id}/tickets/new", post(create))
        .route("/accounts/{id}/tickets/{ticket}", post(update))
        .route("/accounts/{id}/tickets/{ticket}/comments", post(comment))
}

/// The record numbers in a ticket form's path, `/accounts/{a}/tickets/{t or new}`.
fn numbers(path: &str) -> (i64, i64) {
    let mut parts = path.trim_matches('/').split('/').skip(1).step_by(2);
    let mut next = || parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    (next(), next())
}

/// A ticket form: the new-ticket form of an account, or a ticket's edit form (status and
/// priority).
#[derive(Deserialize)]
#[serde(transparent)]
struct TicketPost(TicketInput);

impl FormPost for TicketPost {
    type Expired = FormState;
    fn page(&self, path: &str) -> Target {
        let (account, ticket) = numbers(path);
        let key = if path.ends_with("/new") {
            new_ticket_form(account)
        } else {
            edit_ticket_form(ticket)
        };
        Target::new(key, path)
    }
    fn expired(&self) -> FormState {
        FormState::refused(self.0.clone(), Default::default(), expired())
    }
}

async fn create(
    State(state): State<AppState>,
    Path(account): Path<String>,
    post: Admitted<TicketPost>,
) -> Result<Response, FormError> {
    let Ok(account) = account.parse::<i64>() else {
        return Ok(Redirect::to(&post.page.back).into_response());
    };
    let values = &post.form.0;
    let ticket = match NewTicket::parse(values) {
        Ok(ticket) => ticket,
        Err(errors) => {
            return post
                .back(FormState::refused(values.clone(), errors, correct()))
                .await;
        }
    };
    let scope = state.db.scope(&post.user.tenant_id);
    match scope.create_ticket(AccountId(account), &ticket).await? {
        Some(id) => {
            tracing::info!(ticket = %id, account, "ticket created");
            state.hooks.now();
            let notice: FormState = FormState::done(Msg::new("ticket-created").with("id", id.0));
            let page = Target::new(
                edit_ticket_form(id.0),
                format!("/accounts/{account}/tickets/{id}"),
            );
            post.to(&page, notice).await
        }
        None => Ok(Redirect::to(&post.page.back).into_response()),
    }
}

async fn update(
    State(state): State<AppState>,
    Path((account, ticket)): Path<(String, String)>,
    post: Admitted<TicketPost>,
) -> Result<Response, FormError> {
    let (Ok(account), Ok(ticket)) = (account.parse::<i64>(), ticket.parse::<i64>()) else {
        return Ok(Redirect::to(&post.page.back).into_response());
    };
    let values = &post.form.0;
    let outcome = match TicketChange::parse(values) {
        Err(errors) => FormState::refused(values.clone(), errors, correct()),
        Ok(change) => {
            let scope = state.db.scope(&post.user.tenant_id);
            if !scope
                .update_ticket(AccountId(account), TicketId(ticket), change)
                .await?
            {
                return Ok(Redirect::to(&post.page.back).into_response());
            }
            state.hooks.now();
            FormState::done(Msg::new("ticket-saved"))
        }
    };
    post.back(outcome).await
}

/// A ticket's comment form.
#[derive(Deserialize)]
#[serde(transparent)]
struct CommentPost(CommentInput);

impl FormPost for CommentPost {
    type Expired = FormState<CommentInput>;
    fn page(&self, path: &str) -> Target {
        let (account, ticket) = numbers(path);
        Target::new(
            comment_form(ticket),
            format!("/accounts/{account}/tickets/{ticket}"),
        )
    }
    fn expired(&self) -> FormState<CommentInput> {
        FormState::refused(self.0.clone(), Default::default(), expired())
    }
}

/// A comment a person writes on the ticket's page, under their own name.
async fn comment(
    State(state): State<AppState>,
    Path((account, ticket)): Path<(String, String)>,
    post: Admitted<CommentPost>,
) -> Result<Response, FormError> {
    let (Ok(account), Ok(ticket)) = (account.parse::<i64>(), ticket.parse::<i64>()) else {
        return Ok(Redirect::to(&post.page.back).into_response());
    };
    let values = &post.form.0;
    let author = Author {
        name: post.user.name.clone(),
        object_id: post.user.object_id.clone(),
        via: CommentVia::Person,
    };
    let comment = match NewComment::parse(&values.text, author) {
        Ok(comment) => comment,
        Err(errors) => {
            return post
                .back(FormState::refused(values.clone(), errors, correct()))
                .await;
        }
    };
    let scope = state.db.scope(&post.user.tenant_id);
    // The ticket must be the account's, as the page's address says.
    if scope
        .ticket(AccountId(account), TicketId(ticket))
        .await?
        .is_none()
        || scope
            .add_comment(TicketId(ticket), &comment)
            .await?
            .is_none()
    {
        return Ok(Redirect::to(&post.page.back).into_response());
    }
    state.hooks.now();
    let done: FormState<CommentInput> = FormState::done(Msg::new("comment-added"));
    post.back(done).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn record_numbers_come_from_the_form_path() {
        assert_eq!(super::numbers("/accounts/12/tickets/new"), (12, 0));
        assert_eq!(super::numbers("/accounts/12/tickets/345"), (12, 345));
        assert_eq!(
            super::numbers("/accounts/12/tickets/345/comments"),
            (12, 345)
        );
        assert_eq!(super::numbers("/accounts/x/tickets/y"), (0, 0));
    }
}
