//! The sandbox's Power Automate as the widgets call it: one user's widget API in Contoso's
//! default environment, the connection to Flowhost signed in through its consent window, and
//! what a flow leaves behind in Flowhost (subscriptions, comments).

use crate::activity::flow_token;
use crate::rest_client::Rest;
use crate::support::*;
use domain::TenantId;
use domain::demo::CONTOSO;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

/// The widget API in Contoso's default environment, with one user's Flow token.
pub struct WidgetApi {
    pub flow: String,
    pub token: String,
    pub client: reqwest::Client,
}

impl WidgetApi {
    pub async fn of(app: &TestApp, upn: &str) -> WidgetApi {
        let browser = signed_in(app, upn).await;
        WidgetApi {
            flow: app.flow.clone(),
            token: flow_token(&browser).await,
            client: reqwest::Client::new(),
        }
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let url = format!(
            "{}/_widget-api/environments/Default-{CONTOSO}/{path}",
            self.flow
        );
        let mut request = self.client.request(method, url).bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Makes a connection to Flowhost and signs `upn` in to it in the consent window.
    pub async fn connect(&self, app: &TestApp, upn: &str) -> Value {
        let (status, made) = self
            .send(
                Method::POST,
                "connections",
                Some(json!({"api": "shared_flowhost"})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        assert_eq!(
            made["properties"]["statuses"][0]["error"]["code"],
            "Unauthenticated"
        );
        let link = made["properties"]["consentLink"].as_str().unwrap();
        let window = Browser::new(&app.base);
        let back = window.pick(link, upn).await;
        assert!(
            back.starts_with(&format!("{}/redirect?", app.flow)),
            "{back}"
        );
        let page = window.get(&back).await;
        assert_eq!(page.status(), StatusCode::OK);
        assert!(
            page.text()
                .await
                .unwrap()
                .contains(&format!("Connected as {upn}"))
        );
        made
    }

    /// The approval received for the item at `link`, once there is one.
    pub async fn received_approval(&self, link: &str) -> Value {
        self.until("approvals?tab=received", |answer| {
            answer["value"]
                .as_array()?
                .iter()
                .find(|a| a["properties"]["itemLink"] == link)
                .cloned()
        })
        .await
    }

    /// Answers `approval` with `outcome` (`Approve`, `Reject`, or anything to be refused).
    pub async fn answer(&self, approval: &Value, outcome: &str) -> (StatusCode, Value) {
        let name = approval["name"].as_str().unwrap();
        self.send(
            Method::POST,
            &format!("approvals/{name}/respond"),
            Some(json!({ "outcome": outcome })),
        )
        .await
    }

    /// `flow`'s runs, newest first, once at least `count` of them have finished.
    pub async fn runs_finished(&self, flow: &str, count: usize) -> Vec<Value> {
        self.until(
            &format!("flows/{flow}/runs?$expand=properties/actions"),
            |answer| {
                let runs = answer["value"].as_array()?;
                let done = runs
                    .iter()
                    .filter(|r| r["properties"]["status"] != "Running")
                    .count();
                (done >= count).then(|| runs.clone())
            },
        )
        .await
    }

    /// Polls `path` until `found` picks something out of its answer.
    pub async fn until<T>(&self, path: &str, found: impl Fn(&Value) -> Option<T>) -> T {
        for _ in 0..100 {
            let (status, answer) = self.send(Method::GET, path, None).await;
            assert_eq!(status, StatusCode::OK, "{answer}");
            if let Some(it) = found(&answer) {
                return it;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("nothing turned up at {path}");
    }
}

pub fn template_parameters(app: &TestApp, account: i64) -> Value {
    json!({
        "parameters.flowhost.accountId": account.to_string(),
        "parameters.flowhost.accountUrl": format!("{}/accounts/{account}", app.base),
    })
}

pub async fn subscriptions(app: &TestApp) -> usize {
    let contoso = TenantId::parse(CONTOSO).unwrap();
    app.db.scope(&contoso).subscriptions().await.unwrap().len()
}

/// The first comment on `ticket`, once there is one.
pub async fn comment_on(rest: &Rest, ticket: i64) -> Value {
    for _ in 0..100 {
        let listed = rest
            .get(&format!("/api/v1/tickets/{ticket}/comments"))
            .await;
        if let Some(first) = listed.body["value"].get(0) {
            return first.clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no comment on ticket {ticket}");
}

/// Opens a ticket titled `title` on `account` through the API as `rest`'s user; its number and
/// its page's URL, which approvals link to.
pub async fn open_ticket(app: &TestApp, rest: &Rest, account: i64, title: &str) -> (i64, String) {
    let opened = rest
        .post(
            &format!("/api/v1/accounts/{account}/tickets"),
            json!({"title": title, "priority": "normal"}),
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    let ticket = opened.body["id"].as_i64().unwrap();
    (
        ticket,
        format!("{}/accounts/{account}/tickets/{ticket}", app.base),
    )
}
