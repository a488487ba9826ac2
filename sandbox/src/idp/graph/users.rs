//! `GET /users` (paged with `$top` and `@odata.nextLink`), `GET /users/{id | upn}` and
//! `GET /me`, with `$select` (`assignedPlans` only when selected, as Graph answers).
//! User.Read.All or Directory.Read.All reads anyone; User.ReadBasic.All only the basic
//! properties; User.Read (delegated) the signed-in user.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use serde_json::{Value, json};

use super::super::Idp;
use super::admit;
use super::auth::Caller;
use super::errors::{Ctx, GraphError};
use super::query::{Query, context, project};
use super::shapes::{self, USER_BASICS, USER_DEFAULTS, USER_PROPERTIES};
use crate::directory::{Tenant, User};

/// The page size of `/users` without `$top`.
const DEFAULT_PAGE: usize = 100;

pub async fn list(State(idp): State<Arc<Idp>>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let result = list_users(&idp, &ctx, &Query::parse(raw.as_deref()));
    ctx.respond(&idp, result)
}

pub async fn one(
    State(idp): State<Arc<Idp>>,
    ctx: Ctx,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let result = get_user(&idp, &ctx, Some(&id), &Query::parse(raw.as_deref()));
    ctx.respond(&idp, result)
}

pub async fn me(State(idp): State<Arc<Idp>>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let result = get_user(&idp, &ctx, None, &Query::parse(raw.as_deref()));
    ctx.respond(&idp, result)
}

/// Whether the caller may read `properties` of a user (`own`: the signed-in user).
fn may_read(caller: &Caller, properties: &[&str], own: bool) -> bool {
    caller.may(&["User.Read.All", "Directory.Read.All"])
        || (own && caller.has_scope(&["User.Read", "User.ReadWrite"]))
        || (caller.may(&["User.ReadBasic.All"])
            && properties.iter().all(|p| USER_BASICS.contains(p)))
}

fn list_users(idp: &Idp, ctx: &Ctx, query: &Query) -> Result<Value, GraphError> {
    let caller = admit(idp, ctx)?;
    let select = query.select(&USER_PROPERTIES, "user")?;
    let properties = select.as_deref().unwrap_or(&USER_DEFAULTS);
    if !may_read(&caller, properties, false) {
        return Err(GraphError::denied());
    }
    query.refuse_filter("Unsupported query.")?;
    let size = query.top(DEFAULT_PAGE)?;
    let skip = query.skip()?;
    let tenant = tenant_of(idp, &caller);
    let st = idp.lock();
    let licences = st.graph.licences.tenant(&tenant.id);
    let value: Vec<Value> = tenant
        .users
        .iter()
        .skip(skip)
        .take(size)
        .map(|u| project(shapes::user(licences, u), select.as_deref(), &USER_DEFAULTS))
        .collect();
    let base = idp.graph_base();
    let mut page = json!({
        "@odata.context": context(&base, "users", select.as_deref()),
        "value": value,
    });
    if skip + size < tenant.users.len() {
        page["@odata.nextLink"] = json!(query.next_link(&format!("{base}/users"), skip + size));
    }
    Ok(page)
}

/// `/users/{id}`, or `/me` when `id` is None.
fn get_user(idp: &Idp, ctx: &Ctx, id: Option<&str>, query: &Query) -> Result<Value, GraphError> {
    let caller = admit(idp, ctx)?;
    let select = query.select(&USER_PROPERTIES, "user")?;
    let properties = select.as_deref().unwrap_or(&USER_DEFAULTS);
    let tenant = tenant_of(idp, &caller);
    let user = match id {
        Some(id) => find(tenant, id),
        None => {
            let own = caller.user().ok_or_else(only_delegated)?;
            Some(find(tenant, own).ok_or_else(|| GraphError::not_found(own))?)
        }
    };
    let own = user.is_some_and(|u| caller.user() == Some(u.object_id.as_str()));
    if !may_read(&caller, properties, own) {
        return Err(GraphError::denied());
    }
    let user = user.ok_or_else(|| GraphError::not_found(id.unwrap_or_default()))?;
    let st = idp.lock();
    let licences = st.graph.licences.tenant(&tenant.id);
    let mut entity = project(
        shapes::user(licences, user),
        select.as_deref(),
        &USER_DEFAULTS,
    );
    let set = context(&idp.graph_base(), "users", select.as_deref());
    entity["@odata.context"] = json!(format!("{set}/$entity"));
    Ok(entity)
}

pub fn tenant_of<'d>(idp: &'d Idp, caller: &Caller) -> &'d Tenant {
    idp.directory
        .tenant(&caller.tenant)
        .expect("callers are of known tenants")
}

/// A person of `tenant` by object id or user principal name.
pub fn find<'t>(tenant: &'t Tenant, id: &str) -> Option<&'t User> {
    tenant
        .users
        .iter()
        .find(|u| u.object_id.eq_ignore_ascii_case(id) || u.upn.eq_ignore_ascii_case(id))
}

pub fn only_delegated() -> GraphError {
    GraphError::bad_request(
        "BadRequest",
        "/me request is only valid with delegated authentication flow.",
    )
}
