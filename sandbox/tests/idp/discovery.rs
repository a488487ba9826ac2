use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE};
use rsa::pkcs8::EncodePublicKey;
use sha1::{Digest, Sha1};

use crate::support::*;

const MEMBERS: [&str; 23] = [
    "token_endpoint",
    "token_endpoint_auth_methods_supported",
    "jwks_uri",
    "response_modes_supported",
    "subject_types_supported",
    "id_token_signing_alg_values_supported",
    "response_types_supported",
    "scopes_supported",
    "issuer",
    "request_uri_parameter_supported",
    "userinfo_endpoint",
    "authorization_endpoint",
    "device_authorization_endpoint",
    "http_logout_supported",
    "frontchannel_logout_supported",
    "end_session_endpoint",
    "claims_supported",
    "kerberos_endpoint",
    "tenant_region_scope",
    "cloud_instance_name",
    "cloud_graph_host_name",
    "msgraph_host",
    "rbac_url",
];

#[tokio::test]
async fn organizations_document_has_the_template_issuer() {
    let sb = Sandbox::start().await;
    let url = sb.url("/organizations/v2.0/.well-known/openid-configuration");
    let response = sb.http.get(url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[CONTENT_TYPE],
        "application/json; charset=utf-8"
    );
    assert_eq!(response.headers()[CACHE_CONTROL], "max-age=86400, private");
    let doc: serde_json::Value = response.json().await.unwrap();
    for member in MEMBERS {
        assert!(doc.get(member).is_some(), "{member} missing");
    }
    let base = &sb.base;
    assert_eq!(doc["issuer"], format!("{base}/{{tenantid}}/v2.0"));
    assert_eq!(
        doc["jwks_uri"],
        format!("{base}/organizations/discovery/v2.0/keys")
    );
    assert_eq!(
        doc["authorization_endpoint"],
        format!("{base}/organizations/oauth2/v2.0/authorize")
    );
    assert_eq!(
        doc["token_endpoint"],
        format!("{base}/organizations/oauth2/v2.0/token")
    );
    assert_eq!(
        doc["end_session_endpoint"],
        format!("{base}/organizations/oauth2/v2.0/logout")
    );
    assert_eq!(
        doc["id_token_signing_alg_values_supported"],
        serde_json::json!(["RS256"])
    );
}

#[tokio::test]
async fn tenant_guid_document_has_a_concrete_issuer() {
    let sb = Sandbox::start().await;
    let (status, doc) = sb
        .get_json(&format!("/{CONTOSO}/v2.0/.well-known/openid-configuration"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["issuer"], format!("{}/{CONTOSO}/v2.0", sb.base));
    assert_eq!(
        doc["token_endpoint"],
        format!("{}/{CONTOSO}/oauth2/v2.0/token", sb.base)
    );
    assert_eq!(doc["tenant_region_scope"], "WW");
}

#[tokio::test]
async fn domain_document_issues_for_the_guid_and_keeps_the_domain_in_endpoints() {
    let sb = Sandbox::start().await;
    let (_, doc) = sb
        .get_json("/contoso.example/v2.0/.well-known/openid-configuration")
        .await;
    assert_eq!(doc["issuer"], format!("{}/{CONTOSO}/v2.0", sb.base));
    assert_eq!(
        doc["authorization_endpoint"],
        format!("{}/contoso.example/oauth2/v2.0/authorize", sb.base)
    );
}

#[tokio::test]
async fn consumers_document_names_the_msa_tenant() {
    let sb = Sandbox::start().await;
    let (_, doc) = sb
        .get_json("/consumers/v2.0/.well-known/openid-configuration")
        .await;
    assert_eq!(
        doc["issuer"],
        format!("{}/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0", sb.base)
    );
}

#[tokio::test]
async fn unknown_tenant_is_aadsts90002() {
    let sb = Sandbox::start().await;
    let (status, body) = sb
        .get_json("/nowhere.example/v2.0/.well-known/openid-configuration")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_aad_error(&body, "invalid_tenant", 90002);
}

#[tokio::test]
async fn jwks_keys_are_shaped_like_azure_ads() {
    let sb = Sandbox::start().await;
    let keys = sb.jwks().await;
    assert_eq!(keys.len(), 1);
    let key = &keys[0];
    assert_eq!(key["kty"], "RSA");
    assert_eq!(key["use"], "sig");
    assert_eq!(key["e"], "AQAB");
    assert!(key.get("alg").is_none());
    assert_eq!(key["kid"], key["x5t"]);
    assert_eq!(key["issuer"], format!("{}/{{tenantid}}/v2.0", sb.base));
    // No certificate: the thumbprint is over the SubjectPublicKeyInfo.
    let spki = public_key(key).to_public_key_der().unwrap();
    let thumbprint = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        Sha1::digest(spki.as_bytes()),
    );
    assert_eq!(key["kid"], thumbprint);
    let rsa_bits = b64d(key["n"].as_str().unwrap()).len() * 8;
    assert_eq!(rsa_bits, 2048);
}
