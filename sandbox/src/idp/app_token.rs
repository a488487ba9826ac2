//! The client credentials grant: a token for the app itself in one customer tenant, where an
//! administrator's consent made the app's service principal. Such a token names the app
//! (`appid`, `idtyp: app`) and its service principal (`oid`), never a user, and carries no
//! delegated permissions; its `roles` are the application permissions on the resource the
//! consent granted (none, and no claim, once an administrator withdrew them).

use serde_json::json;
use sha2::{Digest, Sha256};

use super::Idp;
use super::errors::{self, AadError};
use super::params::Params;
use super::scopes;
use super::state::{Mutable, random_token};
use super::tenant::TenantScope;

/// What the token endpoint answers: no refresh token, no ID token, no `scope`.
pub struct AppToken {
    pub access_token: String,
    pub lifetime: i64,
}

/// The one scope a client credentials request names: `{resource}/.default`.
fn default_scope(form: &Params) -> Result<String, AadError> {
    let scope = form.get("scope").ok_or_else(|| errors::missing("scope"))?;
    let mut names = scope.split_whitespace();
    match (names.next(), names.next()) {
        (Some(only), None) if only.to_ascii_lowercase().ends_with("/.default") => {
            Ok(only[..only.len() - "/.default".len()].to_owned())
        }
        _ => Err(AadError::new(
            "invalid_scope",
            1002012,
            format!(
                "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
            ),
        )),
    }
}

pub fn issue(
    idp: &Idp,
    st: &Mutable,
    tenant: &TenantScope<'_>,
    form: &Params,
) -> Result<AppToken, AadError> {
    let TenantScope::Tenant(tenant) = tenant else {
        return Err(AadError::new(
            "invalid_request",
            50059,
            "No tenant-identifying information found in either the request or implied by any provided credentials.",
        ));
    };
    let identifier = default_scope(form)?;
    let app = &idp.directory.app;
    if !st.consented.contains(&tenant.id) {
        return Err(errors::unknown_client(&app.client_id, &tenant.display_name));
    }
    let resource = idp
        .directory
        .resource(&identifier)
        .filter(|r| r.identifier_uris[0] != scopes::FLOW_SERVICE || tenant.flow_service)
        .ok_or_else(|| errors::unknown_resource(&identifier, &tenant.display_name))?;
    let iat = st.now().unix_timestamp();
    let lifetime = st.lifetimes.access_token_seconds;
    let principal = service_principal(&tenant.id, &app.client_id);
    let mut claims = json!({
        "iat": iat,
        "nbf": iat,
        "exp": iat + lifetime,
        "aio": random_token(48),
        "idtyp": "app",
        "oid": principal,
        "sub": principal,
        "rh": format!("0.{}.", random_token(32)),
        "tid": tenant.id,
        "uti": random_token(16),
    });
    let extra = if resource.access_token_version == 2 {
        json!({
            "aud": resource.app_id,
            "iss": format!("{}/{}/v2.0", idp.origin, tenant.id),
            "azp": app.client_id,
            "azpacr": "1",
            "ver": "2.0",
        })
    } else {
        json!({
            "aud": identifier,
            "iss": format!("https://sts.windows.net/{}/", tenant.id),
            "idp": format!("https://sts.windows.net/{}/", tenant.id),
            "appid": app.client_id,
            "appidacr": "1",
            "ver": "1.0",
        })
    };
    if let (Some(claims), serde_json::Value::Object(extra)) = (claims.as_object_mut(), extra) {
        claims.extend(extra);
    }
    let roles = app.required_roles(resource);
    if !roles.is_empty() && !st.app_permissions_withdrawn.contains(&tenant.id) {
        claims["roles"] = json!(roles);
    }
    let key = st.signing_key();
    Ok(AppToken {
        access_token: key.sign(&key.header(resource.access_token_version != 2), &claims),
        lifetime,
    })
}

/// The object id of the app's service principal in `tenant`: stable, and different in every
/// tenant.
pub fn service_principal(tenant: &str, client_id: &str) -> String {
    let digest = Sha256::digest(format!("service-principal:{tenant}:{client_id}"));
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// A claim of a token [`first_party`] mints spoiled on purpose, for tests of its checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Spoil {
    Aud,
    Tid,
    Appid,
    Expired,
    Signature,
}

/// A v1 app token that one of Microsoft's own services (`client_id`, e.g. the marketplace)
/// gets in `tenant` for calling `audience` (another app's client id), optionally with one
/// claim `spoiled`.
pub fn first_party(
    idp: &Idp,
    tenant: &str,
    client_id: &str,
    audience: &str,
    spoiled: Option<Spoil>,
) -> String {
    let st = idp.lock();
    let iat = st.now().unix_timestamp();
    let principal = service_principal(tenant, client_id);
    let other = "00000000-0000-4000-8000-0000000000ff";
    let pick = |claim, good: &str| {
        if spoiled == Some(claim) {
            other.to_owned()
        } else {
            good.to_owned()
        }
    };
    let (nbf, exp) = match spoiled {
        Some(Spoil::Expired) => (iat - 7200, iat - 3600),
        _ => (iat, iat + st.lifetimes.access_token_seconds),
    };
    let tid = pick(Spoil::Tid, tenant);
    let claims = json!({
        "aud": pick(Spoil::Aud, audience),
        "iss": format!("https://sts.windows.net/{tid}/"),
        "idp": format!("https://sts.windows.net/{tid}/"),
        "iat": nbf,
        "nbf": nbf,
        "exp": exp,
        "aio": random_token(48),
        "appid": pick(Spoil::Appid, client_id),
        "appidacr": "2",
        "idtyp": "app",
        "oid": principal,
        "sub": principal,
        "rh": format!("0.{}.", random_token(32)),
        "tid": tid,
        "uti": random_token(16),
        "ver": "1.0",
    });
    let key = st.signing_key();
    let token = key.sign(&key.header(true), &claims);
    if spoiled == Some(Spoil::Signature) {
        // The same header and claims, with another signature.
        let (input, _) = token.rsplit_once('.').expect("a JWT");
        return format!("{input}.{}", super::keys::b64([7u8; 256]));
    }
    token
}
