use std::time::Duration;

use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use serde_json::json;
use sha2::Sha256;

use crate::support::*;

#[tokio::test]
async fn rotation_publishes_both_keys_and_signs_with_the_new_one() {
    let sb = Sandbox::start().await;
    let old = sb.jwks().await[0]["kid"].clone();
    let rotated = sb.control("/_sandbox/keys/rotate", json!({})).await;
    let kids: Vec<_> = sb.jwks().await.iter().map(|k| k["kid"].clone()).collect();
    assert_eq!(kids, vec![old, rotated["kid"].clone()]);
    let (_, tokens) = sb.sign_in("alex@contoso.example").await;
    let id_token = tokens["id_token"].as_str().unwrap();
    assert_eq!(decode(id_token).0["kid"], rotated["kid"]);
    sb.verify(id_token).await.unwrap();
}

#[tokio::test]
async fn clock_offset_moves_issued_times() {
    let sb = Sandbox::start().await;
    sb.control("/_sandbox/clock", json!({"offset_seconds": 86_400}))
        .await;
    let (_, tokens) = sb.sign_in("alex@contoso.example").await;
    let (_, claims) = decode(tokens["id_token"].as_str().unwrap());
    let iat = claims["iat"].as_i64().unwrap();
    assert!((iat - (now() + 86_400)).abs() < 60);
    assert_eq!(claims["exp"].as_i64().unwrap(), iat + 3600);
}

#[tokio::test]
async fn lifetimes_change_token_expiry() {
    let sb = Sandbox::start().await;
    let set = sb
        .control(
            "/_sandbox/lifetimes",
            json!({"id_token_seconds": 120, "access_token_seconds": 300}),
        )
        .await;
    assert_eq!(set["code_seconds"], 600);
    let (_, tokens) = sb.sign_in("alex@contoso.example").await;
    assert_eq!(tokens["expires_in"], 300);
    let (_, claims) = decode(tokens["id_token"].as_str().unwrap());
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        120
    );
}

/// Signs in with the next ID token forged as `kind`; returns it and the nonce sent.
async fn forged(sb: &Sandbox, kind: &str) -> (String, String) {
    sb.control("/_sandbox/forge", json!({"id_token": kind}))
        .await;
    let (flow, tokens) = sb.sign_in("alex@contoso.example").await;
    (tokens["id_token"].as_str().unwrap().to_owned(), flow.nonce)
}

#[tokio::test]
async fn forged_id_tokens_are_bad_in_the_named_way() {
    let sb = Sandbox::start().await;
    let issuer = format!("{}/{CONTOSO}/v2.0", sb.base);

    let (token, _) = forged(&sb, "bad-signature").await;
    assert_eq!(decode(&token).1["iss"], issuer);
    assert!(sb.verify(&token).await.is_err());

    let (token, _) = forged(&sb, "alg-none").await;
    assert_eq!(decode(&token).0["alg"], "none");
    assert!(token.ends_with('.'));

    let (token, _) = forged(&sb, "hs256").await;
    assert_eq!(decode(&token).0["alg"], "HS256");
    let pem = public_key(&sb.jwks().await[0])
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    let (input, signature) = token.rsplit_once('.').unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(pem.as_bytes()).unwrap();
    mac.update(input.as_bytes());
    mac.verify_slice(&b64d(signature)).unwrap();

    let (token, _) = forged(&sb, "wrong-aud").await;
    assert_ne!(decode(&token).1["aud"], sandbox::CLIENT_ID);
    sb.verify(&token).await.unwrap();

    let (token, _) = forged(&sb, "wrong-iss").await;
    let claims = decode(&token).1;
    assert_ne!(claims["iss"], issuer);
    assert_eq!(claims["tid"], CONTOSO);

    let (token, _) = forged(&sb, "unknown-kid").await;
    assert_eq!(
        sb.verify(&token).await.unwrap_err(),
        "no published key has this kid"
    );

    let (token, nonce) = forged(&sb, "wrong-nonce").await;
    assert_ne!(decode(&token).1["nonce"], nonce);

    let (token, _) = forged(&sb, "no-tid").await;
    assert!(decode(&token).1.get("tid").is_none());

    let (token, _) = forged(&sb, "expired").await;
    assert!(decode(&token).1["exp"].as_i64().unwrap() <= now() - 3500);
    sb.verify(&token).await.unwrap();

    // One-shot: the next token is good again.
    let (_, tokens) = sb.sign_in("alex@contoso.example").await;
    let good = tokens["id_token"].as_str().unwrap();
    sb.verify(good).await.unwrap();
    assert_eq!(decode(good).1["iss"], issuer);
}

#[tokio::test]
async fn token_endpoint_error_and_hang_modes() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("organizations");
    let code = sb.code(&flow, "alex@contoso.example").await;

    sb.control("/_sandbox/token-endpoint", json!({"mode": "error"}))
        .await;
    let (status, body) = sb.redeem(&flow, &code).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_aad_error(&body, "temporarily_unavailable", 90033);

    sb.control("/_sandbox/token-endpoint", json!({"mode": "hang"}))
        .await;
    let hung = sb
        .http
        .post(sb.url("/organizations/oauth2/v2.0/token"))
        .timeout(Duration::from_millis(500))
        .form(&[("grant_type", "authorization_code")])
        .send()
        .await
        .unwrap_err();
    assert!(hung.is_timeout());

    sb.control("/_sandbox/token-endpoint", json!({"mode": "ok"}))
        .await;
    assert_eq!(sb.redeem(&flow, &code).await.0, StatusCode::OK);
}

#[tokio::test]
async fn stats_count_requests() {
    let sb = Sandbox::start().await;
    sb.get_json("/organizations/v2.0/.well-known/openid-configuration")
        .await;
    sb.sign_in("alex@contoso.example").await;
    let (_, tokens) = sb.sign_in("alex@contoso.example").await;
    sb.verify(tokens["id_token"].as_str().unwrap())
        .await
        .unwrap();
    let (_, stats) = sb.get_json("/_sandbox/stats").await;
    assert_eq!(
        stats,
        json!({
            "discovery_requests": 1,
            "jwks_requests": 1,
            "authorize_requests": 4,
            "token_requests": 2,
        })
    );
}

#[tokio::test]
async fn reset_restores_the_starting_state() {
    let sb = Sandbox::start().await;
    sb.control("/_sandbox/keys/rotate", json!({})).await;
    let params = [
        ("client_id", sandbox::CLIENT_ID),
        ("scope", "https://graph.microsoft.com/.default"),
        ("redirect_uri", REDIRECT),
        ("admin", "tara@tailspin.example"),
    ];
    let consent = sb.url("/tailspin.example/adminconsent");
    sb.http.post(consent).form(&params).send().await.unwrap();
    sb.control("/_sandbox/clock", json!({"offset_seconds": -7200}))
        .await;

    sb.control("/_sandbox/reset", json!({})).await;
    assert_eq!(sb.jwks().await.len(), 1);
    let query = sb
        .pick(&Flow::new("organizations"), "tom@tailspin.example")
        .await;
    assert_eq!(query["error"], "consent_required");
    let (_, tokens) = sb.sign_in("alex@contoso.example").await;
    let iat = decode(tokens["id_token"].as_str().unwrap()).1["iat"]
        .as_i64()
        .unwrap();
    assert!((iat - now()).abs() < 60);
}
