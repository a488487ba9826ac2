//! What a host's own deployment of flows leans on, over real HTTP: a `workflows` row made with
//! the id its caller chose (so a retried create finds it), and the Power Apps API's list of the
//! caller's connections to a connector in one environment.

use crate::dataverse::{clientdata, contoso_organisation, dataverse, make};
use crate::flow::{error_code, flow_token, get, post, token_for};
use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

const CONTOSO_DEFAULT: &str = "Default-c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70";

#[tokio::test]
async fn a_flow_made_with_a_chosen_id_keeps_it_and_the_id_is_taken_once() {
    let sandbox = Sandbox::start().await;
    let org = contoso_organisation(&sandbox).await;
    let adele = token_for(&sandbox, "adele@contoso.example", &format!("{org}.default")).await;
    let workflows = format!("{org}api/data/v9.2/workflows");
    let id = "7c1d4c8e-2f0b-4f7a-9a11-3b2d6e5f4a10";
    let row = json!({"workflowid": id, "category": 5, "type": 1, "primaryentity": "none",
        "name": "Chosen", "clientdata": clientdata(None)});
    let entity = make(&sandbox, &workflows, &adele, row.clone()).await;
    assert_eq!(entity, format!("{workflows}({id})"));
    let (status, _, body) = dataverse(
        &sandbox,
        Method::POST,
        &workflows,
        &adele,
        Some(row.clone()),
        &[],
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::PRECONDITION_FAILED, Some("0x80040237")),
        "{body}"
    );
    let mut bad = row;
    bad["workflowid"] = json!("not-a-guid");
    let (status, _, body) =
        dataverse(&sandbox, Method::POST, &workflows, &adele, Some(bad), &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _, body) = dataverse(&sandbox, Method::GET, &entity, &adele, None, &[]).await;
    assert_eq!(
        (status, body["workflowid"].as_str()),
        (StatusCode::OK, Some(id))
    );
}

#[tokio::test]
async fn the_callers_connections_to_flowhost_are_listed_per_environment() {
    let sandbox = Sandbox::start().await;
    let list = |env: &str| {
        format!(
            "/providers/Microsoft.PowerApps/apis/shared_flowhost/connections?api-version=2016-11-01&$filter=environment%20eq%20%27{env}%27"
        )
    };
    let scope = "https://service.powerapps.com//.default";
    let adele = token_for(&sandbox, "adele@contoso.example", scope).await;
    let (status, listed) = get(&sandbox, &list(CONTOSO_DEFAULT), &adele).await;
    assert_eq!(
        (status, listed["value"].clone()),
        (StatusCode::OK, json!([]))
    );

    let widget = flow_token(&sandbox, "adele@contoso.example").await;
    let (status, made) = post(
        &sandbox,
        "/_widget-api/environments/~default/connections",
        &widget,
        json!({"api": "shared_flowhost"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let (_, listed) = get(&sandbox, &list(CONTOSO_DEFAULT), &adele).await;
    assert_eq!(listed["value"][0]["name"], made["name"], "{listed}");
    assert_eq!(
        listed["value"][0]["properties"]["statuses"][0]["status"], "Error",
        "not signed in yet"
    );
    let (_, elsewhere) = get(
        &sandbox,
        &list("6f2c1a9e-3b7d-4c8e-9a1f-0d2e3c4b5a60"),
        &adele,
    )
    .await;
    assert_eq!(elsewhere["value"], json!([]));
    let alex = token_for(&sandbox, "alex@contoso.example", scope).await;
    let (_, theirs) = get(&sandbox, &list(CONTOSO_DEFAULT), &alex).await;
    assert_eq!(theirs["value"], json!([]), "only the caller's own");

    let unfiltered =
        "/providers/Microsoft.PowerApps/apis/shared_flowhost/connections?api-version=2016-11-01";
    let (status, body) = get(&sandbox, unfiltered, &adele).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "InvalidFilter")
    );
    let unversioned = "/providers/Microsoft.PowerApps/apis/shared_flowhost/connections";
    let (status, body) = get(&sandbox, unversioned, &adele).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "MissingApiVersionParameter")
    );
    let (status, _) = get(&sandbox, &list(CONTOSO_DEFAULT), &widget).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a Flow service token");
}

/// The query of a redirect's `Location`.
fn query_of(location: &str) -> Vec<(String, String)> {
    url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[tokio::test]
async fn the_portal_signs_the_admin_in_and_makes_a_connection_waiting_for_its_sign_in() {
    let sandbox = Sandbox::start().await;
    let page = format!(
        "{}/environments/{CONTOSO_DEFAULT}/connections",
        sandbox.flow
    );
    let first = sandbox.http.get(&page).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let params = query_of(&location(&first));
    let state_cookie = first.headers()["set-cookie"].to_str().unwrap();
    let state_cookie = state_cookie.split(';').next().unwrap().to_owned();
    let picked = sandbox
        .press(
            "/organizations/oauth2/v2.0/authorize",
            &params,
            ("upn", "adele@contoso.example"),
        )
        .await;
    // Another browser cannot finish this sign-in.
    let foreign = sandbox.http.get(location(&picked)).send().await.unwrap();
    assert_eq!(foreign.status(), StatusCode::BAD_REQUEST);
    let back = sandbox
        .http
        .get(location(&picked))
        .header("cookie", &state_cookie)
        .send()
        .await
        .unwrap();
    let status = back.status();
    let headers = back.headers().clone();
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "{}",
        back.text().await.unwrap()
    );
    let back = headers;
    let cookie = back["set-cookie"].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_owned();
    assert!(cookie.starts_with("sandbox-portal="), "{cookie}");

    let get = |url: String| {
        let (http, cookie) = (sandbox.http.clone(), cookie.clone());
        async move {
            let answer = http.get(url).header("cookie", cookie).send().await.unwrap();
            (answer.status(), answer.text().await.unwrap())
        }
    };
    let (status, shown) = get(page.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        shown.contains("Signed in as adele@contoso.example"),
        "{shown}"
    );
    assert!(
        shown.contains("no connections in this environment"),
        "{shown}"
    );

    let made = sandbox
        .http
        .post(&page)
        .header("cookie", &cookie)
        .json(&json!({"api": "shared_flowhost"}))
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), StatusCode::CREATED);
    let made: serde_json::Value = made.json().await.unwrap();
    let link = made["properties"]["consentLink"].as_str().unwrap();
    assert!(
        link.contains("login_hint=adele%40contoso.example"),
        "{link}"
    );
    let (_, shown) = get(page.clone()).await;
    assert!(shown.contains("Not signed in yet"), "{shown}");

    // Without the portal's session, or in another organisation's environment: refused.
    let anonymous = sandbox
        .http
        .post(&page)
        .json(&json!({"api": "shared_flowhost"}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let (status, _) = get(format!(
        "{}/environments/Default-fab0c1d2-e3f4-4a5b-8c6d-7e8f9a0b1c2d/connections",
        sandbox.flow
    ))
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
