//! Webhook triggers: Power Automate subscribes a flow's callback when the flow is saved
//! (`201` with the hook's address in `Location`), and sends `DELETE` to that address when the
//! trigger changes or the flow is deleted. What the callback then receives is each event's
//! record as JSON, with `eventId` and `eventType`.

use super::caller::Caller;
use super::error::ApiError;
use super::extract::{JsonBody, not_null};
use super::{ApiState, Operation, record_id};
use crate::auth::READ_SCOPE;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::db::{NewSubscription, Subscribed};
use domain::hook::{HookEvent, SUBSCRIPTIONS_PER_USER};
use domain::{AccountId, FieldErrors};
use i18n::Msg;
use serde::Deserialize;
use serde_json::json;

/// The longest callback address taken.
const URL_MAX: usize = 2_000;

pub fn operations() -> Vec<Operation> {
    vec![
        Operation::new(
            Method::POST,
            "/hooks/ticket-created",
            "OnTicketCreated",
            |s: State<ApiState>, c: Caller, b: JsonBody<HookBody>| {
                subscribe(s, c, b, HookEvent::TicketCreated)
            },
        ),
        Operation::new(
            Method::POST,
            "/hooks/ticket-status-changed",
            "OnTicketStatusChanged",
            |s: State<ApiState>, c: Caller, b: JsonBody<HookBody>| {
                subscribe(s, c, b, HookEvent::TicketStatusChanged)
            },
        ),
        Operation::new(
            Method::POST,
            "/hooks/comment-added",
            "OnCommentAdded",
            |s: State<ApiState>, c: Caller, b: JsonBody<HookBody>| {
                subscribe(s, c, b, HookEvent::CommentAdded)
            },
        ),
        Operation::new(Method::DELETE, "/hooks/{hookId}", "DeleteHook", delete),
    ]
}

/// A subscribe as Power Automate posts it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HookBody {
    #[serde(default)]
    callback_url: String,
    #[serde(default, deserialize_with = "not_null")]
    account_id: Option<i64>,
}

async fn subscribe(
    State(state): State<ApiState>,
    caller: Caller,
    JsonBody(body): JsonBody<HookBody>,
    event: HookEvent,
) -> Result<Response, ApiError> {
    caller.require(READ_SCOPE)?;
    let mut errors = FieldErrors::default();
    let callback = callback_url(&mut errors, &body.callback_url);
    ApiError::unless_valid(errors)?;
    let new = NewSubscription {
        owner_object_id: &caller.0.object_id,
        owner_name: &caller.0.name,
        event,
        account: body.account_id.map(AccountId),
        callback_url: callback.as_str(),
    };
    let id = match caller
        .scope(&state)
        .subscribe(&new, SUBSCRIPTIONS_PER_USER)
        .await?
    {
        Subscribed::Made(id) => id,
        Subscribed::TooMany => return Err(ApiError::TooManySubscriptions(SUBSCRIPTIONS_PER_USER)),
        Subscribed::NoSuchAccount => return Err(ApiError::NotFound),
    };
    tracing::info!(subscription = id, event = event.as_str(), tenant = %caller.0.tenant, user = %caller.0.object_id, "a flow subscribed to events");
    // Power Automate sends DELETE to exactly this address: absolute, under PUBLIC_URL.
    let location = state
        .public_url
        .join(&format!("{}/hooks/{id}", super::PREFIX))
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    let mut body = json!({ "id": id, "event": event.as_str() });
    if let Some(account) = new.account {
        body["accountId"] = json!(account.0);
    }
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(location.as_str()) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

/// The callback address, if it is https (or plain http to this machine, as in demo mode).
fn callback_url(errors: &mut FieldErrors, raw: &str) -> url::Url {
    let refuse = |errors: &mut FieldErrors| {
        errors.add(
            "callbackUrl",
            Msg::new("api-callback-url").with("field", "callbackUrl"),
        );
        url::Url::parse("https://invalid.example/").expect("a URL")
    };
    if raw.trim().is_empty() || raw.len() > URL_MAX {
        return refuse(errors);
    }
    let Ok(url) = url::Url::parse(raw.trim()) else {
        return refuse(errors);
    };
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    let allowed = url.host().is_some()
        && url.username().is_empty()
        && url.password().is_none()
        && (url.scheme() == "https" || (url.scheme() == "http" && loopback));
    if allowed { url } else { refuse(errors) }
}

async fn delete(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require(READ_SCOPE)?;
    let id = record_id(&id)?;
    // Only the connection that subscribed removes it: another user's id is as a missing one.
    if caller
        .scope(&state)
        .unsubscribe(id, Some(&caller.0.object_id))
        .await?
    {
        tracing::info!(subscription = id, tenant = %caller.0.tenant, "a flow unsubscribed");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taken(raw: &str) -> bool {
        let mut errors = FieldErrors::default();
        callback_url(&mut errors, raw);
        errors.is_empty()
    }

    #[test]
    fn callbacks_are_https_or_http_on_this_machine() {
        assert!(taken(
            "https://prod-27.westeurope.logic.azure.com/workflows/1/triggers/manual/paths/invoke?sig=x"
        ));
        assert!(taken("http://127.0.0.1:3200/callback"));
        assert!(taken("http://localhost:3200/callback"));
        assert!(taken("http://[::1]:3200/callback"));
        assert!(!taken("http://flows.example/callback"));
        assert!(!taken("ftp://flows.example/callback"));
        assert!(!taken("https://user:pass@flows.example/"));
        assert!(!taken("not a url"));
        assert!(!taken(""));
    }
}
