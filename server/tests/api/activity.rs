//! What the widgets report reaches a record only as far as Flowhost can stand behind it: flows
//! and runs confirmed with the sandbox's Flow service, approval decisions kept as reported and
//! left out of the counts, and each user's events limited.

use crate::support::*;
use app::widgets::{GetFlowToken, GetRecordActivity, LinkFlow, RecordApproval, RecordRun};
use domain::demo::{CONTOSO, FABRIKAM};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::flow_api::WidgetEventLimit;
use std::time::Duration;

/// A gallery template with no parameters and a manual trigger.
pub const REMINDER: &str = "2ec8fd1095d711e69e6b05429ec0d0d7";
/// Another template's id, which a browser could claim instead.
const OTHER_TEMPLATE: &str = "f10a0057a0c1400080000000000a0001";

/// The browser's access token for the Flow service.
pub async fn flow_token(browser: &Browser) -> String {
    let (status, answer) = browser.call::<GetFlowToken>(&[("resource", "")]).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer["Token"]["token"].as_str().unwrap().to_owned()
}

/// The sandbox's widget API in `tenant`'s default environment, as the browser's user.
async fn widget_api(
    app: &TestApp,
    browser: &Browser,
    tenant: &str,
    path: &str,
    body: Option<Value>,
) -> Value {
    let url = format!(
        "{}/_widget-api/environments/Default-{tenant}/{path}",
        app.flow
    );
    let client = reqwest::Client::new();
    let request = match body {
        Some(body) => client.post(url).json(&body),
        None => client.get(url),
    };
    let response = request
        .bearer_auth(flow_token(browser).await)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.unwrap()
}

/// A flow made from `REMINDER` through the sandbox's widget API, as a widget would: its id.
pub async fn make_flow(app: &TestApp, browser: &Browser, tenant: &str) -> String {
    let body = json!({ "templateName": REMINDER, "parameters": {} });
    let made = widget_api(app, browser, tenant, "flows", Some(body)).await;
    made["name"].as_str().unwrap().to_owned()
}

/// Runs `flow` and waits for the run to end: its id and status.
async fn finished_run(app: &TestApp, browser: &Browser, flow: &str) -> (String, String) {
    let path = format!("flows/{flow}/runs");
    let started = widget_api(app, browser, CONTOSO, &path, Some(json!({}))).await;
    let run = started["name"].as_str().unwrap().to_owned();
    for _ in 0..50 {
        let now = widget_api(app, browser, CONTOSO, &format!("{path}/{run}"), None).await;
        let status = now["properties"]["status"].as_str().unwrap().to_owned();
        if status != "Running" {
            return (run, status);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the run did not end");
}

pub async fn link(browser: &Browser, app: &TestApp, account: &str, flow: &str) -> StatusCode {
    let url = format!(
        "{}/environments/Default-{CONTOSO}/flows/{flow}/details",
        app.flow
    );
    let (status, _) = browser
        .call::<LinkFlow>(&[
            ("account", account),
            ("flow_id", flow),
            ("flow_url", &url),
            ("template", OTHER_TEMPLATE),
        ])
        .await;
    status
}

async fn activity(browser: &Browser, account: &str, ticket: Option<&str>) -> Value {
    let mut args = vec![("account", account)];
    args.extend(ticket.map(|t| ("ticket", t)));
    let (status, activity) = browser.call::<GetRecordActivity>(&args).await;
    assert_eq!(status, StatusCode::OK, "{activity}");
    activity
}

#[tokio::test]
async fn a_flow_the_flow_service_does_not_know_is_not_linked() {
    let app = spawn().await;
    let alex = signed_in(&app, ALEX).await;
    let (account, _) = app.first_records(CONTOSO).await;
    let a = account.to_string();
    assert_eq!(
        link(&alex, &app, &a, "made-up-flow").await,
        StatusCode::NOT_FOUND
    );
    let stored = activity(&alex, &a, None).await;
    assert_eq!(stored["flows"], json!([]));
    assert_eq!(stored["events"], json!([]));
}

#[tokio::test]
async fn a_real_flow_is_linked_with_the_template_the_service_names() {
    let app = spawn().await;
    let alex = signed_in(&app, ALEX).await;
    let (account, _) = app.first_records(CONTOSO).await;
    let a = account.to_string();
    let flow = make_flow(&app, &alex, CONTOSO).await;
    assert_eq!(link(&alex, &app, &a, &flow).await, StatusCode::OK);
    assert_eq!(link(&alex, &app, &a, &flow).await, StatusCode::OK);
    let stored = activity(&alex, &a, None).await;
    assert_eq!(stored["flows"].as_array().unwrap().len(), 1, "{stored}");
    assert_eq!(stored["flows"][0]["flow_id"], flow.as_str());
    assert_eq!(
        stored["flows"][0]["template"], REMINDER,
        "not the browser's"
    );
    assert_eq!(stored["events"].as_array().unwrap().len(), 1, "linked once");
    assert_eq!(stored["events"][0]["confirmed"], true);

    // Bianca cannot see Contoso's flow, so she cannot link it to her own account either.
    let bianca = signed_in(&app, BIANCA).await;
    let (fabrikam, _) = app.first_records(FABRIKAM).await;
    let f = fabrikam.to_string();
    assert_eq!(link(&bianca, &app, &f, &flow).await, StatusCode::NOT_FOUND);
    assert_eq!(activity(&bianca, &f, None).await["flows"], json!([]));
}

#[tokio::test]
async fn a_run_is_recorded_only_as_the_flow_service_knows_it() {
    let app = spawn().await;
    let alex = signed_in(&app, ALEX).await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    let (a, t) = (account.to_string(), ticket.to_string());
    let flow = make_flow(&app, &alex, CONTOSO).await;
    let (run, status) = finished_run(&app, &alex, &flow).await;
    assert_eq!(status, "Succeeded");
    let report = |run: String, status: &'static str| {
        let (a, t, flow, alex) = (a.clone(), t.clone(), flow.clone(), &alex);
        async move {
            alex.call::<RecordRun>(&[
                ("account", a.as_str()),
                ("ticket", t.as_str()),
                ("flow_name", flow.as_str()),
                ("run_id", run.as_str()),
                ("status", status),
            ])
            .await
            .0
        }
    };
    assert_eq!(report(run.clone(), "Failed").await, StatusCode::NOT_FOUND);
    assert_eq!(
        report("08586653536760200319026785874CU62".into(), "Succeeded").await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(activity(&alex, &a, Some(&t)).await["events"], json!([]));

    assert_eq!(report(run, "Succeeded").await, StatusCode::OK);
    let stored = activity(&alex, &a, Some(&t)).await;
    let events = stored["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{stored}");
    assert_eq!(events[0]["kind"], "run_completed");
    assert_eq!(events[0]["outcome"], "succeeded");
    assert_eq!(events[0]["confirmed"], true);
}

#[tokio::test]
async fn a_reported_approval_decision_is_kept_as_reported_and_not_counted() {
    let app = spawn().await;
    let alex = app.browser_with(&app.sign_in(ALEX).await);
    let (account, ticket) = app.first_records(CONTOSO).await;
    let (a, t) = (account.to_string(), ticket.to_string());
    let url = format!("{}/accounts/{a}/tickets/{t}", app.base);
    for status in ["Pending", "Approved"] {
        let (answer, body) = alex
            .call::<RecordApproval>(&[
                ("account", a.as_str()),
                ("ticket", t.as_str()),
                ("approval_id", "made-up"),
                ("title", "Approve: discount"),
                ("status", status),
                ("item_link", url.as_str()),
            ])
            .await;
        assert_eq!(answer, StatusCode::OK, "{body}");
    }
    let stored = activity(&alex, &a, Some(&t)).await;
    assert_eq!(stored["approvals_waiting"], 0);
    assert_eq!(stored["approvals_decided"], 0);
    let events = stored["events"].as_array().unwrap();
    assert_eq!(events.len(), 2, "{stored}");
    assert!(events.iter().all(|e| e["confirmed"] == false), "{stored}");

    let page = alex.page(&format!("/accounts/{a}/tickets/{t}")).await;
    assert!(page.contains("reported by the approvals widget"), "{page}");
}

#[tokio::test]
async fn widget_events_are_limited_per_user() {
    let app = spawn_adjusted(
        |_| None,
        |config| config.widget_event_limit = WidgetEventLimit { per_minute: 3 },
    )
    .await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    let (a, t) = (account.to_string(), ticket.to_string());
    let report = |browser: Browser| {
        let (a, t) = (a.clone(), t.clone());
        async move {
            let (status, _) = browser
                .call::<RecordApproval>(&[
                    ("account", a.as_str()),
                    ("ticket", t.as_str()),
                    ("approval_id", "a1"),
                    ("title", "Approve"),
                    ("status", "Pending"),
                    ("item_link", "https://elsewhere.example/"),
                ])
                .await;
            status
        }
    };
    let alex = app.sign_in(ALEX).await;
    for _ in 0..3 {
        assert_eq!(report(app.browser_with(&alex)).await, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        report(app.browser_with(&alex)).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another session of the same user counts against the same limit; another user does not.
    let again = app.sign_in(ALEX).await;
    assert_eq!(
        report(app.browser_with(&again)).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    let adele = app.sign_in(ADELE).await;
    assert_eq!(
        report(app.browser_with(&adele)).await,
        StatusCode::NOT_FOUND
    );
}
