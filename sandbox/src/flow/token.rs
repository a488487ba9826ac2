//! The check of the bearer token a caller presents to the Flow service (or to another service
//! of this origin): an RS256 signature by one of the identity provider's published keys,
//! audience the service, issued by the user's tenant, within its lifetime, with the service's
//! delegated permission. Anything else is refused, as the real service refuses it.

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
    /// The app a token of its own (client credentials) speaks for, instead of a user.
    pub app: Option<String>,
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
    /// `app` on a token of an app itself.
    idtyp: Option<String>,
    appid: Option<String>,
    azp: Option<String>,
}

fn refused(why: &str) -> ApiError {
    ApiError::unauthorized(
        "InvalidAuthenticationToken",
        &format!("The access token is invalid: {why}."),
    )
}

/// Checks the `Authorization: Bearer …` value for the Flow service.
pub fn check(flow: &FlowService, authorization: Option<&str>) -> Result<Caller, ApiError> {
    check_for(flow, authorization, FLOW_SERVICE, "Flows.Read.All")
}

/// Checks the `Authorization: Bearer …` value for the service `audience` (trailing slash or
/// not), whose token must carry the delegated permission `permission`.
pub fn check_for(
    flow: &FlowService,
    authorization: Option<&str>,
    audience: &str,
    permission: &str,
) -> Result<Caller, ApiError> {
    verify(flow, authorization, audience, permission, false)
}

/// As [`check_for`], but a token of an app itself (client credentials, no delegated
/// permissions) is accepted too; the service then decides what that app may do.
pub fn check_user_or_app(
    flow: &FlowService,
    authorization: Option<&str>,
    audience: &str,
    permission: &str,
) -> Result<Caller, ApiError> {
    verify(flow, authorization, audience, permission, true)
}

fn verify(
    flow: &FlowService,
    authorization: Option<&str>,
    audience: &str,
    permission: &str,
    apps: bool,
) -> Result<Caller, ApiError> {
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
    let claims: Claims = flow.idp.signed_claims(token).map_err(|e| refused(e.why))?;
    if !claims
        .aud
        .trim_end_matches('/')
        .eq_ignore_ascii_case(audience.trim_end_matches('/'))
    {
        return Err(refused("its audience is not this service"));
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
    let app = (claims.idtyp.as_deref() == Some("app"))
        .then(|| claims.appid.clone().or(claims.azp.clone()))
        .flatten();
    if apps && app.is_some() {
        return Ok(Caller {
            tenant: tenant.id.clone(),
            tenant_name: tenant.display_name.clone(),
            object_id: claims.oid,
            name: String::new(),
            upn: String::new(),
            app,
        });
    }
    if !claims.scp.split_whitespace().any(|s| s == permission) {
        return Err(ApiError::forbidden(
            "MissingPermission",
            &format!("The access token lacks the delegated permission {permission}."),
        ));
    }
    Ok(Caller {
        tenant: tenant.id.clone(),
        tenant_name: tenant.display_name.clone(),
        object_id: claims.oid,
        name: claims.name,
        upn: claims.upn,
        app: None,
    })
}
