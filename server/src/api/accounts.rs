//! `/accounts`: the organisation's accounts, searched by name, and one account.

use super::caller::Caller;
use super::error::ApiError;
use super::extract::QueryOf;
use super::paging::{self, Listed};
use super::{ApiState, Here, Operation, record_id};
use crate::auth::READ_SCOPE;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::Method;
use domain::views::AccountView;
use domain::{AccountId, FieldErrors};
use serde::Deserialize;

pub fn operations() -> Vec<Operation> {
    vec![
        Operation::new(Method::GET, "/accounts", "ListAccounts", list),
        Operation::new(Method::GET, "/accounts/{accountId}", "GetAccount", one),
    ]
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListQuery {
    search: Option<String>,
    #[serde(flatten)]
    paging: paging::PageParams,
}

async fn list(
    State(state): State<ApiState>,
    caller: Caller,
    here: Here,
    QueryOf(query): QueryOf<ListQuery>,
) -> Result<Json<Listed<AccountView>>, ApiError> {
    caller.require(READ_SCOPE)?;
    let mut errors = FieldErrors::default();
    let request = query.paging.request(&mut errors);
    ApiError::unless_valid(errors)?;
    let search = query.search.unwrap_or_default();
    let page = caller.scope(&state).accounts(&search, request).await?;
    let more = page.has_next();
    let items = page.items.into_iter().map(AccountView::from).collect();
    Ok(Json(Listed::new(items, more, request, &here.0)))
}

async fn one(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<AccountView>, ApiError> {
    caller.require(READ_SCOPE)?;
    let id = AccountId(record_id(&id)?);
    let account = caller.scope(&state).account(id).await?;
    account.map(|a| Json(a.into())).ok_or(ApiError::NotFound)
}
