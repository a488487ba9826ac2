//! "Roll out version N" from the ISV console, over real HTTP between Flowhost, the identity
//! provider and the sandbox's Power Platform: an organisation whose admin has not allowed
//! roll-outs is skipped and says so; once the admin allows them (Flowhost becomes an
//! application user of the environment's Dataverse), its flow is upgraded with Flowhost's own
//! token; a roll-out Dataverse refuses leaves the old version running and says why.

use crate::prebuilt_flows::{
    ESCALATION, deployment, make_older, pick_default_environment, submit, workflow_row,
};
use crate::support::*;
use crate::widget_api::WidgetApi;
use domain::TenantId;
use domain::db::NewDeployment;
use domain::demo::{CONTOSO, FABRIKAM};
use domain::deployment::DeploymentState;
use domain::rollout::{Target, TargetState};
use serde_json::json;

/// Iris rolls the escalation flow's catalog version out; the page after it.
async fn roll_out(iris: &Browser) -> String {
    let csrf = iris.csrf("/admin/flows").await;
    let path = format!("/admin/flows/rollout/{ESCALATION}");
    let answer = iris.post_form(&path, &[("csrf_token", &csrf)]).await;
    assert_eq!(location(&answer), "/admin/flows");
    iris.page("/admin/flows").await
}

/// The newest roll-out's parts, once every one has finished.
async fn finished(app: &TestApp) -> Vec<Target> {
    for _ in 0..200 {
        let (_, targets) = app.db.rollouts(1).await.unwrap().remove(0);
        if targets.iter().all(|t| t.state.finished()) {
            return targets;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the roll-out did not finish");
}

fn state_of(targets: &[Target], tenant: &str) -> (TargetState, String) {
    let t = targets.iter().find(|t| t.tenant_id == tenant).unwrap();
    let said = t.said().map(|m| m.show(i18n::Lang::En)).unwrap_or_default();
    (t.state, said)
}

/// Adele gives or withdraws the leave; the settings page after it.
async fn leave(adele: &Browser, intent: &str) -> String {
    let csrf = adele.csrf("/settings/flows").await;
    let answer = adele
        .post_form(
            "/settings/flows/rollouts",
            &[("csrf_token", &csrf), ("intent", intent)],
        )
        .await;
    assert_eq!(location(&answer), "/settings/flows");
    adele.page("/settings/flows").await
}

#[tokio::test]
async fn a_new_version_is_rolled_out_where_the_admin_allowed_it() {
    let app = spawn().await;
    let adele = signed_in(&app, ADELE).await;
    pick_default_environment(&app, &adele).await;
    let connection = WidgetApi::of(&app, ADELE).await.connect(&app, ADELE).await;
    let name = connection["name"].as_str().unwrap();
    let csrf = adele.csrf("/settings/flows").await;
    let fields = [("parameter.escalationContact", ALEX), ("connection", name)];
    submit(&adele, ESCALATION, &csrf, "install", &fields).await;
    let old = make_older(&app).await;
    let workflow = deployment(&app).await.unwrap().workflow_id;
    // Fabrikam has the flow at an older version too, in its own organisation.
    let fabrikam = TenantId::parse(FABRIKAM).unwrap();
    let organisation = format!("{}/orgs/orgfab0c1d2/", app.flow);
    let new = NewDeployment {
        flow_id: ESCALATION,
        version: 0,
        organisation_url: &organisation,
        workflow_id: "0f0f0f0f-0000-4000-8000-00000000fab0",
        reference_name: "flowhost_escalation",
        connection_name: None,
        parameters: "{}",
        by: "an older Flowhost",
    };
    let scope = app.db.scope(&fabrikam);
    assert!(scope.begin_install(&new).await.unwrap());
    scope
        .set_deployment(ESCALATION, DeploymentState::Installed, 0, None, None, "x")
        .await
        .unwrap();

    // Nobody allowed roll-outs yet: both are skipped, and the flows keep their version.
    let iris = signed_in(&app, IRIS).await;
    let page = roll_out(&iris).await;
    assert!(page.contains("Rolling version 1 of"), "{page}");
    let targets = finished(&app).await;
    let (state, said) = state_of(&targets, CONTOSO);
    assert_eq!(state, TargetState::Skipped);
    assert!(said.contains("has not allowed roll-outs"), "{said}");
    assert_eq!(state_of(&targets, FABRIKAM).0, TargetState::Skipped);
    assert_eq!(deployment(&app).await.unwrap().version, 0);
    let page = iris.page("/admin/flows").await;
    assert!(
        page.contains("2 of 2 organisations done: 0 upgraded, 0 failed, 2 skipped."),
        "{page}"
    );

    // Adele allows them: Flowhost becomes an application user of the environment.
    let page = leave(&adele, "allow").await;
    assert!(page.contains("Flowhost is an application user"), "{page}");
    assert!(page.contains("Roll-outs are allowed, since"), "{page}");

    // Dataverse refuses the change: the old version goes on running, and the result says why.
    flow_control(
        &app,
        "dataverse-faults",
        json!({"fail": [3], "status": 503, "code": "0x80040216",
        "message": "An unexpected error occurred."}),
    )
    .await;
    roll_out(&iris).await;
    let targets = finished(&app).await;
    flow_control(&app, "dataverse-faults", json!({})).await;
    let (state, said) = state_of(&targets, CONTOSO);
    assert_eq!(state, TargetState::Failed);
    assert!(said.contains("503 0x80040216"), "{said}");
    let d = deployment(&app).await.unwrap();
    assert_eq!((d.state, d.version), (DeploymentState::Installed, 0));
    let (_, row) = workflow_row(&app, &workflow).await;
    assert_eq!(row["clientdata"].as_str(), Some(old.as_str()));

    // Then it goes through, with Flowhost's own token, and the record says who rolled it out.
    roll_out(&iris).await;
    let targets = finished(&app).await;
    assert_eq!(state_of(&targets, CONTOSO).0, TargetState::Upgraded);
    let (state, said) = state_of(&targets, FABRIKAM);
    assert_eq!(state, TargetState::Skipped, "{said}");
    let d = deployment(&app).await.unwrap();
    assert_eq!((d.state, d.version), (DeploymentState::Installed, 1));
    assert_eq!(d.changed_by, "Iris Novak");
    let (_, row) = workflow_row(&app, &workflow).await;
    let data = row["clientdata"].as_str().unwrap();
    assert!(data.contains(ALEX) && data != old, "{data}");
    let page = iris.page("/admin/flows").await;
    assert!(page.contains("Now on version 1."), "{page}");

    // Withdrawn, roll-outs skip Contoso again.
    let page = leave(&adele, "withdraw").await;
    assert!(page.contains("Roll-outs are no longer allowed"), "{page}");
    assert!(
        app.db
            .scope(&TenantId::parse(CONTOSO).unwrap())
            .rollout_leave()
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn only_the_isv_rolls_out_and_only_a_tenant_admin_gives_leave() {
    let app = spawn().await;
    let adele = signed_in(&app, ADELE).await;
    let csrf = adele.csrf("/settings/flows").await;
    let path = format!("/admin/flows/rollout/{ESCALATION}");
    let answer = adele.post_form(&path, &[("csrf_token", &csrf)]).await;
    assert_eq!(answer.status(), reqwest::StatusCode::FORBIDDEN);
    let alex = signed_in(&app, ALEX).await;
    let csrf = alex.csrf("/").await;
    let answer = alex
        .post_form(
            "/settings/flows/rollouts",
            &[("csrf_token", &csrf), ("intent", "allow")],
        )
        .await;
    assert_eq!(answer.status(), reqwest::StatusCode::FORBIDDEN);
    // Nothing behind: nothing to roll out.
    let iris = signed_in(&app, IRIS).await;
    let page = roll_out(&iris).await;
    assert!(page.contains("already has version 1"), "{page}");
}
