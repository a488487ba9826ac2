//! Sign-in with Azure AD (Microsoft Entra ID): the `/auth/*` routes, who may sign in, and the
//! gate that sends anonymous visitors of a page to sign-in.

mod access_token;
mod admission;
mod app_tokens;
mod attempts;
mod marketplace_token;
mod outcome;
mod provider;
mod return_to;
pub(crate) use return_to::local_path;
mod sign_out;
mod token_checks;
mod token_errors;
mod token_key;
mod tokens;

pub use access_token::{ApiCaller, ApiRefusal, READ_SCOPE, READ_WRITE_SCOPE};
pub use admission::admission;
pub use app_tokens::AppTokens;
pub use attempts::SignInLimit;
pub use marketplace_token::{MARKETPLACE_APP, MarketCallRefusal};
pub use provider::KEYS_REFETCH_INTERVAL;
pub use token_key::TokenKey;
pub use tokens::FlowTokens;

use crate::AppState;
use crate::config::AzureApp;
use crate::plain_page;
use app::ssr::{self, Visitor};
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use domain::plan::Plans;
use domain::{CurrentUser, Role, Tenant, TenantId};
use i18n::{Lang, t};
use outcome::{SignInError, admin_consented, authorize_error};
use provider::{Pending, Provider, Verified};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;
use tower_sessions::{Expiry, Session};

/// Session keys sign-in adds beside `app::ssr::USER_KEY`.
const PENDING_KEY: &str = "sign_in_pending";
pub const SIGNED_IN_AT_KEY: &str = "signed_in_at";
const REFRESH_TOKEN_KEY: &str = "refresh_token";
/// The tenant id Azure AD gives personal Microsoft accounts.
const PERSONAL_ACCOUNTS: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

/// Sign-ins started in other tabs stay valid, up to this many, for this long. A session that
/// holds nothing but pending sign-ins is kept in the store for as long, not the idle lifetime
/// of a signed-in one.
const MAX_PENDING: usize = 4;
const PENDING_SECONDS: i64 = 15 * 60;

pub struct Auth {
    provider: Provider,
    public_url: url::Url,
    allowed_tenants: Option<Vec<TenantId>>,
    /// The offer's plans: what an organisation that bought one may use.
    plans: Arc<Plans>,
    /// API tokens that passed every check, until they expire.
    api_tokens: access_token::Verified,
    /// Organisations' standings as requests are admitted by them; shared with whatever
    /// changes a standing, which forgets its copy.
    standings: Arc<domain::db::Standings>,
}

impl Auth {
    pub fn new(
        app: AzureApp,
        public_url: &url::Url,
        allowed_tenants: Option<Vec<TenantId>>,
        plans: Arc<Plans>,
        keys_refetch_interval: Duration,
    ) -> Auth {
        Auth {
            provider: Provider::new(app, &callback_url(public_url), keys_refetch_interval),
            public_url: public_url.clone(),
            allowed_tenants,
            plans,
            api_tokens: access_token::Verified::default(),
            standings: Arc::default(),
        }
    }

    /// The standings held for admission, for whatever changes one to forget its copy.
    pub fn standings(&self) -> Arc<domain::db::Standings> {
        self.standings.clone()
    }

    fn app(&self) -> &AzureApp {
        self.provider.app()
    }

    /// The ISV's own tenant.
    pub fn isv_tenant(&self) -> &TenantId {
        &self.app().isv_tenant
    }

    pub fn authority(&self) -> String {
        self.app().authority.clone()
    }

    /// The key refresh tokens are sealed with in the session store.
    pub fn token_key(&self) -> &TokenKey {
        &self.app().token_key
    }

    fn signed_out_url(&self) -> String {
        signed_out_url(&self.public_url).to_string()
    }
}

/// The redirect URI registered with Azure AD.
pub fn callback_url(public_url: &url::Url) -> url::Url {
    public_url.join("/auth/callback").expect("a path joins")
}

/// Where the identity provider returns the browser after sign-out.
fn signed_out_url(public_url: &url::Url) -> url::Url {
    public_url.join("/auth/signed-out").expect("a path joins")
}

/// Where the identity provider may send the browser back to, for the app registration.
pub fn registered_redirect_uris(public_url: &url::Url) -> Vec<String> {
    vec![
        callback_url(public_url).to_string(),
        signed_out_url(public_url).to_string(),
    ]
}

/// The `/auth/*` routes; sign-in attempts per client address under `limit`.
pub fn routes(limit: SignInLimit) -> Router<AppState> {
    let attempts = axum::middleware::from_fn_with_state(attempts::attempts(limit), attempts::limit);
    Router::new()
        .route("/auth/login", get(login).layer(attempts))
        .route("/auth/callback", get(callback))
        .route("/auth/me", get(me))
        .merge(sign_out::router())
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

pub(crate) fn login_path(return_to: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(return_to.as_bytes()).collect();
    format!("/auth/login?return_to={encoded}")
}

#[derive(Deserialize)]
struct LoginQuery {
    return_to: Option<String>,
    /// Sign in again even when signed in: the way back when a Power Automate token can no
    /// longer be had (expired or revoked refresh token, new consent).
    #[serde(default)]
    reconnect: bool,
}

/// Sends the browser to the identity provider, which is asked to speak the visitor's language.
async fn login(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    session: Session,
    headers: HeaderMap,
    Query(query): Query<LoginQuery>,
) -> Response {
    let lang = plain_page::lang(&headers);
    let return_to = return_to::local_path(query.return_to.as_deref());
    if matches!(visitor, Visitor::Signed(_)) && !query.reconnect {
        return Redirect::to(&return_to).into_response();
    }
    let auth = &state.auth;
    let (url, started) = match auth.provider.begin(return_to.clone(), lang, now()).await {
        Ok(begun) => begun,
        Err(e) => {
            return e.page(
                lang,
                &login_path(&return_to),
                auth.provider.admin_consent_url(lang).as_str(),
            );
        }
    };
    let mut pending = match pending(&session, lang).await {
        Ok(pending) => pending,
        Err(response) => return response,
    };
    pending.retain(|p| now() - p.started < PENDING_SECONDS);
    pending.push(started);
    let excess = pending.len().saturating_sub(MAX_PENDING);
    pending.drain(..excess);
    if let Err(e) = session.insert(PENDING_KEY, &pending).await {
        tracing::error!(error = %e, "session store failed");
        return store_down(lang);
    }
    if !matches!(visitor, Visitor::Signed(_)) {
        pending_only(&session);
    }
    Redirect::to(url.as_str()).into_response()
}

/// Keeps a session that holds only pending sign-ins for as long as they stay valid. The
/// session's expiry is set per request: sign-in's request keeps the layer's idle expiry.
fn pending_only(session: &Session) {
    let lifetime = time::Duration::seconds(PENDING_SECONDS);
    session.set_expiry(Some(Expiry::OnInactivity(lifetime)));
}

async fn pending(session: &Session, lang: Lang) -> Result<Vec<Pending>, Response> {
    match session.get::<Vec<Pending>>(PENDING_KEY).await {
        Ok(pending) => Ok(pending.unwrap_or_default()),
        Err(e) => {
            tracing::error!(error = %e, "session store failed");
            Err(store_down(lang))
        }
    }
}

fn store_down(lang: Lang) -> Response {
    plain_page::render(
        lang,
        StatusCode::SERVICE_UNAVAILABLE,
        &t!(lang, "sign-in-store-down-title"),
        &t!(lang, "sign-in-store-down"),
    )
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
    admin_consent: Option<String>,
}

async fn callback(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    session: Session,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let lang = plain_page::lang(&headers);
    let auth = state.auth.clone();
    let consent = auth.provider.admin_consent_url(lang);
    if query.admin_consent.is_some() {
        return admin_consented(lang, query.error.is_none());
    }
    // The pending sign-in is taken out first, so a replayed callback finds nothing.
    let mut all = match pending(&session, lang).await {
        Ok(all) => all,
        Err(response) => return response,
    };
    let found = query
        .state
        .as_deref()
        .and_then(|s| {
            all.iter()
                .position(|p| p.state == s && now() - p.started < PENDING_SECONDS)
        })
        .map(|i| all.remove(i));
    // Written back only when one was taken: a callback without a sign-in in progress stores
    // nothing.
    if found.is_some() {
        let kept = if all.is_empty() {
            session.remove_value(PENDING_KEY).await.map(drop)
        } else {
            session.insert(PENDING_KEY, &all).await
        };
        if let Err(e) = kept {
            tracing::error!(error = %e, "session store failed");
            return store_down(lang);
        }
    }
    let Some(pending) = found else {
        return SignInError::StartAgain("no sign-in in progress has this state").page(
            lang,
            &login_path("/"),
            consent.as_str(),
        );
    };
    let again = login_path(&pending.return_to);
    let result = match (query.error.as_deref(), query.code) {
        (Some(error), _) => Err(authorize_error(error, query.error_description.as_deref())),
        (None, Some(code)) => auth.provider.finish(code, &pending).await,
        (None, None) => Err(SignInError::StartAgain(
            "the callback has neither code nor error",
        )),
    };
    let signed = match result {
        Ok(verified) => complete(&state, &session, verified, &pending.return_to).await,
        Err(e) => Err(e.into()),
    };
    match signed {
        Ok(()) => Redirect::to(&pending.return_to).into_response(),
        Err(Completion::Refused(e)) => {
            if !matches!(visitor, Visitor::Signed(_)) {
                pending_only(&session);
            }
            e.page(lang, &again, consent.as_str())
        }
        Err(Completion::StoreDown) => store_down(lang),
    }
}

enum Completion {
    Refused(SignInError),
    StoreDown,
}

impl From<SignInError> for Completion {
    fn from(e: SignInError) -> Self {
        Completion::Refused(e)
    }
}

/// Admits the verified user and signs them in on a new session id. A person of an
/// organisation not admitted yet who signs in for the marketplace's landing page (a purchase
/// to confirm) is known to that page only.
async fn complete(
    state: &AppState,
    session: &Session,
    verified: Verified,
    return_to: &str,
) -> Result<(), Completion> {
    let auth = &state.auth;
    let db_down = |e: domain::db::DbError| {
        tracing::error!(error = %e, "database failed during sign-in");
        Completion::StoreDown
    };
    if verified.tenant.as_str() == PERSONAL_ACCOUNTS {
        return Err(SignInError::PersonalAccount.into());
    }
    let standing = auth
        .standing_now(&state.db, &verified.tenant)
        .await
        .map_err(db_down)?;
    if standing.is_none() {
        if crate::marketplace::is_landing(return_to) {
            let purchaser = crate::marketplace::Purchaser {
                tenant: verified.tenant,
                object_id: verified.object_id,
                name: verified.name,
                email: verified.email,
            };
            // Whoever was signed in on this browser before is not any more.
            let kept = async {
                for key in [ssr::USER_KEY, SIGNED_IN_AT_KEY, REFRESH_TOKEN_KEY] {
                    session.remove_value(key).await?;
                }
                crate::marketplace::keep_purchaser(session, purchaser).await
            };
            return kept.await.map_err(|e| {
                tracing::error!(error = %e, "session store failed during sign-in");
                Completion::StoreDown
            });
        }
        tracing::info!(tenant = %verified.tenant, "sign-in from a tenant that is not admitted");
        return Err(SignInError::NotAdmitted.into());
    }
    let registered = state.db.tenant(&verified.tenant).await.map_err(db_down)?;
    let tenant = match registered {
        Some(tenant) => tenant,
        None => {
            // The ISV's own tenant, or one admitted by ALLOWED_TENANTS: registered on first use,
            // named after the users' domain until someone renames it.
            let name = verified
                .email
                .rsplit_once('@')
                .map(|(_, domain)| domain.to_owned())
                .unwrap_or_else(|| verified.tenant.to_string());
            let tenant = Tenant {
                id: verified.tenant.clone(),
                name,
            };
            state.db.upsert_tenant(&tenant).await.map_err(db_down)?;
            auth.standings().forget(&tenant.id);
            tenant
        }
    };
    let mut roles = auth.roles(&tenant.id, &verified.roles);
    // The purchaser of the organisation's subscription is its admin in Flowhost, whatever
    // the directory's app roles say.
    let granted = state
        .db
        .granted_admin(&tenant.id, &verified.object_id)
        .await
        .map_err(db_down)?;
    if granted && !roles.contains(&Role::TenantAdmin) {
        roles.push(Role::TenantAdmin);
        roles.sort_by_key(|r| r.claim());
    }
    let user = CurrentUser {
        roles,
        tenant_id: tenant.id,
        tenant_name: tenant.name,
        object_id: verified.object_id,
        name: verified.name,
        email: verified.email,
    };
    state
        .db
        .scope(&user.tenant_id)
        .upsert_user(&user)
        .await
        .map_err(db_down)?;

    let store_down = |e: tower_sessions::session::Error| {
        tracing::error!(error = %e, "session store failed during sign-in");
        Completion::StoreDown
    };
    // A new id, so a session id planted before sign-in is worthless after it.
    session.cycle_id().await.map_err(store_down)?;
    session
        .remove_value(PENDING_KEY)
        .await
        .map_err(store_down)?;
    session
        .insert(ssr::USER_KEY, &user)
        .await
        .map_err(store_down)?;
    session
        .insert(SIGNED_IN_AT_KEY, now())
        .await
        .map_err(store_down)?;
    // The person's own Power Automate rights, with the Graph token their sign-in gave.
    if let Some(token) = &verified.graph_token {
        state.licences.at_sign_in(&state.db, &user, token).await;
    }
    if let Some(token) = verified.refresh_token {
        let sealed = auth.app().token_key.seal(&token, &owner(&user));
        session
            .insert(REFRESH_TOKEN_KEY, sealed)
            .await
            .map_err(store_down)?;
    }
    tracing::info!(tenant = %user.tenant_id, "signed in");
    Ok(())
}

/// What a sealed refresh token is bound to.
fn owner(user: &CurrentUser) -> String {
    format!("{}:{}", user.tenant_id, user.object_id)
}

async fn me(Extension(visitor): Extension<Visitor>, headers: HeaderMap) -> Response {
    let lang = plain_page::lang(&headers);
    match visitor {
        Visitor::Signed(user) => Json(serde_json::json!({
            "name": user.name,
            "email": user.email,
            "tenant_id": user.tenant_id,
            "tenant_name": user.tenant_name,
            "roles": user.roles.iter().map(|r| r.claim()).collect::<Vec<_>>(),
        }))
        .into_response(),
        Visitor::Anonymous => (
            StatusCode::UNAUTHORIZED,
            Json(serde_json::json!({"error": {
                "code": "unauthorized",
                "message": t!(lang, "server-sign-in-first"),
            }})),
        )
            .into_response(),
        Visitor::Unknown => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({"error": {
                "code": "unavailable",
                "message": t!(lang, "server-database-unreachable"),
            }})),
        )
            .into_response(),
    }
}

/// Sends an anonymous visitor of a page to sign-in, with the page to come back to. Server
/// functions, JSON routes and files answer for themselves (401 or public).
pub async fn gate(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let public = [
        "/auth/",
        "/api/",
        "/pkg/",
        "/marketplace/",
        "/healthz",
        "/readyz",
    ]
    .iter()
    .any(|p| path.starts_with(p))
        || path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'));
    let reading = matches!(*request.method(), Method::GET | Method::HEAD);
    let anonymous = matches!(
        request.extensions().get::<Visitor>(),
        Some(Visitor::Anonymous)
    );
    if reading && !public && anonymous {
        let here = request
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        return Redirect::to(&login_path(here)).into_response();
    }
    next.run(request).await
}

/// Whether a signed-in session is past its absolute lifetime (also when its start is unknown).
pub async fn past_absolute_lifetime(session: &Session, absolute: Duration) -> bool {
    match session.get::<i64>(SIGNED_IN_AT_KEY).await {
        Ok(Some(at)) => now() - at >= absolute.as_secs() as i64,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn auth(allowed: Option<Vec<TenantId>>) -> Auth {
        let app = AzureApp {
            authority: "https://login.microsoftonline.com".into(),
            tenant: "organizations".into(),
            client_id: "c".into(),
            client_secret: "s".into(),
            isv_tenant: tenant(ISV),
            token_key: TokenKey::from_base64(&TokenKey::generate_base64()).unwrap(),
        };
        let public = url::Url::parse("https://desk.example.com").unwrap();
        Auth::new(app, &public, allowed, Arc::default(), KEYS_REFETCH_INTERVAL)
    }

    pub(super) const ISV: &str = "11111111-1111-4111-8111-111111111111";
    pub(super) const OTHER: &str = "22222222-2222-4222-8222-222222222222";

    pub(super) fn tenant(id: &str) -> TenantId {
        TenantId::parse(id).unwrap()
    }

    #[test]
    fn the_redirect_uris_are_the_callback_and_the_signed_out_page() {
        let public = url::Url::parse("https://desk.example.com/").unwrap();
        assert_eq!(
            registered_redirect_uris(&public),
            [
                "https://desk.example.com/auth/callback",
                "https://desk.example.com/auth/signed-out"
            ]
        );
    }
}
