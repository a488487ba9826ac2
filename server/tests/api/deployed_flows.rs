//! A flow deployed through an environment's Dataverse organisation, the supported route for
//! pre-built flows, over real HTTP between Flowhost, the identity provider and the sandbox's
//! Power Platform: the organisation found in the environments list, the connection reference
//! bound to the admin's connection to Flowhost, the catalog's flow created off and turned on
//! (its trigger subscribed in Flowhost), run by a new ticket, then turned off and deleted.

use crate::rest_client::api_token;
use crate::support::*;
use crate::widget_api::{WidgetApi, comment_on, open_ticket, subscriptions};
use domain::demo::CONTOSO;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// `method` on `url` with `token`; the status, the `OData-EntityId` and the JSON body.
pub async fn call(
    method: Method,
    url: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Option<String>, Value) {
    let mut request = reqwest::Client::new()
        .request(method, url)
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let answer = request.send().await.unwrap();
    let status = answer.status();
    let entity = answer
        .headers()
        .get("odata-entityid")
        .map(|v| v.to_str().unwrap().to_owned());
    let text = answer.text().await.unwrap();
    (
        status,
        entity,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

/// The catalog entry `id` as `clientdata`: its parameters' values written into the definition,
/// its Flowhost connection reference pointed at `connection`.
fn clientdata(id: &str, parameters: &[(&str, String)], connection: Value) -> String {
    let flow = catalog::find(id).unwrap();
    let mut definition = flow.definition().clone();
    for (name, value) in parameters {
        definition["parameters"][*name]["defaultValue"] = json!(value);
    }
    let mut references = flow.exported["connectionReferences"].clone();
    references["shared_flowhost"]["connection"] = connection;
    json!({"properties": {"connectionReferences": references, "definition": definition},
           "schemaVersion": "1.0.0.0"})
    .to_string()
}

/// The Web API of Contoso's default environment's organisation, found as an admin finds it
/// (the environments list), with `upn`'s token for it.
pub async fn organisation(app: &TestApp, upn: &str) -> (String, String) {
    let powerapps = api_token(app, upn, "https://service.powerapps.com//.default").await;
    let (status, _, environments) = call(
        Method::GET,
        &format!(
            "{}/providers/Microsoft.BusinessAppPlatform/environments?api-version=2020-10-01",
            app.flow
        ),
        &powerapps,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{environments}");
    let org = environments["value"][0]["properties"]["linkedEnvironmentMetadata"]["instanceUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = api_token(app, upn, &format!("{org}.default")).await;
    (format!("{org}api/data/v9.2"), token)
}

/// Makes the cloud flow `name` of `clientdata` in the organisation at `api`; its record's URL
/// and its name in the Flow service (the id in `…/workflows({id})`).
async fn deploy(api: &str, token: &str, name: &str, clientdata: String) -> (String, String) {
    let row = workflow_row(name, clientdata);
    let (status, entity, body) =
        call(Method::POST, &format!("{api}/workflows"), token, Some(row)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let entity = entity.unwrap();
    let flow = entity
        .trim_end_matches(')')
        .rsplit('(')
        .next()
        .unwrap()
        .to_owned();
    (entity, flow)
}

/// A cloud flow row of `clientdata`.
fn workflow_row(name: &str, clientdata: String) -> Value {
    json!({"category": 5, "type": 1, "primaryentity": "none", "name": name,
           "description": "Catalog version 1", "clientdata": clientdata})
}

#[tokio::test]
async fn a_flow_deployed_through_dataverse_runs_once_its_connection_reference_is_bound() {
    let app = spawn().await;
    let (account, _) = app.first_records(CONTOSO).await;

    let (api, dataverse) = organisation(&app, ADELE).await;

    // Adele's connection to Flowhost, bound to the solution's connection reference.
    let adele = WidgetApi::of(&app, ADELE).await;
    let connection = adele.connect(&app, ADELE).await;
    let reference = json!({"connectionreferencelogicalname": "flowhost_tickets",
        "connectorid": "/providers/Microsoft.PowerApps/apis/shared_flowhost",
        "connectionid": connection["name"]});
    let (status, _, body) = call(
        Method::POST,
        &format!("{api}/connectionreferences"),
        &dataverse,
        Some(reference),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    let parameters = [
        ("flowhost.accountId", account.0.to_string()),
        (
            "flowhost.accountUrl",
            format!("{}/accounts/{account}", app.base),
        ),
        ("approver", ADELE.to_owned()),
    ];
    let binding = json!({"connectionReferenceLogicalName": "flowhost_tickets"});
    let (entity, _) = deploy(
        &api,
        &dataverse,
        "Ask for approval when a ticket is opened",
        clientdata("f10a0057a0c1400080000000000a0005", &parameters, binding),
    )
    .await;
    assert_eq!(subscriptions(&app).await, 0, "made off");

    let on = json!({"statecode": 1, "statuscode": 2});
    let (status, _, body) = call(Method::PATCH, &entity, &dataverse, Some(on)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(
        subscriptions(&app).await,
        1,
        "turned on, its trigger is subscribed"
    );

    // Alex opens a ticket; the deployed flow asks adele and comments her decision.
    let alex = app.rest(ALEX).await;
    let (ticket, link) = open_ticket(&app, &alex, account.0, "Order a second projector").await;
    let approval = adele.received_approval(&link).await;
    let (status, _) = adele.answer(&approval, "Approve").await;
    assert_eq!(status, StatusCode::OK);
    let comment = comment_on(&alex, ticket).await;
    assert_eq!(comment["text"], "Approved by Adele Vance");

    let off = json!({"statecode": 0, "statuscode": 1});
    let (status, _, _) = call(Method::PATCH, &entity, &dataverse, Some(off)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        subscriptions(&app).await,
        0,
        "turned off, its subscription is gone"
    );
    let (status, _, _) = call(Method::DELETE, &entity, &dataverse, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = call(Method::GET, &entity, &dataverse, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The pre-built "Escalate urgent tickets", deployed for the whole organisation with its
/// connection named directly: a normal ticket passes by, an urgent one goes to the contact.
#[tokio::test]
async fn the_prebuilt_escalation_asks_the_contact_only_for_urgent_tickets() {
    let app = spawn().await;
    let (account, _) = app.first_records(CONTOSO).await;
    let (api, dataverse) = organisation(&app, ADELE).await;
    let adele = WidgetApi::of(&app, ADELE).await;
    let connection = adele.connect(&app, ADELE).await;
    let parameters = [
        ("escalationContact", ALEX.to_owned()),
        ("flowhost.url", app.base.clone()),
    ];
    let binding = json!({"name": connection["name"]});
    let (entity, flow) = deploy(
        &api,
        &dataverse,
        "Escalate urgent tickets",
        clientdata("f10a0057a0c1400080000000000b0001", &parameters, binding),
    )
    .await;
    let on = json!({"statecode": 1, "statuscode": 2});
    let (status, _, body) = call(Method::PATCH, &entity, &dataverse, Some(on)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    let rest = app.rest(ADELE).await;
    let normal = rest
        .post(
            &format!("/api/v1/accounts/{account}/tickets"),
            json!({"title": "Reset a password", "priority": "normal"}),
        )
        .await;
    assert_eq!(normal.status, StatusCode::CREATED);
    let urgent = rest
        .post(
            &format!("/api/v1/accounts/{account}/tickets"),
            json!({"title": "The whole office is offline", "priority": "urgent"}),
        )
        .await;
    let ticket = urgent.body["id"].as_i64().unwrap();
    let alex = WidgetApi::of(&app, ALEX).await;
    let link = format!("{}/accounts/{account}/tickets/{ticket}", app.base);
    let approval = alex.received_approval(&link).await;
    assert_eq!(
        approval["properties"]["title"],
        format!("Take on urgent ticket #{ticket}: The whole office is offline")
    );
    let (status, _) = alex.answer(&approval, "Approve").await;
    assert_eq!(status, StatusCode::OK);
    let comment = comment_on(&rest, ticket).await;
    assert_eq!(comment["text"], "Taken on by Alex Wilber");

    // Both tickets ran the flow; only the urgent one asked anyone.
    let runs = adele.runs_finished(&flow, 2).await;
    assert!(
        runs.iter()
            .all(|r| r["properties"]["status"] == "Succeeded"),
        "{runs:?}"
    );
    let urgent_branch: Vec<&Value> = runs
        .iter()
        .map(|r| &r["properties"]["actions"]["If_the_ticket_is_urgent"]["inputs"]["expressionResult"])
        .collect();
    assert_eq!(urgent_branch, [&json!(true), &json!(false)], "newest first");
    let (_, received) = alex.send(Method::GET, "approvals?tab=received", None).await;
    assert_eq!(received["value"].as_array().unwrap().len(), 1, "{received}");
    let listed = rest
        .get(&format!(
            "/api/v1/tickets/{}/comments",
            normal.body["id"].as_i64().unwrap()
        ))
        .await;
    assert_eq!(listed.body["value"], json!([]));
}
