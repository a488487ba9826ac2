//! Which bearer tokens the REST API refuses: another audience, an organisation not admitted,
//! an expired token, `alg: none`, HS256 signed with the client secret, a claim changed after
//! signing, an ID token, and a token without the scope a call needs.

use crate::rest_client::{API_SCOPE, Rest, api_token, token_answer};
use crate::support::{ALEX, control, spawn};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn part(token: &str, index: usize) -> Value {
    let raw = token.split('.').nth(index).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(raw).unwrap()).unwrap()
}

fn encode(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

async fn refused(rest: &Rest) -> (StatusCode, String, String) {
    let answer = rest.get("/api/v1/accounts").await;
    (
        answer.status,
        answer.code().to_owned(),
        answer.header("www-authenticate").unwrap_or_default(),
    )
}

#[tokio::test]
async fn tokens_that_are_not_flowhosts_are_refused() {
    let app = spawn().await;
    let good = api_token(&app, ALEX, API_SCOPE).await;
    let claims = part(&good, 1);
    assert_eq!(claims["aud"], sandbox::CLIENT_ID, "a v2.0 token");
    assert_eq!(claims["scp"], "Tickets.ReadWrite");
    assert_eq!(
        app.rest_with(good.clone())
            .get("/api/v1/accounts")
            .await
            .status,
        StatusCode::OK
    );

    // Another resource's token (Microsoft Graph) is not for this API.
    let graph = app.rest_with(api_token(&app, ALEX, "User.Read").await);
    let (status, code, challenge) = refused(&graph).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNAUTHORIZED, "invalid_token")
    );
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    assert!(challenge.contains("audience"), "{challenge}");

    // alg: none, with the good token's claims.
    let none = format!(
        "{}.{}.",
        encode(&json!({"typ": "JWT", "alg": "none"})),
        good.split('.').nth(1).unwrap()
    );
    assert_eq!(
        refused(&app.rest_with(none)).await.0,
        StatusCode::UNAUTHORIZED
    );

    // HS256 with the client secret as the key: anyone who knows the secret could forge it.
    let header = encode(&json!({"typ": "JWT", "alg": "HS256", "kid": part(&good, 0)["kid"]}));
    let input = format!("{header}.{}", good.split('.').nth(1).unwrap());
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(sandbox::CLIENT_SECRET.as_bytes()).unwrap();
    mac.update(input.as_bytes());
    let hs256 = format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    );
    assert_eq!(
        refused(&app.rest_with(hs256)).await.0,
        StatusCode::UNAUTHORIZED
    );

    // A claim changed after signing: the organisation.
    let mut changed = claims.clone();
    changed["tid"] = json!(domain::demo::FABRIKAM);
    let parts: Vec<&str> = good.split('.').collect();
    let tampered = format!("{}.{}.{}", parts[0], encode(&changed), parts[2]);
    assert_eq!(
        refused(&app.rest_with(tampered)).await.0,
        StatusCode::UNAUTHORIZED
    );

    assert_eq!(
        refused(&app.rest_with("not-a-token".into())).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let app = spawn().await;
    // Issued two hours ago by the identity provider's clock, valid for one.
    control(&app, "clock", json!({"offset_seconds": -7200})).await;
    let expired = api_token(&app, ALEX, API_SCOPE).await;
    control(&app, "clock", json!({"offset_seconds": 0})).await;
    let (status, code, challenge) = refused(&app.rest_with(expired)).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNAUTHORIZED, "invalid_token")
    );
    assert!(challenge.contains("expired"), "{challenge}");
}

#[tokio::test]
async fn an_organisation_flowhost_does_not_admit_is_refused() {
    let app = spawn().await;
    // Northwind consented to the app in Azure AD, but Flowhost has not set it up.
    let nora = app.rest_with(api_token(&app, "nora@northwind.example", API_SCOPE).await);
    let (status, code, _) = refused(&nora).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "tenant_not_admitted")
    );
}

#[tokio::test]
async fn a_read_only_token_reads_but_does_not_write() {
    let app = spawn().await;
    let read = app.rest_with(
        api_token(
            &app,
            ALEX,
            "api://f10a0057-0000-4000-8000-00000000f10a/Tickets.Read",
        )
        .await,
    );
    let (account, ticket) = app.first_records(domain::demo::CONTOSO).await;
    assert_eq!(
        read.get(&format!("/api/v1/tickets/{ticket}")).await.status,
        StatusCode::OK
    );
    let write = read
        .post(
            &format!("/api/v1/accounts/{account}/tickets"),
            json!({"title": "Not allowed"}),
        )
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    assert_eq!(write.code(), "insufficient_scope");
    assert_eq!(
        write.header("www-authenticate").as_deref(),
        Some(
            "Bearer realm=\"flowhost\", error=\"insufficient_scope\", scope=\"Tickets.ReadWrite\""
        )
    );
}

#[tokio::test]
async fn an_id_token_is_not_an_access_token() {
    let app = spawn().await;
    // An ID token has the API's audience (the client id) and issuer, but carries a nonce and
    // no scope.
    let id_token = id_token(&app).await;
    assert_eq!(part(&id_token, 1)["aud"], sandbox::CLIENT_ID);
    let (status, _, _) = refused(&app.rest_with(id_token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn id_token(app: &crate::support::TestApp) -> String {
    let answer = token_answer(&app.sandbox, &app.base, ALEX, "profile").await;
    answer["id_token"].as_str().unwrap().to_owned()
}
