//! The Power Automate stand-in over real HTTP: the SDK script, the widget pages, and the
//! service API with its token check, flows, filters, runs and approvals.

use crate::support::*;
use base64::Engine as _;
use reqwest::StatusCode;
use serde_json::{Value, json};

const FLOW_SCOPE: &str = "https://service.flow.microsoft.com//.default";
/// A gallery template of another publisher: the sandbox keeps its flows without running them,
/// so they need no connection to Flowhost.
pub(crate) const SAVE_ATTACHMENTS: &str = "7d8d0d2a6f2a11e7a0c3d3b5c0e6e0f1";
/// Another publisher's manual template, whose runs only complete.
pub(crate) const REMINDER: &str = "2ec8fd1095d711e69e6b05429ec0d0d7";
const SUPPORT_SITE: &str = "https://contoso.sharepoint.com/sites/support";

/// A Power Automate access token for `upn`, as Flowhost gets one: sign-in, then a refresh
/// grant for the Flow service.
pub(crate) async fn flow_token(sandbox: &Sandbox, upn: &str) -> String {
    token_for(sandbox, upn, FLOW_SCOPE).await
}

/// An access token for `upn` and `scope`: sign-in, then a refresh grant.
pub(crate) async fn token_for(sandbox: &Sandbox, upn: &str, scope: &str) -> String {
    let (flow, tokens) = sandbox.sign_in(upn).await;
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let (status, body) = sandbox
        .token(
            &flow.tenant,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh),
                ("scope", scope),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

pub(crate) async fn api(
    sandbox: &Sandbox,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = sandbox
        .http
        .request(method, format!("{}{path}", sandbox.flow));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub(crate) async fn get(sandbox: &Sandbox, path: &str, token: &str) -> (StatusCode, Value) {
    api(sandbox, reqwest::Method::GET, path, Some(token), None).await
}

pub(crate) async fn post(
    sandbox: &Sandbox,
    path: &str,
    token: &str,
    body: Value,
) -> (StatusCode, Value) {
    api(
        sandbox,
        reqwest::Method::POST,
        path,
        Some(token),
        Some(body),
    )
    .await
}

pub(crate) fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

/// Makes a flow from `template` with the account parameter.
pub(crate) async fn make_flow(sandbox: &Sandbox, token: &str, template: &str, site: &str) -> Value {
    let (status, flow) = post(
        sandbox,
        "/_widget-api/environments/~default/flows",
        token,
        json!({"templateName": template, "parameters": {"parameters.sharepoint.site": site}}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{flow}");
    flow
}

#[tokio::test]
async fn the_sdk_script_is_served_with_the_sandbox_among_its_origins() {
    let sandbox = Sandbox::start().await;
    let response = sandbox
        .http
        .get(format!("{}/Content/msflowsdk-1.1.js", sandbox.flow))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/javascript")
    );
    let script = response.text().await.unwrap();
    assert!(script.contains("MsFlowSdk"));
    assert!(script.contains(&sandbox.flow), "its own origin is allowed");
    assert!(!script.contains("__SANDBOX_ORIGIN__"));
}

#[tokio::test]
async fn faults_make_the_script_and_the_pages_fail_or_hang() {
    let sandbox = Sandbox::start().await;
    let control = |body: Value| {
        let http = sandbox.http.clone();
        let url = format!("{}/_sandbox/faults", sandbox.flow);
        async move {
            let r = http.post(url).json(&body).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK);
        }
    };
    let fetch = |path: &str| {
        sandbox
            .http
            .get(format!("{}{path}", sandbox.flow))
            .timeout(std::time::Duration::from_millis(500))
            .send()
    };
    control(json!({"script": "fail", "pages": "hang"})).await;
    assert_eq!(
        fetch("/Content/msflowsdk-1.1.js").await.unwrap().status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert!(
        fetch("/en-us/widgets/templates/")
            .await
            .unwrap_err()
            .is_timeout()
    );
    control(json!({"pages": "silent", "ready_delay_ms": 1500})).await;
    let page = fetch("/en-us/widgets/templates/").await.unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains("data-silent=\"true\"") && html.contains("data-ready-delay=\"1500\""));
    control(json!({})).await;
    assert_eq!(
        fetch("/Content/msflowsdk-1.1.js").await.unwrap().status(),
        StatusCode::OK
    );
    let refused = sandbox
        .http
        .post(format!("{}/_sandbox/faults", sandbox.flow))
        .json(&json!({"script": "sometimes"}))
        .send()
        .await
        .unwrap();
    assert!(refused.status().is_client_error());
}

#[tokio::test]
async fn widget_pages_live_where_the_sdk_points() {
    let sandbox = Sandbox::start().await;
    for (path, widget) in [
        ("/en-us/widgets/manage/environments/E/flows", "flows"),
        ("/nl-nl/widgets/manage/flows/shared", "flows"),
        ("/en-us/widgets/manage/approvals/received", "approvalCenter"),
        (
            "/en-us/widgets/manage/templates/flowCreation",
            "flowCreation",
        ),
        ("/en-us/widgets/manage/flow/run", "flowsRuntime"),
        ("/en-us/widgets/templates", "templates"),
        ("/en-us/widgets/templates/", "templates"),
    ] {
        let response = sandbox
            .http
            .get(format!("{}{path}?widgetId=x", sandbox.flow))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(
            response.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors *")
        );
        let html = response.text().await.unwrap();
        assert!(
            html.contains(&format!("data-widget-type=\"{widget}\"")),
            "{path}"
        );
    }
    let missing = sandbox
        .http
        .get(format!("{}/en-us/widgets/manage/nothing", sandbox.flow))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_takes_only_valid_flow_service_tokens() {
    let sandbox = Sandbox::start().await;
    let (none, body) = api(
        &sandbox,
        reqwest::Method::GET,
        "/_widget-api/me",
        None,
        None,
    )
    .await;
    assert_eq!(
        (none, error_code(&body)),
        (StatusCode::UNAUTHORIZED, "AuthenticationFailed")
    );

    // A Graph token (what sign-in redeems) is for another audience.
    let (_, tokens) = sandbox.sign_in("alex@contoso.example").await;
    let graph = tokens["access_token"].as_str().unwrap();
    let (status, body) = get(&sandbox, "/_widget-api/me", graph).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("audience"),
        "{body}"
    );

    let token = flow_token(&sandbox, "alex@contoso.example").await;
    let (status, me) = get(&sandbox, "/_widget-api/me", &token).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["userPrincipalName"], "alex@contoso.example");
    assert_eq!(me["tenantId"], "c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70");

    // A changed claim breaks the signature; `none` and HS256 are not RS256.
    let (header, claims) = decode(&token);
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let signature = token.rsplit('.').next().unwrap();
    let mut other = claims.clone();
    other["oid"] = json!("0b1a4ca0-3333-4b1a-8c00-00000000b1a4");
    let tampered = format!("{}.{}.{signature}", b64(&header), b64(&other));
    let unsigned = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&claims)
    );
    let mut hs = header.clone();
    hs["alg"] = json!("HS256");
    let hs256 = format!("{}.{}.{signature}", b64(&hs), b64(&claims));
    for bad in [tampered, unsigned, hs256, "not-a-token".to_owned()] {
        let (status, body) = get(&sandbox, "/_widget-api/me", &bad).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(error_code(&body), "InvalidAuthenticationToken");
    }

    // An hour later the token has expired.
    sandbox
        .control("/_sandbox/clock", json!({"offset_seconds": 3700}))
        .await;
    let (status, body) = get(&sandbox, "/_widget-api/me", &token).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::UNAUTHORIZED, "ExpiredAuthenticationToken")
    );
}

#[tokio::test]
async fn a_token_can_be_made_to_expire_early_so_the_widget_asks_again() {
    let sandbox = Sandbox::start().await;
    let token = flow_token(&sandbox, "alex@contoso.example").await;
    let r = sandbox
        .http
        .post(format!("{}/_sandbox/expire-token", sandbox.flow))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (status, body) = get(&sandbox, "/_widget-api/me", &token).await;
    assert_eq!(error_code(&body), "ExpiredAuthenticationToken", "{status}");
    let (status, _) = get(&sandbox, "/_widget-api/me", &token).await;
    assert_eq!(status, StatusCode::OK, "once only");
}

#[tokio::test]
async fn environments_are_the_tenant_own() {
    let sandbox = Sandbox::start().await;
    let alex = flow_token(&sandbox, "alex@contoso.example").await;
    let (status, env) = get(&sandbox, "/_widget-api/environments/~default", &alex).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(env["name"], "Default-c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70");
    assert_eq!(env["properties"]["isDefault"], true);
    let (status, env) = get(
        &sandbox,
        "/_widget-api/environments/6f2c1a9e-3b7d-4c8e-9a1f-0d2e3c4b5a60",
        &alex,
    )
    .await;
    assert_eq!(
        (status, env["properties"]["displayName"].as_str()),
        (StatusCode::OK, Some("Contoso Production"))
    );
    // Fabrikam's environment is not Contoso's.
    let (status, body) = get(
        &sandbox,
        "/_widget-api/environments/2b8e4d6f-1a3c-4e5f-9b7d-8c0a2e4f6b19/flows",
        &alex,
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "EnvironmentAccessDenied")
    );
}

#[tokio::test]
async fn the_flows_filter_finds_the_flows_bound_to_one_value() {
    let sandbox = Sandbox::start().await;
    let alex = flow_token(&sandbox, "alex@contoso.example").await;
    let support = make_flow(&sandbox, &alex, SAVE_ATTACHMENTS, SUPPORT_SITE).await;
    make_flow(
        &sandbox,
        &alex,
        SAVE_ATTACHMENTS,
        "https://contoso.sharepoint.com/sites/sales",
    )
    .await;
    assert_eq!(support["properties"]["templateName"], SAVE_ATTACHMENTS);
    assert!(
        support["properties"]["flowUrl"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/environments/Default-", sandbox.flow))
    );
    let filter =
        format!("operations/any(operation: operation/sharepoint.site eq '{SUPPORT_SITE}')");
    let path = format!(
        "/_widget-api/environments/~default/flows?filter={}",
        url::form_urlencoded::byte_serialize(filter.as_bytes()).collect::<String>()
    );
    let (status, list) = get(&sandbox, &path, &alex).await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&Value> = list["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["name"])
        .collect();
    assert_eq!(names, [&support["name"]]);
    let (_, all) = get(&sandbox, "/_widget-api/environments/~default/flows", &alex).await;
    assert_eq!(all["value"].as_array().unwrap().len(), 2);

    // A filter outside the subset is an error, not an empty list.
    let (status, body) = get(
        &sandbox,
        "/_widget-api/environments/~default/flows?filter=contains(name,%27x%27)",
        &alex,
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "InvalidFilter")
    );

    // Another tenant sees none of them; a template needs its parameters.
    let bianca = flow_token(&sandbox, "bianca@fabrikam.example").await;
    let (_, theirs) = get(
        &sandbox,
        "/_widget-api/environments/~default/flows",
        &bianca,
    )
    .await;
    assert_eq!(theirs["value"], json!([]));
    let (status, body) = post(
        &sandbox,
        "/_widget-api/environments/~default/flows",
        &alex,
        json!({"templateName": SAVE_ATTACHMENTS}),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "MissingTemplateParameter")
    );
}

#[tokio::test]
async fn templates_are_searched_and_paged() {
    let sandbox = Sandbox::start().await;
    let alex = flow_token(&sandbox, "alex@contoso.example").await;
    let (_, found) = get(
        &sandbox,
        "/_widget-api/environments/~default/templates?q=flowhost%20account&top=6",
        &alex,
    )
    .await;
    let names: Vec<&str> = found["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["properties"]["displayName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Acknowledge new tickets on the account",
            "Reopen a resolved ticket when someone comments on it",
            "Ask for approval when a ticket is opened"
        ]
    );
    let (_, one) = get(
        &sandbox,
        "/_widget-api/environments/~default/templates?top=1",
        &alex,
    )
    .await;
    assert_eq!(one["value"].as_array().unwrap().len(), 1);
    assert!(one["total"].as_u64().unwrap() > 1);
}
