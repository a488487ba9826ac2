//! Power Automate access tokens for the widgets: minted server-side from the session's refresh
//! token, cached per session (and its user) and resource while more than five minutes remain,
//! and handed to the page only when a widget asks (`GET_ACCESS_TOKEN`). The refresh token never
//! leaves the server. Sign-out drops the session's cached tokens; a token a refresh still in
//! flight mints after that is cached under the ended session's id, which no request can present
//! again.

use super::provider::RefreshError;
use super::{Auth, REFRESH_TOKEN_KEY, owner};
use app::ssr::TokenBroker;
use app::widgets::TokenAnswer;
use domain::CurrentUser;
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tower_sessions::Session;
use tower_sessions::session::Id;

/// A cached token is handed out only while it has more than this left.
const MIN_REMAINING: Duration = Duration::from_secs(5 * 60);
/// Entries beyond this many make the cache drop expired ones first.
const PRUNE_ABOVE: usize = 10_000;

/// A minted token and when it runs out.
#[derive(Clone)]
pub(super) struct Cached {
    pub token: String,
    expires: Instant,
    /// Unix seconds, for the page.
    pub expires_on: i64,
}

impl Cached {
    /// `token`, valid for `lifetime` from now.
    pub fn new(token: String, lifetime: Duration) -> Cached {
        let unix_now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs() as i64;
        Cached {
            token,
            expires: Instant::now() + lifetime,
            expires_on: unix_now + lifetime.as_secs() as i64,
        }
    }

    /// Whether it is handed out still: more than [`MIN_REMAINING`] is left.
    pub fn usable(&self) -> bool {
        self.expires > Instant::now() + MIN_REMAINING
    }
}

/// One slot per token: requests for the same token wait for one mint, others do not wait.
type Slot = Arc<tokio::sync::Mutex<Option<Cached>>>;

/// The slots, by what names a token.
pub(super) struct Slots<K>(Mutex<HashMap<K, Slot>>);

impl<K> Default for Slots<K> {
    fn default() -> Self {
        Slots(Mutex::new(HashMap::new()))
    }
}

impl<K: Eq + Hash> Slots<K> {
    /// The slot of `key`. Past [`PRUNE_ABOVE`] slots, expired ones are dropped first.
    pub fn of(&self, key: K) -> Slot {
        let mut slots = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if slots.len() > PRUNE_ABOVE {
            slots.retain(|_, slot| {
                slot.try_lock()
                    .map(|c| c.as_ref().is_some_and(|c| c.expires > Instant::now()))
                    .unwrap_or(true)
            });
        }
        slots.entry(key).or_default().clone()
    }

    /// Drops the slots whose key `keep` refuses.
    pub(super) fn retain(&self, keep: impl Fn(&K) -> bool) {
        let mut slots = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        slots.retain(|key, _| keep(key));
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct SlotKey {
    session: Id,
    owner: String,
    resource: String,
}

pub struct FlowTokens {
    auth: Arc<Auth>,
    /// The resources widgets may have tokens for (the Flow service), with and without the
    /// trailing slash; any other resource is refused.
    resources: Vec<String>,
    slots: Slots<SlotKey>,
}

impl FlowTokens {
    pub fn new(auth: Arc<Auth>, flow_resource: &str) -> FlowTokens {
        let bare = flow_resource.trim_end_matches('/');
        FlowTokens {
            auth,
            resources: vec![format!("{bare}/"), bare.to_owned()],
            slots: Slots::default(),
        }
    }

    /// The resource as configured, if `requested` names it (empty: the Flow service).
    fn allowed(&self, requested: &str) -> Option<&str> {
        if requested.trim().is_empty() {
            return Some(&self.resources[0]);
        }
        self.resources
            .iter()
            .any(|r| r.eq_ignore_ascii_case(requested.trim()))
            .then_some(&self.resources[0])
    }

    /// Drops every token cached for the session `id`.
    pub fn forget(&self, id: Id) {
        self.slots.retain(|key| key.session != id);
    }

    pub async fn token(
        &self,
        session: &Session,
        user: &CurrentUser,
        requested: &str,
    ) -> TokenAnswer {
        let Some(resource) = self.allowed(requested) else {
            tracing::warn!(resource = %crate::telemetry::bounded(requested), "a widget asked for a token to another resource");
            return TokenAnswer::NotAllowed;
        };
        self.delegated(session, user, resource).await
    }

    /// A token for `resource` (as Azure AD names it), for the server's own calls on the user's
    /// behalf; never handed to the page.
    pub async fn delegated(
        &self,
        session: &Session,
        user: &CurrentUser,
        resource: &str,
    ) -> TokenAnswer {
        // A signed-in session was loaded from the store, so it has an id.
        let Some(id) = session.id() else {
            return TokenAnswer::Reconnect;
        };
        let slot = self.slots.of(SlotKey {
            session: id,
            owner: owner(user),
            resource: resource.to_owned(),
        });
        let mut cached = slot.lock().await;
        if let Some(c) = cached.as_ref().filter(|c| c.usable()) {
            return TokenAnswer::Token {
                token: c.token.clone(),
                expires_on: c.expires_on,
            };
        }
        let key = &self.auth.app().token_key;
        let refresh_token = match session.get::<String>(REFRESH_TOKEN_KEY).await {
            Ok(Some(sealed)) => match key.open(&sealed, &owner(user)) {
                Ok(token) => token,
                // Sealed with another key (TOKEN_ENCRYPTION_KEY changed): sign in again.
                Err(_) => return TokenAnswer::Reconnect,
            },
            Ok(None) => return TokenAnswer::Reconnect,
            Err(e) => {
                tracing::error!(error = %e, "session store failed");
                return TokenAnswer::Unavailable;
            }
        };
        // A resource ending in `/` takes `//.default` (`https://service.flow.microsoft.com//.default`).
        let scope = format!("{resource}/.default");
        let refreshed = match self.auth.provider.refresh(&refresh_token, &scope).await {
            Ok(refreshed) => refreshed,
            Err(RefreshError::SignInAgain(why)) => {
                tracing::info!(reason = %crate::telemetry::bounded(&why), "the refresh token was refused");
                return TokenAnswer::Reconnect;
            }
            Err(RefreshError::NoResource(why)) => {
                tracing::warn!(reason = %crate::telemetry::bounded(&why), tenant = %user.tenant_id, "no Power Automate in the tenant");
                return TokenAnswer::NotProvisioned;
            }
            Err(RefreshError::Unavailable(why)) => {
                tracing::warn!(reason = %crate::telemetry::bounded(&why), "could not get a Power Automate token");
                return TokenAnswer::Unavailable;
            }
        };
        if let Some(rotated) = &refreshed.refresh_token {
            let sealed = key.seal(rotated, &owner(user));
            if let Err(e) = session.insert(REFRESH_TOKEN_KEY, sealed).await {
                tracing::warn!(error = %e, "could not keep the new refresh token");
            }
        }
        let fresh = Cached::new(refreshed.access_token, refreshed.lifetime);
        let answer = TokenAnswer::Token {
            token: fresh.token.clone(),
            expires_on: fresh.expires_on,
        };
        *cached = Some(fresh);
        answer
    }
}

impl TokenBroker for FlowTokens {
    fn flow_token<'a>(
        &'a self,
        session: &'a Session,
        user: &'a CurrentUser,
        resource: &'a str,
    ) -> Pin<Box<dyn Future<Output = TokenAnswer> + Send + 'a>> {
        Box::pin(self.token(session, user, resource))
    }

    fn forget(&self, id: Id) {
        FlowTokens::forget(self, id);
    }
}
