//! The Flow service's check of the bearer token a widget presents: an RS256 signature by one
//! of the identity provider's published keys, audience the Flow service, issued by the user's
//! tenant, within its lifetime. Anything else is refused, as the real service refuses it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

use super::FlowService;
use super::api::ApiError;
use crate::idp::scopes::FLOW_SERVICE;

/// The signed-in user a valid token speaks for.
#[derive(Debug, Clone)]
pub struct Caller {
    pub tenant: String,
    pub tenant_name: String,
    pub object_id: String,
    pub name: String,
    pub upn: String,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
}

#[derive(Deserialize)]
struct Claims {
    aud: String,
    iss: String,
    exp: i64,
    nbf: Option<i64>,
    tid: String,
    oid: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    upn: String,
    #[serde(default)]
    scp: String,
}

fn refused(why: &str) -> ApiError {
    ApiError::unauthorized(
        "InvalidAuthenticationToken",
        &format!("The access token is invalid: {why}."),
    )
}

/// Checks the `Authorization: Bearer …` value.
pub fn check(flow: &FlowService, authorization: Option<&str>) -> Result<Caller, ApiError> {
    let token = authorization
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::unauthorized(
                "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is missing.",
            )
        })?;
    let parts: Vec<&str> = token.split('.').collect();
    let [header, claims, signature] = parts.as_slice() else {
        return Err(refused("it is not a JWT"));
    };
    let decode = |part: &str| URL_SAFE_NO_PAD.decode(part).ok();
    let header: Header = decode(header)
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| refused("its header cannot be read"))?;
    if header.alg != "RS256" {
        return Err(refused("it is not signed with RS256"));
    }
    let kid = header
        .kid
        .ok_or_else(|| refused("it names no signing key"))?;
    let signature = decode(signature).ok_or_else(|| refused("its signature cannot be read"))?;
    let input = &token[..token.rfind('.').expect("three parts")];
    if !flow.idp.signed_by_published_key(&kid, input, &signature) {
        return Err(refused("its signature does not verify"));
    }
    let claims: Claims = decode(claims)
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| refused("its claims cannot be read"))?;
    let audience = claims.aud.trim_end_matches('/');
    if audience != FLOW_SERVICE.trim_end_matches('/') {
        return Err(refused("its audience is not the Flow service"));
    }
    let tenant = flow
        .idp
        .directory
        .tenant(&claims.tid)
        .ok_or_else(|| refused("its tenant is unknown"))?;
    if claims.iss != format!("https://sts.windows.net/{}/", tenant.id) {
        return Err(refused("its issuer is not its tenant's"));
    }
    let now = flow.idp.now().unix_timestamp();
    if claims.nbf.is_some_and(|nbf| nbf > now) {
        return Err(refused("it is not valid yet"));
    }
    if now >= claims.exp {
        return Err(ApiError::unauthorized(
            "ExpiredAuthenticationToken",
            "The access token has expired. Get a new token and try again.",
        ));
    }
    if !claims.scp.split_whitespace().any(|s| s == "Flows.Read.All") {
        return Err(ApiError::forbidden(
            "MissingPermission",
            "The access token lacks the delegated permission Flows.Read.All.",
        ));
    }
    Ok(Caller {
        tenant: tenant.id.clone(),
        tenant_name: tenant.display_name.clone(),
        object_id: claims.oid,
        name: claims.name,
        upn: claims.upn,
    })
}
