//! Minting ID tokens (v2) and access tokens (v1 shape, as Graph and the Flow service get).

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::Idp;
use super::keys::b64;
use super::scopes::{Grant, includes};
use super::state::{Mutable, random_token};
use crate::directory::{Tenant, User};

#[derive(Clone, Copy)]
pub struct Subject<'d> {
    pub tenant: &'d Tenant,
    pub user: &'d User,
}

/// An ID token for the app; consumes a pending forge request.
pub fn id_token(
    idp: &Idp,
    st: &mut Mutable,
    subject: Subject<'_>,
    scope: &str,
    nonce: Option<&str>,
    sid: &str,
) -> String {
    let Subject { tenant, user } = subject;
    let client_id = &idp.directory.app.client_id;
    let iat = st.now().unix_timestamp();
    let mut claims = json!({
        "aud": client_id,
        "iss": format!("{}/{}/v2.0", idp.origin, tenant.id),
        "iat": iat,
        "nbf": iat,
        "exp": iat + st.lifetimes.id_token_seconds,
        "sub": pairwise(client_id, &user.object_id),
        "tid": tenant.id,
        "ver": "2.0",
        "uti": random_token(16),
        "sid": sid,
        "aio": random_token(48),
        "rh": format!("0.{}.", random_token(32)),
    });
    // The `profile` scope brings the names and `oid`, `email` the address.
    if includes(scope, "profile") {
        claims["name"] = json!(user.display_name);
        claims["preferred_username"] = json!(user.upn);
        claims["oid"] = json!(user.object_id);
    }
    if includes(scope, "email") {
        claims["email"] = json!(user.upn);
    }
    if !user.roles.is_empty() {
        claims["roles"] = json!(user.roles);
    }
    if let Some(nonce) = nonce {
        claims["nonce"] = json!(nonce);
    }
    let forge = st.forge.take();
    let key = st.signing_key();
    match forge {
        Some(forge) => {
            forge.spoil_claims(&mut claims, &idp.origin);
            forge.sign(key, &claims)
        }
        None => key.sign(&key.header(false), &claims),
    }
}

/// An access token for the granted resource, in the version its registration accepts: v1.0
/// (Microsoft's own APIs: `aud` the resource as requested, `iss` sts.windows.net) or v2.0
/// (`aud` the resource's application id, `iss` this authority's tenant issuer).
pub fn access_token(idp: &Idp, st: &Mutable, subject: Subject<'_>, grant: &Grant) -> String {
    let Subject { tenant, user } = subject;
    let iat = st.now().unix_timestamp();
    let client_id = &idp.directory.app.client_id;
    let mut claims: Value = json!({
        "iat": iat,
        "nbf": iat,
        "exp": iat + st.lifetimes.access_token_seconds,
        "aio": random_token(48),
        "name": user.display_name,
        "oid": user.object_id,
        "rh": format!("0.{}.", random_token(32)),
        "scp": grant.permissions.join(" "),
        "tid": tenant.id,
        "uti": random_token(16),
    });
    let extra = if grant.version == 2 {
        json!({
            "aud": grant.app_id,
            "iss": format!("{}/{}/v2.0", idp.origin, tenant.id),
            "azp": client_id,
            "azpacr": "1",
            "preferred_username": user.upn,
            "sub": pairwise(&grant.app_id, &user.object_id),
            "ver": "2.0",
        })
    } else {
        json!({
            "aud": grant.audience,
            "iss": format!("https://sts.windows.net/{}/", tenant.id),
            "acr": "1",
            "amr": ["pwd"],
            "appid": client_id,
            "appidacr": "1",
            "sub": pairwise(&grant.audience, &user.object_id),
            "unique_name": user.upn,
            "upn": user.upn,
            "ver": "1.0",
        })
    };
    if let (Some(claims), Value::Object(extra)) = (claims.as_object_mut(), extra) {
        claims.extend(extra);
    }
    let key = st.signing_key();
    key.sign(&key.header(grant.version != 2), &claims)
}

/// A subject id that is stable per (app, user) and differs between apps.
fn pairwise(app: &str, object_id: &str) -> String {
    b64(Sha256::digest(format!("{app}{object_id}")))
}
