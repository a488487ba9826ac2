//! The template gallery: searching it and reading one template.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

use super::ENV;
use super::auth::in_environment;
use super::connections::FLOWHOST_API;
use super::error::{ApiError, ApiResult, ok};
use crate::flow::FlowService;
use crate::flow::catalog::{MAKER, Template};
use crate::flow::token::Caller;
use std::collections::BTreeMap;

pub(super) fn routes() -> Router<Arc<FlowService>> {
    Router::new()
        .route(&format!("{ENV}/templates"), get(templates))
        .route(&format!("{ENV}/templates/{{template}}"), get(template))
}

/// A template as the gallery shows it to `caller`: its parameters' defaults filled in, and the
/// connectors its flow needs a signed-in connection to.
fn template_json(t: &Template, caller: &Caller) -> Value {
    let defaults: BTreeMap<&String, String> = t
        .defaults
        .iter()
        .map(|(k, v)| {
            (
                k,
                if v == MAKER {
                    caller.upn.clone()
                } else {
                    v.clone()
                },
            )
        })
        .collect();
    let connections: Vec<&str> = t
        .flow()
        .filter(|f| f["connectionReferences"].get(FLOWHOST_API).is_some())
        .map(|_| FLOWHOST_API)
        .into_iter()
        .collect();
    json!({
        "name": t.name,
        "properties": {
            "displayName": t.display_name,
            "description": t.description,
            "category": t.category,
            "trigger": t.trigger,
            "parameters": t.parameters,
            "defaults": defaults,
            "connections": connections,
            "operations": t.operations,
        }
    })
}

#[derive(Deserialize)]
struct TemplateQuery {
    q: Option<String>,
    category: Option<String>,
    top: Option<usize>,
}

async fn templates(
    State(flow): State<Arc<FlowService>>,
    Path(env): Path<String>,
    Query(query): Query<TemplateQuery>,
    headers: HeaderMap,
) -> ApiResult {
    let (caller, _) = in_environment(&flow, &headers, &env)?;
    let category = query.category.as_deref().filter(|c| !c.is_empty());
    let found = flow
        .catalog
        .search(query.q.as_deref().unwrap_or(""), category);
    let total = found.len();
    let value: Vec<Value> = found
        .into_iter()
        .take(query.top.unwrap_or(usize::MAX))
        .map(|t| template_json(t, &caller))
        .collect();
    ok(json!({ "value": value, "total": total }))
}

async fn template(
    State(flow): State<Arc<FlowService>>,
    Path((env, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let (caller, _) = in_environment(&flow, &headers, &env)?;
    let template = flow.catalog.template(&name).ok_or_else(|| {
        ApiError::not_found(
            "TemplateNotFound",
            &format!("The template '{name}' was not found."),
        )
    })?;
    ok(template_json(template, &caller))
}
