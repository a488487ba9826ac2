//! Test controls under `/_sandbox/`: keys, clock, lifetimes, token-endpoint faults, forged
//! ID tokens, request counters and reset (Graph's controls are in `graph::control`).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::Idp;
use super::forge::Forge;
use super::keys::Key;
use super::state::{Mutable, Stats, TokenMode};

pub fn routes() -> Router<Arc<Idp>> {
    Router::new()
        .route("/_sandbox/keys/rotate", post(rotate_keys))
        .route("/_sandbox/clock", post(set_clock))
        .route("/_sandbox/lifetimes", post(set_lifetimes))
        .route("/_sandbox/token-endpoint", post(set_token_mode))
        .route("/_sandbox/forge", post(forge_next_id_token))
        .route("/_sandbox/stats", get(stats))
        .route("/_sandbox/reset", post(reset))
}

/// A new key signs from now on; the old ones stay published.
async fn rotate_keys(State(idp): State<Arc<Idp>>) -> Json<Value> {
    let key = tokio::task::spawn_blocking(Key::generate)
        .await
        .expect("key generation does not panic");
    let kid = key.kid.clone();
    idp.lock().keys.push(key);
    Json(json!({ "kid": kid }))
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Clock {
    offset_seconds: i64,
}

/// Ten years: offsets and lifetimes beyond it are refused rather than overflowing dates.
const LIMIT_SECONDS: i64 = 10 * 365 * 24 * 3600;

fn out_of_range(what: &str) -> (StatusCode, Json<Value>) {
    let message = format!("{what} must be within {LIMIT_SECONDS} seconds");
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message })))
}

async fn set_clock(State(idp): State<Arc<Idp>>, Json(clock): Json<Clock>) -> Response {
    if clock.offset_seconds.abs() > LIMIT_SECONDS {
        return out_of_range("offset_seconds").into_response();
    }
    idp.lock().clock_offset = clock.offset_seconds;
    Json(clock).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LifetimesUpdate {
    code_seconds: Option<i64>,
    id_token_seconds: Option<i64>,
    access_token_seconds: Option<i64>,
    refresh_token_seconds: Option<i64>,
}

async fn set_lifetimes(
    State(idp): State<Arc<Idp>>,
    Json(update): Json<LifetimesUpdate>,
) -> Response {
    let values = [
        update.code_seconds,
        update.id_token_seconds,
        update.access_token_seconds,
        update.refresh_token_seconds,
    ];
    if values
        .into_iter()
        .flatten()
        .any(|v| !(0..=LIMIT_SECONDS).contains(&v))
    {
        return out_of_range("lifetimes").into_response();
    }
    let mut st = idp.lock();
    let lifetimes = &mut st.lifetimes;
    let pairs = [
        (&mut lifetimes.code_seconds, update.code_seconds),
        (&mut lifetimes.id_token_seconds, update.id_token_seconds),
        (
            &mut lifetimes.access_token_seconds,
            update.access_token_seconds,
        ),
        (
            &mut lifetimes.refresh_token_seconds,
            update.refresh_token_seconds,
        ),
    ];
    for (field, value) in pairs {
        if let Some(value) = value {
            *field = value;
        }
    }
    Json(st.lifetimes).into_response()
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct TokenEndpoint {
    mode: TokenMode,
}

async fn set_token_mode(
    State(idp): State<Arc<Idp>>,
    Json(body): Json<TokenEndpoint>,
) -> Json<TokenEndpoint> {
    idp.lock().token_mode = body.mode;
    Json(body)
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct ForgeRequest {
    id_token: Forge,
}

/// The next ID token the token endpoint issues is spoiled this way.
async fn forge_next_id_token(
    State(idp): State<Arc<Idp>>,
    Json(body): Json<ForgeRequest>,
) -> Json<ForgeRequest> {
    idp.lock().forge = Some(body.id_token);
    Json(body)
}

async fn stats(State(idp): State<Arc<Idp>>) -> Json<Stats> {
    Json(idp.lock().stats.clone())
}

/// Back to the state at start, with one new key: the fixture's consents, grants and
/// licences too.
async fn reset(State(idp): State<Arc<Idp>>) -> Json<Value> {
    let fresh = {
        let idp = idp.clone();
        tokio::task::spawn_blocking(move || Mutable::new(&idp.directory, &idp.licence_fixture))
            .await
            .expect("key generation does not panic")
    };
    let kid = fresh.signing_key().kid.clone();
    *idp.lock() = fresh;
    Json(json!({ "kid": kid }))
}
