//! The tenant admin's pre-built flows on `/settings/flows`, over real HTTP between Flowhost,
//! the identity provider and the sandbox's Power Platform: the environment picked from the
//! environments list with its Dataverse organisation, "Escalate urgent tickets" installed off
//! until a connection is bound, then on and running, its drift in Power Automate shown and
//! restored, an upgrade, and an uninstall after which tickets trigger nothing.

use crate::deployed_flows::{call, organisation};
use crate::support::*;
use crate::widget_api::{WidgetApi, subscriptions};
use domain::TenantId;
use domain::demo::CONTOSO;
use domain::deployment::{Deployment, DeploymentState};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const ESCALATION: &str = "f10a0057a0c1400080000000000b0001";

fn contoso() -> TenantId {
    TenantId::parse(CONTOSO).unwrap()
}

pub async fn deployment(app: &TestApp) -> Option<Deployment> {
    app.db
        .scope(&contoso())
        .deployment(ESCALATION)
        .await
        .unwrap()
}

/// Posts the escalation flow's form with `intent` and `fields`; the page after it.
pub async fn act(adele: &Browser, intent: &str, fields: &[(&str, &str)]) -> String {
    act_on(adele, ESCALATION, intent, fields).await
}

/// Posts the form of the pre-built flow `flow`; the page after it.
pub async fn act_on(adele: &Browser, flow: &str, intent: &str, fields: &[(&str, &str)]) -> String {
    let csrf = adele.csrf("/settings/flows").await;
    submit(adele, flow, &csrf, intent, fields).await;
    adele.page("/settings/flows").await
}

/// Posts the form of the pre-built flow `flow` with the page's `csrf` token; it goes back to
/// the page.
pub async fn submit(
    adele: &Browser,
    flow: &str,
    csrf: &str,
    intent: &str,
    fields: &[(&str, &str)],
) {
    let mut all = vec![("csrf_token", csrf), ("intent", intent)];
    all.extend_from_slice(fields);
    let path = format!("/settings/flows/prebuilt/{flow}");
    let answer = adele.post_form(&path, &all).await;
    assert_eq!(location(&answer), "/settings/flows");
}

/// The escalation flow's article on the page.
pub fn article(page: &str) -> &str {
    let start = page
        .find(&format!("data-flow=\"{ESCALATION}\""))
        .expect("the escalation flow's article");
    let end = page[start..].find("</article>").unwrap();
    &page[start..start + end]
}

/// Adele picks Contoso's default environment on the page.
pub async fn pick_default_environment(app: &TestApp, adele: &Browser) {
    let csrf = adele.csrf("/settings/flows").await;
    let saved = adele
        .post_form(
            "/settings/flows",
            &[("csrf_token", &csrf), ("environment", "")],
        )
        .await;
    assert_eq!(location(&saved), "/settings/flows");
    let settings = app.db.scope(&contoso()).flow_settings().await.unwrap();
    assert_eq!(
        settings.dataverse,
        Some(format!("{}/orgs/orgc0a7f3e2/", app.flow))
    );
}

/// Makes the escalation flow's deployment one of version 0, as an older Flowhost installed it,
/// with another escalation contact (adele); the `clientdata` it then holds.
pub async fn make_older(app: &TestApp) -> String {
    app.db
        .scope(&contoso())
        .set_deployment(
            ESCALATION,
            DeploymentState::Installed,
            0,
            None,
            None,
            "an older Flowhost",
        )
        .await
        .unwrap();
    let id = deployment(app).await.unwrap().workflow_id;
    let (_, row) = workflow_row(app, &id).await;
    let old = row["clientdata"].as_str().unwrap().replace(ALEX, ADELE);
    change_workflow(app, &id, json!({"clientdata": old})).await;
    old
}

/// The flow's row in Contoso's Dataverse, as its admin reads it there.
pub async fn workflow_row(app: &TestApp, id: &str) -> (StatusCode, Value) {
    let (api, token) = organisation(app, ADELE).await;
    let (status, _, row) = call(Method::GET, &format!("{api}/workflows({id})"), &token, None).await;
    (status, row)
}

pub async fn change_workflow(app: &TestApp, id: &str, change: Value) {
    let (api, token) = organisation(app, ADELE).await;
    let (status, _, body) = call(
        Method::PATCH,
        &format!("{api}/workflows({id})"),
        &token,
        Some(change),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
}

/// An urgent ticket on Contoso's first account; whether alex is asked to take it on.
async fn urgent_ticket_reaches_alex(app: &TestApp, title: &str) -> bool {
    let (account, _) = app.first_records(CONTOSO).await;
    let rest = app.rest(ADELE).await;
    let made = rest
        .post(
            &format!("/api/v1/accounts/{account}/tickets"),
            json!({"title": title, "priority": "urgent"}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let ticket = made.body["id"].as_i64().unwrap();
    let link = format!("{}/accounts/{account}/tickets/{ticket}", app.base);
    let alex = WidgetApi::of(app, ALEX).await;
    for _ in 0..30 {
        let (_, received) = alex.send(Method::GET, "approvals?tab=received", None).await;
        if received["value"]
            .as_array()
            .is_some_and(|a| a.iter().any(|a| a["properties"]["itemLink"] == link))
        {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn the_admin_picks_the_environment_from_the_list_and_an_unknown_one_is_refused() {
    let app = spawn().await;
    let adele = signed_in(&app, ADELE).await;
    let page = adele.page("/settings/flows").await;
    let picker = tag_of(&page, "environment");
    assert!(picker.starts_with("<select"), "{picker}");
    assert!(page.contains("Contoso Production (6f2c1a9e-3b7d-4c8e-9a1f-0d2e3c4b5a60)"));
    // Fabrikam's environment is not Contoso's.
    let csrf = adele.csrf("/settings/flows").await;
    adele
        .post_form(
            "/settings/flows",
            &[("csrf_token", &csrf), ("environment", "Default-fabrikam")],
        )
        .await;
    let page = adele.page("/settings/flows").await;
    assert!(
        field_error(&page, "environment")
            .is_some_and(|e| e.contains("not one of your organisation's")),
        "{page}"
    );
    let csrf = adele.csrf("/settings/flows").await;
    adele
        .post_form(
            "/settings/flows",
            &[
                ("csrf_token", &csrf),
                ("environment", "6f2c1a9e-3b7d-4c8e-9a1f-0d2e3c4b5a60"),
            ],
        )
        .await;
    let settings = app.db.scope(&contoso()).flow_settings().await.unwrap();
    assert_eq!(
        settings.dataverse,
        Some(format!("{}/orgs/org6f2c1a9e/", app.flow))
    );
    pick_default_environment(&app, &adele).await;
    // A connection is made on Power Automate's page of the environment's connections.
    let page = adele.page("/settings/flows").await;
    let portal = format!(
        "href=\"{}/environments/Default-{CONTOSO}/connections\"",
        app.flow
    );
    assert!(page.contains(&portal), "{page}");

    // An environment saved earlier and since deleted stays shown, marked, until another is
    // picked.
    app.db
        .scope(&contoso())
        .set_flow_settings(
            Some("a1b2c3d4-0000-4000-8000-000000000001"),
            None,
            &Default::default(),
        )
        .await
        .unwrap();
    let page = adele.page("/settings/flows").await;
    assert!(
        page.contains(
            "a1b2c3d4-0000-4000-8000-000000000001, no longer among your organisation's environments"
        ),
        "{page}"
    );
}

#[tokio::test]
async fn a_prebuilt_flow_is_installed_bound_restored_upgraded_and_uninstalled() {
    let app = spawn().await;
    let adele = signed_in(&app, ADELE).await;
    let page = adele.page("/settings/flows").await;
    assert!(article(&page).contains("Not installed."), "{page}");

    // The contact is needed; nothing is recorded without it.
    let page = act(&adele, "install", &[]).await;
    assert!(page.contains("This value is needed."), "{page}");
    assert_eq!(deployment(&app).await, None);

    // Installed off: adele has no connection to Flowhost yet.
    let contact = [("parameter.escalationContact", ALEX)];
    let page = act(&adele, "install", &contact).await;
    assert!(page.contains("is installed, and off until"), "{page}");
    assert!(
        article(&page).contains("off until it has a connection"),
        "{page}"
    );
    let installed = deployment(&app).await.unwrap();
    assert_eq!(installed.state, DeploymentState::Installed);
    assert_eq!(installed.version, 1);
    let (status, row) = workflow_row(&app, &installed.workflow_id).await;
    assert_eq!(status, StatusCode::OK, "{row}");
    assert_eq!(row["statecode"], 0);
    assert_eq!(subscriptions(&app).await, 0);

    // Turning on without a connection is refused; with adele's, the flow runs.
    let page = act(&adele, "bind", &[]).await;
    assert!(page.contains("Choose the connection"), "{page}");
    let connection = WidgetApi::of(&app, ADELE).await.connect(&app, ADELE).await;
    let name = connection["name"].as_str().unwrap();
    let page = adele.page("/settings/flows").await;
    assert!(
        page.contains(&format!("<option value=\"{name}\"")),
        "{page}"
    );
    let page = act(&adele, "bind", &[("connection", name)]).await;
    assert!(article(&page).contains("Version 1, on."), "{page}");
    assert_eq!(subscriptions(&app).await, 1);
    assert!(urgent_ticket_reaches_alex(&app, "The printer is on fire").await);

    // Turned off, then changed in Power Automate: shown, and restored.
    let id = installed.workflow_id.clone();
    change_workflow(&app, &id, json!({"statecode": 0, "statuscode": 1})).await;
    let page = adele.page("/settings/flows").await;
    assert!(
        article(&page).contains("turned off in Power Automate"),
        "{page}"
    );
    let (_, row) = workflow_row(&app, &id).await;
    let mut data: Value = serde_json::from_str(row["clientdata"].as_str().unwrap()).unwrap();
    data["properties"]["definition"]["parameters"]["escalationContact"]["defaultValue"] =
        json!(ADELE);
    change_workflow(&app, &id, json!({"clientdata": data.to_string()})).await;
    let page = adele.page("/settings/flows").await;
    assert!(
        article(&page).contains("changed in Power Automate"),
        "{page}"
    );
    let page = act(&adele, "restore", &[]).await;
    assert!(article(&page).contains("Version 1, on."), "{page}");
    let (_, row) = workflow_row(&app, &id).await;
    assert!(row["clientdata"].as_str().unwrap().contains(ALEX));

    // A deployment of an older catalog version is upgraded to the catalog's.
    make_older(&app).await;
    let page = adele.page("/settings/flows").await;
    assert!(article(&page).contains("Upgrade to version 1"), "{page}");
    // The ISV's staff see it across organisations; an organisation's admin does not.
    let iris = signed_in(&app, IRIS).await;
    let overview = iris.page("/admin/flows").await;
    let table = &overview[overview
        .find("data-testid=\"deployments\"")
        .expect("the table")..];
    assert!(table.contains("Contoso"), "{overview}");
    assert!(
        table.contains("Installed; version 1 is available"),
        "{overview}"
    );
    assert!(
        overview.contains(
            "Escalate urgent tickets (catalog version 1): one organisation, 1 on an older version"
        ),
        "{overview}"
    );
    assert_eq!(
        adele.get("/admin/flows").await.status(),
        StatusCode::FORBIDDEN
    );
    let page = act(&adele, "upgrade", &[]).await;
    assert!(page.contains("was upgraded"), "{page}");
    assert_eq!(deployment(&app).await.unwrap().version, 1);
    let (_, row) = workflow_row(&app, &id).await;
    assert!(!row["clientdata"].as_str().unwrap().contains(ADELE));
    assert_eq!(row["statecode"], 1);

    // Uninstalled: the flow, its subscription and its connection reference are gone.
    let page = act(&adele, "uninstall", &[]).await;
    assert!(page.contains("was uninstalled"), "{page}");
    assert!(article(&page).contains("Not installed."), "{page}");
    assert_eq!(deployment(&app).await, None);
    assert_eq!(workflow_row(&app, &id).await.0, StatusCode::NOT_FOUND);
    assert_eq!(subscriptions(&app).await, 0);
    let (api, token) = organisation(&app, ADELE).await;
    let (_, _, references) = call(
        Method::GET,
        &format!("{api}/connectionreferences"),
        &token,
        None,
    )
    .await;
    assert_eq!(references["value"], json!([]), "{references}");
    assert!(!urgent_ticket_reaches_alex(&app, "Nobody escalates this").await);
}
