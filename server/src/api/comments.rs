//! A ticket's comments: listed oldest first, and added by a flow on its connection's user's
//! behalf.

use super::caller::Caller;
use super::error::ApiError;
use super::extract::{JsonBody, QueryOf};
use super::paging::{self, Listed};
use super::{ApiState, Here, Operation, record_id};
use crate::auth::{READ_SCOPE, READ_WRITE_SCOPE};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::views::CommentView;
use domain::{Author, CommentVia, FieldErrors, NewComment, TicketId};
use serde::Deserialize;

pub fn operations() -> Vec<Operation> {
    vec![
        Operation::new(
            Method::GET,
            "/tickets/{ticketId}/comments",
            "ListComments",
            list,
        ),
        Operation::new(
            Method::POST,
            "/tickets/{ticketId}/comments",
            "AddComment",
            add,
        ),
    ]
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListQuery {
    #[serde(flatten)]
    paging: paging::PageParams,
}

async fn list(
    State(state): State<ApiState>,
    caller: Caller,
    here: Here,
    Path(ticket): Path<String>,
    QueryOf(query): QueryOf<ListQuery>,
) -> Result<Json<Listed<CommentView>>, ApiError> {
    caller.require(READ_SCOPE)?;
    let ticket = TicketId(record_id(&ticket)?);
    let mut errors = FieldErrors::default();
    let request = query.paging.request(&mut errors);
    ApiError::unless_valid(errors)?;
    let scope = caller.scope(&state);
    if scope.ticket_by_id(ticket).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    let comments = scope
        .comments(ticket, request.limit() + 1, request.offset())
        .await?;
    let items = comments.into_iter().map(CommentView::from).collect();
    Ok(Json(Listed::from_surplus(items, request, &here.0)))
}

#[derive(Deserialize)]
struct NewCommentBody {
    #[serde(default)]
    text: String,
}

async fn add(
    State(state): State<ApiState>,
    caller: Caller,
    Path(ticket): Path<String>,
    JsonBody(body): JsonBody<NewCommentBody>,
) -> Result<Response, ApiError> {
    caller.require(READ_WRITE_SCOPE)?;
    let ticket = TicketId(record_id(&ticket)?);
    let author = Author {
        name: caller.0.name.clone(),
        object_id: caller.0.object_id.clone(),
        via: CommentVia::Flow,
    };
    let comment = NewComment::parse(&body.text, author).map_err(ApiError::Invalid)?;
    let added = caller
        .scope(&state)
        .add_comment(ticket, &comment)
        .await?
        .ok_or(ApiError::NotFound)?;
    tracing::info!(ticket = %ticket, tenant = %caller.0.tenant, user = %caller.0.object_id, "a comment was added through the API");
    state.wake.now();
    Ok((StatusCode::CREATED, Json(CommentView::from(added))).into_response())
}
