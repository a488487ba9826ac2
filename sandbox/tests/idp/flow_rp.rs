//! The Flow resource provider (`/providers/Microsoft.ProcessSimple`) over real HTTP: reading a
//! flow and a run made through the widget API, with the provider's errors.

use crate::flow::{REMINDER, SAVE_ATTACHMENTS, api, error_code, flow_token, get, make_flow, post};
use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

const SITE: &str = "https://contoso.sharepoint.com/sites/support";
const CONTOSO: &str = "c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70";
const ALEX: &str = "0a1e7c3b-1111-4a1e-8c00-00000000a1e7";
const V: &str = "api-version=2016-11-01";

fn flow_path(env: &str, flow: &str) -> String {
    format!("/providers/Microsoft.ProcessSimple/environments/{env}/flows/{flow}")
}

fn name(v: &Value) -> &str {
    v["name"].as_str().unwrap()
}

#[tokio::test]
async fn a_flow_reads_as_the_resource_provider_shows_it() {
    let sandbox = Sandbox::start().await;
    let alex = flow_token(&sandbox, "alex@contoso.example").await;
    let made = make_flow(&sandbox, &alex, SAVE_ATTACHMENTS, SITE).await;
    let env = format!("Default-{CONTOSO}");
    let path = flow_path(&env, name(&made));
    let (status, flow) = get(&sandbox, &format!("{path}?{V}"), &alex).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(flow["name"], made["name"]);
    assert_eq!(flow["id"], path);
    assert_eq!(flow["type"], "Microsoft.ProcessSimple/environments/flows");
    let p = &flow["properties"];
    assert_eq!(
        p["apiId"],
        "/providers/Microsoft.PowerApps/apis/shared_logicflows"
    );
    assert_eq!(p["displayName"], made["properties"]["displayName"]);
    assert_eq!(p["state"], "Started");
    assert_eq!(p["templateName"], SAVE_ATTACHMENTS);
    assert_eq!(p["createdTime"], made["properties"]["createdTime"]);
    assert!(p["lastModifiedTime"].is_string());
    assert_eq!(
        p["environment"],
        json!({
            "name": env,
            "type": "Microsoft.ProcessSimple/environments",
            "id": format!("/providers/Microsoft.ProcessSimple/environments/{env}"),
        })
    );
    assert!(p["definitionSummary"]["triggers"].is_array());
    assert_eq!(
        p["creator"],
        json!({"tenantId": CONTOSO, "objectId": ALEX, "userId": ALEX, "userType": "ActiveDirectory"})
    );
    assert_eq!(p["provisioningMethod"], "FromDefinition");

    // Turned off through the widget API, it reads Stopped; other query parameters are ignored.
    let state = format!(
        "/_widget-api/environments/~default/flows/{}/state",
        name(&made)
    );
    let (status, _) = post(&sandbox, &state, &alex, json!({"state": "Stopped"})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, flow) = get(
        &sandbox,
        &format!("{path}?{V}&$expand=swagger,properties.connectionreferences.apidefinition"),
        &alex,
    )
    .await;
    assert_eq!(flow["properties"]["state"], "Stopped");
}

#[tokio::test]
async fn another_user_or_tenant_cannot_see_the_flow() {
    let sandbox = Sandbox::start().await;
    let alex = flow_token(&sandbox, "alex@contoso.example").await;
    let made = make_flow(&sandbox, &alex, SAVE_ATTACHMENTS, SITE).await;
    let path = format!(
        "{}?{V}",
        flow_path(&format!("Default-{CONTOSO}"), name(&made))
    );

    let adele = flow_token(&sandbox, "adele@contoso.example").await;
    let (status, body) = get(&sandbox, &path, &adele).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "ConnectionAuthorizationFailed")
    );
    assert_eq!(
        body["error"]["message"],
        format!(
            "The caller with object id '0ade1e00-2222-4ade-8c00-00000000ade1' does not have \
             permission for connection '{}' under Api 'shared_logicflows'.",
            name(&made)
        )
    );
    let missing = format!(
        "{}?{V}",
        flow_path(
            &format!("Default-{CONTOSO}"),
            "00000000-0000-0000-0000-000000000000"
        )
    );
    let (status, body) = get(&sandbox, &missing, &alex).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "ConnectionAuthorizationFailed")
    );

    // Contoso's default environment is not Fabrikam's; nor is one that does not exist.
    let bianca = flow_token(&sandbox, "bianca@fabrikam.example").await;
    for (token, env) in [
        (&bianca, format!("Default-{CONTOSO}")),
        (
            &alex,
            "Default-00000000-0000-0000-0000-000000000000".to_owned(),
        ),
    ] {
        let path = format!("{}?{V}", flow_path(&env, name(&made)));
        let (status, body) = get(&sandbox, &path, token).await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::FORBIDDEN, "EnvironmentAccessDenied")
        );
        assert_eq!(
            body["error"]["message"],
            format!("Access to the environment '{env}' is denied.")
        );
    }
}

#[tokio::test]
async fn a_finished_run_reads_succeeded_and_a_missing_one_is_not_found() {
    let sandbox = Sandbox::start().await;
    let alex = flow_token(&sandbox, "alex@contoso.example").await;
    let made = make_flow(&sandbox, &alex, REMINDER, SITE).await;
    let (status, started) = post(
        &sandbox,
        &format!(
            "/_widget-api/environments/~default/flows/{}/runs",
            name(&made)
        ),
        &alex,
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let flow = flow_path(&format!("Default-{CONTOSO}"), name(&made));
    let path = format!("{flow}/runs/{}", name(&started));
    let mut run = Value::Null;
    for _ in 0..40 {
        let (status, r) = get(&sandbox, &format!("{path}?{V}"), &alex).await;
        assert_eq!(status, StatusCode::OK, "{r}");
        run = r;
        if run["properties"]["status"] != "Running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(run["name"], started["name"]);
    assert_eq!(run["id"], path);
    assert_eq!(
        run["type"],
        "Microsoft.ProcessSimple/environments/flows/runs"
    );
    let p = &run["properties"];
    assert_eq!(p["status"], "Succeeded", "{run}");
    assert!(p["startTime"].is_string() && p["endTime"].is_string());
    assert_eq!(p["correlation"]["clientTrackingId"], started["name"]);
    assert_eq!(p["trigger"]["name"], "manual");
    assert_eq!(p["trigger"]["status"], "Succeeded");
    assert_eq!(p["trigger"]["startTime"], p["startTime"]);

    let (status, body) = get(&sandbox, &format!("{flow}/runs/08584NOSUCHRUN?{V}"), &alex).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::NOT_FOUND, "AzureResourceManagerRequestFailed")
    );
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("Request to Azure Resource Manager failed with error: '{")
            && message.contains(r#""code":"WorkflowRunNotFound""#),
        "{message}"
    );
}

#[tokio::test]
async fn the_api_version_and_a_token_are_required() {
    let sandbox = Sandbox::start().await;
    let alex = flow_token(&sandbox, "alex@contoso.example").await;
    let made = make_flow(&sandbox, &alex, SAVE_ATTACHMENTS, SITE).await;
    let path = flow_path(&format!("Default-{CONTOSO}"), name(&made));

    let (status, body) = get(&sandbox, &path, &alex).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"error": {
            "code": "MissingApiVersionParameter",
            "message": "The api-version query parameter (?api-version=) is required for all requests.",
        }})
    );
    let (status, body) = get(&sandbox, &format!("{path}?api-version=2020-01-01"), &alex).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "InvalidApiVersionParameter")
    );

    let (status, body) = api(
        &sandbox,
        reqwest::Method::GET,
        &format!("{path}?{V}"),
        None,
        None,
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::UNAUTHORIZED, "AuthenticationFailed")
    );
    let (status, body) = get(&sandbox, &format!("{path}?{V}"), "not-a-token").await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken")
    );
}
