//! The REST API's one error type: each failure's status, code and message decided here, so
//! handlers return `Result<_, ApiError>` and use `?`. The body is always
//! `{"error": {"code", "message", "details"?}}`: the code is for programs and never changes,
//! the message is in the caller's language (`Accept-Language`), and `details` name the refused
//! fields on 400.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use i18n::{Lang, t};
use serde_json::json;
use std::time::Duration;

#[derive(Debug)]
pub enum ApiError {
    /// No bearer token (401 without an error code, as RFC 6750 asks).
    NoToken,
    /// A token that is not valid for this API (401 `invalid_token`).
    InvalidToken(String),
    /// A valid token without the scope the operation needs (403 `insufficient_scope`).
    InsufficientScope(&'static str),
    /// A valid token from an organisation Flowhost does not admit (403).
    NotAdmitted,
    /// The organisation's subscription is suspended (403).
    Suspended,
    /// The organisation's plan does not include the API and its triggers (403).
    NotInPlan,
    /// No such record for the caller's organisation, or no such address (404).
    NotFound,
    MethodNotAllowed,
    /// Fields refused, each named (400).
    Invalid(FieldErrors),
    /// A body or query that cannot be read at all (400).
    Unreadable(String),
    /// The body is not JSON (415).
    NotJson,
    /// `If-Match` names a version the record is no longer at (412).
    Stale,
    TooLarge(usize),
    TooMany(Duration),
    /// The user holds as many webhook subscriptions as one may (409).
    TooManySubscriptions(i64),
    /// The database or the identity provider cannot answer now (503).
    Unavailable(String),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Unavailable(format!("database: {e}"))
    }
}

impl ApiError {
    /// 400 naming each field in `errors`, if there is one.
    pub fn unless_valid(errors: FieldErrors) -> Result<(), ApiError> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(errors))
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::NoToken | ApiError::InvalidToken(_) => StatusCode::UNAUTHORIZED,
            ApiError::InsufficientScope(_)
            | ApiError::NotAdmitted
            | ApiError::Suspended
            | ApiError::NotInPlan => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Invalid(_) | ApiError::Unreadable(_) => StatusCode::BAD_REQUEST,
            ApiError::NotJson => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Stale => StatusCode::PRECONDITION_FAILED,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::TooManySubscriptions(_) => StatusCode::CONFLICT,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::NoToken => "unauthorized",
            ApiError::InvalidToken(_) => "invalid_token",
            ApiError::InsufficientScope(_) => "insufficient_scope",
            ApiError::NotAdmitted => "tenant_not_admitted",
            ApiError::Suspended => "subscription_suspended",
            ApiError::NotInPlan => "not_in_plan",
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::Invalid(_) => "validation_failed",
            ApiError::Unreadable(_) => "bad_request",
            ApiError::NotJson => "unsupported_media_type",
            ApiError::Stale => "precondition_failed",
            ApiError::TooLarge(_) => "too_large",
            ApiError::TooMany(_) => "too_many_requests",
            ApiError::TooManySubscriptions(_) => "too_many_subscriptions",
            ApiError::Unavailable(_) => "unavailable",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            ApiError::NoToken => t!(lang, "api-no-token"),
            ApiError::InvalidToken(why) => t!(lang, "api-invalid-token", reason = why.as_str()),
            ApiError::InsufficientScope(scope) => {
                t!(lang, "api-insufficient-scope", scope = *scope)
            }
            ApiError::NotAdmitted => t!(lang, "api-not-admitted"),
            ApiError::Suspended => t!(lang, "api-suspended"),
            ApiError::NotInPlan => t!(lang, "api-not-in-plan"),
            ApiError::NotFound => t!(lang, "api-not-found"),
            ApiError::MethodNotAllowed => t!(lang, "api-method-not-allowed"),
            ApiError::Invalid(_) => t!(lang, "api-invalid"),
            ApiError::Unreadable(why) => t!(lang, "api-unreadable", reason = why.as_str()),
            ApiError::NotJson => t!(lang, "api-not-json"),
            ApiError::Stale => t!(lang, "api-stale"),
            ApiError::TooLarge(limit) => t!(
                lang,
                "server-too-large",
                size = crate::plain_page::size(lang, *limit)
            ),
            ApiError::TooMany(wait) => t!(lang, "api-too-many", seconds = seconds(*wait)),
            ApiError::TooManySubscriptions(limit) => {
                t!(lang, "api-too-many-subscriptions", limit = *limit)
            }
            ApiError::Unavailable(_) => t!(lang, "api-unavailable"),
        }
    }

    /// The `WWW-Authenticate` challenge of a 401 or a missing scope.
    fn challenge(&self) -> Option<String> {
        // The scheme, and the protection space this API's tokens are for.
        let realm = format!("{} realm=\"flowhost\"", "Bearer");
        match self {
            ApiError::NoToken => Some(realm),
            ApiError::InvalidToken(why) => Some(format!(
                "{realm}, error=\"invalid_token\", error_description=\"{}\"",
                quoted(why)
            )),
            ApiError::InsufficientScope(scope) => Some(format!(
                "{realm}, error=\"insufficient_scope\", scope=\"{scope}\""
            )),
            _ => None,
        }
    }
}

/// Whole seconds, rounded up: a client that waits this long gets in.
fn seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

/// Text fit for a quoted header parameter: printable ASCII without `"` or `\`.
fn quoted(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .filter(|c| !matches!(c, '"' | '\\'))
        .take(200)
        .collect()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let lang = crate::plain_page::current_lang();
        match &self {
            ApiError::Unavailable(why) => {
                tracing::error!(reason = %crate::telemetry::bounded(why), "the API could not answer")
            }
            ApiError::InvalidToken(why) => {
                tracing::info!(reason = %crate::telemetry::bounded(why), "refused an API token")
            }
            _ => {}
        }
        let mut error = json!({ "code": self.code(), "message": self.message(lang) });
        if let ApiError::Invalid(fields) = &self {
            error["details"] = fields
                .iter()
                .map(|(field, message)| {
                    json!({ "code": "invalid", "target": field, "message": message.show(lang) })
                })
                .collect();
        }
        let mut response = (self.status(), Json(json!({ "error": error }))).into_response();
        let headers = response.headers_mut();
        if let Some(value) = self
            .challenge()
            .and_then(|c| HeaderValue::from_str(&c).ok())
        {
            headers.insert(header::WWW_AUTHENTICATE, value);
        }
        if let ApiError::TooMany(wait) = self {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds(wait)));
        }
        response
    }
}
