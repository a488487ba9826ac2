//! Structured logs: one span per request, carrying the request id that the response returns in
//! `x-request-id`. Only the path is logged, never the query string (it can carry codes later).
//! A value that comes from outside (a path, a request id, what a client or the identity
//! provider sent) is logged through [`bounded`].

use axum::Router;
use axum::http::{HeaderName, Request};
use std::fmt;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The most characters of one outside value that go into the log.
pub const MAX_LOGGED_CHARS: usize = 200;

pub fn init(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}

/// `value` as it may go into a log line: at most [`MAX_LOGGED_CHARS`] characters, then how
/// many more there were, with control characters (newlines, escapes) and line separators
/// escaped, so one value cannot forge or flood log lines.
pub fn bounded(value: &str) -> Bounded<'_> {
    Bounded(value)
}

/// See [`bounded`].
pub struct Bounded<'a>(&'a str);

impl fmt::Display for Bounded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut chars = self.0.chars();
        for c in chars.by_ref().take(MAX_LOGGED_CHARS) {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                write!(f, "{}", c.escape_default())?;
            } else {
                f.write_str(c.encode_utf8(&mut [0; 4]))?;
            }
        }
        let rest = chars.count();
        if rest > 0 {
            write!(f, "…({rest} more characters)")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Bounded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

pub fn layer(app: Router) -> Router {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &Request<_>| {
            let id = request
                .headers()
                .get(&REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            tracing::info_span!(
                "request",
                method = %request.method(),
                path = %bounded(request.uri().path()),
                request_id = %bounded(id)
            )
        })
        .on_response(DefaultOnResponse::new().level(Level::INFO));
    app.layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(trace)
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_logged_value_is_cut_to_its_bound_and_cannot_break_the_line() {
        let forged = "evil\r\n2030-01-01T00:00:00Z INFO signed in\u{1b}[2J\u{2028}";
        let shown = bounded(forged).to_string();
        assert!(
            !shown.contains(['\n', '\r', '\u{1b}', '\u{2028}']),
            "{shown}"
        );
        assert_eq!(
            shown,
            "evil\\r\\n2030-01-01T00:00:00Z INFO signed in\\u{1b}[2J\\u{2028}"
        );

        let huge = "é".repeat(2 * 1024 * 1024);
        let shown = bounded(&huge).to_string();
        assert!(shown.starts_with(&"é".repeat(MAX_LOGGED_CHARS)));
        assert!(shown.ends_with(&format!(
            "…({} more characters)",
            huge.chars().count() - 200
        )));
        assert!(shown.chars().count() < MAX_LOGGED_CHARS + 40);

        assert_eq!(bounded("/accounts/7").to_string(), "/accounts/7");
        assert_eq!(format!("{:?}", bounded("a\nb")), "\"a\\nb\"");
    }
}
