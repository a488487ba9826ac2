//! The v2.0 discovery document (`/{tenant}/v2.0/.well-known/openid-configuration`) and the
//! JWKS its `jwks_uri` names, with the fields Azure AD serves.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::Idp;
use super::tenant::TenantScope;

/// `GET /{tenant}/v2.0/.well-known/openid-configuration`
pub async fn configuration(State(idp): State<Arc<Idp>>, Path(segment): Path<String>) -> Response {
    idp.lock().stats.discovery_requests += 1;
    let scope = match idp.tenant(&segment) {
        Ok(scope) => scope,
        Err(error) => return error.into_json(&idp),
    };
    let origin = &idp.origin;
    let base = format!("{origin}/{segment}");
    let region = match scope {
        TenantScope::Tenant(_) => json!("WW"),
        _ => Value::Null,
    };
    cached_json(json!({
        "token_endpoint": format!("{base}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported":
            ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{base}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": format!("{origin}/{}/v2.0", scope.issuer_tenant()),
        "request_uri_parameter_supported": false,
        "userinfo_endpoint": "https://graph.microsoft.com/oidc/userinfo",
        "authorization_endpoint": format!("{base}/oauth2/v2.0/authorize"),
        "device_authorization_endpoint": format!("{base}/oauth2/v2.0/devicecode"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "end_session_endpoint": format!("{base}/oauth2/v2.0/logout"),
        "claims_supported": [
            "sub", "iss", "cloud_instance_name", "cloud_instance_host_name",
            "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr",
            "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"
        ],
        "kerberos_endpoint": format!("{base}/kerberos"),
        "tenant_region_scope": region,
        "cloud_instance_name": "microsoftonline.com",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": "graph.microsoft.com",
        "rbac_url": "https://pas.windows.net",
    }))
}

/// `GET /{tenant}/discovery/v2.0/keys`: every key used since start, each valid for any
/// tenant (the `{tenantid}` issuer template).
pub async fn keys(State(idp): State<Arc<Idp>>, Path(segment): Path<String>) -> Response {
    idp.lock().stats.jwks_requests += 1;
    if let Err(error) = idp.tenant(&segment) {
        return error.into_json(&idp);
    }
    let issuer = format!("{}/{{tenantid}}/v2.0", idp.origin);
    let keys: Vec<Value> = idp.lock().keys.iter().map(|k| k.jwk(&issuer)).collect();
    cached_json(json!({ "keys": keys }))
}

/// JSON with the headers recorded from the real metadata endpoints.
fn cached_json(body: Value) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=86400, private"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (header::ACCESS_CONTROL_ALLOW_METHODS, "GET, OPTIONS"),
        ],
        body.to_string(),
    )
        .into_response()
}
