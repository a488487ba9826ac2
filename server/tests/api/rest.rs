//! The REST API (`/api/v1`) as a connector uses it: a bearer token from the sandbox identity
//! provider, the caller's organisation's records only, paging by `nextLink`, ETags, comments,
//! and one error shape.

use crate::rest_client::{Rest, answer};
use crate::support::{ALEX, BIANCA, spawn, spawn_with};
use domain::demo::{CONTOSO, FABRIKAM};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn rest_app() -> (crate::support::TestApp, Rest) {
    let app = spawn().await;
    let rest = app.rest(ALEX).await;
    (app, rest)
}

#[tokio::test]
async fn accounts_are_searched_paged_and_read_within_the_callers_organisation() {
    let (app, alex) = rest_app().await;
    let first = alex
        .get("/api/v1/accounts?search=adventure&pageSize=2")
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let names: Vec<&str> = first.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.iter().all(|n| n.to_lowercase().contains("adventure")));
    let next = first.body["nextLink"].as_str().expect("a next page");
    assert!(next.starts_with(&app.base), "{next}");
    let second = alex.get(next).await;
    assert_eq!(second.status, StatusCode::OK);
    let rest = second.body["value"].as_array().unwrap();
    assert_eq!(rest.len(), 1, "3 Adventure accounts in all");
    assert!(second.body.get("nextLink").is_none(), "the last page");

    let id = first.body["value"][0]["id"].as_i64().unwrap();
    let one = alex.get(&format!("/api/v1/accounts/{id}")).await;
    assert_eq!(one.body["name"], first.body["value"][0]["name"]);
    assert!(one.body["openTickets"].is_i64());
    assert_eq!(one.header("cache-control").as_deref(), Some("no-store"));

    // Another organisation's account is answered exactly as a missing one.
    let bianca = app.rest(BIANCA).await;
    let foreign = bianca.get(&format!("/api/v1/accounts/{id}")).await;
    let missing = bianca.get("/api/v1/accounts/999999999").await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(foreign.body, missing.body);
    assert_eq!(foreign.code(), "not_found");
    let (fabrikam_account, _) = app.first_records(FABRIKAM).await;
    let theirs = alex
        .get(&format!("/api/v1/accounts/{fabrikam_account}/tickets"))
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);

    let bad = alex.get("/api/v1/accounts?pageSize=0&page=x").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let targets: Vec<&str> = bad.body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["target"].as_str().unwrap())
        .collect();
    assert_eq!(targets, ["page", "pageSize"]);
}

#[tokio::test]
async fn tickets_are_created_and_changed_with_etags_and_stale_changes_refused() {
    let (app, alex) = rest_app().await;
    let (account, _) = app.first_records(CONTOSO).await;
    let created = alex
        .post(
            &format!("/api/v1/accounts/{account}/tickets"),
            json!({"title": "Printer on fire", "priority": "high"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(
        created.header("location").as_deref(),
        Some(format!("/api/v1/tickets/{id}").as_str())
    );
    assert_eq!(created.header("etag").as_deref(), Some("\"1\""));
    assert_eq!(created.body["status"], "open");
    assert_eq!(
        created.body["requester"], "Alex Wilber",
        "the caller asks by default"
    );

    let path = format!("/api/v1/tickets/{id}");
    let change = |status: &'static str, tag: Option<&'static str>| {
        let headers: Vec<(&str, &str)> = tag.map(|t| ("if-match", t)).into_iter().collect();
        let alex = &alex;
        let path = path.clone();
        async move {
            alex.send(
                Method::PATCH,
                &path,
                Some(json!({ "status": status })),
                &headers,
            )
            .await
        }
    };
    let changed = change("pending", Some("\"1\"")).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.header("etag").as_deref(), Some("\"2\""));
    assert_eq!(changed.body["status"], "pending");
    assert_eq!(changed.body["priority"], "high", "untouched");

    let stale = change("closed", Some("\"1\"")).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale.code(), "precondition_failed");
    let now = alex.get(&path).await;
    assert_eq!(
        now.body["status"], "pending",
        "the stale change lost nothing"
    );
    assert_eq!(now.header("etag").as_deref(), Some("\"2\""));

    let unconditional = change("resolved", None).await;
    assert_eq!(unconditional.status, StatusCode::OK);
    assert_eq!(unconditional.body["version"], 3);

    let refused = change("done", Some("*")).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused.body["error"]["details"][0]["target"], "status");
    assert!(
        refused.body["error"]["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("open, pending, resolved, closed")
    );
    let nothing = alex.send(Method::PATCH, &path, Some(json!({})), &[]).await;
    assert_eq!(nothing.status, StatusCode::BAD_REQUEST);

    let untitled = alex
        .post(
            &format!("/api/v1/accounts/{account}/tickets"),
            json!({"title": " ", "priority": "asap"}),
        )
        .await;
    assert_eq!(untitled.status, StatusCode::BAD_REQUEST);
    assert_eq!(untitled.code(), "validation_failed");
    assert_eq!(
        untitled.body["error"]["details"].as_array().unwrap().len(),
        2
    );

    // The change shows on the ticket page.
    let page = app
        .browser_with(&app.sign_in(ALEX).await)
        .page(&format!("/accounts/{account}/tickets/{id}"))
        .await;
    assert!(page.contains("Printer on fire"));
}

#[tokio::test]
async fn an_accounts_tickets_are_filtered_and_paged() {
    let (app, alex) = rest_app().await;
    let (account, _) = app.first_records(CONTOSO).await;
    let all = alex
        .get(&format!("/api/v1/accounts/{account}/tickets?pageSize=100"))
        .await;
    let all = all.body["value"].as_array().unwrap().clone();
    assert_eq!(all.len(), 10, "10 tickets per demo account");
    let open = all.iter().filter(|t| t["status"] == "open").count();
    let listed = alex
        .get(&format!(
            "/api/v1/accounts/{account}/tickets?status=open&pageSize=100"
        ))
        .await;
    assert_eq!(listed.body["value"].as_array().unwrap().len(), open);

    let paged = alex
        .get(&format!("/api/v1/accounts/{account}/tickets?pageSize=4"))
        .await;
    assert_eq!(paged.body["value"].as_array().unwrap().len(), 4);
    let mut seen: Vec<i64> = Vec::new();
    let mut next = Some(format!("/api/v1/accounts/{account}/tickets?pageSize=4"));
    while let Some(link) = next {
        let page = alex.get(&link).await;
        seen.extend(
            page.body["value"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["id"].as_i64().unwrap()),
        );
        next = page.body["nextLink"].as_str().map(str::to_owned);
    }
    let ids: Vec<i64> = all.iter().map(|t| t["id"].as_i64().unwrap()).collect();
    assert_eq!(seen, ids, "the pages hold every ticket once, in order");

    let future = alex
        .get(&format!(
            "/api/v1/accounts/{account}/tickets?updatedSince=2999-01-01T00:00:00Z"
        ))
        .await;
    assert_eq!(future.body["value"].as_array().unwrap().len(), 0);
    let bad = alex
        .get(&format!(
            "/api/v1/accounts/{account}/tickets?updatedSince=yesterday&priority=asap"
        ))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["error"]["details"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn comments_are_written_on_the_callers_behalf_and_listed() {
    let (app, alex) = rest_app().await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    let path = format!("/api/v1/tickets/{ticket}/comments");
    let added = alex.post(&path, json!({"text": "Approved by Adele"})).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    assert_eq!(added.body["authorName"], "Alex Wilber");
    assert_eq!(added.body["via"], "flow");
    alex.post(&path, json!({"text": "Second"})).await;
    let listed = alex.get(&format!("{path}?pageSize=1")).await;
    assert_eq!(listed.body["value"][0]["text"], "Approved by Adele");
    let next = listed.body["nextLink"].as_str().unwrap();
    assert_eq!(alex.get(next).await.body["value"][0]["text"], "Second");

    let empty = alex.post(&path, json!({"text": "  "})).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert_eq!(empty.body["error"]["details"][0]["target"], "text");
    let bianca = app.rest(BIANCA).await;
    let foreign = bianca.post(&path, json!({"text": "Hello"})).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(
        alex.get(&path).await.body["value"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "nothing was added by the other organisation"
    );

    // The ticket page shows who wrote it, and that a flow did.
    let page = app
        .browser_with(&app.sign_in(ALEX).await)
        .page(&format!("/accounts/{account}/tickets/{ticket}"))
        .await;
    assert!(page.contains("Approved by Adele"), "the comment shows");
    assert!(
        page.contains("on behalf of Alex Wilber"),
        "and who wrote it"
    );
}

#[tokio::test]
async fn requests_the_api_cannot_take_get_its_error_shape() {
    let (app, alex) = rest_app().await;
    let client = reqwest::Client::new();
    let (account, _) = app.first_records(CONTOSO).await;

    let anonymous = answer(
        client
            .get(format!("{}/api/v1/accounts", app.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        anonymous.header("www-authenticate").as_deref(),
        Some("Bearer realm=\"flowhost\"")
    );
    assert_eq!(anonymous.code(), "unauthorized");

    // A signed-in session is no credential here.
    let cookie = app.sign_in(ALEX).await;
    let with_session = answer(
        client
            .get(format!("{}/api/v1/accounts", app.base))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(with_session.status, StatusCode::UNAUTHORIZED);

    let path = format!("/api/v1/accounts/{account}/tickets");
    let form = answer(
        client
            .post(format!("{}{path}", app.base))
            .bearer_auth(&alex.token)
            .form(&[("title", "x")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(form.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let broken = answer(
        client
            .post(format!("{}{path}", app.base))
            .bearer_auth(&alex.token)
            .header("content-type", "application/json")
            .body("{\"title\": ")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    assert_eq!(broken.code(), "bad_request");

    let huge = alex
        .post(
            &path,
            json!({ "title": "x", "description": "y".repeat(100_000) }),
        )
        .await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(huge.code(), "too_large");

    assert_eq!(alex.get("/api/v1/nothing").await.code(), "not_found");
    assert_eq!(alex.get("/api/v1/tickets/abc").await.code(), "not_found");
    let delete = alex
        .send(Method::DELETE, "/api/v1/accounts", None, &[])
        .await;
    assert_eq!(delete.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(delete.code(), "method_not_allowed");

    let dutch = alex
        .send(
            Method::GET,
            "/api/v1/tickets/999999999",
            None,
            &[("accept-language", "nl-NL,nl;q=0.9")],
        )
        .await;
    assert_eq!(
        dutch.body["error"]["message"],
        "Op dit adres is niets voor uw organisatie."
    );
}

#[tokio::test]
async fn each_user_has_a_share_of_calls_a_minute() {
    let app = spawn_with(|name| (name == "API_REQUESTS_PER_MINUTE").then(|| "3".into())).await;
    let alex = app.rest(ALEX).await;
    for _ in 0..3 {
        assert_eq!(alex.get("/api/v1/accounts").await.status, StatusCode::OK);
    }
    let refused = alex.get("/api/v1/accounts").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.code(), "too_many_requests");
    let wait: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=20).contains(&wait), "{wait}");
    // Another user's share is their own.
    let bianca = app.rest(BIANCA).await;
    assert_eq!(bianca.get("/api/v1/accounts").await.status, StatusCode::OK);
}
