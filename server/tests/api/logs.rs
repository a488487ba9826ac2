//! What goes into the log: values from outside bounded and escaped.

use crate::support::*;
use app::widgets::GetFlowToken;
use reqwest::StatusCode;
use std::io;
use std::sync::{Arc, Mutex};
use tracing::subscriber::DefaultGuard;

/// Log lines written while a [`capture`] guard lives, on this thread: a `#[tokio::test]` runs
/// the server it starts on the test's own thread.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Captured {
    pub fn lines(&self) -> Vec<String> {
        String::from_utf8_lossy(&self.0.lock().unwrap())
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

/// Captures the log of this thread, as `flowhost` writes it, until the guard is dropped.
pub fn capture() -> (Captured, DefaultGuard) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_target(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

#[tokio::test]
async fn a_requested_resource_is_logged_bounded_and_on_one_line() {
    let (log, _guard) = capture();
    let app = spawn().await;
    let alex = app.browser_with(&app.sign_in(ALEX).await);
    let forged = format!(
        "https://evil.example/\n2030-01-01T00:00:00Z INFO signed in as admin{}",
        "x".repeat(50 * 1024)
    );
    let (status, answer) = alex.call::<GetFlowToken>(&[("resource", &forged)]).await;
    assert_eq!(
        (status, answer),
        (StatusCode::OK, serde_json::json!("NotAllowed"))
    );

    let lines = log.lines();
    let line = lines
        .iter()
        .find(|l| l.contains("asked for a token to another resource"))
        .expect("the refusal is logged");
    assert!(
        line.contains("https://evil.example/\\n2030-01-01T00:00:00Z INFO signed in as admin"),
        "{line}"
    );
    assert!(line.len() < 1000, "{} characters", line.len());
    assert!(
        !lines.iter().any(|l| l.starts_with("2030-01-01")),
        "no forged line"
    );
}

#[tokio::test]
async fn a_requested_path_is_logged_bounded() {
    let (log, _guard) = capture();
    let app = spawn().await;
    let path = format!("/{}", "p".repeat(20 * 1024));
    let response = reqwest::Client::new()
        .post(format!("{}{path}", app.base))
        .header(reqwest::header::ORIGIN, "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let lines = log.lines();
    let line = lines
        .iter()
        .find(|l| l.contains("refused a cross-site request"))
        .expect("the refusal is logged");
    assert!(line.len() < 1000, "{} characters", line.len());
}

#[tokio::test]
async fn an_identity_providers_error_description_is_logged_bounded_and_on_one_line() {
    let (log, _guard) = capture();
    let app = spawn().await;
    let browser = app.browser();
    let authorize = url::Url::parse(&browser.start_sign_in("/accounts").await).unwrap();
    let state = authorize
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let description = format!(
        "AADSTS90000: down\r\n2030-01-01T00:00:00Z  INFO signed in{}",
        "y".repeat(20 * 1024)
    );
    let callback = url::Url::parse_with_params(
        &format!("{}/auth/callback", app.base),
        [
            ("state", state.as_str()),
            ("error", "server_error"),
            ("error_description", &description),
        ],
    )
    .unwrap();
    let response = browser.get(callback.as_str()).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);

    let lines = log.lines();
    let line = lines
        .iter()
        .find(|l| l.contains("identity provider unavailable"))
        .expect("the failure is logged");
    assert!(
        line.contains("AADSTS90000: down\\r\\n2030-01-01T00:00:00Z  INFO signed in"),
        "{line}"
    );
    assert!(line.len() < 1000, "{} characters", line.len());
    assert!(
        !lines.iter().any(|l| l.starts_with("2030-01-01")),
        "no forged line"
    );
}
