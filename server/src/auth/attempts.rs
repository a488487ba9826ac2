//! Sign-in attempts per client address. Each `GET /auth/login` may store a pending sign-in and
//! sends the browser to the identity provider; a client gets a burst of them, then one more
//! each `every`, and past that the designed 429 page with `Retry-After`.

use crate::plain_page::{Action, render_with};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use i18n::{Lang, t};
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Once};
use std::time::Duration;

/// How many sign-in attempts one client address may make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignInLimit {
    /// Attempts at once.
    pub burst: u32,
    /// After the burst, one more attempt each this long.
    pub every: Duration,
}

impl Default for SignInLimit {
    /// Enough for a person who signs in again and again, and for a browser test suite run from
    /// one address.
    fn default() -> Self {
        SignInLimit {
            burst: 30,
            every: Duration::from_secs(1),
        }
    }
}

/// How often addresses whose attempts are all replenished are forgotten.
const FORGET_EVERY: Duration = Duration::from_secs(60);

pub type Attempts = Arc<DefaultKeyedRateLimiter<IpAddr>>;

/// The attempts of every client address, under `limit`. Addresses that have made no attempt
/// for a while are forgotten every minute, for as long as the limiter is in use.
pub fn attempts(limit: SignInLimit) -> Attempts {
    let burst = NonZeroU32::new(limit.burst).unwrap_or(NonZeroU32::MIN);
    let quota = Quota::with_period(limit.every.max(Duration::from_nanos(1)))
        .expect("a period above zero")
        .allow_burst(burst);
    let attempts = Arc::new(RateLimiter::keyed(quota));
    let kept = Arc::downgrade(&attempts);
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(FORGET_EVERY);
        interval.tick().await;
        loop {
            interval.tick().await;
            let Some(attempts) = kept.upgrade() else {
                break;
            };
            attempts.retain_recent();
            attempts.shrink_to_fit();
        }
    });
    attempts
}

/// Counts the request against its client address; refuses it with 429 once that address has
/// no attempt left.
pub async fn limit(State(attempts): State<Attempts>, request: Request, next: Next) -> Response {
    let client = client(&request);
    match attempts.check_key(&client) {
        Ok(()) => next.run(request).await,
        Err(not_until) => {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            // Whole seconds, rounded up: a client that waits this long gets in.
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            // At most one line a second, however many are refused.
            static LOGGED: AtomicU64 = AtomicU64::new(0);
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            if LOGGED.swap(now, Ordering::Relaxed) != now {
                tracing::warn!(%client, "refused sign-in attempts: too many from one address");
            }
            let lang = crate::plain_page::lang(request.headers());
            too_many(lang, seconds.max(1), &again(&request))
        }
    }
}

/// The client's address as the connection shows it; IPv6 clients by their /64, which one
/// client usually holds whole.
fn client(request: &Request) -> IpAddr {
    match request.extensions().get::<ConnectInfo<SocketAddr>>() {
        Some(ConnectInfo(peer)) => network(peer.ip()),
        None => {
            static UNKNOWN: Once = Once::new();
            UNKNOWN.call_once(|| {
                tracing::warn!("requests carry no peer address: sign-in attempts share one limit")
            });
            IpAddr::from([0, 0, 0, 0])
        }
    }
}

fn network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !(u128::MAX >> 64);
                IpAddr::V6(Ipv6Addr::from(prefix))
            }
        },
        v4 => v4,
    }
}

/// The same sign-in, towards the page it was for if Flowhost would go back there.
fn again(request: &Request) -> String {
    let return_to = url::form_urlencoded::parse(request.uri().query().unwrap_or("").as_bytes())
        .find(|(name, _)| name == "return_to")
        .map(|(_, value)| value.into_owned());
    super::login_path(&super::return_to::local_path(return_to.as_deref()))
}

fn too_many(lang: Lang, seconds: u64, again: &str) -> Response {
    let mut response = render_with(
        lang,
        StatusCode::TOO_MANY_REQUESTS,
        &t!(lang, "sign-in-too-many-title"),
        &t!(lang, "sign-in-too-many", seconds = seconds),
        &[Action::new(t!(lang, "server-try-again"), again)],
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_counted_by_their_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(network(a), network(b));
        assert_ne!(network(a), network(other));
        let v4: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(network(v4), v4);
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(network(mapped), v4);
    }

    #[tokio::test]
    async fn the_wait_is_said_in_the_language_with_its_plural() {
        let text = |lang, seconds| async move {
            let body = too_many(lang, seconds, "/auth/login").into_body();
            let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
            String::from_utf8(bytes.to_vec()).unwrap()
        };
        assert!(
            text(Lang::En, 1)
                .await
                .contains("Please wait 1 second, then try again.")
        );
        assert!(
            text(Lang::En, 7)
                .await
                .contains("Please wait 7 seconds, then try again.")
        );
        assert!(
            text(Lang::Nl, 1)
                .await
                .contains("Wacht 1 seconde en probeer het dan opnieuw.")
        );
        assert!(
            text(Lang::Nl, 7)
                .await
                .contains("Wacht 7 seconden en probeer het dan opnieuw.")
        );
    }
}
