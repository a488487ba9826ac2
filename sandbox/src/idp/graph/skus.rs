//! `GET /subscribedSkus`: the commercial subscriptions the caller's organisation has
//! acquired. Organization.Read.All or Directory.Read.All, delegated or application; `$select`
//! only, no `$filter`.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde_json::{Value, json};

use super::super::Idp;
use super::admit;
use super::errors::{Ctx, GraphError};
use super::query::{Query, context, project};
use super::shapes::{SKU_PROPERTIES, subscribed_sku};

pub async fn list(State(idp): State<Arc<Idp>>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let result = subscribed_skus(&idp, &ctx, &Query::parse(raw.as_deref()));
    ctx.respond(&idp, result)
}

fn subscribed_skus(idp: &Idp, ctx: &Ctx, query: &Query) -> Result<Value, GraphError> {
    let caller = admit(idp, ctx)?;
    if !caller.may(&["Organization.Read.All", "Directory.Read.All"]) {
        return Err(GraphError::denied());
    }
    query.refuse_filter("Filtered searches against this resource are not supported.")?;
    let select = query.select(&SKU_PROPERTIES, "subscribedSku")?;
    let tenant = idp
        .directory
        .tenant(&caller.tenant)
        .expect("callers are of known tenants");
    let st = idp.lock();
    let value: Vec<Value> = st
        .graph
        .licences
        .tenant(&tenant.id)
        .map(|l| l.skus.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|sku| {
            let sku = serde_json::to_value(subscribed_sku(tenant, sku)).expect("serialises");
            project(sku, select.as_deref(), &SKU_PROPERTIES)
        })
        .collect();
    Ok(json!({
        "@odata.context": context(&idp.graph_base(), "subscribedSkus", select.as_deref()),
        "value": value,
    }))
}
