//! Flowhost's templates in the sandbox's gallery are flows its engine runs through the
//! connector: the manual ones from the ticket page (request an approval, escalate), the
//! automated ones on the account's events (acknowledge a new ticket, reopen a resolved ticket
//! someone comments on).

use crate::support::*;
use crate::widget_api::{WidgetApi, comment_on, open_ticket};
use domain::demo::CONTOSO;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const ACKNOWLEDGE: &str = "f10a0057a0c1400080000000000a0001";
const REOPEN: &str = "f10a0057a0c1400080000000000a0002";
const REQUEST_APPROVAL: &str = "f10a0057a0c1400080000000000a0003";
const ESCALATE: &str = "f10a0057a0c1400080000000000a0004";

/// Makes `template`'s flow for `account` as the widget does; its name.
async fn make(widget: &WidgetApi, template: &str, account: i64) -> String {
    let parameters = json!({"parameters.flowhost.accountId": account.to_string()});
    let (status, made) = widget
        .send(
            Method::POST,
            "flows",
            Some(json!({"templateName": template, "parameters": parameters})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    made["name"].as_str().unwrap().to_owned()
}

/// The ticket as the runtime widget's `implicitData` carries it.
fn implicit_data(app: &TestApp, account: i64, ticket: i64, title: &str) -> Value {
    let url = format!("{}/accounts/{account}/tickets/{ticket}", app.base);
    json!({"implicitData": json!({"accountId": account, "ticketId": ticket, "title": title, "url": url}).to_string()})
}

/// The newest of `flow`'s runs, once `count` have finished.
async fn finished(widget: &WidgetApi, flow: &str, count: usize) -> Value {
    widget.runs_finished(flow, count).await[0].clone()
}

#[tokio::test]
async fn a_manual_approval_run_waits_for_the_assignee_and_comments_the_decision() {
    let app = spawn().await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    let alex = WidgetApi::of(&app, ALEX).await;
    alex.connect(&app, ALEX).await;
    let flow = make(&alex, REQUEST_APPROVAL, account.0).await;
    let adele = app.rest(ADELE).await;
    let title = adele.get(&format!("/api/v1/tickets/{ticket}")).await.body["title"]
        .as_str()
        .unwrap()
        .to_owned();

    let item = implicit_data(&app, account.0, ticket.0, &title);
    let (status, started) = alex
        .send(Method::POST, &format!("flows/{flow}/runs"), Some(item))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    assert_eq!(started["properties"]["status"], "Running");

    // The approval links to the ticket and waits for alex, the maker.
    let link = format!("{}/accounts/{account}/tickets/{ticket}", app.base);
    let approval = alex.received_approval(&link).await;
    assert_eq!(approval["properties"]["title"], format!("Approve: {title}"));
    assert_eq!(approval["properties"]["status"], "Pending");
    let (_, run) = alex
        .send(
            Method::GET,
            &format!("flows/{flow}/runs/{}", started["name"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(run["properties"]["status"], "Running", "it waits");

    let adele_widget = WidgetApi::of(&app, ADELE).await;
    let (status, _) = adele_widget.answer(&approval, "Approve").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "only the assignee decides");
    let (status, body) = alex.answer(&approval, "Maybe").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("InvalidApprovalResponse"))
    );
    let (status, decided) = alex.answer(&approval, "Reject").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(decided["properties"]["status"], "Rejected");
    let (status, body) = alex.answer(&approval, "Approve").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("ApprovalAlreadyCompleted"))
    );

    let run = finished(&alex, &flow, 1).await;
    assert_eq!(run["properties"]["status"], "Succeeded", "{run}");
    assert_eq!(run["properties"]["trigger"]["name"], "manual");
    let comment = comment_on(&adele, ticket.0).await;
    assert_eq!(comment["text"], "Rejected by Alex Wilber");
    assert_eq!(comment["via"], "flow");
    let (_, sent) = alex.send(Method::GET, "approvals?tab=sent", None).await;
    assert_eq!(sent["value"].as_array().unwrap().len(), 1);

    // Run without a ticket, the flow fails at the step that needs one, and says so.
    let (_, started) = alex
        .send(Method::POST, &format!("flows/{flow}/runs"), Some(json!({})))
        .await;
    assert_eq!(started["properties"]["status"], "Running");
    let run = finished(&alex, &flow, 2).await;
    assert_eq!(run["properties"]["status"], "Failed", "{run}");
    assert_eq!(
        run["properties"]["actions"]["Get_the_ticket"]["code"],
        "InvalidTemplate"
    );
}

#[tokio::test]
async fn escalating_a_ticket_raises_its_priority_and_says_so_on_the_ticket() {
    let app = spawn().await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    let alex = WidgetApi::of(&app, ALEX).await;
    alex.connect(&app, ALEX).await;
    let flow = make(&alex, ESCALATE, account.0).await;
    let rest = app.rest(ADELE).await;
    let before = rest.get(&format!("/api/v1/tickets/{ticket}")).await.body;
    let title = before["title"].as_str().unwrap();

    let item = implicit_data(&app, account.0, ticket.0, title);
    alex.send(Method::POST, &format!("flows/{flow}/runs"), Some(item))
        .await;
    let run = finished(&alex, &flow, 1).await;
    assert_eq!(run["properties"]["status"], "Succeeded", "{run}");

    let after = rest.get(&format!("/api/v1/tickets/{ticket}")).await.body;
    assert_eq!(after["priority"], "urgent");
    let comment = comment_on(&rest, ticket.0).await;
    assert_eq!(
        comment["text"],
        format!(
            "Escalated: priority raised from {} to urgent.",
            before["priority"].as_str().unwrap()
        )
    );
}

#[tokio::test]
async fn a_new_ticket_is_acknowledged_and_a_comment_on_a_resolved_one_reopens_it() {
    let app = spawn().await;
    let (account, _) = app.first_records(CONTOSO).await;
    let alex = WidgetApi::of(&app, ALEX).await;
    alex.connect(&app, ALEX).await;
    let acknowledge = make(&alex, ACKNOWLEDGE, account.0).await;
    let reopen = make(&alex, REOPEN, account.0).await;
    let adele = app.rest(ADELE).await;
    let the_account = adele.get(&format!("/api/v1/accounts/{account}")).await.body;

    let (ticket, _) = open_ticket(&app, &adele, account.0, "The portal is slow").await;
    let thanks = comment_on(&adele, ticket).await;
    assert_eq!(
        thanks["text"],
        format!(
            "Thank you for ticket #{ticket}. {} looks after {} and will be in touch.",
            the_account["owner"].as_str().unwrap(),
            the_account["name"].as_str().unwrap()
        )
    );
    assert_eq!(
        finished(&alex, &acknowledge, 1).await["properties"]["status"],
        "Succeeded"
    );
    // That comment ran the reopen flow too, on an open ticket: nothing to reopen.
    let first = finished(&alex, &reopen, 1).await;
    assert_eq!(first["properties"]["status"], "Succeeded", "{first}");
    assert_eq!(
        first["properties"]["actions"]["Reopen_the_ticket"]["status"],
        "Skipped"
    );

    let resolved = adele
        .send(
            Method::PATCH,
            &format!("/api/v1/tickets/{ticket}"),
            Some(json!({"status": "resolved"})),
            &[],
        )
        .await;
    assert_eq!(resolved.status, StatusCode::OK);
    let commented = adele
        .post(
            &format!("/api/v1/tickets/{ticket}/comments"),
            json!({"text": "It is slow again this morning."}),
        )
        .await;
    assert_eq!(commented.status, StatusCode::CREATED);
    let second = finished(&alex, &reopen, 2).await;
    assert_eq!(second["properties"]["status"], "Succeeded", "{second}");
    assert_eq!(
        second["properties"]["actions"]["Reopen_the_ticket"]["status"],
        "Succeeded"
    );
    let now = adele.get(&format!("/api/v1/tickets/{ticket}")).await.body;
    assert_eq!(now["status"], "open");
}
