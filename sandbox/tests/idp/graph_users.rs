//! Microsoft Graph's people and their licences over real HTTP: `/users` with
//! `assignedPlans`, licence details for the signed-in user and why others are refused, and
//! SKUs a test puts in place.

use crate::graph::*;
use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

const MEGAN: &str = "0e6a0b00-8888-4e6a-8c00-00000000e6a0";
const FLOWHOST_SELECT: &str = "$select=id,displayName,userPrincipalName,assignedPlans";

fn person<'a>(users: &'a Value, upn: &str) -> &'a Value {
    users["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["userPrincipalName"] == upn)
        .unwrap_or_else(|| panic!("no {upn} in {users}"))
}

/// The service plan ids of a user's assigned plans of `service`.
fn plans(user: &Value, service: &str) -> Vec<String> {
    user["assignedPlans"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["service"] == service)
        .map(|p| p["servicePlanId"].as_str().unwrap().to_owned())
        .collect()
}

/// The Graph access token of `upn`'s sign-in (only OpenID Connect scopes asked for).
async fn signed_in(sandbox: &Sandbox, upn: &str) -> String {
    let (_, tokens) = sandbox.sign_in(upn).await;
    tokens["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn users_carry_their_assigned_plans_and_megan_waits_for_premium() {
    let sandbox = Sandbox::start().await;
    let token = app_token(&sandbox, CONTOSO).await;
    let (status, _, users) =
        graph(&sandbox, &format!("/users?{FLOWHOST_SELECT}"), Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{users}");
    let base = sandbox.url("/graph/v1.0");
    assert_eq!(
        users["@odata.context"],
        format!("{base}/$metadata#users(id,displayName,userPrincipalName,assignedPlans)")
    );
    assert_eq!(users["value"].as_array().unwrap().len(), 3);
    assert!(users.get("@odata.nextLink").is_none());
    let alex = person(&users, "alex@contoso.example");
    let keys: Vec<&String> = alex.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 4, "{alex}");
    let mut flows = plans(alex, "ProcessSimple");
    flows.sort();
    assert_eq!(flows, [PREMIUM_PLAN, FLOW_O365_P2]);
    let plan = &alex["assignedPlans"][0];
    assert_eq!(plan["capabilityStatus"], "Enabled");
    assert!(plan["assignedDateTime"].as_str().unwrap().ends_with('Z'));
    assert!(!plans(alex, "exchange").is_empty() && !plans(alex, "SharePoint").is_empty());
    // Megan is in the makers' group, but every Premium seat is taken: only Office 365's
    // Power Automate plan.
    let megan = person(&users, "megan@contoso.example");
    assert_eq!(megan["id"], MEGAN);
    assert_eq!(plans(megan, "ProcessSimple"), [FLOW_O365_P2]);

    // Without $select, Graph's default properties, and no assigned plans.
    let (_, _, plain) = graph(&sandbox, "/users", Some(&token)).await;
    let alex = person(&plain, "alex@contoso.example");
    assert!(alex.get("assignedPlans").is_none() && alex["givenName"] == "Alex");
}

#[tokio::test]
async fn users_come_in_pages_of_top() {
    let sandbox = Sandbox::start().await;
    let token = app_token(&sandbox, CONTOSO).await;
    let (status, _, first) = graph(
        &sandbox,
        &format!("/users?{FLOWHOST_SELECT}&$top=2"),
        Some(&token),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["value"].as_array().unwrap().len(), 2);
    let next = first["@odata.nextLink"].as_str().unwrap();
    let base = sandbox.url("/graph/v1.0");
    let path = next
        .strip_prefix(&base)
        .expect("the link is on Graph's base");
    assert!(
        path.contains("$skiptoken=") && path.contains("$top=2"),
        "{path}"
    );
    let (status, _, second) = graph(&sandbox, path, Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(second["value"].as_array().unwrap().len(), 1);
    assert!(second.get("@odata.nextLink").is_none());
    assert!(second["value"][0]["assignedPlans"].is_array());

    let (status, _, body) = graph(&sandbox, "/users?$top=1000", Some(&token)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = assert_graph_error(&body, "Request_UnsupportedQuery");
    assert_eq!(
        message,
        "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive."
    );
    let (status, _, body) = graph(&sandbox, "/users?$select=shoeSize", Some(&token)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_graph_error(&body, "BadRequest");
    let (status, _, body) = graph(&sandbox, "/users/nobody@contoso.example", Some(&token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_graph_error(&body, "Request_ResourceNotFound");
}

#[tokio::test]
async fn the_signed_in_user_reads_their_own_licence_details() {
    let sandbox = Sandbox::start().await;
    let alex = signed_in(&sandbox, "alex@contoso.example").await;
    let (_, claims) = decode(&alex);
    assert_eq!(claims["aud"], "https://graph.microsoft.com");
    assert!(
        claims["scp"]
            .as_str()
            .unwrap()
            .split(' ')
            .any(|s| s == "User.Read")
    );
    let (status, _, details) = graph(&sandbox, "/me/licenseDetails", Some(&alex)).await;
    assert_eq!(status, StatusCode::OK, "{details}");
    let oid = claims["oid"].as_str().unwrap();
    assert_eq!(
        details["@odata.context"],
        sandbox.url(&format!(
            "/graph/v1.0/$metadata#users('{oid}')/licenseDetails"
        ))
    );
    let skus: Vec<&str> = details["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["skuPartNumber"].as_str().unwrap())
        .collect();
    assert_eq!(skus, ["ENTERPRISEPACK", "POWERAUTOMATE_ATTENDED_RPA"]);
    let premium = &details["value"][1];
    assert_eq!(premium["skuId"], PREMIUM);
    assert!(premium["id"].is_string());
    assert!(
        premium["servicePlans"]
            .as_array()
            .unwrap()
            .contains(&json!({
        "servicePlanId": PREMIUM_PLAN, "servicePlanName": "POWER_AUTOMATE_ATTENDED_RPA",
        "provisioningStatus": "Success", "appliesTo": "User"}))
    );
    // Oneself by id or name with User.Read; nobody else.
    let (status, _, _) = graph(
        &sandbox,
        "/users/alex@contoso.example/licenseDetails",
        Some(&alex),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, body) = graph(
        &sandbox,
        &format!("/users/{MEGAN}/licenseDetails"),
        Some(&alex),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_graph_error(&body, "Authorization_RequestDenied");
    // The same user token reads no organisation-wide data.
    let (status, _, _) = graph(&sandbox, "/subscribedSkus", Some(&alex)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let megan = signed_in(&sandbox, "megan@contoso.example").await;
    let (_, _, details) = graph(&sandbox, "/me/licenseDetails", Some(&megan)).await;
    let skus: Vec<&Value> = details["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["skuId"])
        .collect();
    assert_eq!(skus, [E3]);
}

#[tokio::test]
async fn licence_details_are_refused_to_the_apps_own_token() {
    let sandbox = Sandbox::start().await;
    let token = app_token(&sandbox, CONTOSO).await;
    let (status, _, body) = graph(&sandbox, "/me/licenseDetails", Some(&token)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = assert_graph_error(&body, "BadRequest");
    assert_eq!(
        message,
        "/me request is only valid with delegated authentication flow."
    );
    let path = format!("/users/{MEGAN}/licenseDetails");
    let (status, _, body) = graph(&sandbox, &path, Some(&token)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_graph_error(&body, "Authorization_RequestDenied");
}

#[tokio::test]
async fn skus_put_in_place_show_every_state_until_reset() {
    let sandbox = Sandbox::start().await;
    let unknown = "0b5e55ed-0000-4000-8000-00000000c0de";
    let put = json!({
        "tenant": FABRIKAM, "skuId": unknown, "skuPartNumber": "CONTOSO_FLOW_ADDON",
        "capabilityStatus": "Suspended", "enabled": 0, "warning": 0, "suspended": 5, "lockedOut": 0,
        "servicePlans": [{"servicePlanId": "0b5e55ed-0000-4000-8000-0000000000f1",
            "servicePlanName": "FLOW_ADDON", "provisioningStatus": "PendingActivation",
            "service": "ProcessSimple"}],
        "assignTo": ["bianca@fabrikam.example"],
    });
    let answered = sandbox.control("/_sandbox/graph/skus", put).await;
    assert_eq!(answered["consumedUnits"], 1);
    let token = app_token(&sandbox, FABRIKAM).await;
    let (_, _, skus) = graph(&sandbox, "/subscribedSkus", Some(&token)).await;
    let added = skus["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["skuId"] == unknown)
        .unwrap();
    assert_eq!(added["capabilityStatus"], "Suspended");
    assert_eq!(added["prepaidUnits"]["suspended"], 5);
    assert_eq!(
        added["servicePlans"][0]["provisioningStatus"],
        "PendingActivation"
    );
    let (_, _, users) = graph(&sandbox, &format!("/users?{FLOWHOST_SELECT}"), Some(&token)).await;
    let bianca = person(&users, "bianca@fabrikam.example");
    let addon = bianca["assignedPlans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["servicePlanId"] == "0b5e55ed-0000-4000-8000-0000000000f1")
        .unwrap();
    assert_eq!(
        (&addon["service"], &addon["capabilityStatus"]),
        (&json!("ProcessSimple"), &json!("Suspended"))
    );

    // A product of the table needs no plans; more Premium seats reach Contoso's waiting member.
    let premium = json!({"tenant": CONTOSO, "skuId": PREMIUM, "enabled": 20});
    let answered = sandbox.control("/_sandbox/graph/skus", premium).await;
    assert_eq!(answered["consumedUnits"], 3, "{answered}");
    assert_eq!(
        answered["subscriptionIds"][0],
        "5c1e3a0b-6d2f-4c8e-9a1b-0e3a7c5d2f02"
    );
    let contoso = app_token(&sandbox, CONTOSO).await;
    let (_, _, users) = graph(
        &sandbox,
        &format!("/users?{FLOWHOST_SELECT}"),
        Some(&contoso),
    )
    .await;
    assert!(
        plans(person(&users, "megan@contoso.example"), "ProcessSimple")
            .contains(&PREMIUM_PLAN.to_owned())
    );

    sandbox.control("/_sandbox/reset", json!({})).await;
    let token = app_token(&sandbox, FABRIKAM).await;
    let (_, _, skus) = graph(&sandbox, "/subscribedSkus", Some(&token)).await;
    assert_eq!(skus["value"].as_array().unwrap().len(), 1, "{skus}");
}
