//! Template packages submitted for the gallery over real HTTP: every template of the ISV's
//! catalog goes in as its export package and comes back as the same flow, in review; a package
//! that is not one, or whose flow uses a connector the sandbox lacks, is refused with the reason.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn submit(sandbox: &Sandbox, package: Vec<u8>) -> (StatusCode, Value) {
    let answer = sandbox
        .http
        .post(format!("{}/_sandbox/template-submissions", sandbox.flow))
        .header("content-type", "application/zip")
        .body(package)
        .send()
        .await
        .unwrap();
    (answer.status(), answer.json().await.unwrap())
}

async fn submissions(sandbox: &Sandbox) -> Value {
    let answer = sandbox
        .http
        .get(format!("{}/_sandbox/template-submissions", sandbox.flow))
        .send()
        .await
        .unwrap();
    answer.json().await.unwrap()
}

#[tokio::test]
async fn every_catalog_template_round_trips_through_a_submission() {
    let sandbox = Sandbox::start().await;
    let templates: Vec<_> = catalog::flows()
        .iter()
        .filter(|f| f.is(catalog::Use::Template))
        .collect();
    assert!(!templates.is_empty());
    for flow in &templates {
        let package = catalog::package::write(flow, "2026-12-02T12:00:00Z");
        let (status, submitted) = submit(&sandbox, package).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {submitted}", flow.folder);
        assert_eq!(submitted["status"], "InReview");
        assert_eq!(submitted["displayName"], flow.meta.title.as_str());
        assert_eq!(
            submitted["definition"],
            *flow.definition(),
            "{}",
            flow.folder
        );
        let references = submitted["connectionReferences"].as_object().unwrap();
        let keys: Vec<&String> = references.keys().collect();
        let mut expected: Vec<&String> = flow.meta.connections.iter().collect();
        expected.sort();
        assert_eq!(keys, expected, "{}", flow.folder);
    }
    let listed = submissions(&sandbox).await;
    assert_eq!(listed["value"].as_array().unwrap().len(), templates.len());
}

#[tokio::test]
async fn a_package_the_gallery_cannot_take_is_refused_with_the_reason() {
    let sandbox = Sandbox::start().await;
    let (status, body) = submit(&sandbox, b"not a zip".to_vec()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("InvalidPackage"))
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not a .zip")
    );

    // The acknowledgement, but commenting through Outlook instead of Flowhost.
    let mut outlook = catalog::flows()[0].clone();
    let api = "/providers/Microsoft.PowerApps/apis/shared_office365";
    outlook.exported["connectionReferences"]["shared_office365"] = json!({"connectionName": "shared_office365", "source": "Embedded", "id": api, "tier": "NotSpecified"});
    let actions = outlook.exported["definition"]["actions"]
        .as_object_mut()
        .unwrap();
    let (_, last) = actions.iter_mut().last().unwrap();
    last["inputs"]["host"] =
        json!({"apiId": api, "connectionName": "shared_office365", "operationId": "SendEmailV2"});
    let (status, body) = submit(
        &sandbox,
        catalog::package::write(&outlook, "2026-12-02T12:00:00Z"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("shared_office365"), "{message}");
    let listed = submissions(&sandbox).await;
    assert_eq!(listed["value"], json!([]), "nothing refused is kept");
}
