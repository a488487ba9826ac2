//! The Power Platform's environments list and each environment's Dataverse `workflow` table,
//! over real HTTP: where an organisation's pre-built flows are deployed, with Dataverse's
//! tokens, answers and errors.

use crate::flow::{api, flow_token, get, token_for};
use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const POWERAPPS_SCOPE: &str = "https://service.powerapps.com//.default";
const BAP: &str = "/providers/Microsoft.BusinessAppPlatform/environments?api-version=2020-10-01";

/// The environments `upn` sees.
async fn environments(sandbox: &Sandbox, upn: &str) -> Vec<Value> {
    let token = token_for(sandbox, upn, POWERAPPS_SCOPE).await;
    let (status, listed) = get(sandbox, BAP, &token).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    listed["value"].as_array().unwrap().clone()
}

/// Contoso's default environment's organisation URL (with its trailing slash).
pub(crate) async fn contoso_organisation(sandbox: &Sandbox) -> String {
    environments(sandbox, "adele@contoso.example").await[0]["properties"]
        ["linkedEnvironmentMetadata"]["instanceUrl"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub(crate) async fn dataverse(
    sandbox: &Sandbox,
    method: Method,
    url: &str,
    token: &str,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let mut request = sandbox.http.request(method, url).bearer_auth(token);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let text = response.text().await.unwrap();
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

/// `PATCH`es the record at `url` with `change`; the status and the body.
async fn patch(sandbox: &Sandbox, url: &str, token: &str, change: Value) -> (StatusCode, Value) {
    let (status, _, body) = dataverse(sandbox, Method::PATCH, url, token, Some(change), &[]).await;
    (status, body)
}

/// `POST`s `row` to the entity set at `url`, which makes it; the new record's URL.
pub(crate) async fn make(sandbox: &Sandbox, url: &str, token: &str, row: Value) -> String {
    let (status, headers, body) =
        dataverse(sandbox, Method::POST, url, token, Some(row), &[]).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    headers["odata-entityid"].to_str().unwrap().to_owned()
}

/// The catalog's "Ask for approval when a ticket is opened" as `clientdata`.
pub(crate) fn clientdata(connection: Option<&str>) -> String {
    let flow = catalog::find("f10a0057a0c1400080000000000a0005").unwrap();
    let mut references = flow.exported["connectionReferences"].clone();
    if let Some(name) = connection {
        references["shared_flowhost"]["connection"] = json!({"name": name});
    }
    json!({"properties": {"connectionReferences": references, "definition": flow.definition()},
           "schemaVersion": "1.0.0.0"})
    .to_string()
}

#[tokio::test]
async fn the_environments_list_gives_each_environments_organisation() {
    let sandbox = Sandbox::start().await;
    let contoso = environments(&sandbox, "alex@contoso.example").await;
    let names: Vec<&str> = contoso
        .iter()
        .map(|e| e["properties"]["displayName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Contoso (default)", "Contoso Production"]);
    assert_eq!(contoso[0]["properties"]["isDefault"], true);
    let metadata = &contoso[1]["properties"]["linkedEnvironmentMetadata"];
    assert_eq!(metadata["domainName"], "org6f2c1a9e");
    assert_eq!(
        metadata["instanceUrl"],
        format!("{}/orgs/org6f2c1a9e/", sandbox.flow)
    );
    let fabrikam = environments(&sandbox, "bianca@fabrikam.example").await;
    assert!(
        fabrikam[1]["properties"]["linkedEnvironmentMetadata"].is_null(),
        "no Dataverse"
    );

    // A token for the Flow service is not one for the PowerApps service; the version is needed.
    let flow = flow_token(&sandbox, "alex@contoso.example").await;
    let (status, _) = get(&sandbox, BAP, &flow).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let token = token_for(&sandbox, "alex@contoso.example", POWERAPPS_SCOPE).await;
    let (status, body) = api(
        &sandbox,
        Method::GET,
        "/providers/Microsoft.BusinessAppPlatform/environments",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "MissingApiVersionParameter");
}

#[tokio::test]
async fn a_flow_is_made_read_changed_and_deleted_in_the_workflow_table() {
    let sandbox = Sandbox::start().await;
    let org = contoso_organisation(&sandbox).await;
    let token = token_for(&sandbox, "adele@contoso.example", &format!("{org}.default")).await;
    let workflows = format!("{org}api/data/v9.2/workflows");

    let row = json!({"category": 5, "type": 1, "primaryentity": "none",
        "name": "Ask for approval when a ticket is opened", "description": "From the catalog, version 1",
        "clientdata": clientdata(None)});
    let entity = make(&sandbox, &workflows, &token, row).await;
    assert!(entity.starts_with(&format!("{workflows}(")), "{entity}");

    let (status, _, read) = dataverse(&sandbox, Method::GET, &entity, &token, None, &[]).await;
    assert_eq!(status, StatusCode::OK, "{read}");
    assert_eq!(
        (read["category"].clone(), read["statecode"].clone()),
        (json!(5), json!(0))
    );
    assert_eq!(read["description"], "From the catalog, version 1");
    let stored: Value = serde_json::from_str(read["clientdata"].as_str().unwrap()).unwrap();
    assert_eq!(
        stored["properties"]["definition"]["triggers"]["When_a_ticket_is_opened"]["type"],
        "OpenApiConnectionWebhook"
    );

    // The Flow service has it too: the widgets list it.
    let flow = flow_token(&sandbox, "adele@contoso.example").await;
    let (_, mine) = get(&sandbox, "/_widget-api/environments/~default/flows", &flow).await;
    assert_eq!(mine["value"][0]["name"], read["workflowid"]);

    let list = format!(
        "{workflows}?$filter=category%20eq%205%20and%20statecode%20eq%200&$select=name,statecode"
    );
    let (status, _, listed) = dataverse(&sandbox, Method::GET, &list, &token, None, &[]).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let only = &listed["value"][0];
    assert_eq!(only["name"], "Ask for approval when a ticket is opened");
    assert!(
        only["clientdata"].is_null() && only["@odata.etag"].is_string(),
        "{only}"
    );

    // Turning it on needs its Flowhost connection reference bound to a signed-in connection.
    let (status, _, refused) = dataverse(
        &sandbox,
        Method::PATCH,
        &entity,
        &token,
        Some(json!({"statecode": 1, "statuscode": 2})),
        &[("If-Match", "*")],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not bound"),
        "{refused}"
    );

    // A stale etag is refused; the current one or none changes the row.
    let stale = read["@odata.etag"].as_str().unwrap().replace('1', "0");
    let (status, _, _) = dataverse(
        &sandbox,
        Method::PATCH,
        &entity,
        &token,
        Some(json!({"description": "version 2"})),
        &[("If-Match", &stale)],
    )
    .await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let (status, _) = patch(
        &sandbox,
        &entity,
        &token,
        json!({"description": "version 2"}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let (status, _, _) = dataverse(&sandbox, Method::DELETE, &entity, &token, None, &[]).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, gone) = dataverse(&sandbox, Method::GET, &entity, &token, None, &[]).await;
    assert_eq!(
        (status, gone["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("0x80040217"))
    );
    let (_, mine) = get(&sandbox, "/_widget-api/environments/~default/flows", &flow).await;
    assert_eq!(mine["value"], json!([]));
}

#[tokio::test]
async fn what_dataverse_refuses_is_refused_in_its_shape() {
    let sandbox = Sandbox::start().await;
    let org = contoso_organisation(&sandbox).await;
    let workflows = format!("{org}api/data/v9.2/workflows");
    let adele = token_for(&sandbox, "adele@contoso.example", &format!("{org}.default")).await;

    // A flow outside the engine's subset, a connection that does not exist, a missing column.
    let mut looping: Value = serde_json::from_str(&clientdata(None)).unwrap();
    looping["properties"]["definition"]["actions"]["Each"] =
        json!({"type": "Foreach", "foreach": "@triggerBody()", "actions": {}, "runAfter": {}});
    for (row, said) in [
        (
            json!({"category": 5, "type": 1, "primaryentity": "none", "name": "Loop", "clientdata": looping.to_string()}),
            "Foreach",
        ),
        (
            json!({"category": 5, "type": 1, "primaryentity": "none", "name": "Bound", "clientdata": clientdata(Some("shared-flowhost-nothing"))}),
            "no connection",
        ),
        (
            json!({"category": 5, "type": 1, "primaryentity": "none", "clientdata": clientdata(None)}),
            "'name'",
        ),
        (
            json!({"category": 0, "type": 1, "primaryentity": "none", "name": "Classic", "clientdata": clientdata(None)}),
            "category 5",
        ),
    ] {
        let (status, _, body) =
            dataverse(&sandbox, Method::POST, &workflows, &adele, Some(row), &[]).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("0x80048d19")),
            "{body}"
        );
        assert!(
            body["error"]["message"].as_str().unwrap().contains(said),
            "{body}"
        );
    }

    // Someone of another organisation, and a token for another organisation's URL.
    let for_org = |upn: &'static str, org: String| {
        let sandbox = &sandbox;
        async move { token_for(sandbox, upn, &format!("{org}.default")).await }
    };
    let bianca = for_org("bianca@fabrikam.example", org.clone()).await;
    let (status, _, body) = dataverse(&sandbox, Method::GET, &workflows, &bianca, None, &[]).await;
    assert_eq!(
        (status, body["error"]["message"].as_str()),
        (
            StatusCode::FORBIDDEN,
            Some("The user is not a member of the organization.")
        )
    );
    let other = org.replace("orgc0a7f3e2", "org6f2c1a9e");
    let elsewhere = for_org("adele@contoso.example", other).await;
    let (status, _, _) = dataverse(&sandbox, Method::GET, &workflows, &elsewhere, None, &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = dataverse(
        &sandbox,
        Method::GET,
        &format!("{workflows}(00000000-0000-0000-0000-000000000000)"),
        &adele,
        None,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// `clientdata` whose Flowhost connection comes from the connection reference `logical`.
fn clientdata_by_reference(logical: &str) -> String {
    let mut data: Value = serde_json::from_str(&clientdata(None)).unwrap();
    data["properties"]["connectionReferences"]["shared_flowhost"]["connection"] =
        json!({"connectionReferenceLogicalName": logical});
    data.to_string()
}

#[tokio::test]
async fn a_connection_reference_binds_the_flows_connection_when_it_is_turned_on() {
    let sandbox = Sandbox::start().await;
    let org = contoso_organisation(&sandbox).await;
    let adele = token_for(&sandbox, "adele@contoso.example", &format!("{org}.default")).await;
    let references = format!("{org}api/data/v9.2/connectionreferences");
    let workflows = format!("{org}api/data/v9.2/workflows");
    let reference = json!({"connectionreferencelogicalname": "flowhost_tickets",
        "connectionreferencedisplayname": "Flowhost", "connectorid": "/providers/Microsoft.PowerApps/apis/shared_flowhost"});
    let reference_entity = make(&sandbox, &references, &adele, reference.clone()).await;
    let (status, _, _) = dataverse(
        &sandbox,
        Method::POST,
        &references,
        &adele,
        Some(reference),
        &[],
    )
    .await;
    assert_eq!(
        status,
        StatusCode::PRECONDITION_FAILED,
        "the logical name is taken"
    );

    let row = |data: String| json!({"category": 5, "type": 1, "primaryentity": "none", "name": "Approvals", "clientdata": data});
    let (status, _, body) = dataverse(
        &sandbox,
        Method::POST,
        &workflows,
        &adele,
        Some(row(clientdata_by_reference("flowhost_other"))),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("flowhost_other"),
        "{body}"
    );
    let entity = make(
        &sandbox,
        &workflows,
        &adele,
        row(clientdata_by_reference("flowhost_tickets")),
    )
    .await;

    // Unbound, the flow cannot be turned on; a connection that does not exist cannot bind it.
    let on = json!({"statecode": 1, "statuscode": 2});
    let (status, body) = patch(&sandbox, &entity, &adele, on).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("'flowhost_tickets' is not bound"),
        "{body}"
    );
    let (status, _) = patch(
        &sandbox,
        &reference_entity,
        &adele,
        json!({"connectionid": "shared-flowhost-nothing"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let unbound = format!(
        "{references}?$filter=connectionreferencelogicalname%20eq%20'flowhost_tickets'%20and%20connectionid%20eq%20null"
    );
    let (_, _, listed) = dataverse(&sandbox, Method::GET, &unbound, &adele, None, &[]).await;
    assert_eq!(listed["value"].as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(
        listed["value"][0]["connectorid"],
        "/providers/Microsoft.PowerApps/apis/shared_flowhost"
    );
}

#[tokio::test]
async fn the_controls_fail_one_call_or_hang_another() {
    let sandbox = Sandbox::start().await;
    let org = contoso_organisation(&sandbox).await;
    let adele = token_for(&sandbox, "adele@contoso.example", &format!("{org}.default")).await;
    let workflows = format!("{org}api/data/v9.2/workflows");
    let control = |faults: Value| {
        let sandbox = &sandbox;
        async move {
            let answer = sandbox
                .http
                .post(format!("{}/_sandbox/dataverse-faults", sandbox.flow))
                .json(&faults)
                .send()
                .await
                .unwrap();
            assert!(answer.status().is_success());
        }
    };
    control(json!({"fail": [2], "status": 503, "message": "Down for maintenance"})).await;
    let mut answers = Vec::new();
    for _ in 0..3 {
        let (status, _, body) =
            dataverse(&sandbox, Method::GET, &workflows, &adele, None, &[]).await;
        answers.push((status, body["error"]["message"].as_str().map(str::to_owned)));
    }
    assert_eq!(
        answers,
        [
            (StatusCode::OK, None),
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Some("Down for maintenance".to_owned())
            ),
            (StatusCode::OK, None),
        ]
    );

    control(json!({"hang": [1]})).await;
    let hung = sandbox
        .http
        .get(&workflows)
        .bearer_auth(&adele)
        .timeout(std::time::Duration::from_millis(500))
        .send()
        .await;
    assert!(hung.unwrap_err().is_timeout());
    let (status, _, _) = dataverse(&sandbox, Method::GET, &workflows, &adele, None, &[]).await;
    assert_eq!(status, StatusCode::OK, "only the first call hangs");

    control(json!({})).await;
    let (status, _, _) = dataverse(&sandbox, Method::GET, &workflows, &adele, None, &[]).await;
    assert_eq!(status, StatusCode::OK);
}
