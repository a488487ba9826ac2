//! Tickets: an account's tickets (filtered by status, priority and time of change), a new
//! ticket on an account, one ticket by its id, and a change of its status or priority that
//! `If-Match` can make conditional on the version the caller read (`ETag`).

use super::caller::Caller;
use super::error::ApiError;
use super::extract::{JsonBody, QueryOf, not_null};
use super::paging::{self, Listed};
use super::{ApiState, Here, Operation, record_id};
use crate::auth::{READ_SCOPE, READ_WRITE_SCOPE};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::db::Written;
use domain::views::TicketView;
use domain::{
    AccountId, FieldErrors, NewTicket, Priority, Status, Ticket, TicketFilter, TicketId,
    TicketInput, TicketPatch,
};
use i18n::Msg;
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub fn operations() -> Vec<Operation> {
    vec![
        Operation::new(
            Method::GET,
            "/accounts/{accountId}/tickets",
            "ListTickets",
            list,
        ),
        Operation::new(
            Method::POST,
            "/accounts/{accountId}/tickets",
            "CreateTicket",
            create,
        ),
        Operation::new(Method::GET, "/tickets/{ticketId}", "GetTicket", one),
        Operation::new(Method::PATCH, "/tickets/{ticketId}", "UpdateTicket", change),
    ]
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListQuery {
    status: Option<String>,
    priority: Option<String>,
    updated_since: Option<String>,
    #[serde(flatten)]
    paging: paging::PageParams,
}

impl ListQuery {
    fn parse(&self, errors: &mut FieldErrors) -> TicketFilter {
        // An empty value is refused like any other that is not one of the choices.
        fn given(raw: &Option<String>) -> Option<&str> {
            raw.as_deref()
        }
        let updated_since = given(&self.updated_since).and_then(|raw| {
            let time = OffsetDateTime::parse(raw.trim(), &Rfc3339).ok();
            if time.is_none() {
                errors.add(
                    "updatedSince",
                    Msg::new("api-date-time").with("field", "updatedSince"),
                );
            }
            time
        });
        TicketFilter {
            status: given(&self.status).and_then(|r| Status::from_field(errors, "status", r)),
            priority: given(&self.priority)
                .and_then(|r| Priority::from_field(errors, "priority", r)),
            updated_since,
        }
    }
}

async fn list(
    State(state): State<ApiState>,
    caller: Caller,
    here: Here,
    Path(account): Path<String>,
    QueryOf(query): QueryOf<ListQuery>,
) -> Result<Json<Listed<TicketView>>, ApiError> {
    caller.require(READ_SCOPE)?;
    let account = AccountId(record_id(&account)?);
    let mut errors = FieldErrors::default();
    let filter = query.parse(&mut errors);
    let request = query.paging.request(&mut errors);
    ApiError::unless_valid(errors)?;
    let scope = caller.scope(&state);
    if scope.account(account).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    let tickets = scope
        .filtered_tickets(account, &filter, request.limit() + 1, request.offset())
        .await?;
    let items = tickets.into_iter().map(TicketView::from).collect();
    Ok(Json(Listed::from_surplus(items, request, &here.0)))
}

/// A new ticket as posted; `requester` defaults to the caller.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewTicketBody {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default, deserialize_with = "not_null")]
    priority: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    requester: Option<String>,
}

async fn create(
    State(state): State<ApiState>,
    caller: Caller,
    Path(account): Path<String>,
    JsonBody(body): JsonBody<NewTicketBody>,
) -> Result<Response, ApiError> {
    caller.require(READ_WRITE_SCOPE)?;
    let account = AccountId(record_id(&account)?);
    let input = TicketInput {
        title: body.title,
        description: body.description,
        priority: body
            .priority
            .unwrap_or_else(|| Priority::Normal.as_str().to_owned()),
        requester: body.requester.unwrap_or_else(|| caller.0.name.clone()),
        status: String::new(),
    };
    let ticket = NewTicket::parse(&input).map_err(ApiError::Invalid)?;
    let scope = caller.scope(&state);
    let id = scope
        .create_ticket(account, &ticket)
        .await?
        .ok_or(ApiError::NotFound)?;
    tracing::info!(ticket = %id, tenant = %caller.0.tenant, user = %caller.0.object_id, "a ticket was opened through the API");
    state.wake.now();
    let created = scope.ticket_by_id(id).await?.ok_or(ApiError::NotFound)?;
    let mut response = with_etag(created, StatusCode::CREATED);
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/tickets/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

async fn one(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require(READ_SCOPE)?;
    let id = TicketId(record_id(&id)?);
    let ticket = caller.scope(&state).ticket_by_id(id).await?;
    Ok(with_etag(ticket.ok_or(ApiError::NotFound)?, StatusCode::OK))
}

/// A change as posted: the fields to change, at least one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeBody {
    #[serde(default, deserialize_with = "not_null")]
    status: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    priority: Option<String>,
}

async fn change(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<ChangeBody>,
) -> Result<Response, ApiError> {
    caller.require(READ_WRITE_SCOPE)?;
    let id = TicketId(record_id(&id)?);
    let mut errors = FieldErrors::default();
    let patch = TicketPatch {
        status: body
            .status
            .as_deref()
            .and_then(|r| Status::from_field(&mut errors, "status", r)),
        priority: body
            .priority
            .as_deref()
            .and_then(|r| Priority::from_field(&mut errors, "priority", r)),
    };
    if body.status.is_none() && body.priority.is_none() {
        errors.add("status", Msg::new("api-nothing-to-change"));
    }
    ApiError::unless_valid(errors)?;
    let if_version = match headers.get(header::IF_MATCH).map(if_match) {
        None | Some(IfMatch::Any) => None,
        Some(IfMatch::Version(v)) => Some(v),
        // Versions start at 1: nothing matches.
        Some(IfMatch::Other) => Some(0),
    };
    match caller
        .scope(&state)
        .patch_ticket(id, patch, if_version)
        .await?
    {
        Written::Done(ticket) => {
            tracing::info!(ticket = %id, tenant = %caller.0.tenant, user = %caller.0.object_id, "a ticket was changed through the API");
            state.wake.now();
            Ok(with_etag(ticket, StatusCode::OK))
        }
        Written::Missing => Err(ApiError::NotFound),
        Written::Stale(_) => Err(ApiError::Stale),
    }
}

/// A ticket's version as an entity tag.
fn etag(ticket: &Ticket) -> String {
    format!("\"{}\"", ticket.version)
}

enum IfMatch {
    Any,
    Version(i64),
    /// Tags that name no version of ours; nothing matches them.
    Other,
}

/// `If-Match: *`, or a list of entity tags (`"3"`; a bare `3` is taken as `"3"`) of which the
/// first strong one naming a version counts. Weak tags (`W/"3"`) never match: If-Match
/// compares strongly.
fn if_match(value: &HeaderValue) -> IfMatch {
    let text = value.to_str().unwrap_or_default();
    if text.trim() == "*" {
        return IfMatch::Any;
    }
    text.split(',')
        .map(str::trim)
        .filter(|tag| !tag.starts_with("W/"))
        .find_map(|tag| tag.trim_matches('"').parse::<i64>().ok())
        .map_or(IfMatch::Other, IfMatch::Version)
}

fn with_etag(ticket: Ticket, status: StatusCode) -> Response {
    let tag = etag(&ticket);
    let mut response = (status, Json(TicketView::from(ticket))).into_response();
    if let Ok(value) = HeaderValue::from_str(&tag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Option<i64> {
        match if_match(&HeaderValue::from_str(text).unwrap()) {
            IfMatch::Any => Some(-1),
            IfMatch::Version(v) => Some(v),
            IfMatch::Other => None,
        }
    }

    #[test]
    fn if_match_takes_star_or_entity_tags_of_which_strong_ones_count() {
        assert_eq!(parsed("*"), Some(-1));
        assert_eq!(parsed("\"3\""), Some(3));
        assert_eq!(parsed("W/\"3\", \"4\""), Some(4));
        assert_eq!(parsed("W/\"3\""), None);
        assert_eq!(parsed("\"abc\""), None);
        assert_eq!(parsed("3"), Some(3));
        assert_eq!(parsed(""), None);
    }
}
