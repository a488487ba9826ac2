//! The marketplace's calls to Flowhost's "Connection webhook", `POST /marketplace/webhook`:
//! the bearer token is checked (`Auth::verify_marketplace_call`), the operation queued by its
//! id, and the call answered at once; the worker reads the operation back from the
//! Fulfillment API before acting on it. A call delivered again changes nothing. The body is
//! read leniently: the marketplace's documented variants differ, and only the operation's id,
//! its subscription and its action are taken from it.

use crate::AppState;
use crate::auth::MarketCallRefusal;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use i18n::t;
use serde_json::{Value, json};

/// The action of a call that names no operation: the subscription is read again.
pub const SYNC: &str = "Sync";

fn answer(status: StatusCode, code: &str, message: String) -> Response {
    (
        status,
        Json(json!({ "error": { "code": code, "message": message } })),
    )
        .into_response()
}

pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = crate::plain_page::lang(&headers);
    let Some(api) = state.market.api.as_ref() else {
        return answer(
            StatusCode::NOT_FOUND,
            "not_found",
            t!(lang, "market-webhook-not-sold"),
        );
    };
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        });
    let Some(raw) = bearer else {
        return answer(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            t!(lang, "market-webhook-no-token"),
        );
    };
    match state
        .auth
        .verify_marketplace_call(raw.trim(), api.client_id())
        .await
    {
        Ok(()) => {}
        Err(MarketCallRefusal::Invalid(why)) => {
            tracing::warn!(reason = %crate::telemetry::bounded(&why), "refused a webhook call that is not the marketplace's");
            return answer(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                t!(lang, "market-webhook-invalid"),
            );
        }
        Err(MarketCallRefusal::Unavailable(why)) => {
            tracing::warn!(reason = %crate::telemetry::bounded(&why), "could not check a webhook call's token");
            return answer(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                t!(lang, "market-webhook-unchecked"),
            );
        }
    }
    let Ok(payload) = serde_json::from_slice::<Value>(&body) else {
        return answer(
            StatusCode::BAD_REQUEST,
            "bad_request",
            t!(lang, "market-webhook-not-json"),
        );
    };
    let text = |name: &str| {
        payload[name]
            .as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let Some(subscription) = text("subscriptionId") else {
        return answer(
            StatusCode::BAD_REQUEST,
            "bad_request",
            t!(lang, "market-webhook-no-subscription"),
        );
    };
    let action = text("action").or(text("operationType")).unwrap_or(SYNC);
    let queued = match text("id") {
        Some(id) => state.db.receive_operation(id, subscription, action).await,
        // A call that names no operation: the subscription is read again.
        None => {
            let id = format!("sync-{subscription}-{}", uuid::Uuid::new_v4());
            state.db.receive_operation(&id, subscription, SYNC).await
        }
    };
    match queued {
        Ok(true) => {
            tracing::info!(action, "queued a marketplace operation");
            state.market.wake.now();
        }
        Ok(false) => tracing::info!(action, "a marketplace operation arrived again; it is known"),
        Err(e) => {
            tracing::error!(error = %e, "database failed while queueing a marketplace operation");
            return answer(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                t!(lang, "market-webhook-unrecorded"),
            );
        }
    }
    StatusCode::OK.into_response()
}
