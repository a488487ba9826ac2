//! Power Automate licences, over real HTTP between Flowhost and the sandbox's Microsoft Graph:
//! an organisation's coverage and the people it leaves out on `/settings/flows`, a person's
//! note on record pages, and Graph's refusals, throttling, unknown licences and plans still
//! being activated, none of which may look like "no licences".

use crate::support::*;
use domain::TenantId;
use domain::licence::{ReadOutcome, Rights, RightsSource};
use reqwest::StatusCode;
use serde_json::json;

pub const MEGAN: &str = "megan@contoso.example";
pub const CONTOSO: &str = "c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70";
pub const FABRIKAM: &str = "fab0c1d2-e3f4-4a5b-8c6d-7e8f9a0b1c2d";
const PREMIUM_PLAN: &str = "375cd0ad-c407-49fd-866a-0bff4f8a9a4d";

/// The organisation admin `admin` reads the licences now from `/settings/flows`; the page
/// afterwards.
pub async fn read_now(admin: &Browser) -> String {
    let csrf = admin.csrf("/settings/flows").await;
    let response = admin
        .post_form("/settings/licences/refresh", &[("csrf_token", &csrf)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    admin.page("/settings/flows").await
}

/// The text of the element with `data-testid="{id}"` (up to its closing tag's start).
pub fn testid<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let start = html.find(&format!("data-testid=\"{id}\""))?;
    let rest = &html[start..];
    let end = rest
        .find("</section>")
        .or_else(|| rest.find("</p>"))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

fn contoso() -> TenantId {
    TenantId::parse(CONTOSO).unwrap()
}

#[tokio::test]
async fn the_admin_sees_coverage_and_the_people_it_leaves_out() {
    let app = spawn().await;
    let adele = signed_in(&app, ADELE).await;
    let before = adele.page("/settings/flows").await;
    assert!(
        before.contains("has not read this organisation"),
        "{before}"
    );

    let page = read_now(&adele).await;
    let section = testid(&page, "licences").expect("the licences section");
    assert!(
        section.contains("18 of 40 people with a licence can run flows that use Flowhost"),
        "{section}"
    );
    assert!(section.contains("Office 365 E3"), "{section}");
    assert!(
        section.contains("includes Power Automate, but not custom connectors"),
        "{section}"
    );
    assert!(section.contains("Power Automate Premium"), "{section}");
    let people = testid(&page, "people-without-cover").expect("the people left out");
    assert!(
        people.contains("Megan Bowen (megan@contoso.example)"),
        "{people}"
    );
    assert!(!people.contains("alex@contoso.example"), "{people}");
    let reading = app.db.licence_reading(&contoso()).await.unwrap().unwrap();
    assert_eq!(reading.outcome, ReadOutcome::Read);
    assert!(reading.read_at.is_some(), "kept with the time it was read");

    // The ISV's staff see every organisation's coverage at a glance.
    let iris = signed_in(&app, IRIS).await;
    let overview = iris.page("/admin/licences").await;
    let row = |tenant: &str| {
        let start = overview
            .find(&format!("data-tenant=\"{tenant}\""))
            .unwrap_or_else(|| panic!("{tenant}: {overview}"));
        overview[start..].split("</tr>").next().unwrap().to_owned()
    };
    assert!(row(CONTOSO).contains("18 of 40 people"), "{overview}");
    assert!(row(FABRIKAM).contains("Not known yet"), "{overview}");

    // A person who is not the organisation's admin may not read them.
    let alex = signed_in(&app, ALEX).await;
    let csrf = alex.csrf("/").await;
    let refused = alex
        .post_form("/settings/licences/refresh", &[("csrf_token", &csrf)])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_person_without_a_covering_licence_sees_the_note_at_sign_in() {
    let app = spawn().await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    let megan = signed_in(&app, MEGAN).await;
    let rights = app
        .db
        .person_rights(&contoso(), "0e6a0b00-8888-4e6a-8c00-00000000e6a0")
        .await
        .unwrap()
        .expect("read when she signed in");
    assert_eq!(
        (rights.rights, rights.source),
        (Rights::Standard, RightsSource::SignIn)
    );
    for path in [
        format!("/accounts/{account}"),
        format!("/accounts/{account}/tickets/{ticket}"),
    ] {
        let page = megan.page(&path).await;
        let note = testid(&page, "licence-note").unwrap_or_else(|| panic!("a note on {path}"));
        assert!(note.contains("will not run for you"), "{note}");
        assert!(note.contains("You can still use these widgets"), "{note}");
        assert!(page.contains("data-testid=\"widget-"), "the widgets stay");
    }
    // Adele signed in before: she is the one to ask.
    signed_in(&app, ADELE).await;
    let page = megan.page(&format!("/accounts/{account}")).await;
    assert!(
        testid(&page, "licence-note")
            .unwrap()
            .contains("Ask Adele Vance")
    );

    let alex = signed_in(&app, ALEX).await;
    let page = alex.page(&format!("/accounts/{account}")).await;
    assert!(
        !page.contains("data-testid=\"licence-note\""),
        "Alex is covered"
    );
}

#[tokio::test]
async fn withdrawn_consent_is_shown_as_such_and_counts_again_once_granted() {
    let app = spawn().await;
    control(
        &app,
        "graph/consent",
        json!({"tenant": CONTOSO, "granted": false}),
    )
    .await;
    let adele = signed_in(&app, ADELE).await;
    let page = read_now(&adele).await;
    let problem = testid(&page, "licence-problem").expect("the refusal is said");
    assert!(problem.contains("Microsoft Graph refused"), "{problem}");
    assert!(problem.contains("Organization.Read.All"), "{problem}");
    assert!(
        !page.contains("data-testid=\"licence-summary\""),
        "never shown as no licences"
    );

    control(
        &app,
        "graph/consent",
        json!({"tenant": CONTOSO, "granted": true}),
    )
    .await;
    let page = read_now(&adele).await;
    assert!(page.contains("18 of 40 people"), "{page}");
    assert!(!page.contains("data-testid=\"licence-problem\""));

    // Withdrawn after a good reading: the last reading stays, with why it is not newer.
    control(
        &app,
        "graph/consent",
        json!({"tenant": CONTOSO, "granted": false}),
    )
    .await;
    // The token Flowhost holds still carries the permissions until Graph refuses it; the
    // sandbox's tokens are checked as issued, so a new token is needed to see the refusal.
    control(&app, "clock", json!({"offset_seconds": 7200})).await;
    let page = read_now(&adele).await;
    assert!(
        page.contains("18 of 40 people"),
        "the last good reading stays: {page}"
    );
    assert!(testid(&page, "licence-problem").is_some(), "{page}");
}

#[tokio::test]
async fn throttling_is_waited_out_or_tried_again_later() {
    let app = spawn().await;
    let adele = signed_in(&app, ADELE).await;
    control(
        &app,
        "graph/throttle",
        json!({"tenant": CONTOSO, "requests": 1, "retryAfter": 1}),
    )
    .await;
    let page = read_now(&adele).await;
    assert!(
        page.contains("18 of 40 people"),
        "a short wait is waited out: {page}"
    );

    control(
        &app,
        "graph/throttle",
        json!({"tenant": CONTOSO, "requests": 5, "retryAfter": 120}),
    )
    .await;
    let page = read_now(&adele).await;
    assert!(
        page.contains("18 of 40 people"),
        "the last reading stays: {page}"
    );
    let problem = testid(&page, "licence-problem").expect("the wait is said");
    assert!(problem.contains("asked Flowhost to wait"), "{problem}");
    let reading = app.db.licence_reading(&contoso()).await.unwrap().unwrap();
    assert_eq!(reading.outcome, ReadOutcome::Throttled);
    let wait = reading.retry_at.expect("when to try again") - reading.attempt_at;
    assert!(wait.whole_seconds() >= 115, "{wait}");
    let due = app.db.licences_due(time::Duration::days(1)).await.unwrap();
    assert!(
        !due.contains(&contoso()),
        "not read again before the wait is over"
    );
}

#[tokio::test]
async fn unknown_licences_states_and_plans_being_activated_are_told_apart() {
    let app = spawn().await;
    // Bianca's organisation has an unknown licence with premium Power Automate still being
    // activated, an expired one in its grace period, and a suspended one.
    let plans = |id: &str, name: &str, status: &str| {
        json!([{"servicePlanId": id, "servicePlanName": name,
                "provisioningStatus": status, "service": "ProcessSimple"}])
    };
    for (sku, part, state, plan, assigned) in [
        (
            "11111111-2222-4333-8444-555555555555",
            "FABRIKAM_BUNDLE",
            "Enabled",
            plans(
                PREMIUM_PLAN,
                "POWER_AUTOMATE_ATTENDED_RPA",
                "PendingActivation",
            ),
            json!(["bianca@fabrikam.example"]),
        ),
        (
            "22222222-2222-4333-8444-555555555555",
            "FLOW_PER_USER",
            "Warning",
            plans(
                "c5002c70-f725-4367-b409-f0eff4fee6c0",
                "FLOW_PER_USER",
                "Success",
            ),
            json!([]),
        ),
        (
            "33333333-2222-4333-8444-555555555555",
            "FLOW_P2",
            "Suspended",
            plans("56be9436-e4b2-446c-bb7f-cc15d16cca4d", "FLOW_P2", "Success"),
            json!([]),
        ),
    ] {
        control(
            &app,
            "graph/skus",
            json!({"tenant": FABRIKAM, "skuId": sku, "skuPartNumber": part,
                   "capabilityStatus": state, "enabled": 4, "warning": 0, "suspended": 0,
                   "lockedOut": 0, "servicePlans": plan, "assignTo": assigned}),
        )
        .await;
    }
    let bianca = signed_in(&app, BIANCA).await;
    let iris = signed_in(&app, IRIS).await;
    let console = "/admin/licences/fab0c1d2-e3f4-4a5b-8c6d-7e8f9a0b1c2d";
    let csrf = iris.csrf(console).await;
    let response = iris
        .post_form(
            "/admin/licences/refresh",
            &[("csrf_token", &csrf), ("tenant", FABRIKAM)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = iris.page(console).await;
    let row = |part: &str| {
        let start = page
            .find(&format!("data-sku=\"{part}\""))
            .unwrap_or_else(|| panic!("{part}: {page}"));
        page[start..].split("</tr>").next().unwrap().to_owned()
    };
    assert!(
        row("FABRIKAM_BUNDLE").contains("still being activated"),
        "shown by its part number"
    );
    assert!(row("FLOW_PER_USER").contains("grace period"));
    assert!(row("FLOW_PER_USER").contains("Run: includes premium"));
    assert!(row("FLOW_P2").contains("Suspended"));
    assert!(row("FLOW_P2").contains("not active"));
    assert!(row("O365_BUSINESS_PREMIUM").contains("not custom connectors"));
    let people =
        testid(&page, "people-without-cover").unwrap_or_else(|| panic!("people left out: {page}"));
    assert!(people.contains("bianca@fabrikam.example"), "{people}");

    // At sign-in Bianca's own licences say her premium plan is being activated.
    drop(bianca);
    let bianca = signed_in(&app, BIANCA).await;
    let rights = app
        .db
        .person_rights(
            &TenantId::parse(FABRIKAM).unwrap(),
            "0b1a4ca0-3333-4b1a-8c00-00000000b1a4",
        )
        .await
        .unwrap()
        .unwrap();
    assert!(
        rights.pending && rights.rights != Rights::Premium,
        "{rights:?}"
    );
    let (account, _) = app.first_records(FABRIKAM).await;
    let page = bianca.page(&format!("/accounts/{account}")).await;
    assert!(
        testid(&page, "licence-note")
            .unwrap()
            .contains("still being activated")
    );
}

#[tokio::test]
async fn graph_out_of_service_is_said_and_never_looks_like_no_licences() {
    let app = spawn().await;
    control(
        &app,
        "graph/outage",
        json!({"tenant": CONTOSO, "requests": 5}),
    )
    .await;
    let adele = signed_in(&app, ADELE).await;
    let page = read_now(&adele).await;
    let problem = testid(&page, "licence-problem").expect("said");
    assert!(problem.contains("could not be reached"), "{problem}");
    assert!(!page.contains("data-testid=\"licence-summary\""));
    let reading = app.db.licence_reading(&contoso()).await.unwrap().unwrap();
    assert_eq!(
        (reading.outcome, reading.skus),
        (ReadOutcome::Unreachable, None)
    );
}

#[tokio::test]
async fn a_suspended_premium_licence_does_not_count_at_sign_in() {
    let app = spawn().await;
    // Bianca holds a seat of a per user plan whose subscription is suspended.
    control(
        &app,
        "graph/skus",
        json!({"tenant": FABRIKAM, "skuId": "4a51bf65-409c-4a91-b845-1121b571cc9d",
               "capabilityStatus": "Suspended", "enabled": 0, "suspended": 5,
               "assignTo": ["bianca@fabrikam.example"]}),
    )
    .await;
    signed_in(&app, BIANCA).await;
    let rights = app
        .db
        .person_rights(
            &TenantId::parse(FABRIKAM).unwrap(),
            "0b1a4ca0-3333-4b1a-8c00-00000000b1a4",
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (rights.rights, rights.source),
        (Rights::Standard, RightsSource::SignIn)
    );
}

#[tokio::test]
async fn an_ended_organisation_is_not_read_again() {
    let app = spawn().await;
    let iris = signed_in(&app, IRIS).await;
    let northwind = "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d";
    app.db
        .upsert_tenant(&domain::Tenant {
            id: TenantId::parse(northwind).unwrap(),
            name: "Northwind Traders".into(),
        })
        .await
        .unwrap();
    match &app.db {
        domain::db::Db::Sqlite(pool) => {
            sqlx::query("UPDATE tenants SET access = 'ended' WHERE id = $1")
                .bind(northwind)
                .execute(pool)
                .await
                .map(drop)
        }
        domain::db::Db::Postgres(pool) => {
            sqlx::query("UPDATE tenants SET access = 'ended' WHERE id = $1")
                .bind(northwind)
                .execute(pool)
                .await
                .map(drop)
        }
    }
    .unwrap();
    let console = format!("/admin/licences/{northwind}");
    let csrf = iris.csrf(&console).await;
    iris.post_form(
        "/admin/licences/refresh",
        &[("csrf_token", &csrf), ("tenant", northwind)],
    )
    .await;
    let page = iris.page(&console).await;
    assert!(page.contains("subscription ended"), "{page}");
    let tenant = TenantId::parse(northwind).unwrap();
    assert!(
        app.db.licence_reading(&tenant).await.unwrap().is_none(),
        "nothing kept"
    );
}
