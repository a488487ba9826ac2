//! Azure AD v2 as Flowhost's OpenID provider: the metadata and signing keys, the authorization
//! request, the code redemption and the ID token checks, multi-tenant issuer included.
//!
//! The `organizations` metadata names its issuer as a template (`…/{tenantid}/v2.0`), which
//! `openidconnect`'s discovery refuses; so the metadata is fetched here and the issuer checked
//! after the crate has checked signature, audience, expiry and nonce.

use super::outcome::SignInError;
pub(super) use super::token_checks::{Claimed, Failure, subject};
pub use super::token_errors::{RefreshError, Refreshed};
use super::token_errors::{refresh_error, token_error};
use crate::config::AzureApp;
use domain::TenantId;
use i18n::Lang;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreJsonWebKeySet,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IdToken,
    IdTokenVerifier, IssuerUrl, LanguageTag, Nonce, OAuth2TokenResponse as _, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, RefreshToken, Scope, TokenResponse as _, TokenUrl,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Clock difference tolerated between Azure AD and Flowhost.
pub(super) const SKEW: Duration = Duration::from_secs(300);
/// How long fetched metadata is used before it is fetched again.
const METADATA_TTL: Duration = Duration::from_secs(24 * 3600);
/// Keys are fetched again when a token names an unknown key, at most this often.
pub const KEYS_REFETCH_INTERVAL: Duration = Duration::from_secs(60);

/// Azure AD's claims beyond the standard ones.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct AzureClaims {
    tid: Option<String>,
    oid: Option<String>,
    #[serde(default)]
    roles: Vec<String>,
    nbf: Option<i64>,
}

impl AdditionalClaims for AzureClaims {}

type AzureIdToken = IdToken<
    AzureClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// A sign-in the browser has been sent off to complete; kept in the session until it returns.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Pending {
    pub state: String,
    nonce: String,
    verifier: String,
    pub return_to: String,
    /// Unix seconds.
    pub started: i64,
    /// Sent to `common` rather than `organizations`, so a personal account may answer too
    /// (the marketplace's landing page must take both, to tell a personal account what it
    /// needs).
    #[serde(default)]
    any_account: bool,
}

/// A user whose ID token passed every check (admission to Flowhost is decided by the caller).
#[derive(Debug)]
pub struct Verified {
    pub tenant: TenantId,
    pub object_id: String,
    pub name: String,
    pub email: String,
    pub roles: Vec<String>,
    pub refresh_token: Option<String>,
    /// The access token the sign-in gave: Microsoft Graph's, for the person's own
    /// profile and licences (`User.Read`).
    pub graph_token: Option<String>,
}

pub(super) struct Metadata {
    parsed: CoreProviderMetadata,
    /// As published: a `{tenantid}` template for multi-tenant authorities.
    pub(super) issuer: String,
    end_session: Option<String>,
    fetched: Instant,
}

pub(super) struct Keys {
    pub(super) set: CoreJsonWebKeySet,
    /// Each key's own `issuer` member, by key id (Azure AD publishes one per key).
    pub(super) issuers: HashMap<String, String>,
    fetched: Instant,
}

pub struct Provider {
    app: AzureApp,
    redirect_uri: RedirectUrl,
    http: reqwest::Client,
    keys_refetch_interval: Duration,
    metadata: Mutex<Option<Arc<Metadata>>>,
    keys: Mutex<Option<Arc<Keys>>>,
}

impl Provider {
    pub fn new(app: AzureApp, redirect_uri: &url::Url, keys_refetch_interval: Duration) -> Self {
        let http = reqwest::Client::builder()
            // Following redirects from the provider's endpoints would be an SSRF door.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .build()
            .expect("an HTTP client");
        Provider {
            app,
            redirect_uri: RedirectUrl::from_url(redirect_uri.clone()),
            http,
            keys_refetch_interval,
            metadata: Mutex::new(None),
            keys: Mutex::new(None),
        }
    }

    pub fn app(&self) -> &AzureApp {
        &self.app
    }

    /// The client for the provider's endpoints: no redirects followed, short timeouts.
    pub(super) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The authorization request to send the browser to, and what to keep until it returns.
    /// The sign-in pages are asked for in `lang` (see [`language_params`]).
    pub async fn begin(
        &self,
        return_to: String,
        lang: Lang,
        now: i64,
    ) -> Result<(url::Url, Pending), SignInError> {
        let metadata = self.metadata().await?;
        let client = self.client(&metadata);
        let any_account =
            self.app.tenant == "organizations" && crate::marketplace::is_landing(&return_to);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (ui_locale, market) = language_params(lang);
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("profile".into()))
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("offline_access".into()))
            .add_extra_param("response_mode", "query")
            .add_ui_locale(LanguageTag::new(ui_locale.into()))
            .add_extra_param("mkt", market)
            .set_pkce_challenge(challenge)
            .url();
        let url = if any_account { to_common(url) } else { url };
        let pending = Pending {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
            return_to,
            started: now,
            any_account,
        };
        Ok((url, pending))
    }

    /// Redeems the code and checks the ID token it brings.
    pub async fn finish(&self, code: String, pending: &Pending) -> Result<Verified, SignInError> {
        let metadata = self.metadata().await?;
        let token_url = metadata
            .parsed
            .token_endpoint()
            .ok_or_else(|| {
                SignInError::Misconfigured("the metadata names no token endpoint".into())
            })?
            .url()
            .clone();
        let token_url = if pending.any_account {
            to_common(token_url)
        } else {
            token_url
        };
        let client = self
            .client(&metadata)
            .set_token_uri(TokenUrl::from_url(token_url));
        let response = client
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(token_error)?;
        let id_token = response
            .id_token()
            .ok_or_else(|| SignInError::Invalid("the token response has no ID token".into()))?;
        let raw = id_token.to_string();
        let mut verified = self.verify(&metadata, &raw, &pending.nonce).await?;
        verified.refresh_token = response.refresh_token().map(|t| t.secret().clone());
        verified.graph_token = Some(response.access_token().secret().clone());
        Ok(verified)
    }

    /// Redeems a refresh token for an access token to one resource (`{resource}/.default`).
    /// Azure AD answers with a new refresh token too, which replaces the old one.
    pub async fn refresh(
        &self,
        refresh_token: &str,
        scope: &str,
    ) -> Result<Refreshed, RefreshError> {
        let metadata = self
            .metadata()
            .await
            .map_err(|e| RefreshError::Unavailable(format!("{e:?}")))?;
        let response = self
            .client(&metadata)
            .exchange_refresh_token(&RefreshToken::new(refresh_token.to_owned()))
            .map_err(|e| RefreshError::Unavailable(e.to_string()))?
            .add_scope(Scope::new(scope.to_owned()))
            .request_async(&self.http)
            .await
            .map_err(refresh_error)?;
        let lifetime = response.expires_in().unwrap_or(Duration::from_secs(3600));
        Ok(Refreshed {
            access_token: response.access_token().secret().clone(),
            lifetime,
            refresh_token: response.refresh_token().map(|t| t.secret().clone()),
        })
    }

    /// The provider's sign-out page, in `lang`, which sends the browser on to `post_logout`.
    pub async fn end_session_url(&self, post_logout: &str, lang: Lang) -> Option<url::Url> {
        let metadata = self.metadata().await.ok()?;
        let mut url = url::Url::parse(metadata.end_session.as_deref()?).ok()?;
        let (ui_locale, market) = language_params(lang);
        url.query_pairs_mut()
            .append_pair("post_logout_redirect_uri", post_logout)
            .append_pair("ui_locales", ui_locale)
            .append_pair("mkt", market);
        Some(url)
    }

    /// Where an organisation's administrator grants consent for the whole organisation, with
    /// the consent page asked for in `lang` as the sign-in pages are.
    pub fn admin_consent_url(&self, lang: Lang) -> url::Url {
        // `organizations` lets the administrator who signs in consent for their own tenant.
        let mut url = url::Url::parse(&format!(
            "{}/{}/v2.0/adminconsent",
            self.app.authority, self.app.tenant
        ))
        .expect("the authority is a URL");
        url.query_pairs_mut()
            .append_pair("client_id", &self.app.client_id)
            .append_pair("scope", "https://graph.microsoft.com/.default")
            .append_pair("redirect_uri", self.redirect_uri.as_str())
            .append_pair("state", "admin-consent");
        let (ui_locale, market) = language_params(lang);
        url.query_pairs_mut()
            .append_pair("ui_locales", ui_locale)
            .append_pair("mkt", market);
        url
    }

    fn client(
        &self,
        metadata: &Metadata,
    ) -> CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    > {
        CoreClient::from_provider_metadata(
            metadata.parsed.clone(),
            ClientId::new(self.app.client_id.clone()),
            Some(ClientSecret::new(self.app.client_secret.clone())),
        )
        .set_redirect_uri(self.redirect_uri.clone())
    }

    pub(super) async fn metadata(&self) -> Result<Arc<Metadata>, SignInError> {
        let mut cached = self.metadata.lock().await;
        if let Some(m) = cached
            .as_ref()
            .filter(|m| m.fetched.elapsed() < METADATA_TTL)
        {
            return Ok(m.clone());
        }
        match self.fetch_metadata().await {
            Ok(fresh) => {
                *cached = Some(fresh.clone());
                Ok(fresh)
            }
            // Metadata that worked yesterday still works while the provider is unreachable.
            Err(e) => cached.clone().ok_or(e),
        }
    }

    async fn fetch_metadata(&self) -> Result<Arc<Metadata>, SignInError> {
        let url = format!(
            "{}/{}/v2.0/.well-known/openid-configuration",
            self.app.authority, self.app.tenant
        );
        let raw: serde_json::Value = self.get_json(&url).await?;
        let parsed: CoreProviderMetadata = serde_json::from_value(raw.clone())
            .map_err(|e| SignInError::Unavailable(format!("unusable metadata: {e}")))?;
        let text = |name: &str| raw.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        Ok(Arc::new(Metadata {
            issuer: text("issuer").unwrap_or_default(),
            end_session: text("end_session_endpoint"),
            parsed,
            fetched: Instant::now(),
        }))
    }

    /// The signing keys. `tried` is a set a token's key was not found in: then a newer cached
    /// set is returned if there is one, else the keys are fetched again unless the last fetch
    /// is younger than the refetch interval (`None`). Keys are also fetched again daily, so a
    /// key the provider withdrew stops being trusted.
    pub(super) async fn keys(
        &self,
        metadata: &Metadata,
        tried: Option<&Arc<Keys>>,
    ) -> Result<Option<Arc<Keys>>, SignInError> {
        let mut cached = self.keys.lock().await;
        match (cached.as_ref(), tried) {
            (Some(k), None) if k.fetched.elapsed() < METADATA_TTL => return Ok(Some(k.clone())),
            // Another request fetched newer keys meanwhile.
            (Some(k), Some(t)) if !Arc::ptr_eq(k, t) => return Ok(Some(k.clone())),
            (Some(k), Some(_)) if k.fetched.elapsed() < self.keys_refetch_interval => {
                return Ok(None);
            }
            _ => {}
        }
        let raw: serde_json::Value = self.get_json(metadata.parsed.jwks_uri().as_str()).await?;
        let set: CoreJsonWebKeySet = serde_json::from_value(raw.clone())
            .map_err(|e| SignInError::Unavailable(format!("unusable key set: {e}")))?;
        let issuers = raw["keys"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|k| {
                Some((
                    k["kid"].as_str()?.to_owned(),
                    k["issuer"].as_str()?.to_owned(),
                ))
            })
            .collect();
        let keys = Arc::new(Keys {
            set,
            issuers,
            fetched: Instant::now(),
        });
        *cached = Some(keys.clone());
        Ok(Some(keys))
    }

    async fn get_json(&self, url: &str) -> Result<serde_json::Value, SignInError> {
        let response = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| SignInError::Unavailable(format!("{url}: {e}")))?;
        if !response.status().is_success() {
            return Err(SignInError::Unavailable(format!(
                "{url}: HTTP {}",
                response.status()
            )));
        }
        response
            .json()
            .await
            .map_err(|e| SignInError::Unavailable(format!("{url}: {e}")))
    }

    async fn verify(
        &self,
        metadata: &Metadata,
        raw: &str,
        nonce: &str,
    ) -> Result<Verified, SignInError> {
        let token: AzureIdToken = raw
            .parse()
            .map_err(|e| SignInError::Invalid(format!("not an ID token: {e}")))?;
        let keys = self
            .keys(metadata, None)
            .await?
            .ok_or_else(|| SignInError::Unavailable("no signing keys".into()))?;
        match self.check(metadata, &keys, raw, &token, nonce) {
            Err(Failure::UnknownKey) => match self.keys(metadata, Some(&keys)).await? {
                Some(fresh) => self.check(metadata, &fresh, raw, &token, nonce),
                None => Err(Failure::UnknownKey),
            },
            checked => checked,
        }
        .map_err(|f| match f {
            Failure::Nonce => SignInError::StartAgain("the ID token's nonce is not this sign-in's"),
            Failure::UnknownKey => SignInError::Invalid("signed with an unknown key".into()),
            Failure::Invalid(why) => SignInError::Invalid(why),
        })
    }

    fn check(
        &self,
        metadata: &Metadata,
        keys: &Keys,
        raw: &str,
        token: &AzureIdToken,
        nonce: &str,
    ) -> Result<Verified, Failure> {
        use openidconnect::{ClaimsVerificationError as E, SignatureVerificationError as S};
        let verifier = IdTokenVerifier::new_public_client(
            ClientId::new(self.app.client_id.clone()),
            IssuerUrl::new(metadata.issuer.clone()).map_err(|e| Failure::Invalid(e.to_string()))?,
            keys.set.clone(),
        )
        // Checked below against the token's own tenant.
        .require_issuer_match(false)
        // The crate allows no skew on `exp`: judging by a clock set back by SKEW allows it.
        .set_time_fn(|| chrono::Utc::now() - SKEW);
        let claims = token
            .claims(&verifier, &Nonce::new(nonce.to_owned()))
            .map_err(|e| match e {
                E::SignatureVerification(S::NoMatchingKey) => Failure::UnknownKey,
                E::InvalidNonce(_) => Failure::Nonce,
                other => Failure::Invalid(other.to_string()),
            })?;
        let extra = claims.additional_claims();
        let (tenant, object_id) = subject(
            metadata,
            keys,
            raw,
            claims.issuer().as_str(),
            Claimed {
                tid: extra.tid.as_deref(),
                nbf: extra.nbf,
                oid: extra.oid.as_deref(),
            },
            "the ID token is not valid yet",
        )?;
        let username = claims.preferred_username().map(|u| u.as_str().to_owned());
        let email = claims
            .email()
            .map(|e| e.as_str().to_owned())
            .or(username)
            .unwrap_or_default();
        let name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned())
            .unwrap_or_else(|| email.clone());
        Ok(Verified {
            tenant,
            object_id,
            name,
            email,
            roles: extra.roles.clone(),
            refresh_token: None,
            graph_token: None,
        })
    }
}

/// An endpoint of the `organizations` authority at `common`, which personal accounts may
/// answer too.
fn to_common(mut url: url::Url) -> url::Url {
    let path = url.path().replacen("/organizations/", "/common/", 1);
    url.set_path(&path);
    url
}

/// The authorization request's language: OpenID Connect's `ui_locales` (a BCP 47 tag), and
/// `mkt` (language-region), which is the one Azure AD's own sign-in pages follow; Microsoft's
/// own portals send both.
fn language_params(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::En => ("en", "en-US"),
        Lang::Nl => ("nl", "nl-NL"),
    }
}
