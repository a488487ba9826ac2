//! Microsoft Graph's response envelope: every answer carries `request-id` and
//! `client-request-id` (the caller's own when it sent one), and an error is
//! `{"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}`.

use std::convert::Infallible;

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;
use time::macros::format_description;

use super::super::Idp;

/// Graph's own application id, which a 401 names as the resource to get a token for.
const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";
/// The content type of Graph's JSON answers.
const ODATA_JSON: &str = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Seconds, for a throttled request's `Retry-After`.
    pub retry_after: Option<u64>,
}

impl GraphError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> GraphError {
        GraphError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn unauthenticated(message: &str) -> GraphError {
        GraphError::new(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
        )
    }

    /// The token lacks every permission that would allow the call.
    pub fn denied() -> GraphError {
        GraphError::new(
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        )
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> GraphError {
        GraphError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn not_found(id: &str) -> GraphError {
        GraphError::new(
            StatusCode::NOT_FOUND,
            "Request_ResourceNotFound",
            format!(
                "Resource '{id}' does not exist or one of its queried reference-property objects are not present."
            ),
        )
    }

    /// The service is out of order for a while.
    pub fn unavailable() -> GraphError {
        GraphError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "serviceNotAvailable",
            "The service is currently unavailable. Please try again later.",
        )
    }

    pub fn throttled(retry_after: u64) -> GraphError {
        GraphError {
            retry_after: Some(retry_after),
            ..GraphError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                "Please retry again later.",
            )
        }
    }
}

/// The ids one request is answered under.
pub struct Ctx {
    pub request_id: String,
    pub client_request_id: String,
    pub headers: HeaderMap,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Ctx, Infallible> {
        let request_id = uuid::Uuid::new_v4().to_string();
        let client_request_id = parts
            .headers
            .get("client-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map_or_else(|| request_id.clone(), str::to_owned);
        Ok(Ctx {
            request_id,
            client_request_id,
            headers: parts.headers.clone(),
        })
    }
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: Body<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    code: &'a str,
    message: &'a str,
    inner_error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    date: String,
    #[serde(rename = "request-id")]
    request_id: &'a str,
    #[serde(rename = "client-request-id")]
    client_request_id: &'a str,
}

impl Ctx {
    /// The `Authorization` header, if any.
    pub fn authorization(&self) -> Option<&str> {
        self.headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
    }

    /// `body` as a 200 answer, or the error.
    pub fn respond(&self, idp: &Idp, result: Result<Value, GraphError>) -> Response {
        let mut response = match result {
            Ok(body) => {
                let mut response = Json(body).into_response();
                response
                    .headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static(ODATA_JSON));
                response.headers_mut().insert(
                    HeaderName::from_static("odata-version"),
                    HeaderValue::from_static("4.0"),
                );
                response
            }
            Err(error) => self.error(idp, &error),
        };
        let headers = response.headers_mut();
        for (name, value) in [
            ("request-id", &self.request_id),
            ("client-request-id", &self.client_request_id),
        ] {
            if let Ok(value) = HeaderValue::from_str(value) {
                headers.insert(HeaderName::from_static(name), value);
            }
        }
        response
    }

    fn error(&self, idp: &Idp, error: &GraphError) -> Response {
        let body = Envelope {
            error: Body {
                code: error.code,
                message: &error.message,
                inner_error: Inner {
                    date: date(idp.now()),
                    request_id: &self.request_id,
                    client_request_id: &self.client_request_id,
                },
            },
        };
        let mut response = (error.status, Json(body)).into_response();
        let headers = response.headers_mut();
        if let Some(seconds) = error.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if error.status == StatusCode::UNAUTHORIZED {
            let challenge = format!(
                "Bearer realm=\"\", authorization_uri=\"{}/common/oauth2/authorize\", client_id=\"{GRAPH_APP_ID}\"",
                idp.origin
            );
            if let Ok(value) = HeaderValue::from_str(&challenge) {
                headers.insert(header::WWW_AUTHENTICATE, value);
            }
        }
        response
    }
}

/// The time as `innerError.date` gives it: UTC, to the second, without an offset.
fn date(now: OffsetDateTime) -> String {
    now.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]"
    ))
    .expect("UTC times format")
}

/// An instant as Graph's DateTimeOffset properties give it: `2025-02-03T09:15:00Z`.
pub fn timestamp(at: OffsetDateTime) -> String {
    at.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .expect("UTC times format")
}
