//! The widgets' server side over real HTTP: the token broker against the sandbox, the options
//! a page's widgets get, and what their events may record on a record.

use crate::support::*;
use app::widgets::{GetFlowToken, GetRecordActivity, GetWidgetPanel, LinkFlow, RecordApproval};
use domain::demo::{CONTOSO, FABRIKAM};
use reqwest::StatusCode;
use serde_json::{Value, json};

const FLOW: &str = "https://service.flow.microsoft.com/";

async fn token(browser: &Browser, resource: &str) -> Value {
    let (status, answer) = browser
        .call::<GetFlowToken>(&[("resource", resource)])
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer
}

fn claims(token: &str) -> Value {
    use base64::Engine as _;
    let part = token.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part)
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn a_widget_gets_a_flow_token_minted_from_the_refresh_token_and_cached() {
    let app = spawn().await;
    let alex = signed_in(&app, ALEX).await;
    let before = token_requests(&app).await;
    let first = token(&alex, FLOW).await;
    let access = first["Token"]["token"].as_str().unwrap().to_owned();
    let claims = claims(&access);
    assert_eq!(claims["aud"], FLOW);
    assert_eq!(claims["upn"], ALEX);
    assert_eq!(token_requests(&app).await, before + 1, "one refresh grant");

    // While more than five minutes remain, the provider is not asked again, with or without
    // the trailing slash.
    for resource in [FLOW, "https://service.flow.microsoft.com", ""] {
        let again = token(&alex, resource).await;
        assert_eq!(again["Token"]["token"], access.as_str(), "{resource}");
    }
    assert_eq!(token_requests(&app).await, before + 1);
}

#[tokio::test]
async fn a_token_with_less_than_five_minutes_left_is_refreshed() {
    let app = spawn().await;
    let alex = signed_in(&app, ALEX).await;
    control(&app, "lifetimes", json!({"access_token_seconds": 299})).await;
    let before = token_requests(&app).await;
    token(&alex, FLOW).await;
    token(&alex, FLOW).await;
    assert_eq!(token_requests(&app).await, before + 2);
    let stored = app
        .session_cookie_record(&alex)
        .await
        .expect("the session is stored");
    assert!(
        !stored.contains("eyJ"),
        "no access token is kept in the session"
    );
}

#[tokio::test]
async fn tokens_for_other_resources_are_refused() {
    let app = spawn().await;
    let alex = signed_in(&app, ALEX).await;
    for resource in [
        "https://graph.microsoft.com",
        "https://management.azure.com/",
    ] {
        assert_eq!(
            token(&alex, resource).await,
            json!("NotAllowed"),
            "{resource}"
        );
    }
}

#[tokio::test]
async fn without_a_usable_refresh_token_the_widget_asks_to_reconnect() {
    let app = spawn().await;
    // A session made without sign-in holds no refresh token.
    let (status, answer) = app
        .browser_with(&app.sign_in(ALEX).await)
        .call::<GetFlowToken>(&[("resource", FLOW)])
        .await;
    assert_eq!((status, answer), (StatusCode::OK, json!("Reconnect")));

    // An expired refresh token.
    let alex = signed_in(&app, ALEX).await;
    control(&app, "clock", json!({"offset_seconds": 91 * 24 * 3600})).await;
    assert_eq!(token(&alex, FLOW).await, json!("Reconnect"));

    // Anonymous: 401.
    let (status, _) = app
        .browser()
        .call::<GetFlowToken>(&[("resource", FLOW)])
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_organisation_without_power_automate_is_told_so() {
    let northwind = "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d";
    let app =
        spawn_with(|name| (name == "ALLOWED_TENANTS").then(|| format!("{CONTOSO},{northwind}")))
            .await;
    let nora = signed_in(&app, "nora@northwind.example").await;
    assert_eq!(token(&nora, FLOW).await, json!("NotProvisioned"));
}

#[tokio::test]
async fn an_unreachable_provider_makes_the_token_unavailable() {
    let app = spawn().await;
    let alex = signed_in(&app, ALEX).await;
    control(&app, "token-endpoint", json!({"mode": "error"})).await;
    assert_eq!(token(&alex, FLOW).await, json!("Unavailable"));
}

#[tokio::test]
async fn the_widgets_of_a_record_carry_the_record() {
    let app = spawn().await;
    let alex = app.browser_with(&app.sign_in(ALEX).await);
    let (account, ticket) = app.first_records(CONTOSO).await;
    let (a, t) = (account.to_string(), ticket.to_string());
    let (status, panel) = alex
        .call::<GetWidgetPanel>(&[("page", "ticket"), ("account", &a), ("ticket", &t)])
        .await;
    assert_eq!(status, StatusCode::OK, "{panel}");
    assert_eq!(panel["host"], app.flow);
    let widgets = panel["widgets"].as_array().unwrap();
    let kinds: Vec<&str> = widgets
        .iter()
        .map(|w| w["widget_type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["flowsRuntime", "approvalCenter"]);
    let url = format!("{}/accounts/{a}/tickets/{t}", app.base);
    assert_eq!(
        widgets[1]["options"]["approvalCenterSettings"]["approvalsFilter"],
        format!("properties/itemlink eq '{url}'")
    );
    let implicit: Value = serde_json::from_str(
        widgets[0]["action"]["action_data"]["implicitData"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(implicit["url"], url);
    assert!(widgets[0]["options"].get("environmentId").is_none());

    // The tenant's environment goes to every widget.
    let tenant = domain::TenantId::parse(CONTOSO).unwrap();
    app.db
        .scope(&tenant)
        .set_flow_settings(
            Some("6f2c1a9e-3b7d-4c8e-9a1f-0d2e3c4b5a60"),
            None,
            &Default::default(),
        )
        .await
        .unwrap();
    // Written past Flowhost, as by another instance: pages see it within FRESH_FOR.
    tokio::time::sleep(domain::db::FRESH_FOR).await;
    let (_, panel) = alex
        .call::<GetWidgetPanel>(&[("page", "account"), ("account", &a)])
        .await;
    for w in panel["widgets"].as_array().unwrap() {
        assert_eq!(
            w["options"]["environmentId"],
            "6f2c1a9e-3b7d-4c8e-9a1f-0d2e3c4b5a60"
        );
    }
    assert_eq!(
        panel["widgets"][1]["options"]["flowsSettings"]["flowsFilter"],
        format!("operations/any(operation: operation/flowhost.accountId eq '{a}')")
    );

    // Another tenant's record is not found.
    let bianca = app.browser_with(&app.sign_in(BIANCA).await);
    let (status, body) = bianca
        .call::<GetWidgetPanel>(&[("page", "account"), ("account", &a)])
        .await;
    assert!(!status.is_success());
    assert!(body.to_string().contains("NotFound"), "{body}");
}

#[tokio::test]
async fn a_new_flow_is_linked_to_its_record_once_and_only_into_the_flow_host() {
    let app = spawn().await;
    let alex = signed_in(&app, ALEX).await;
    let (account, _) = app.first_records(CONTOSO).await;
    let a = account.to_string();
    let f1 = crate::activity::make_flow(&app, &alex, CONTOSO).await;
    let flow_url = format!("{}/environments/Default-x/flows/{f1}/details", app.flow);
    let link = |url: String| {
        let (a, f1) = (a.clone(), f1.clone());
        let alex = &alex;
        async move {
            alex.call::<LinkFlow>(&[
                ("account", a.as_str()),
                ("flow_id", f1.as_str()),
                ("flow_url", url.as_str()),
                ("template", crate::activity::REMINDER),
            ])
            .await
        }
    };
    for bad in [
        "javascript:alert(1)".to_owned(),
        format!("https://evil.example/flows/{f1}"),
        format!("{}.evil.example/flows/{f1}", app.flow),
    ] {
        let (status, _) = link(bad.clone()).await;
        assert!(!status.is_success(), "{bad}");
    }
    let (status, body) = link(flow_url.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    link(flow_url.clone()).await;
    let (_, activity) = alex.call::<GetRecordActivity>(&[("account", &a)]).await;
    assert_eq!(activity["flows"].as_array().unwrap().len(), 1, "{activity}");
    assert_eq!(activity["flows"][0]["flow_url"], flow_url);
    assert_eq!(
        activity["events"].as_array().unwrap().len(),
        1,
        "linked once"
    );

    // Bianca can link nothing to Contoso's account, nor read its activity.
    let bianca = app.browser_with(&app.sign_in(BIANCA).await);
    let (status, _) = bianca
        .call::<LinkFlow>(&[("account", &a), ("flow_id", &f1), ("flow_url", &flow_url)])
        .await;
    assert!(!status.is_success());
    let (status, _) = bianca.call::<GetRecordActivity>(&[("account", &a)]).await;
    assert!(!status.is_success());
    let (fabrikam, _) = app.first_records(FABRIKAM).await;
    let (_, theirs) = bianca
        .call::<GetRecordActivity>(&[("account", &fabrikam.to_string())])
        .await;
    assert_eq!(theirs["flows"], json!([]));
}

#[tokio::test]
async fn approvals_are_taken_only_when_their_item_is_the_ticket_and_counted_only_when_confirmed() {
    let app = spawn().await;
    let alex = app.browser_with(&app.sign_in(ALEX).await);
    let (account, ticket) = app.first_records(CONTOSO).await;
    let (a, t) = (account.to_string(), ticket.to_string());
    let url = format!("{}/accounts/{a}/tickets/{t}", app.base);
    let report = |status: &'static str, link: String| {
        let (a, t, alex) = (a.clone(), t.clone(), &alex);
        async move {
            alex.call::<RecordApproval>(&[
                ("account", a.as_str()),
                ("ticket", t.as_str()),
                ("approval_id", "a1"),
                ("title", "Approve: discount"),
                ("status", status),
                ("item_link", link.as_str()),
            ])
            .await
            .0
        }
    };
    assert!(
        !report("Pending", format!("{url}0")).await.is_success(),
        "another item"
    );
    assert!(!report("Maybe", url.clone()).await.is_success());
    assert_eq!(report("Pending", url.clone()).await, StatusCode::OK);
    let counts = |activity: &Value| {
        (
            activity["approvals_waiting"].clone(),
            activity["approvals_decided"].clone(),
        )
    };
    let (_, activity) = alex
        .call::<GetRecordActivity>(&[("account", &a), ("ticket", &t)])
        .await;
    // No approval is confirmed with the Flow service yet: reported ones are not counted.
    assert_eq!(counts(&activity), (json!(0), json!(0)));
    assert_eq!(report("Approved", url.clone()).await, StatusCode::OK);
    assert_eq!(report("Approved", url.clone()).await, StatusCode::OK);
    let (_, activity) = alex
        .call::<GetRecordActivity>(&[("account", &a), ("ticket", &t)])
        .await;
    assert_eq!(counts(&activity), (json!(0), json!(0)));
    let outcomes: Vec<&str> = activity["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["approved", "pending"], "one entry per change");
}

#[tokio::test]
async fn a_record_page_offers_its_widgets_in_the_html_without_a_token() {
    let app = spawn().await;
    let alex = signed_in(&app, ALEX).await;
    let (account, _) = app.first_records(CONTOSO).await;
    let response = alex.get(&format!("/accounts/{account}")).await;
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains(&format!("frame-src {};", app.flow)), "{csp}");
    assert!(
        csp.contains(&format!("'wasm-unsafe-eval' {};", app.flow)),
        "{csp}"
    );
    let html = response.text().await.unwrap();
    assert!(html.contains("data-testid=\"widget-templates\""));
    assert!(html.contains("data-testid=\"widget-flows\""));
    assert!(html.contains("The Power Automate widgets need JavaScript"));
    assert!(!html.contains("eyJ"), "no token in the page");
    assert!(!html.contains("refresh_token"));
}
