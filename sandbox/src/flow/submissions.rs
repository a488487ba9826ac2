//! Template submissions. A template reaches Power Automate's gallery as the export package
//! (.zip) of a Partner Center offer, which Microsoft certifies before it goes live; there is no
//! API that publishes one. The sandbox stands in for the offer's package upload:
//! `POST /_sandbox/template-submissions` with the package as the body checks what can be checked
//! without a reviewer (the package's layout, one flow whose definition the engine runs, only
//! connectors the sandbox has) and keeps the submission in review, as the real process does.
//! `GET` lists the submissions.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};

use super::api::error::ApiError;
use super::{FlowService, runtime};

pub fn routes() -> Router<Arc<FlowService>> {
    Router::new().route(
        "/_sandbox/template-submissions",
        post(submit).get(submissions),
    )
}

fn invalid(why: &str) -> Response {
    ApiError::new(StatusCode::BAD_REQUEST, "InvalidPackage", why).into_response()
}

async fn submit(State(flow): State<Arc<FlowService>>, body: Bytes) -> Response {
    let package = match ::catalog::package::read(&body) {
        Ok(package) => package,
        Err(why) => return invalid(&why),
    };
    if let Err(refused) = runtime::check(&flow, &package.exported) {
        return invalid(&format!("The flow cannot be a template: {}", refused.0));
    }
    let submission = json!({
        "name": uuid::Uuid::new_v4().to_string(),
        "status": "InReview",
        "displayName": package.display_name,
        "description": package.description,
        "definition": package.exported["definition"],
        "connectionReferences": package.exported["connectionReferences"],
    });
    flow.lock().submissions.push(submission.clone());
    (StatusCode::CREATED, Json(submission)).into_response()
}

async fn submissions(State(flow): State<Arc<FlowService>>) -> Json<Value> {
    Json(json!({"value": flow.lock().submissions}))
}
