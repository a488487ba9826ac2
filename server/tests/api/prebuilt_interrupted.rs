//! A pre-built flow's install, upgrade and uninstall cut short by Dataverse or by a stopped
//! process: the page says what did not finish and why, the old version goes on running after a
//! failed upgrade, and "Finish it" completes what was begun.

use crate::prebuilt_flows::{
    ESCALATION, article, deployment, make_older, pick_default_environment, submit, workflow_row,
};
use crate::support::*;
use crate::widget_api::{WidgetApi, subscriptions};
use domain::TenantId;
use domain::db::NewDeployment;
use domain::demo::CONTOSO;
use domain::deployment::DeploymentState;
use serde_json::json;

/// Posts the escalation flow's form with `intent`, the sandbox's Dataverse failing the calls
/// numbered in `fail` from the post on; the page after it.
async fn act_failing(
    app: &TestApp,
    adele: &Browser,
    intent: &str,
    fields: &[(&str, &str)],
    fail: &[u64],
) -> String {
    let csrf = adele.csrf("/settings/flows").await;
    flow_control(
        app,
        "dataverse-faults",
        json!({"fail": fail, "status": 503, "code": "0x80040216",
        "message": "An unexpected error occurred."}),
    )
    .await;
    submit(adele, ESCALATION, &csrf, intent, fields).await;
    flow_control(app, "dataverse-faults", json!({})).await;
    adele.page("/settings/flows").await
}

#[tokio::test]
async fn an_install_a_failed_upgrade_and_an_uninstall_cut_short_are_shown_and_finished() {
    let app = spawn().await;
    let adele = signed_in(&app, ADELE).await;
    pick_default_environment(&app, &adele).await;
    let connection = WidgetApi::of(&app, ADELE).await.connect(&app, ADELE).await;
    let name = connection["name"].as_str().unwrap();
    let fields = [("parameter.escalationContact", ALEX), ("connection", name)];

    // The second of three calls (the connection reference's creation) fails.
    let page = act_failing(&app, &adele, "install", &fields, &[2]).await;
    assert!(
        page.contains("503 0x80040216: An unexpected error occurred."),
        "{page}"
    );
    let shown = article(&page);
    assert!(
        shown.contains("The install of version 1 did not finish."),
        "{shown}"
    );
    assert!(shown.contains("Finish it"), "{shown}");
    let cut = deployment(&app).await.unwrap();
    assert_eq!(cut.state, DeploymentState::Installing);
    assert!(cut.error.is_some());
    assert_eq!(subscriptions(&app).await, 0);
    let page = act_failing(&app, &adele, "retry", &[], &[]).await;
    assert!(article(&page).contains("Version 1, on."), "{page}");
    assert_eq!(deployment(&app).await.unwrap().error, None);
    assert_eq!(subscriptions(&app).await, 1);

    // An upgrade whose change is refused leaves the old version running, and says so.
    let old = make_older(&app).await;
    let id = deployment(&app).await.unwrap().workflow_id;
    let page = act_failing(&app, &adele, "upgrade", &[], &[3]).await;
    let failed = deployment(&app).await.unwrap();
    assert_eq!(
        (failed.state, failed.version, failed.previous_version),
        (DeploymentState::Installed, 0, None)
    );
    let shown = article(&page);
    assert!(shown.contains("Version 0, on."), "{shown}");
    assert!(shown.contains("The last step failed"), "{shown}");
    assert!(shown.contains("Upgrade to version 1"), "{shown}");
    let (_, row) = workflow_row(&app, &id).await;
    assert_eq!(row["clientdata"], old, "the old version runs on");
    let page = act_failing(&app, &adele, "upgrade", &[], &[]).await;
    assert!(article(&page).contains("Version 1, on."), "{page}");

    // The uninstall's first call fails: the flow stays, marked as being removed.
    let page = act_failing(&app, &adele, "uninstall", &[], &[1]).await;
    assert!(
        article(&page).contains("The uninstall did not finish."),
        "{page}"
    );
    assert_eq!(
        deployment(&app).await.unwrap().state,
        DeploymentState::Removing
    );
    assert_eq!(subscriptions(&app).await, 1);
    let page = act_failing(&app, &adele, "retry", &[], &[]).await;
    assert!(page.contains("was uninstalled"), "{page}");
    assert_eq!(deployment(&app).await, None);
    assert_eq!(subscriptions(&app).await, 0);

    // An install recorded by a process that stopped before calling Dataverse is finished.
    let begun = NewDeployment {
        flow_id: ESCALATION,
        version: 1,
        organisation_url: &format!("{}/orgs/orgc0a7f3e2/", app.flow),
        workflow_id: "2a5bd0a4-51c3-4f0e-9a53-0f5b8a1c9d21",
        reference_name: "flowhost_escalate_urgent_tickets",
        connection_name: None,
        parameters: &json!({"escalationContact": ALEX, "flowhost.url": app.base}).to_string(),
        by: "Adele Vance",
    };
    let contoso = TenantId::parse(CONTOSO).unwrap();
    assert!(app.db.scope(&contoso).begin_install(&begun).await.unwrap());
    let page = adele.page("/settings/flows").await;
    assert!(
        article(&page).contains("The install of version 1 did not finish."),
        "{page}"
    );
    let page = act_failing(&app, &adele, "retry", &[("connection", name)], &[]).await;
    assert!(article(&page).contains("Version 1, on."), "{page}");
    assert_eq!(subscriptions(&app).await, 1);
}
