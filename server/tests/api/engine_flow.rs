//! The sandbox's flow engine running a flow made on Flowhost's connector against the real
//! Flowhost: its webhook trigger subscribed through the connector's own definition, a ticket
//! opened by someone else, the flow run with the event Flowhost posted, and its comment written
//! back through the API on the flow owner's connection. The approval's answer is given here;
//! `flow_runs.rs` runs the same kind of flow through the sandbox's Power Automate, approvals
//! and all.

use crate::callbacks::Callbacks;
use crate::rest_client::{API_SCOPE, api_token};
use crate::support::{ADELE, ALEX, spawn};
use sandbox::engine::connector::Connector;
use sandbox::engine::definition::{Connectors, Host, parse};
use sandbox::engine::http::ConnectorCalls;
use sandbox::engine::run::{Calls, Failure, Status, run};
use serde_json::{Map, Value, json};
use std::time::Duration;

const FLOWHOST: &str = "/providers/Microsoft.PowerApps/apis/shared_flowhost";
const APPROVALS: &str = "/providers/Microsoft.PowerApps/apis/shared_approvals";

struct Known(Connector);

impl Connectors for Known {
    fn has_operation(&self, api_id: &str, operation_id: &str) -> bool {
        match api_id {
            FLOWHOST => self.0.has(operation_id),
            APPROVALS => operation_id == "StartAndWaitForAnApproval",
            _ => false,
        }
    }
}

/// Flowhost's operations over HTTP; the approval answered by Adele.
struct Approved<'c>(ConnectorCalls<'c>);

impl Calls for Approved<'_> {
    async fn call(&self, host: &Host, parameters: &Map<String, Value>) -> Result<Value, Failure> {
        self.0.call(host, parameters).await
    }
    async fn wait(&self, _: &Host, _: &Map<String, Value>) -> Result<Value, Failure> {
        Ok(json!({"statusCode": 200, "body": {"outcome": "Approve",
            "responses": [{"responder": {"displayName": "Adele Vance"}}]}}))
    }
}

fn references() -> Map<String, Value> {
    json!({
        "shared_flowhost": {"connectionName": "alex-flowhost", "source": "Embedded", "id": FLOWHOST, "tier": "NotSpecified"},
        "shared_approvals": {"connectionName": "alex-approvals", "source": "Embedded", "id": APPROVALS, "tier": "NotSpecified"}
    })
    .as_object()
    .unwrap()
    .clone()
}

/// "When a ticket is opened for an account, ask the account owner to approve it and comment
/// the decision on the ticket."
fn definition(account: i64) -> Value {
    let flowhost = |operation: &str| json!({"apiId": FLOWHOST, "connectionName": "shared_flowhost", "operationId": operation});
    json!({
        "$schema": "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
        "contentVersion": "1.0.0.0",
        "triggers": {"When_a_ticket_is_created": {"type": "OpenApiConnectionWebhook",
            "inputs": {"host": flowhost("OnTicketCreated"), "parameters": {"body/accountId": account}}}},
        "actions": {
            "Start_and_wait_for_an_approval": {"type": "OpenApiConnectionWebhook", "runAfter": {},
                "inputs": {"host": {"apiId": APPROVALS, "connectionName": "shared_approvals", "operationId": "StartAndWaitForAnApproval"},
                    "parameters": {"approvalType": "Basic", "WebhookApprovalCreationInput/title": "Approve ticket #@{triggerBody()?['id']}"}}},
            "Condition": {"type": "If", "runAfter": {"Start_and_wait_for_an_approval": ["Succeeded"]},
                "expression": {"and": [{"equals": ["@outputs('Start_and_wait_for_an_approval')?['body/outcome']", "Approve"]}]},
                "actions": {"Comment_the_decision": {"type": "OpenApiConnection", "runAfter": {},
                    "inputs": {"host": flowhost("AddComment"), "parameters": {
                        "ticketId": "@triggerBody()?['id']",
                        "body/text": "@{concat('Approved by ', body('Start_and_wait_for_an_approval')?['responses'][0]?['responder/displayName'])}"}}}},
                "else": {"actions": {}}}
        }
    })
}

#[tokio::test]
async fn a_flow_on_flowhosts_connector_runs_on_a_new_ticket_and_comments_through_the_api() {
    let app = spawn().await;
    let callbacks = Callbacks::start().await;
    let (account, _) = app.first_records(domain::demo::CONTOSO).await;
    let connector = Connector::flowhost();
    let flow = parse(
        &definition(account.0),
        &references(),
        &Known(Connector::flowhost()),
    )
    .unwrap();
    let calls = Approved(ConnectorCalls {
        connector: &connector,
        origin: app.base.clone(),
        token: api_token(&app, ALEX, API_SCOPE).await,
        http: ConnectorCalls::client(),
    });

    // Saving the flow subscribes its trigger, the callback in the field the definition marks.
    let sandbox::engine::definition::Trigger::Webhook { host, parameters } = &flow.trigger else {
        panic!("a webhook trigger")
    };
    let field = connector.notification_field(&host.operation_id).unwrap();
    let mut subscribe = parameters.clone();
    subscribe.insert(format!("body/{field}"), json!(callbacks.url("flow")));
    let subscribed = calls.call(host, &subscribe).await.unwrap();
    assert_eq!(subscribed["statusCode"], 201);
    assert!(
        subscribed["headers"]["location"]
            .as_str()
            .unwrap()
            .contains("/api/v1/hooks/")
    );

    // Adele opens a ticket on the account; Flowhost posts the event to the flow.
    let adele = app.rest(ADELE).await;
    let opened = adele
        .post(
            &format!("/api/v1/accounts/{account}/tickets"),
            json!({"title": "Replace the broken badge reader"}),
        )
        .await;
    let ticket = opened.body["id"].as_i64().unwrap();
    let event = callbacks.taken("flow", 1, Duration::from_secs(10)).await;
    let trigger = json!({"headers": {}, "body": event[0].body});

    let done = run(&flow, trigger, &Map::new(), &calls).await;
    assert_eq!(done.status, Status::Succeeded, "{:?}", done.actions);
    assert_eq!(
        done.actions["Comment_the_decision"].outputs["statusCode"],
        201
    );

    let page = app
        .browser_with(&app.sign_in(ADELE).await)
        .page(&format!("/accounts/{account}/tickets/{ticket}"))
        .await;
    let comment = page
        .split("data-testid=\"comment\"")
        .nth(1)
        .expect("the flow's comment");
    assert!(comment.contains("Approved by Adele Vance"));
    assert!(comment.contains("A flow, on behalf of Alex Wilber"));
}
