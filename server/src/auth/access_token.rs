//! Azure AD access tokens for Flowhost's own API (`/api/v1`): checked with the same metadata
//! and signing keys as sign-in, its issuer per `tid` as there, the audience Flowhost's own
//! (its client id, which v2.0 tokens carry, or its Application ID URI `api://{client id}`), the
//! lifetime, and the tenant admitted. The registration's manifest asks for v2.0 access tokens
//! (`accessTokenAcceptedVersion: 2`), whose issuer is the same as the ID tokens'.

use super::Auth;
use super::provider::{Claimed, Failure, Keys, Metadata, Provider, SKEW, subject};
use domain::TenantId;
use domain::db::Db;
use domain::plan::{Access, Feature};
use openidconnect::core::{
    CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
};
use openidconnect::{AdditionalClaims, ClientId, IdToken, IdTokenVerifier, IssuerUrl, Nonce};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// The delegated permissions Flowhost's API offers, as Azure AD writes them into `scp`.
pub const READ_SCOPE: &str = "Tickets.Read";
pub const READ_WRITE_SCOPE: &str = "Tickets.ReadWrite";

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
struct AccessClaims {
    tid: Option<String>,
    oid: Option<String>,
    /// Delegated permissions, space-separated; absent from app-only tokens.
    scp: Option<String>,
    nbf: Option<i64>,
}

impl AdditionalClaims for AccessClaims {}

/// `IdToken` is the crate's signed-JWT type with Azure AD's standard claims; an access token
/// has the same ones, without a nonce.
type AccessToken = IdToken<
    AccessClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// Who calls the API: the user a valid token was issued to.
#[derive(Clone, Debug)]
pub struct ApiCaller {
    pub tenant: TenantId,
    pub object_id: String,
    pub name: String,
    pub scopes: Vec<String>,
}

impl ApiCaller {
    /// Whether the token grants `scope` (`Tickets.ReadWrite` includes `Tickets.Read`).
    pub fn may(&self, scope: &str) -> bool {
        let has = |s: &str| self.scopes.iter().any(|g| g.eq_ignore_ascii_case(s));
        has(scope) || (scope == READ_SCOPE && has(READ_WRITE_SCOPE))
    }
}

/// Why a bearer token does not admit its caller.
#[derive(Debug)]
pub enum ApiRefusal {
    /// Not a valid token for this API (401).
    Invalid(String),
    /// A valid token from an organisation Flowhost does not admit (403).
    NotAdmitted,
    /// The organisation's subscription is suspended (403).
    Suspended,
    /// The organisation's plan does not include the API and its triggers (403).
    NotInPlan,
    /// The keys or the database cannot say now (503).
    Unavailable(String),
}

/// Tokens whose signature and claims were checked, so that the next call with the same token
/// (a flow's connection makes many) skips the signature: each kept until its `exp`, at most
/// [`KEPT_TOKENS`] at once. The organisation's admission is still checked on every call.
#[derive(Default)]
pub(super) struct Verified(Mutex<HashMap<String, (ApiCaller, i64)>>);

/// Beyond this many, expired tokens are dropped, and if none had expired, all.
const KEPT_TOKENS: usize = 10_000;

impl Verified {
    fn get(&self, raw: &str, now: i64) -> Option<ApiCaller> {
        let kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        kept.get(raw)
            .filter(|(_, exp)| *exp > now)
            .map(|(caller, _)| caller.clone())
    }

    fn keep(&self, raw: &str, caller: &ApiCaller, exp: i64, now: i64) {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.len() >= KEPT_TOKENS {
            kept.retain(|_, (_, exp)| *exp > now);
            if kept.len() >= KEPT_TOKENS {
                kept.clear();
            }
        }
        kept.insert(raw.to_owned(), (caller.clone(), exp));
    }
}

impl Auth {
    /// The caller `raw` (the bearer token) stands for, if Flowhost admits them.
    pub async fn api_caller(&self, db: &Db, raw: &str) -> Result<ApiCaller, ApiRefusal> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let caller = match self.api_tokens.get(raw, now) {
            Some(caller) => caller,
            None => {
                let (caller, exp) = self.provider.verify_access_token(raw).await?;
                self.api_tokens.keep(raw, &caller, exp, now);
                caller
            }
        };
        match self.standing_held(db, &caller.tenant).await {
            Ok(Some(standing)) if standing.access == Access::Suspended => {
                Err(ApiRefusal::Suspended)
            }
            Ok(Some(standing)) if !standing.has(&self.plans, Feature::Connector) => {
                Err(ApiRefusal::NotInPlan)
            }
            Ok(Some(_)) => Ok(caller),
            Ok(None) => Err(ApiRefusal::NotAdmitted),
            Err(e) => Err(ApiRefusal::Unavailable(e.to_string())),
        }
    }
}

impl Provider {
    /// The caller, and until when (Unix seconds) the token holds.
    async fn verify_access_token(&self, raw: &str) -> Result<(ApiCaller, i64), ApiRefusal> {
        let token: AccessToken = raw
            .parse()
            .map_err(|e| ApiRefusal::Invalid(format!("not a signed JWT: {e}")))?;
        let unavailable = |e| ApiRefusal::Unavailable(format!("{e:?}"));
        let metadata = self.metadata().await.map_err(unavailable)?;
        let keys = self
            .keys(&metadata, None)
            .await
            .map_err(unavailable)?
            .ok_or_else(|| ApiRefusal::Unavailable("no signing keys".into()))?;
        match self.check_access(&metadata, &keys, raw, &token) {
            Err(Failure::UnknownKey) => match self.keys(&metadata, Some(&keys)).await {
                Ok(Some(fresh)) => self.check_access(&metadata, &fresh, raw, &token),
                Ok(None) => Err(Failure::UnknownKey),
                Err(e) => return Err(unavailable(e)),
            },
            checked => checked,
        }
        .map_err(|f| match f {
            Failure::UnknownKey => ApiRefusal::Invalid("signed with an unknown key".into()),
            Failure::Invalid(why) => ApiRefusal::Invalid(why),
            Failure::Nonce => ApiRefusal::Invalid("the token carries a nonce".into()),
        })
    }

    fn check_access(
        &self,
        metadata: &Metadata,
        keys: &Keys,
        raw: &str,
        token: &AccessToken,
    ) -> Result<(ApiCaller, i64), Failure> {
        use openidconnect::{ClaimsVerificationError as E, SignatureVerificationError as S};
        let client_id = &self.app().client_id;
        let verifier = IdTokenVerifier::new_public_client(
            ClientId::new(client_id.clone()),
            IssuerUrl::new(metadata.issuer.clone()).map_err(|e| Failure::Invalid(e.to_string()))?,
            keys.set.clone(),
        )
        // Both are checked below: the issuer per tenant, the audience in either form.
        .require_issuer_match(false)
        .require_audience_match(false)
        // The crate allows no skew on `exp`: judging by a clock set back by SKEW allows it.
        .set_time_fn(|| chrono::Utc::now() - SKEW);
        // Access tokens carry no nonce; one that does is not an access token.
        let no_nonce = |nonce: Option<&Nonce>| match nonce {
            None => Ok(()),
            Some(_) => Err("a nonce".to_owned()),
        };
        let claims = token.claims(&verifier, no_nonce).map_err(|e| match e {
            E::SignatureVerification(S::NoMatchingKey) => Failure::UnknownKey,
            other => Failure::Invalid(other.to_string()),
        })?;
        let app_id_uri = format!("api://{client_id}");
        match claims.audiences().as_slice() {
            [aud] if **aud == *client_id || aud.eq_ignore_ascii_case(&app_id_uri) => {}
            other => {
                let named: Vec<&str> = other.iter().map(|a| a.as_str()).collect();
                return Err(Failure::Invalid(format!(
                    "the audience {} is not this API",
                    named.join(", ")
                )));
            }
        }
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
            "the token is not valid yet",
        )?;
        // `name` and `preferred_username` are standard claims, read by the crate.
        let name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned())
            .or_else(|| claims.preferred_username().map(|u| u.as_str().to_owned()))
            .unwrap_or_else(|| object_id.clone());
        let caller = ApiCaller {
            tenant,
            object_id,
            name,
            scopes: extra
                .scp
                .as_deref()
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
        };
        Ok((caller, claims.expiration().timestamp()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(oid: &str) -> ApiCaller {
        ApiCaller {
            tenant: TenantId::parse("c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70").unwrap(),
            object_id: oid.into(),
            name: "Alex Wilber".into(),
            scopes: vec![READ_WRITE_SCOPE.into()],
        }
    }

    #[test]
    fn a_verified_token_is_kept_until_it_expires_and_the_store_stays_bounded() {
        let verified = Verified::default();
        verified.keep("token-a", &caller("a"), 1_000, 500);
        assert_eq!(
            verified.get("token-a", 999).map(|c| c.object_id),
            Some("a".into())
        );
        assert!(verified.get("token-a", 1_000).is_none(), "not at its exp");
        assert!(verified.get("token-b", 500).is_none());
        for n in 0..KEPT_TOKENS {
            verified.keep(&format!("t{n}"), &caller("x"), 2_000, 500);
        }
        verified.keep("one-more", &caller("y"), 2_000, 500);
        let kept = verified.0.lock().unwrap().len();
        assert!(kept <= KEPT_TOKENS, "{kept}");
        assert!(verified.get("one-more", 600).is_some());
    }
}
