//! The Azure AD (Microsoft Entra ID) v2 stand-in: discovery, keys, authorize, token, logout
//! and admin consent, Microsoft Graph's licence data (`graph`), plus the `/_sandbox/` test
//! controls.

pub mod app_token;
mod authorize;
mod consent;
mod control;
mod discovery;
mod errors;
mod forge;
pub(crate) mod graph;
mod keys;
mod logout;
mod mint;
pub(crate) mod pages;
mod params;
mod redirect;
pub(crate) mod scopes;
mod signed;
mod state;
mod tenant;
mod token;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::routing::{get, post};
use time::OffsetDateTime;

use crate::directory::Directory;
use errors::AadError;
use graph::fixture::Fixture;
use state::Mutable;
use tenant::TenantScope;

pub(crate) struct Idp {
    /// `http://host:port`, standing in for `https://login.microsoftonline.com`.
    pub origin: String,
    pub directory: Directory,
    pub redirect_uris: Vec<String>,
    /// The licence fixture: Graph's product table and each tenant's licences at start.
    pub licence_fixture: Fixture,
    state: Mutex<Mutable>,
}

impl Idp {
    /// With `extra`'s identifiers added to the resource of that application id.
    pub fn new(origin: String, redirect_uris: Vec<String>, extra: (&str, Vec<String>)) -> Idp {
        let mut directory = Directory::embedded();
        let (app_id, identifiers) = extra;
        if let Some(resource) = directory.resources.iter_mut().find(|r| r.app_id == app_id) {
            resource.identifier_uris.extend(identifiers);
        }
        let licence_fixture = Fixture::embedded(&directory);
        let state = Mutex::new(Mutable::new(&directory, &licence_fixture));
        Idp {
            origin,
            directory,
            redirect_uris,
            licence_fixture,
            state,
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Mutable> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The sandbox's shifted clock. Do not call while holding [`Idp::lock`].
    pub fn now(&self) -> OffsetDateTime {
        self.lock().now()
    }

    /// Whether `signature` over `input` is by the key published under `kid`. Keys stay
    /// published after a rotation, as Azure AD keeps old keys for a while.
    pub fn signed_by_published_key(&self, kid: &str, input: &str, signature: &[u8]) -> bool {
        self.lock()
            .keys
            .iter()
            .any(|k| k.kid == kid && k.verifies(input, signature))
    }

    pub fn is_registered(&self, redirect_uri: &str) -> bool {
        self.redirect_uris.iter().any(|r| r == redirect_uri)
    }

    /// Resolves the `{tenant}` path segment; unknown tenants get AADSTS90002 as JSON.
    pub fn tenant(&self, segment: &str) -> Result<TenantScope<'_>, AadError> {
        TenantScope::resolve(&self.directory, segment).ok_or_else(|| {
            AadError::new(
                "invalid_tenant",
                90002,
                format!(
                    "Tenant '{segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."
                ),
            )
        })
    }
}

pub(crate) fn routes(idp: Arc<Idp>) -> Router {
    Router::new()
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(discovery::configuration),
        )
        .route("/{tenant}/discovery/v2.0/keys", get(discovery::keys))
        .route(
            "/{tenant}/oauth2/v2.0/authorize",
            get(authorize::show).post(authorize::submit),
        )
        .route("/{tenant}/oauth2/v2.0/token", post(token::token))
        .route(
            "/{tenant}/oauth2/v2.0/logout",
            get(logout::logout).post(logout::logout),
        )
        .route(
            "/{tenant}/v2.0/adminconsent",
            get(consent::show).post(consent::submit),
        )
        .route(
            "/{tenant}/adminconsent",
            get(consent::show).post(consent::submit),
        )
        .route("/error", get(pages::error_code))
        .merge(control::routes())
        .merge(graph::routes())
        .with_state(idp)
}
