//! The checks an Azure AD token's claims pass after its signature: its tenant from its issuer
//! and signing key, its start, its subject; and how a check fails.

use super::provider::{Keys, Metadata, SKEW};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::TenantId;

/// What a token says about its subject, read by the caller from its own claims type.
pub(super) struct Claimed<'c> {
    pub tid: Option<&'c str>,
    pub nbf: Option<i64>,
    pub oid: Option<&'c str>,
}

/// The tenant and object id of a token whose signature and standard claims passed: its issuer
/// checked as [`tenant_issuer`] does, and `nbf` reached (with skew), else `not_yet`.
pub(super) fn subject(
    metadata: &Metadata,
    keys: &Keys,
    raw: &str,
    issuer: &str,
    claimed: Claimed<'_>,
    not_yet: &str,
) -> Result<(TenantId, String), Failure> {
    let tenant = tenant_issuer(metadata, keys, raw, claimed.tid, issuer)?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    if claimed
        .nbf
        .is_some_and(|nbf| nbf > now + SKEW.as_secs() as i64)
    {
        return Err(Failure::invalid(not_yet));
    }
    let object_id = claimed.oid.ok_or(Failure::invalid("no oid claim"))?;
    Ok((tenant, object_id.to_owned()))
}

/// The token's tenant (`tid`), once its issuer is that tenant's form of the metadata's issuer
/// and the signing key's own issuer admits it too. Azure AD publishes an issuer on every key;
/// only a single-tenant (concrete) issuer may do without.
fn tenant_issuer(
    metadata: &Metadata,
    keys: &Keys,
    raw: &str,
    tid: Option<&str>,
    issuer: &str,
) -> Result<TenantId, Failure> {
    let tid = tid.ok_or(Failure::invalid("no tid claim"))?;
    let tenant = TenantId::parse(tid).map_err(|_| Failure::invalid("tid is not a GUID"))?;
    let expected_issuer = metadata.issuer.replace("{tenantid}", tenant.as_str());
    if issuer != expected_issuer {
        return Err(Failure::Invalid(format!(
            "iss {issuer} is not {expected_issuer}"
        )));
    }
    let key_issuer = key_id(raw).and_then(|kid| keys.issuers.get(&kid));
    match key_issuer {
        Some(key_issuer) if key_issuer.replace("{tenantid}", tenant.as_str()) != issuer => {
            Err(Failure::invalid("the signing key is not this issuer's"))
        }
        None if metadata.issuer.contains("{tenantid}") => {
            Err(Failure::invalid("the signing key names no issuer"))
        }
        _ => Ok(tenant),
    }
}

pub(super) enum Failure {
    UnknownKey,
    Nonce,
    Invalid(String),
}

impl Failure {
    pub(super) fn invalid(why: &str) -> Failure {
        Failure::Invalid(why.to_owned())
    }
}

/// The `kid` of a JWT's header.
pub(super) fn key_id(raw: &str) -> Option<String> {
    let header = URL_SAFE_NO_PAD.decode(raw.split('.').next()?).ok()?;
    let header: serde_json::Value = serde_json::from_slice(&header).ok()?;
    header["kid"].as_str().map(str::to_owned)
}
