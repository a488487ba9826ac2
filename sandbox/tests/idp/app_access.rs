//! An app's own access, over real HTTP: the client credentials grant in a customer tenant, and
//! a Dataverse organisation that answers such a token only once an administrator has made the
//! app one of its application users.

use crate::dataverse::{clientdata, contoso_organisation, dataverse, make};
use crate::flow::token_for;
use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const CONTOSO_DEFAULT: &str = "Default-c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70";

async fn app_token(sandbox: &Sandbox, tenant: &str, scope: &str) -> (StatusCode, Value) {
    sandbox
        .token(
            tenant,
            &[("grant_type", "client_credentials"), ("scope", scope)],
        )
        .await
}

async fn add_app_user(sandbox: &Sandbox, upn: &str, env: &str, app: &str) -> (StatusCode, Value) {
    let token = token_for(sandbox, upn, "https://service.powerapps.com//.default").await;
    let response = sandbox
        .http
        .post(format!(
            "{}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/{env}/addAppUser?api-version=2020-10-01",
            sandbox.flow
        ))
        .bearer_auth(token)
        .json(&json!({"servicePrincipalAppId": app}))
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_app_gets_a_token_of_its_own_in_a_consented_tenant() {
    let sandbox = Sandbox::start().await;
    let org = contoso_organisation(&sandbox).await;
    let (status, body) = app_token(&sandbox, CONTOSO, &format!("{org}.default")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("refresh_token").is_none() && body.get("id_token").is_none());
    assert!(body.get("scope").is_none(), "{body}");
    let token = body["access_token"].as_str().unwrap();
    sandbox.verify(token).await.unwrap();
    let (_, claims) = decode(token);
    assert_eq!(claims["idtyp"], "app");
    assert_eq!(claims["appid"], sandbox::CLIENT_ID);
    assert_eq!(claims["tid"], CONTOSO);
    assert_eq!(claims["aud"], org.trim_end_matches('/'));
    assert!(claims.get("scp").is_none() && claims.get("upn").is_none());
}

#[tokio::test]
async fn client_credentials_are_refused_as_azure_ad_refuses_them() {
    let sandbox = Sandbox::start().await;
    let graph = "https://graph.microsoft.com/.default";
    let (status, body) = app_token(&sandbox, "organizations", graph).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_aad_error(&body, "invalid_request", 50059);
    let (_, body) = app_token(&sandbox, CONTOSO, "https://graph.microsoft.com/User.Read").await;
    assert_aad_error(&body, "invalid_scope", 1002012);
    let (_, body) = app_token(&sandbox, CONTOSO, "https://nowhere.example/.default").await;
    assert_aad_error(&body, "invalid_resource", 500011);
    // Nobody in Tailspin has consented: the app has no service principal there.
    let (_, body) = app_token(&sandbox, TAILSPIN, graph).await;
    assert_aad_error(&body, "unauthorized_client", 700016);
}

#[tokio::test]
async fn dataverse_answers_the_app_only_as_an_application_user() {
    let sandbox = Sandbox::start().await;
    let org = contoso_organisation(&sandbox).await;
    let (_, body) = app_token(&sandbox, CONTOSO, &format!("{org}.default")).await;
    let app = body["access_token"].as_str().unwrap().to_owned();
    let workflows = format!("{org}api/data/v9.2/workflows");
    let (status, _, body) = dataverse(&sandbox, Method::GET, &workflows, &app, None, &[]).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("0x80072560")),
        "{body}"
    );

    // Only an administrator adds it.
    let (status, _) = add_app_user(
        &sandbox,
        "alex@contoso.example",
        CONTOSO_DEFAULT,
        sandbox::CLIENT_ID,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = add_app_user(
        &sandbox,
        "adele@contoso.example",
        "Default-nowhere",
        sandbox::CLIENT_ID,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = add_app_user(
        &sandbox,
        "adele@contoso.example",
        CONTOSO_DEFAULT,
        "not-a-guid",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    for _ in 0..2 {
        let (status, body) = add_app_user(
            &sandbox,
            "adele@contoso.example",
            CONTOSO_DEFAULT,
            sandbox::CLIENT_ID,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    let row = json!({"category": 5, "type": 1, "primaryentity": "none",
        "name": "Made by the app", "clientdata": clientdata(None)});
    let entity = make(&sandbox, &workflows, &app, row).await;
    let (status, _, body) = dataverse(&sandbox, Method::GET, &entity, &app, None, &[]).await;
    assert_eq!(
        (status, body["name"].as_str()),
        (StatusCode::OK, Some("Made by the app"))
    );
    // A user's token for another service is still refused.
    let flow_only = token_for(
        &sandbox,
        "adele@contoso.example",
        "https://service.flow.microsoft.com//.default",
    )
    .await;
    let (status, _, _) = dataverse(&sandbox, Method::GET, &workflows, &flow_only, None, &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
