//! The record forms' POST handlers (post/redirect/get).
//!
//! Each handler answers with a redirect to the page the form belongs to. What the page must
//! show next — the input as typed with its errors, or a notice — travels in the session as a
//! flash. The page itself decides about 401 and 404, so a form posted to a record the user may
//! not see ends on the same page as any other link to it.

use crate::AppState;
use app::errors::AppError;
use app::forms::{FormState, edit_ticket_form, new_ticket_form};
use app::ssr::{self, Visitor};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use domain::{AccountId, FieldErrors, NewTicket, TicketChange, TicketId, TicketInput};
use std::collections::HashMap;
use tower_sessions::Session;

const EXPIRED: &str = "This form had expired. Check it and submit it again.";
const CORRECT: &str = "Please correct the fields marked below.";

type Fields = Form<HashMap<String, String>>;

fn input(fields: &HashMap<String, String>) -> TicketInput {
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    TicketInput {
        title: field("title"),
        description: field("description"),
        priority: field("priority"),
        requester: field("requester"),
        status: field("status"),
    }
}

fn unavailable(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    crate::plain_page::render(
        status,
        error.title(),
        "Your changes could not be saved because Flowhost cannot reach its database. \
         Go back: your input is still in the form. Try again in a minute.",
    )
}

/// Checks session and CSRF token; `Err` carries the answer to give instead. An anonymous
/// visitor is sent back to the form's page, which asks them to sign in.
async fn admit(
    visitor: Visitor,
    session: &Session,
    fields: &HashMap<String, String>,
    form: &str,
    back: &str,
) -> Result<domain::CurrentUser, Response> {
    let user = match visitor {
        Visitor::Signed(user) => user,
        Visitor::Anonymous => return Err(Redirect::to(back).into_response()),
        Visitor::Unknown => return Err(unavailable(AppError::Unavailable)),
    };
    let token = fields
        .get("csrf_token")
        .map(String::as_str)
        .unwrap_or_default();
    if !ssr::csrf_matches(session, token)
        .await
        .map_err(unavailable)?
    {
        let state = FormState::refused(input(fields), FieldErrors::default(), EXPIRED);
        ssr::set_flash(session, form, state)
            .await
            .map_err(unavailable)?;
        return Err(Redirect::to(back).into_response());
    }
    Ok(user)
}

pub async fn create_ticket(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    session: Session,
    Path(account): Path<String>,
    Form(fields): Fields,
) -> Response {
    let back = format!("/accounts/{account}/tickets/new");
    let Ok(account) = account.parse::<i64>() else {
        return Redirect::to(&back).into_response();
    };
    let form = new_ticket_form(account);
    let user = match admit(visitor, &session, &fields, &form, &back).await {
        Ok(user) => user,
        Err(answer) => return answer,
    };
    let values = input(&fields);
    let ticket = match NewTicket::parse(&values) {
        Ok(ticket) => ticket,
        Err(errors) => {
            let state = FormState::refused(values, errors, CORRECT);
            return match ssr::set_flash(&session, &form, state).await {
                Ok(()) => Redirect::to(&back).into_response(),
                Err(e) => unavailable(e),
            };
        }
    };
    let scope = state.db.scope(&user.tenant_id);
    match scope.create_ticket(AccountId(account), &ticket).await {
        Ok(Some(id)) => {
            tracing::info!(ticket = %id, account, "ticket created");
            let notice: FormState = FormState::done(format!("Ticket #{id} created."));
            match ssr::set_flash(&session, &edit_ticket_form(id.0), notice).await {
                Ok(()) => {
                    Redirect::to(&format!("/accounts/{account}/tickets/{id}")).into_response()
                }
                Err(e) => unavailable(e),
            }
        }
        Ok(None) => Redirect::to(&back).into_response(),
        Err(e) => unavailable(ssr::db_error(e)),
    }
}

pub async fn update_ticket(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    session: Session,
    Path((account, ticket)): Path<(String, String)>,
    Form(fields): Fields,
) -> Response {
    let back = format!("/accounts/{account}/tickets/{ticket}");
    let (Ok(account), Ok(ticket)) = (account.parse::<i64>(), ticket.parse::<i64>()) else {
        return Redirect::to(&back).into_response();
    };
    let form = edit_ticket_form(ticket);
    let user = match admit(visitor, &session, &fields, &form, &back).await {
        Ok(user) => user,
        Err(answer) => return answer,
    };
    let values = input(&fields);
    let outcome = match TicketChange::parse(&values) {
        Err(errors) => FormState::refused(values, errors, CORRECT),
        Ok(change) => {
            let scope = state.db.scope(&user.tenant_id);
            match scope
                .update_ticket(AccountId(account), TicketId(ticket), change)
                .await
            {
                Ok(true) => FormState::done("Changes saved.".into()),
                Ok(false) => return Redirect::to(&back).into_response(),
                Err(e) => return unavailable(ssr::db_error(e)),
            }
        }
    };
    match ssr::set_flash(&session, &form, outcome).await {
        Ok(()) => Redirect::to(&back).into_response(),
        Err(e) => unavailable(e),
    }
}
