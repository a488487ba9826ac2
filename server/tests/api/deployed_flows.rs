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
async fn call(
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

/// The catalog's "Ask for approval when a ticket is opened" as `clientdata`, its parameters'
/// values written into the definition and its Flowhost connection taken from `reference`.
fn clientdata(parameters: &[(&str, String)], reference: &str) -> String {
    let flow = catalog::find("f10a0057a0c1400080000000000a0005").unwrap();
    let mut definition = flow.definition().clone();
    for (name, value) in parameters {
        definition["parameters"][*name]["defaultValue"] = json!(value);
    }
    let mut references = flow.exported["connectionReferences"].clone();
    references["shared_flowhost"]["connection"] =
        json!({"connectionReferenceLogicalName": reference});
    json!({"properties": {"connectionReferences": references, "definition": definition},
           "schemaVersion": "1.0.0.0"})
    .to_string()
}

#[tokio::test]
async fn a_flow_deployed_through_dataverse_runs_once_its_connection_reference_is_bound() {
    let app = spawn().await;
    let (account, _) = app.first_records(CONTOSO).await;

    // The environments list names the default environment's organisation.
    let powerapps = api_token(&app, ADELE, "https://service.powerapps.com//.default").await;
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
    let dataverse = api_token(&app, ADELE, &format!("{org}.default")).await;
    let api = format!("{org}api/data/v9.2");

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
    let row = json!({"category": 5, "type": 1, "primaryentity": "none",
        "name": "Ask for approval when a ticket is opened", "description": "Catalog version 1",
        "clientdata": clientdata(&parameters, "flowhost_tickets")});
    let (status, entity, body) = call(
        Method::POST,
        &format!("{api}/workflows"),
        &dataverse,
        Some(row),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let entity = entity.unwrap();
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
