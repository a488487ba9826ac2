//! Delivering the webhook events the outbox holds: each to its subscription's callback, at
//! least once, in order per subscription, with its id for de-duplication. A failed attempt is
//! tried again with growing waits for more than an hour (honouring `429` and `Retry-After`),
//! then kept as failed; a callback that answers `404` or `410` ends its subscription.
//!
//! Every instance runs a worker. It wakes when this instance wrote an event, and otherwise
//! looks for due deliveries every [`POLL`]; claims hold for [`LEASE`], so deliveries a stopped
//! instance claimed are taken up again after it.

use domain::TenantId;
use domain::db::Db;
use domain::hook::{Due, retry_after};
use domain::plan::{Access, Feature, Plans};
use reqwest::StatusCode;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{Notify, Semaphore};

/// How often a worker looks for due deliveries when nothing woke it.
const POLL: Duration = Duration::from_millis(500);
/// How long a claimed delivery is this worker's; longer than one attempt may take.
const LEASE: Duration = Duration::from_secs(30);
/// Deliveries in flight at once, per instance.
const IN_FLIGHT: usize = 32;
/// Events nobody waits for any more are forgotten after this long, checked hourly.
const KEEP_EVENTS: Duration = Duration::from_secs(7 * 24 * 3600);

/// How long deliveries wait: for a callback's answer, after a failure, and while their
/// organisation's subscription is suspended. Not settings: tests shorten them.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    pub callback_timeout: Duration,
    /// The first wait after a failure; each next one doubles.
    pub retry_base: Duration,
    /// How long a held delivery waits before its organisation's standing is looked at again.
    pub held_wait: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            callback_timeout: Duration::from_secs(10),
            retry_base: domain::hook::RETRY_BASE,
            held_wait: Duration::from_secs(60),
        }
    }
}

/// Wakes this instance's worker after an event was written.
#[derive(Clone, Default)]
pub struct Wake(Arc<Notify>);

impl Wake {
    pub fn now(&self) {
        self.0.notify_one();
    }

    /// Until woken, or `poll` has passed.
    pub async fn wait(&self, poll: Duration) {
        tokio::select! {
            () = self.0.notified() => {}
            () = tokio::time::sleep(poll) => {}
        }
    }
}

/// Starts the worker on `db` for as long as the process runs.
pub fn start(db: Db, timing: Timing, plans: Arc<Plans>) -> Wake {
    let wake = Wake::default();
    let http = reqwest::Client::builder()
        // A callback's redirect is not followed: the address was checked when it subscribed.
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .timeout(timing.callback_timeout)
        .build()
        .expect("an HTTP client");
    tokio::spawn(work(db, http, wake.clone(), timing, plans));
    wake
}

async fn work(db: Db, http: reqwest::Client, wake: Wake, timing: Timing, plans: Arc<Plans>) {
    let base = timing.retry_base;
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut pruned = Instant::now();
    loop {
        let free = slots.available_permits();
        let claimed = if free == 0 {
            Vec::new()
        } else {
            match db.claim_deliveries(LEASE, free as i64).await {
                Ok(claimed) => claimed,
                Err(e) => {
                    tracing::warn!(error = %e, "could not look for webhook deliveries");
                    Vec::new()
                }
            }
        };
        if claimed.is_empty() {
            wake.wait(POLL).await;
        }
        for due in claimed {
            let Ok(permit) = slots.clone().acquire_owned().await else {
                return;
            };
            let (db, http, wake, plans) = (db.clone(), http.clone(), wake.clone(), plans.clone());
            tokio::spawn(async move {
                let recorded = match held(&db, &plans, &due).await {
                    None => {
                        deliver(&db, &http, due, base).await;
                        Ok(())
                    }
                    Some(Held::Waits(why)) => db.hold(&due, timing.held_wait, why).await,
                    Some(Held::Refused(why)) => failed(&db, &due, base, (None, why), None).await,
                };
                if let Err(e) = recorded {
                    tracing::warn!(error = %e, "could not record a held webhook delivery");
                }
                drop(permit);
                // The subscription's next event may be due now.
                wake.now();
            });
        }
        if pruned.elapsed() > Duration::from_secs(3600) {
            pruned = Instant::now();
            let before = time::OffsetDateTime::now_utc() - KEEP_EVENTS;
            if let Err(e) = db.prune_events(before).await {
                tracing::warn!(error = %e, "could not forget old webhook events");
            }
        }
    }
}

/// Why an organisation's event is not delivered now.
enum Held {
    /// Its subscription is suspended: the event waits, without using up its attempts, and goes
    /// once the subscription is reinstated.
    Waits(&'static str),
    /// Its subscription ended, or its plan does not include the connector's triggers: the
    /// attempt fails as an unreachable callback's would.
    Refused(&'static str),
}

/// Whether the organisation's events are held, and why.
async fn held(db: &Db, plans: &Plans, due: &Due) -> Option<Held> {
    let tenant = TenantId::parse(&due.tenant_id).ok()?;
    match db.standing(&tenant).await {
        Ok(None) => None,
        Ok(Some(standing)) => match standing.access {
            Access::Suspended => Some(Held::Waits("the organisation's subscription is suspended")),
            Access::Ended => Some(Held::Refused("the organisation's subscription ended")),
            _ if !standing.has(plans, Feature::Connector) => Some(Held::Refused(
                "the organisation's plan does not include the connector's triggers",
            )),
            _ => None,
        },
        Err(_) => Some(Held::Waits(
            "the database could not say whether the organisation may have it",
        )),
    }
}

/// The event's JSON object with its id and kind.
fn body(due: &Due) -> String {
    let mut object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&due.payload).unwrap_or_default();
    object.insert("eventId".into(), due.event_id.to_string().into());
    object.insert("eventType".into(), due.event.clone().into());
    serde_json::Value::Object(object).to_string()
}

async fn deliver(db: &Db, http: &reqwest::Client, due: Due, base: Duration) {
    let sent = http
        .post(&due.callback_url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("x-flowhost-event-id", due.event_id.to_string())
        .header("x-flowhost-event", &due.event)
        .body(body(&due))
        .send()
        .await;
    let recorded = match sent {
        Ok(answer) if answer.status().is_success() => {
            db.delivered(&due, answer.status().as_u16()).await
        }
        Ok(answer) if matches!(answer.status(), StatusCode::NOT_FOUND | StatusCode::GONE) => {
            tracing::info!(subscription = due.subscription_id, status = %answer.status(), "a webhook callback is gone; its subscription ends");
            db.drop_subscription(due.subscription_id).await
        }
        Ok(answer) => {
            let status = answer.status();
            let asked = (status == StatusCode::TOO_MANY_REQUESTS)
                .then(|| retry_after_header(&answer))
                .flatten();
            let why = format!("HTTP {status}");
            failed(db, &due, base, (Some(status.as_u16()), &why), asked).await
        }
        Err(e) => {
            let why = if e.is_timeout() {
                "no answer in time".to_owned()
            } else {
                format!("could not send: {e}")
            };
            failed(db, &due, base, (None, &why), None).await
        }
    };
    if let Err(e) = recorded {
        // The lease ends and the delivery is tried again: at least once.
        tracing::warn!(error = %e, subscription = due.subscription_id, event = due.event_id, "could not record a webhook delivery");
    }
}

/// A failed attempt: tried again after the backoff (or as long as the callback asked, if
/// longer), or kept as failed after the last one.
async fn failed(
    db: &Db,
    due: &Due,
    base: Duration,
    (status, why): (Option<u16>, &str),
    asked: Option<Duration>,
) -> Result<(), domain::db::DbError> {
    match retry_after(due.attempt, base) {
        Some(wait) => {
            let wait = asked.map_or(wait, |asked| asked.max(wait));
            db.retry_later(due, wait, status, why).await
        }
        None => {
            tracing::warn!(subscription = due.subscription_id, event = due.event_id, reason = %why, "a webhook delivery failed for the last time");
            db.gave_up(due, status, why).await
        }
    }
}

/// `Retry-After` in seconds (the HTTP-date form is not used by the callbacks Flowhost calls).
fn retry_after_header(answer: &reqwest::Response) -> Option<Duration> {
    let seconds: u64 = answer
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds.min(3600)))
}
