//! The bearer token on the marketplace's calls to Flowhost's webhook, checked as Microsoft's
//! own SaaS accelerator checks it: signed with Azure AD's published keys, within its lifetime
//! with no clock skew, for Flowhost's fulfillment app (`aud`), issued in the ISV's own tenant
//! (`tid`), to the marketplace's app (`appid` in a v1.0 token, `azp` in a v2.0 one). The issuer
//! is not compared: v1.0 and v2.0 tokens name it differently.

use super::Auth;
use super::provider::Keys;
use openidconnect::core::{
    CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
};
use openidconnect::{AdditionalClaims, ClientId, IdToken, IdTokenVerifier, IssuerUrl, Nonce};
use serde::{Deserialize, Serialize};

/// The commercial marketplace's application id: the only caller of the webhook.
pub const MARKETPLACE_APP: &str = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
struct MarketClaims {
    tid: Option<String>,
    #[serde(rename = "http://schemas.microsoft.com/identity/claims/tenantid")]
    tenant_claim: Option<String>,
    appid: Option<String>,
    nbf: Option<i64>,
}

impl AdditionalClaims for MarketClaims {}

type MarketToken = IdToken<
    MarketClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// Why a webhook call was not taken as the marketplace's.
#[derive(Debug)]
pub enum MarketCallRefusal {
    /// Not the marketplace's token for this publisher: 401.
    Invalid(String),
    /// The keys could not be had: 503, and the marketplace tries again.
    Unavailable(String),
}

impl Auth {
    /// Checks that `raw` is the marketplace's token for the fulfillment app `audience`.
    pub async fn verify_marketplace_call(
        &self,
        raw: &str,
        audience: &str,
    ) -> Result<(), MarketCallRefusal> {
        let token: MarketToken = raw
            .parse()
            .map_err(|e| MarketCallRefusal::Invalid(format!("not a signed JWT: {e}")))?;
        let provider = &self.provider;
        let unavailable = |e| MarketCallRefusal::Unavailable(format!("{e:?}"));
        let metadata = provider.metadata().await.map_err(unavailable)?;
        let keys = provider
            .keys(&metadata, None)
            .await
            .map_err(unavailable)?
            .ok_or_else(|| MarketCallRefusal::Unavailable("no signing keys".into()))?;
        let issuer = metadata.issuer.clone();
        match self.check_market(&issuer, &keys, &token, audience) {
            Err(Checked::UnknownKey) => match provider.keys(&metadata, Some(&keys)).await {
                Ok(Some(fresh)) => self.check_market(&issuer, &fresh, &token, audience),
                Ok(None) => Err(Checked::UnknownKey),
                Err(e) => return Err(unavailable(e)),
            },
            checked => checked,
        }
        .map_err(|c| match c {
            Checked::UnknownKey => MarketCallRefusal::Invalid("signed with an unknown key".into()),
            Checked::Invalid(why) => MarketCallRefusal::Invalid(why),
        })
    }

    fn check_market(
        &self,
        issuer: &str,
        keys: &Keys,
        token: &MarketToken,
        audience: &str,
    ) -> Result<(), Checked> {
        use openidconnect::{ClaimsVerificationError as E, SignatureVerificationError as S};
        let verifier = IdTokenVerifier::new_public_client(
            ClientId::new(MARKETPLACE_APP.to_owned()),
            IssuerUrl::new(issuer.to_owned()).map_err(|e| Checked::Invalid(e.to_string()))?,
            keys.set.clone(),
        )
        .require_issuer_match(false)
        .require_audience_match(false);
        let claims = token
            .claims(&verifier, |_: Option<&Nonce>| Ok(()))
            .map_err(|e| match e {
                E::SignatureVerification(S::NoMatchingKey) => Checked::UnknownKey,
                other => Checked::Invalid(other.to_string()),
            })?;
        let invalid = |why: String| Err(Checked::Invalid(why));
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let extra = claims.additional_claims();
        if extra.nbf.is_some_and(|nbf| nbf > now) {
            return invalid("the token is not valid yet".into());
        }
        match claims.audiences().as_slice() {
            [aud] if **aud == *audience => {}
            other => {
                let named: Vec<&str> = other.iter().map(|a| a.as_str()).collect();
                return invalid(format!(
                    "the audience {} is not the fulfillment app",
                    named.join(", ")
                ));
            }
        }
        let tid = extra.tid.as_deref().or(extra.tenant_claim.as_deref());
        let isv = self.app().isv_tenant.as_str();
        if !tid.is_some_and(|t| t.eq_ignore_ascii_case(isv)) {
            return invalid(format!(
                "the tenant {} is not the publisher's",
                tid.unwrap_or("(none)")
            ));
        }
        let app = claims
            .authorized_party()
            .map(|a| a.as_str())
            .or(extra.appid.as_deref());
        if app != Some(MARKETPLACE_APP) {
            return invalid(format!(
                "the calling app {} is not the marketplace",
                app.unwrap_or("(none)")
            ));
        }
        Ok(())
    }
}

enum Checked {
    UnknownKey,
    Invalid(String),
}
