//! A stand-in for Power Automate's side of webhook triggers: callback addresses that record
//! what Flowhost posts to them and answer as a test tells them to.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How a callback answers.
#[derive(Clone, Copy, Debug)]
pub enum Answer {
    Ok,
    Status(u16),
    /// 429 with `Retry-After` in seconds.
    Busy(u64),
    /// No answer for this long.
    Hang(Duration),
}

/// One post a callback received, and what it answered.
#[derive(Clone, Debug)]
pub struct Received {
    pub body: serde_json::Value,
    pub event_id: String,
    pub answered: u16,
}

#[derive(Default)]
struct Inner {
    received: HashMap<String, Vec<Received>>,
    /// Answers to give next, per callback name; then `Ok`.
    script: HashMap<String, Vec<Answer>>,
}

#[derive(Clone)]
pub struct Callbacks {
    pub base: String,
    inner: Arc<Mutex<Inner>>,
}

impl Callbacks {
    pub async fn start() -> Callbacks {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = Router::new()
            .route("/callback/{name}", post(receive))
            .route("/callback/{name}/{*rest}", post(receive))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Callbacks { base, inner }
    }

    /// The address of the callback `name` (any path below it reaches it too).
    pub fn url(&self, name: &str) -> String {
        format!("{}/callback/{name}", self.base)
    }

    /// The callback `name` gives these answers next, in order.
    pub fn script(&self, name: &str, answers: &[Answer]) {
        self.inner
            .lock()
            .unwrap()
            .script
            .insert(name.to_owned(), answers.to_vec());
    }

    pub fn received(&self, name: &str) -> Vec<Received> {
        self.inner
            .lock()
            .unwrap()
            .received
            .get(name)
            .cloned()
            .unwrap_or_default()
    }

    /// The posts `name` took (answered 2xx), once `count` of them arrived (or after `within`).
    /// A post it hung on counts as not taken, though its answer came after Flowhost gave up.
    pub async fn taken(&self, name: &str, count: usize, within: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let taken: Vec<Received> = self
                .received(name)
                .into_iter()
                .filter(|r| (200..300).contains(&r.answered))
                .collect();
            if taken.len() >= count || tokio::time::Instant::now() > deadline {
                return taken;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

async fn receive(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path(params): Path<HashMap<String, String>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let name = params["name"].clone();
    let answer = {
        let mut inner = inner.lock().unwrap();
        let script = inner.script.entry(name.clone()).or_default();
        if script.is_empty() {
            Answer::Ok
        } else {
            script.remove(0)
        }
    };
    let event_id = headers
        .get("x-flowhost-event-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let record = |answered: u16| Received {
        body: serde_json::from_str(&body).unwrap_or_default(),
        event_id: event_id.clone(),
        answered,
    };
    let push = |answered| {
        let mut inner = inner.lock().unwrap();
        inner
            .received
            .entry(name.clone())
            .or_default()
            .push(record(answered));
    };
    match answer {
        Answer::Ok => {
            push(200);
            StatusCode::OK.into_response()
        }
        Answer::Status(code) => {
            push(code);
            StatusCode::from_u16(code).unwrap().into_response()
        }
        Answer::Busy(seconds) => {
            push(429);
            (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", seconds.to_string())],
            )
                .into_response()
        }
        Answer::Hang(wait) => {
            push(0);
            tokio::time::sleep(wait).await;
            StatusCode::OK.into_response()
        }
    }
}
