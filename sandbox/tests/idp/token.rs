use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, PRAGMA};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn code_flow_with_pkce_issues_verifiable_tokens() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("organizations");
    let code = sb.code(&flow, "alex@contoso.example").await;
    assert!(b64d(&code).len() >= 32);
    let response = sb
        .http
        .post(sb.url("/organizations/oauth2/v2.0/token"))
        .form(&[
            ("client_id", sandbox::CLIENT_ID),
            ("client_secret", sandbox::CLIENT_SECRET),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &flow.verifier),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CACHE_CONTROL], "no-store, no-cache");
    assert_eq!(response.headers()[PRAGMA], "no-cache");
    let tokens: serde_json::Value = response.json().await.unwrap();
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 3600);
    assert_eq!(tokens["ext_expires_in"], 3600);
    assert!(tokens["refresh_token"].is_string());

    let id_token = tokens["id_token"].as_str().unwrap();
    sb.verify(id_token).await.unwrap();
    let (header, claims) = decode(id_token);
    assert_eq!(header["typ"], "JWT");
    assert_eq!(header["alg"], "RS256");
    assert_eq!(claims["aud"], sandbox::CLIENT_ID);
    assert_eq!(claims["iss"], format!("{}/{CONTOSO}/v2.0", sb.base));
    assert_eq!(claims["tid"], CONTOSO);
    assert_eq!(claims["oid"], "0a1e7c3b-1111-4a1e-8c00-00000000a1e7");
    assert_eq!(claims["name"], "Alex Wilber");
    assert_eq!(claims["preferred_username"], "alex@contoso.example");
    assert_eq!(claims["email"], "alex@contoso.example");
    assert_eq!(claims["nonce"], flow.nonce);
    assert_eq!(claims["ver"], "2.0");
    assert!(claims.get("roles").is_none());
    for claim in ["sub", "uti", "sid", "aio", "rh"] {
        assert!(claims[claim].is_string(), "{claim}");
    }
    let iat = claims["iat"].as_i64().unwrap();
    assert!((iat - now()).abs() < 60);
    assert_eq!(claims["nbf"], iat);
    assert_eq!(claims["exp"].as_i64().unwrap() - iat, 3600);

    let (_, access) = decode(tokens["access_token"].as_str().unwrap());
    assert_eq!(access["aud"], "https://graph.microsoft.com");
    assert_eq!(access["iss"], format!("https://sts.windows.net/{CONTOSO}/"));
    assert_eq!(access["ver"], "1.0");
}

#[tokio::test]
async fn sub_is_stable_and_roles_are_the_assigned_app_roles() {
    let sb = Sandbox::start().await;
    let (_, first) = sb.sign_in("adele@contoso.example").await;
    let (_, second) = sb.sign_in("adele@contoso.example").await;
    let (_, first) = decode(first["id_token"].as_str().unwrap());
    let (_, second) = decode(second["id_token"].as_str().unwrap());
    assert_eq!(first["sub"], second["sub"]);
    assert_ne!(first["sub"], first["oid"]);
    assert_eq!(first["roles"], json!(["Flowhost.TenantAdmin"]));
}

#[tokio::test]
async fn client_secret_may_come_as_http_basic() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("organizations");
    let code = sb.code(&flow, "bianca@fabrikam.example").await;
    let response = sb
        .http
        .post(sb.url("/organizations/oauth2/v2.0/token"))
        .basic_auth(sandbox::CLIENT_ID, Some(sandbox::CLIENT_SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &flow.verifier),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn wrong_code_verifier_is_501481() {
    let sb = Sandbox::start().await;
    let mut flow = Flow::new("organizations");
    let code = sb.code(&flow, "alex@contoso.example").await;
    flow.verifier = "not-the-verifier-not-the-verifier-not-the-verifier".into();
    let (status, body) = sb.redeem(&flow, &code).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_aad_error(&body, "invalid_grant", 501481);
}

#[tokio::test]
async fn reused_code_is_54005() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("organizations");
    let code = sb.code(&flow, "alex@contoso.example").await;
    assert_eq!(sb.redeem(&flow, &code).await.0, StatusCode::OK);
    let (_, body) = sb.redeem(&flow, &code).await;
    assert_aad_error(&body, "invalid_grant", 54005);
    let (_, body) = sb.redeem(&flow, "never-issued").await;
    assert_aad_error(&body, "invalid_grant", 70000);
}

#[tokio::test]
async fn redirect_uri_must_match_the_authorize_one() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("organizations");
    let code = sb.code(&flow, "alex@contoso.example").await;
    let (_, body) = sb
        .token(
            "organizations",
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", SIGNED_OUT),
                ("code_verifier", &flow.verifier),
            ],
        )
        .await;
    assert_aad_error(&body, "invalid_grant", 70000);
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("'redirect_uri'")
    );
}

#[tokio::test]
async fn client_authentication_failures() {
    let sb = Sandbox::start().await;
    let url = sb.url("/organizations/oauth2/v2.0/token");
    let post = |form: Vec<(&'static str, &'static str)>| sb.http.post(&url).form(&form).send();
    let grant = ("grant_type", "authorization_code");

    let wrong = post(vec![
        ("client_id", sandbox::CLIENT_ID),
        ("client_secret", "nope"),
        grant,
    ]);
    let wrong = wrong.await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_aad_error(&wrong.json().await.unwrap(), "invalid_client", 7000215);

    let missing = post(vec![("client_id", sandbox::CLIENT_ID), grant])
        .await
        .unwrap();
    assert_aad_error(&missing.json().await.unwrap(), "invalid_client", 7000218);

    let unknown = post(vec![
        ("client_id", "someone-else"),
        ("client_secret", "x"),
        grant,
    ]);
    let unknown = unknown.await.unwrap();
    assert_aad_error(
        &unknown.json().await.unwrap(),
        "unauthorized_client",
        700016,
    );

    let (_, body) = sb
        .token("organizations", &[("grant_type", "password")])
        .await;
    assert_aad_error(&body, "unsupported_grant_type", 70003);
}

#[tokio::test]
async fn expired_code_is_70008() {
    let sb = Sandbox::start().await;
    sb.control("/_sandbox/lifetimes", json!({"code_seconds": 0}))
        .await;
    let flow = Flow::new("organizations");
    let code = sb.code(&flow, "alex@contoso.example").await;
    let (_, body) = sb.redeem(&flow, &code).await;
    assert_aad_error(&body, "invalid_grant", 70008);
}

#[tokio::test]
async fn code_redeemed_at_another_tenant_is_700005() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("organizations");
    let code = sb.code(&flow, "alex@contoso.example").await;
    let other = Flow {
        tenant: "fabrikam.example".into(),
        ..flow
    };
    let (_, body) = sb.redeem(&other, &code).await;
    assert_aad_error(&body, "invalid_grant", 700005);
}

#[tokio::test]
async fn refresh_for_the_flow_service_gives_a_v1_flow_token_and_a_new_refresh_token() {
    let sb = Sandbox::start().await;
    let (_, tokens) = sb.sign_in("alex@contoso.example").await;
    let refresh_token = tokens["refresh_token"].as_str().unwrap();
    let sb = &sb;
    let refresh = |token: String| async move {
        sb.token(
            "organizations",
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &token),
                ("scope", "https://service.flow.microsoft.com//.default"),
            ],
        )
        .await
    };
    let (status, flow) = refresh(refresh_token.to_owned()).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert!(flow.get("id_token").is_none());
    let new_refresh = flow["refresh_token"].as_str().unwrap();
    assert_ne!(new_refresh, refresh_token);
    assert!(
        flow["scope"]
            .as_str()
            .unwrap()
            .contains("https://service.flow.microsoft.com//Flows.Read.All")
    );
    let access_token = flow["access_token"].as_str().unwrap();
    sb.verify(access_token).await.unwrap();
    let (header, claims) = decode(access_token);
    assert_eq!(header["x5t"], header["kid"]);
    assert_eq!(claims["aud"], "https://service.flow.microsoft.com/");
    assert_eq!(claims["iss"], format!("https://sts.windows.net/{CONTOSO}/"));
    assert_eq!(claims["appid"], sandbox::CLIENT_ID);
    assert_eq!(claims["appidacr"], "1");
    assert_eq!(
        claims["scp"],
        "Flows.Read.All Flows.Manage.All Approvals.Read.All Approvals.Manage.All Activity.Read.All User"
    );
    assert_eq!(claims["upn"], "alex@contoso.example");
    assert_eq!(claims["unique_name"], "alex@contoso.example");
    assert_eq!(claims["tid"], CONTOSO);
    assert_eq!(claims["ver"], "1.0");
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        3600
    );

    // The old refresh token stays valid, and so does the new one.
    assert_eq!(refresh(refresh_token.to_owned()).await.0, StatusCode::OK);
    assert_eq!(refresh(new_refresh.to_owned()).await.0, StatusCode::OK);
}

#[tokio::test]
async fn refresh_scope_problems_are_told_apart() {
    let sb = Sandbox::start().await;
    let (_, tokens) = sb.sign_in("alex@contoso.example").await;
    let refresh_token = tokens["refresh_token"].as_str().unwrap();
    for (scope, error, code) in [
        (
            "https://nowhere.example//.default",
            "invalid_resource",
            500011,
        ),
        (
            "https://management.azure.com//.default",
            "invalid_scope",
            70011,
        ),
        ("Mail.Read", "invalid_grant", 65001),
    ] {
        let (_, body) = sb
            .token(
                "organizations",
                &[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", refresh_token),
                    ("scope", scope),
                ],
            )
            .await;
        assert_aad_error(&body, error, code);
    }
    let (_, body) = sb
        .token(
            "organizations",
            &[("grant_type", "refresh_token"), ("refresh_token", "junk")],
        )
        .await;
    assert_aad_error(&body, "invalid_grant", 9002313);
}

#[tokio::test]
async fn refresh_with_openid_returns_an_id_token() {
    let sb = Sandbox::start().await;
    let (_, tokens) = sb.sign_in("alex@contoso.example").await;
    let (status, body) = sb
        .token(
            "organizations",
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
                ("scope", "openid profile offline_access"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, claims) = decode(body["id_token"].as_str().unwrap());
    assert_eq!(claims["tid"], CONTOSO);
    assert!(claims.get("nonce").is_none());
}

#[tokio::test]
async fn expired_refresh_token_is_700082() {
    let sb = Sandbox::start().await;
    sb.control("/_sandbox/lifetimes", json!({"refresh_token_seconds": 0}))
        .await;
    let (_, tokens) = sb.sign_in("alex@contoso.example").await;
    let (_, body) = sb
        .token(
            "organizations",
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
            ],
        )
        .await;
    assert_aad_error(&body, "invalid_grant", 700082);
}
