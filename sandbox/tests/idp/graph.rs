//! Microsoft Graph's licence data over real HTTP: the app's own token with its application
//! permissions, `/subscribedSkus` with the fixture's figures, withdrawn grants, throttling and
//! the tokens Graph refuses.

use crate::support::*;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER, WWW_AUTHENTICATE};
use serde_json::{Value, json};

pub const FABRIKAM: &str = "fab0c1d2-e3f4-4a5b-8c6d-7e8f9a0b1c2d";
pub const E3: &str = "6fd2c87f-b296-42f0-b197-1e91e994b900";
pub const PREMIUM: &str = "eda1941c-3c4f-4995-b5eb-e85a42175ab9";
pub const PREMIUM_PLAN: &str = "375cd0ad-c407-49fd-866a-0bff4f8a9a4d";
pub const FLOW_O365_P2: &str = "76846ad7-7776-4c40-a281-a386362dd1b9";

/// The app's own Graph token in `tenant`.
pub async fn app_token(sandbox: &Sandbox, tenant: &str) -> String {
    let (status, body) = sandbox
        .token(
            tenant,
            &[
                ("grant_type", "client_credentials"),
                ("scope", "https://graph.microsoft.com/.default"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

/// `GET {idp}/graph/v1.0{path}` with `token`, if any: status, headers and JSON body.
pub async fn graph(
    sandbox: &Sandbox,
    path: &str,
    token: Option<&str>,
) -> (StatusCode, HeaderMap, Value) {
    let mut request = sandbox.http.get(sandbox.url(&format!("/graph/v1.0{path}")));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.json().await.unwrap())
}

/// Asserts Graph's error shape and returns the message.
pub fn assert_graph_error(body: &Value, code: &str) -> String {
    let error = &body["error"];
    assert_eq!(error["code"], code, "{body}");
    let inner = &error["innerError"];
    let date = inner["date"].as_str().unwrap();
    assert_eq!((date.len(), &date[10..11]), (19, "T"), "{date}");
    for id in ["request-id", "client-request-id"] {
        uuid::Uuid::parse_str(inner[id].as_str().unwrap()).unwrap();
    }
    error["message"].as_str().unwrap().to_owned()
}

fn sku<'a>(skus: &'a Value, sku_id: &str) -> &'a Value {
    skus["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["skuId"] == sku_id)
        .unwrap_or_else(|| panic!("no {sku_id} in {skus}"))
}

#[tokio::test]
async fn the_apps_token_with_its_roles_reads_contosos_subscribed_skus() {
    let sandbox = Sandbox::start().await;
    let token = app_token(&sandbox, CONTOSO).await;
    let (_, claims) = decode(&token);
    assert_eq!(
        claims["roles"],
        json!(["Organization.Read.All", "User.Read.All"])
    );
    let (status, headers, skus) = graph(&sandbox, "/subscribedSkus", Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{skus}");
    assert!(headers.contains_key("request-id") && headers.contains_key("client-request-id"));
    let base = sandbox.url("/graph/v1.0");
    assert_eq!(
        skus["@odata.context"],
        format!("{base}/$metadata#subscribedSkus")
    );
    assert_eq!(skus["value"].as_array().unwrap().len(), 2);
    let e3 = sku(&skus, E3);
    assert_eq!(e3["skuPartNumber"], "ENTERPRISEPACK");
    assert_eq!(e3["id"], format!("{CONTOSO}_{E3}"));
    assert_eq!(
        (&e3["appliesTo"], &e3["capabilityStatus"]),
        (&json!("User"), &json!("Enabled"))
    );
    assert_eq!(e3["consumedUnits"], 40);
    assert_eq!(
        e3["prepaidUnits"],
        json!({"enabled": 40, "lockedOut": 0, "suspended": 0, "warning": 0})
    );
    assert!(e3["servicePlans"].as_array().unwrap().contains(&json!({
        "servicePlanId": FLOW_O365_P2, "servicePlanName": "FLOW_O365_P2",
        "provisioningStatus": "Success", "appliesTo": "User"})));
    assert_eq!(e3["subscriptionIds"].as_array().unwrap().len(), 1);
    let premium = sku(&skus, PREMIUM);
    assert_eq!(premium["skuPartNumber"], "POWERAUTOMATE_ATTENDED_RPA");
    assert_eq!(
        (
            &premium["consumedUnits"],
            &premium["prepaidUnits"]["enabled"]
        ),
        (&json!(18), &json!(18))
    );

    let (status, _, selected) = graph(
        &sandbox,
        "/subscribedSkus?$select=skuId,consumedUnits",
        Some(&token),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        selected["@odata.context"],
        format!("{base}/$metadata#subscribedSkus(skuId,consumedUnits)")
    );
    assert_eq!(
        sku(&selected, PREMIUM),
        &json!({"skuId": PREMIUM, "consumedUnits": 18})
    );
    let filter = format!("/subscribedSkus?$filter=skuId eq {E3}");
    let (status, _, body) = graph(&sandbox, &filter, Some(&token)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_graph_error(&body, "Request_UnsupportedQuery");

    // Each organisation sees its own; Northwind has none.
    let fabrikam = app_token(&sandbox, FABRIKAM).await;
    let (_, _, skus) = graph(&sandbox, "/subscribedSkus", Some(&fabrikam)).await;
    let standard = sku(&skus, "f245ecc8-75af-4f8e-b61f-27d8114de5b3");
    assert_eq!(
        (
            &standard["consumedUnits"],
            &standard["prepaidUnits"]["enabled"]
        ),
        (&json!(10), &json!(25))
    );
    let northwind = app_token(&sandbox, "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d").await;
    let (_, _, skus) = graph(&sandbox, "/subscribedSkus", Some(&northwind)).await;
    assert_eq!(skus["value"], json!([]));
}

#[tokio::test]
async fn without_the_granted_permissions_graph_answers_403() {
    let sandbox = Sandbox::start().await;
    sandbox
        .control(
            "/_sandbox/graph/consent",
            json!({"tenant": CONTOSO, "granted": false}),
        )
        .await;
    let token = app_token(&sandbox, CONTOSO).await;
    assert!(decode(&token).1.get("roles").is_none());
    for path in ["/subscribedSkus", "/users?$select=id,assignedPlans"] {
        let (status, _, body) = graph(&sandbox, path, Some(&token)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        let message = assert_graph_error(&body, "Authorization_RequestDenied");
        assert_eq!(
            message,
            "Insufficient privileges to complete the operation."
        );
    }
    // Other tenants keep their grant.
    let fabrikam = app_token(&sandbox, FABRIKAM).await;
    assert_eq!(
        graph(&sandbox, "/subscribedSkus", Some(&fabrikam)).await.0,
        StatusCode::OK
    );

    sandbox
        .control(
            "/_sandbox/graph/consent",
            json!({"tenant": CONTOSO, "granted": true}),
        )
        .await;
    let token = app_token(&sandbox, CONTOSO).await;
    assert_eq!(
        graph(&sandbox, "/subscribedSkus", Some(&token)).await.0,
        StatusCode::OK
    );

    sandbox
        .control(
            "/_sandbox/graph/consent",
            json!({"tenant": CONTOSO, "granted": false}),
        )
        .await;
    sandbox.control("/_sandbox/reset", json!({})).await;
    let token = app_token(&sandbox, CONTOSO).await;
    assert!(
        decode(&token).1.get("roles").is_some(),
        "reset restores the grant"
    );
}

#[tokio::test]
async fn a_throttled_tenant_is_answered_429_with_retry_after_then_served() {
    let sandbox = Sandbox::start().await;
    let token = app_token(&sandbox, CONTOSO).await;
    sandbox
        .control(
            "/_sandbox/graph/throttle",
            json!({"tenant": CONTOSO, "requests": 2, "retryAfter": 7}),
        )
        .await;
    let fabrikam = app_token(&sandbox, FABRIKAM).await;
    assert_eq!(
        graph(&sandbox, "/subscribedSkus", Some(&fabrikam)).await.0,
        StatusCode::OK
    );
    for _ in 0..2 {
        let (status, headers, body) = graph(&sandbox, "/subscribedSkus", Some(&token)).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(headers[RETRY_AFTER], "7");
        assert_graph_error(&body, "TooManyRequests");
    }
    let (status, _, body) = graph(&sandbox, "/subscribedSkus", Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn graph_refuses_tokens_it_cannot_trust_with_401() {
    let sandbox = Sandbox::start().await;
    let (status, headers, body) = graph(&sandbox, "/subscribedSkus", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        assert_graph_error(&body, "InvalidAuthenticationToken"),
        "Access token is empty."
    );
    let challenge = headers[WWW_AUTHENTICATE].to_str().unwrap();
    assert!(
        challenge.contains("client_id=\"00000003-0000-0000-c000-000000000000\""),
        "{challenge}"
    );

    let (_, _, body) = graph(&sandbox, "/subscribedSkus", Some("not-a-jwt")).await;
    assert_graph_error(&body, "InvalidAuthenticationToken");

    let token = app_token(&sandbox, CONTOSO).await;
    let (input, _) = token.rsplit_once('.').unwrap();
    let forged = format!("{input}.{}", "A".repeat(342));
    let (status, _, body) = graph(&sandbox, "/subscribedSkus", Some(&forged)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_graph_error(&body, "InvalidAuthenticationToken");

    // A token for another service.
    let (_, flow) = sandbox
        .token(
            CONTOSO,
            &[
                ("grant_type", "client_credentials"),
                ("scope", "https://service.flow.microsoft.com//.default"),
            ],
        )
        .await;
    let flow = flow["access_token"].as_str().unwrap();
    let (status, _, body) = graph(&sandbox, "/subscribedSkus", Some(flow)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let message = assert_graph_error(&body, "InvalidAuthenticationToken");
    assert_eq!(
        message,
        "Access token validation failure. Invalid audience."
    );

    sandbox
        .control("/_sandbox/clock", json!({"offset_seconds": 3700}))
        .await;
    let (status, _, body) = graph(&sandbox, "/subscribedSkus", Some(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let message = assert_graph_error(&body, "InvalidAuthenticationToken");
    assert_eq!(message, "Lifetime validation failed, the token is expired.");
}

#[tokio::test]
async fn graph_echoes_the_callers_client_request_id() {
    let sandbox = Sandbox::start().await;
    let mine = "6b3f0c4e-1d2a-4e5f-8a9b-0c1d2e3f4a5b";
    let response = sandbox
        .http
        .get(sandbox.url("/graph/v1.0/subscribedSkus"))
        .header("client-request-id", mine)
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["client-request-id"], mine);
    let request_id = response.headers()["request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["innerError"]["client-request-id"], mine);
    assert_eq!(body["error"]["innerError"]["request-id"], request_id);
    let (status, _, body) = graph(
        &sandbox,
        "/groups",
        Some(&app_token(&sandbox, CONTOSO).await),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = assert_graph_error(&body, "BadRequest");
    assert_eq!(message, "Resource not found for the segment 'groups'.");
}
