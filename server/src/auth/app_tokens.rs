//! Flowhost's own access tokens in a customer tenant (the client credentials grant), for work
//! nobody is signed in to watch: a token names Flowhost's app, never a person, and reaches only
//! what the tenant's administrators granted the app. Cached per tenant and resource while more
//! than five minutes remain.

use super::Auth;
use super::tokens::{Cached, Slots};
use crate::power_platform::PlatformError;
use openidconnect::core::{CoreClient, CoreErrorResponseType};
use openidconnect::{
    ClientId, ClientSecret, IssuerUrl, JsonWebKeySet, OAuth2TokenResponse as _, RequestTokenError,
    Scope, TokenUrl,
};
use std::sync::Arc;
use std::time::Duration;

pub struct AppTokens {
    /// The cloud's sign-in host, without a trailing slash.
    authority: String,
    client_id: String,
    client_secret: String,
    http: reqwest::Client,
    /// By (tenant, resource).
    slots: Slots<(String, String)>,
}

impl AppTokens {
    /// Tokens of the app Flowhost signs people in with.
    pub fn new(auth: Arc<Auth>) -> AppTokens {
        let app = auth.app();
        Self::of_app(&auth, &app.client_id, &app.client_secret)
    }

    /// Tokens of another app registration of the ISV's, on the same cloud.
    pub fn of_app(auth: &Auth, client_id: &str, client_secret: &str) -> AppTokens {
        AppTokens {
            authority: auth.app().authority.trim_end_matches('/').to_owned(),
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
            http: auth.provider.http().clone(),
            slots: Slots::default(),
        }
    }

    /// The app's application (client) id, as administrators grant it access.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// Drops the token kept for `resource` in `tenant_id`, whose permissions a service
    /// refused: the next call gets a new one, with what the tenant grants now.
    pub fn forget(&self, tenant_id: &str, resource: &str) {
        self.slots
            .retain(|(tenant, kept)| !(tenant == tenant_id && kept == resource));
    }

    /// A token of Flowhost's own for `resource` in the tenant `tenant_id`.
    pub async fn token(&self, tenant_id: &str, resource: &str) -> Result<String, PlatformError> {
        let slot = self.slots.of((tenant_id.to_owned(), resource.to_owned()));
        let mut cached = slot.lock().await;
        if let Some(c) = cached.as_ref().filter(|c| c.usable()) {
            return Ok(c.token.clone());
        }
        let authority = &self.authority;
        let unreachable = |e: &dyn std::fmt::Display| PlatformError::Unreachable(e.to_string());
        let issuer =
            IssuerUrl::new(format!("{authority}/{tenant_id}/v2.0")).map_err(|e| unreachable(&e))?;
        let token_url = TokenUrl::new(format!("{authority}/{tenant_id}/oauth2/v2.0/token"))
            .map_err(|e| unreachable(&e))?;
        let client = CoreClient::new(
            ClientId::new(self.client_id.clone()),
            issuer,
            JsonWebKeySet::default(),
        )
        .set_client_secret(ClientSecret::new(self.client_secret.clone()))
        .set_token_uri(token_url);
        // A resource ending in `/` takes `//.default`.
        let response = client
            .exchange_client_credentials()
            .add_scope(Scope::new(format!("{resource}/.default")))
            .request_async(&self.http)
            .await
            .map_err(refused)?;
        let lifetime = response.expires_in().unwrap_or(Duration::from_secs(3600));
        let fresh = Cached::new(response.access_token().secret().clone(), lifetime);
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }
}

/// What Azure AD's refusal means: the tenant has not granted Flowhost this access (no service
/// principal, no consent, or no such resource there), or the provider is unreachable.
fn refused<RE: std::error::Error + 'static>(
    e: RequestTokenError<RE, openidconnect::StandardErrorResponse<CoreErrorResponseType>>,
) -> PlatformError {
    use CoreErrorResponseType as E;
    match e {
        RequestTokenError::ServerResponse(response) => {
            tracing::warn!(reason = %crate::telemetry::bounded(&response.to_string()), "no token of Flowhost's own");
            match response.error() {
                E::UnauthorizedClient | E::InvalidGrant | E::InvalidScope => {
                    PlatformError::NoAccess
                }
                E::Extension(code) if code == "invalid_resource" || code == "consent_required" => {
                    PlatformError::NoAccess
                }
                _ => PlatformError::Unreachable(response.to_string()),
            }
        }
        RequestTokenError::Request(e) => PlatformError::Unreachable(format!("token endpoint: {e}")),
        RequestTokenError::Parse(e, _) => {
            PlatformError::Unreachable(format!("token endpoint answered: {e}"))
        }
        RequestTokenError::Other(e) => PlatformError::Unreachable(e),
    }
}
