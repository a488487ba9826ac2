//! The server's side of confirming widget events: an HTTP client for the Flow service's API
//! (`FLOW_API`), and the limit on the widget events one user may report.

use app::ssr::{EventLimit, FlowAnswer, FlowApi};
use domain::CurrentUser;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// How long a call to the Flow service may take, answer included.
const TIMEOUT: Duration = Duration::from_secs(5);
/// The largest answer read from the Flow service.
const MAX_ANSWER: usize = 256 * 1024;
/// How often users whose events are all replenished are forgotten.
const FORGET_EVERY: Duration = Duration::from_secs(60);

/// `GET`s on the Flow service's API with the user's bearer token.
pub struct FlowService {
    http: reqwest::Client,
}

impl FlowService {
    pub fn new() -> FlowService {
        FlowService {
            http: bearer_client(TIMEOUT),
        }
    }

    async fn fetch(&self, url: &str, token: &str) -> FlowAnswer {
        let mut response = self
            .http
            .get(url)
            .bearer_auth(token)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| without_url(&e))?;
        let status = response.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| without_url(&e))? {
            if body.len() + chunk.len() > MAX_ANSWER {
                return Err("the answer is too large".into());
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, serde_json::from_slice(&body).unwrap_or_default()))
    }
}

impl Default for FlowService {
    fn default() -> Self {
        FlowService::new()
    }
}

/// An HTTP client for calls that carry a bearer token: it follows no redirect (which could
/// carry the token away), and gives up after `timeout`, answer included.
pub fn bearer_client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(timeout)
        .timeout(timeout)
        .build()
        .expect("an HTTP client")
}

/// The error without the URL, which names the flow and run.
fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else {
        "request failed"
    };
    kind.to_owned()
}

impl FlowApi for FlowService {
    fn get<'a>(
        &'a self,
        url: &'a str,
        token: &'a str,
    ) -> Pin<Box<dyn Future<Output = FlowAnswer> + Send + 'a>> {
        Box::pin(self.fetch(url, token))
    }
}

/// How many widget events one user may report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WidgetEventLimit {
    /// Events at once, and per minute after that.
    pub per_minute: u32,
}

impl Default for WidgetEventLimit {
    /// More than a person working with the widgets reports.
    fn default() -> Self {
        WidgetEventLimit { per_minute: 60 }
    }
}

/// The widget events of each user (tenant and object id), under a [`WidgetEventLimit`].
pub struct WidgetEvents {
    limiter: Arc<DefaultKeyedRateLimiter<(String, String)>>,
}

impl WidgetEvents {
    /// Users who reported nothing for a while are forgotten every minute, for as long as the
    /// limiter is in use.
    pub fn new(limit: WidgetEventLimit) -> WidgetEvents {
        let per_minute = NonZeroU32::new(limit.per_minute).unwrap_or(NonZeroU32::MIN);
        let limiter = Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute)));
        let kept = Arc::downgrade(&limiter);
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(FORGET_EVERY);
            interval.tick().await;
            loop {
                interval.tick().await;
                let Some(limiter) = kept.upgrade() else {
                    break;
                };
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
        });
        WidgetEvents { limiter }
    }
}

impl EventLimit for WidgetEvents {
    fn admit(&self, user: &CurrentUser) -> bool {
        let key = (user.tenant_id.as_str().to_owned(), user.object_id.clone());
        self.limiter.check_key(&key).is_ok()
    }
}
