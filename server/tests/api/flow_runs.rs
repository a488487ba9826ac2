//! The sandbox's Power Automate running a flow made from Flowhost's approval template, over
//! real HTTP between the widget API, the identity provider and Flowhost: the maker's connection
//! signed in, the trigger subscribed on save, a ticket opened by someone else, the approval
//! waiting for its answer, the decision commented on the ticket through the API, the run's
//! history, and the subscription gone with the flow.

use crate::support::*;
use crate::widget_api::{WidgetApi, comment_on, open_ticket, subscriptions, template_parameters};
use domain::demo::CONTOSO;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// "Ask for approval when a ticket is opened".
const APPROVAL_TEMPLATE: &str = "f10a0057a0c1400080000000000a0005";

#[tokio::test]
async fn a_flow_from_the_template_asks_for_approval_and_comments_the_decision_on_the_ticket() {
    let app = spawn().await;
    let (account, _) = app.first_records(CONTOSO).await;
    let alex = WidgetApi::of(&app, ALEX).await;

    // Flowhost's connector is listed, with the operations of its package's definition.
    let (_, apis) = alex.send(Method::GET, "apis", None).await;
    let connector = &apis["value"][0];
    assert_eq!(connector["name"], "shared_flowhost");
    assert_eq!(connector["properties"]["isCustomApi"], true);
    let operations = connector["properties"]["operations"].as_array().unwrap();
    assert!(
        operations
            .iter()
            .any(|o| o["operationId"] == "OnTicketCreated" && o["trigger"] == "single")
    );

    // Without a connection to Flowhost the flow cannot be made.
    let create = json!({"templateName": APPROVAL_TEMPLATE, "parameters": template_parameters(&app, account.0)});
    let (status, refused) = alex.send(Method::POST, "flows", Some(create.clone())).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(refused["error"]["code"], "ConnectionNotConfigured");
    assert_eq!(subscriptions(&app).await, 0);

    alex.connect(&app, ALEX).await;
    let (_, template) = alex
        .send(Method::GET, &format!("templates/{APPROVAL_TEMPLATE}"), None)
        .await;
    assert_eq!(template["properties"]["defaults"]["approver"], ALEX);
    assert_eq!(
        template["properties"]["connections"],
        json!(["shared_flowhost"])
    );
    let (status, made) = alex.send(Method::POST, "flows", Some(create)).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let flow = made["name"].as_str().unwrap().to_owned();
    // Saving subscribed the trigger in Flowhost, on alex's connection.
    assert_eq!(subscriptions(&app).await, 1);

    // Adele opens a ticket on the account.
    let adele = app.rest(ADELE).await;
    let (ticket, ticket_url) =
        open_ticket(&app, &adele, account.0, "Renew the support contract").await;

    // The run asks alex (the maker, by default) for approval, linked to the ticket's page.
    let approval = alex.received_approval(&ticket_url).await;
    assert_eq!(
        approval["properties"]["title"],
        format!("Approve ticket #{ticket}: Renew the support contract")
    );
    let (status, _) = alex.answer(&approval, "Approve").await;
    assert_eq!(status, StatusCode::OK);

    // The decision is on the ticket, written through the API on alex's connection.
    let comment = comment_on(&adele, ticket).await;
    assert_eq!(comment["text"], "Approved by Alex Wilber");
    assert_eq!(comment["via"], "flow");

    // The run's history has every action's record.
    let run = alex
        .until(
            &format!("flows/{flow}/runs?$expand=properties/actions"),
            |answer| {
                let run = answer["value"].get(0)?;
                (run["properties"]["status"] != "Running").then(|| run.clone())
            },
        )
        .await;
    let properties = &run["properties"];
    assert_eq!(properties["status"], "Succeeded", "{run}");
    assert_eq!(properties["trigger"]["outputs"]["body"]["id"], ticket);
    assert_eq!(
        properties["actions"]["Start_and_wait_for_an_approval"]["outputs"]["body"]["outcome"],
        "Approve"
    );
    assert_eq!(
        properties["actions"]["Comment_the_decision"]["status"],
        "Succeeded"
    );
    assert_eq!(
        properties["actions"]["Comment_the_decision"]["outputs"]["statusCode"],
        201
    );

    // Deleting the flow deletes its subscription in Flowhost.
    let (status, _) = alex
        .send(Method::DELETE, &format!("flows/{flow}"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(subscriptions(&app).await, 0);
}

#[tokio::test]
async fn turning_the_flow_off_and_on_unsubscribes_and_subscribes_its_trigger() {
    let app = spawn().await;
    let (account, _) = app.first_records(CONTOSO).await;
    let alex = WidgetApi::of(&app, ALEX).await;
    alex.connect(&app, ALEX).await;
    let create = json!({"templateName": APPROVAL_TEMPLATE, "parameters": template_parameters(&app, account.0)});
    let (_, made) = alex.send(Method::POST, "flows", Some(create)).await;
    let flow = made["name"].as_str().unwrap();
    assert_eq!(subscriptions(&app).await, 1);

    let state = |s: &str| Some(json!({ "state": s }));
    let (status, _) = alex
        .send(
            Method::POST,
            &format!("flows/{flow}/state"),
            state("Stopped"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(subscriptions(&app).await, 0);
    let (status, _) = alex
        .send(
            Method::POST,
            &format!("flows/{flow}/state"),
            state("Started"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(subscriptions(&app).await, 1);
}

#[tokio::test]
async fn a_callback_without_its_signature_starts_nothing() {
    let app = spawn().await;
    let client = reqwest::Client::new();
    let url = format!(
        "{}/workflows/some-flow/triggers/When_a_ticket_is_opened/run?api-version=2016-06-01&sp=%2Ftriggers%2FWhen_a_ticket_is_opened%2Frun&sv=1.0&sig=forged",
        app.flow
    );
    let answer = client
        .post(url)
        .json(&json!({"id": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(
        body["error"]["code"],
        "DirectApiInvalidAuthorizationSignature"
    );
}

#[tokio::test]
async fn a_connection_signed_in_by_someone_of_another_organisation_stays_unauthenticated() {
    let app = spawn().await;
    let alex = WidgetApi::of(&app, ALEX).await;
    let (_, made) = alex
        .send(
            Method::POST,
            "connections",
            Some(json!({"api": "shared_flowhost"})),
        )
        .await;
    let link = made["properties"]["consentLink"].as_str().unwrap();
    let window = Browser::new(&app.base);
    let back = window.pick(link, BIANCA).await;
    let page = window.get(&back).await.text().await.unwrap();
    assert!(page.contains("another organisation"), "{page}");
    let (_, listed) = alex.send(Method::GET, "connections", None).await;
    assert_eq!(
        listed["value"][0]["properties"]["statuses"][0]["status"],
        "Error"
    );
}

#[tokio::test]
async fn a_definition_outside_the_engines_subset_is_refused_when_saved_with_the_construct_named() {
    let app = spawn().await;
    let (account, _) = app.first_records(CONTOSO).await;
    let alex = WidgetApi::of(&app, ALEX).await;
    alex.connect(&app, ALEX).await;
    let flowhost = "/providers/Microsoft.PowerApps/apis/shared_flowhost";
    let definition = |actions: Value| {
        json!({"properties": {
            "displayName": "Note new tickets",
            "connectionReferences": {"shared_flowhost": {"connectionName": "shared_flowhost", "source": "Embedded", "id": flowhost, "tier": "NotSpecified"}},
            "definition": {
                "$schema": "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
                "contentVersion": "1.0.0.0",
                "triggers": {"When_a_ticket_is_opened": {"type": "OpenApiConnectionWebhook", "inputs": {
                    "host": {"apiId": flowhost, "connectionName": "shared_flowhost", "operationId": "OnTicketCreated"},
                    "parameters": {"body/accountId": account.0}}}},
                "actions": actions,
            }
        }})
    };
    let save = |body: Value| {
        let request = alex
            .client
            .post(format!(
                "{}/providers/Microsoft.ProcessSimple/environments/Default-{CONTOSO}/flows?api-version=2016-11-01",
                app.flow
            ))
            .bearer_auth(&alex.token)
            .json(&body);
        async move {
            let response = request.send().await.unwrap();
            (response.status(), response.json::<Value>().await.unwrap())
        }
    };

    let each = json!({"Each_ticket": {"type": "Foreach", "foreach": "@triggerBody()", "actions": {}, "runAfter": {}}});
    let (status, refused) = save(definition(each)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(refused["error"]["code"], "InvalidWorkflowDefinition");
    let message = refused["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("Each_ticket") && message.contains("Foreach"),
        "{message}"
    );
    assert_eq!(subscriptions(&app).await, 0);

    let note = json!({"Note": {"type": "Compose", "inputs": "@concat('Ticket ', triggerBody()?['id'])", "runAfter": {}}});
    let (status, made) = save(definition(note)).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(
        made["properties"]["definitionSummary"]["triggers"][0]["type"],
        "OpenApiConnectionWebhook"
    );
    assert_eq!(subscriptions(&app).await, 1);
}
