//! The audit of ISV staff's access to customer records: each console preview that shows an
//! organisation's account or ticket is recorded first, listed in the console's history, and
//! shown to that organisation's admins only.

use crate::support::*;
use app::tenant_flows::{GetStaffPreviews, GetTenantFlows};
use domain::db::Db;
use domain::demo::{CONTOSO, FABRIKAM};
use domain::widget_config::{WidgetConfig, to_form};
use domain::{Role, TenantId};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::sessions::COOKIE_NAME;

async fn iris(app: &TestApp) -> Browser {
    let browser = app.browser();
    let callback = browser.sign_in_as(IRIS, "/").await;
    assert_eq!(
        callback.response.status(),
        StatusCode::SEE_OTHER,
        "iris signs in"
    );
    browser
}

/// A Fabrikam admin: the demo has none, so Bianca is given the role in a session of her own.
async fn fabrikam_admin(app: &TestApp) -> Browser {
    let mut user = domain::demo::user(BIANCA).unwrap();
    user.roles = vec![Role::TenantAdmin];
    app.db
        .scope(&user.tenant_id)
        .upsert_user(&user)
        .await
        .unwrap();
    let id = app
        .store
        .insert_signed_in(&user, time::Duration::hours(1))
        .await
        .unwrap();
    app.browser_with(&format!("{COOKIE_NAME}={id}"))
}

/// Presses "Preview" on the seeded placement `key`'s form for the record typed; the page the
/// browser comes back to.
async fn preview(iris: &Browser, key: &str, tenant: &str, account: &str, ticket: &str) -> String {
    let path = format!("/admin/widgets/{key}");
    let csrf = iris.csrf(&path).await;
    let values = to_form(WidgetConfig::seeded().placement(key).unwrap());
    let mut fields: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.extend([
        ("csrf_token", csrf.as_str()),
        ("revision", "0"),
        ("intent", "preview"),
        ("preview_tenant", tenant),
        ("preview_account", account),
        ("preview_ticket", ticket),
    ]);
    let response = iris.post_form(&path, &fields).await;
    assert_eq!(location(&response), path);
    iris.page(&path).await
}

fn shows_preview(html: &str) -> bool {
    html.contains("data-testid=\"preview\"")
}

/// The previews a tenant admin's `/settings/flows` lists, from its server function.
async fn previews_seen_by(admin: &Browser) -> Vec<Value> {
    let (status, flows) = admin.call::<GetTenantFlows>(&[]).await;
    assert_eq!(status, StatusCode::OK, "{flows}");
    flows["staff_previews"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_preview_of_a_customer_record_is_shown_to_that_organisations_admin_only_and_in_the_console_history()
 {
    let app = spawn().await;
    let iris = iris(&app).await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    let (theirs, _) = app.first_records(FABRIKAM).await;
    let contoso = TenantId::parse(CONTOSO).unwrap();
    let name = app
        .db
        .scope(&contoso)
        .account(account)
        .await
        .unwrap()
        .unwrap()
        .name;

    let html = preview(
        &iris,
        "ticket-runtime",
        CONTOSO,
        &account.to_string(),
        &ticket.to_string(),
    )
    .await;
    assert!(shows_preview(&html), "{html}");
    let html = preview(
        &iris,
        "account-templates",
        FABRIKAM,
        &theirs.to_string(),
        "",
    )
    .await;
    assert!(shows_preview(&html), "{html}");

    // Contoso's admin sees who looked at which of Contoso's records, and nothing of Fabrikam's.
    let adele = app.browser_with(&app.sign_in(ADELE).await);
    let seen = previews_seen_by(&adele).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0]["staff_name"], "Iris Novak");
    assert_eq!(seen[0]["staff_email"], IRIS);
    assert_eq!(seen[0]["organisation"], "Contoso");
    assert_eq!(seen[0]["account_id"], json!(account.0));
    assert_eq!(seen[0]["account_name"], json!(name));
    assert_eq!(seen[0]["ticket_id"], json!(ticket.0));
    let page = adele.page("/settings/flows").await;
    assert!(
        page.contains(&format!(
            "Iris Novak (iris@flowhost.example) of Flowhost previewed ticket #{ticket} of account #{account} ("
        )),
        "{page}"
    );
    assert!(!page.contains("previewed account"), "{page}");

    // Fabrikam's admin sees Fabrikam's only.
    let fabrikam = fabrikam_admin(&app).await;
    let seen = previews_seen_by(&fabrikam).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0]["organisation"], "Fabrikam");
    assert_eq!(seen[0]["account_id"], json!(theirs.0));
    assert_eq!(seen[0]["ticket_id"], Value::Null);
    let page = fabrikam.page("/settings/flows").await;
    assert!(!page.contains("previewed ticket"), "{page}");
    assert!(
        page.contains(&format!("previewed account #{theirs} (")),
        "{page}"
    );

    // The console's history lists both, newest first; only ISV staff may read that list.
    let history = iris.page("/admin/widgets/history").await;
    assert!(
        history.contains("Previews of customer records"),
        "{history}"
    );
    let fabrikam_at = history
        .find("Iris Novak (iris@flowhost.example) previewed Fabrikam's account #")
        .expect("the Fabrikam preview is listed");
    let contoso_at = history
        .find(&format!(
            "previewed Contoso's ticket #{ticket} of account #{account} ("
        ))
        .expect("the Contoso preview is listed");
    assert!(fabrikam_at < contoso_at, "newest first");
    let (status, all) = iris.call::<GetStaffPreviews>(&[]).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(all.as_array().unwrap().len(), 2);
    for admin in [&adele, &fabrikam] {
        let (status, body) = admin.call::<GetStaffPreviews>(&[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    }
}

#[tokio::test]
async fn only_a_preview_that_reads_a_customer_record_is_recorded() {
    let app = spawn().await;
    let iris = iris(&app).await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    let (account, ticket) = (account.to_string(), ticket.to_string());

    // No organisation chosen, not a number, no such record: refused before any record is read.
    for (tenant, account, ticket) in [
        ("", account.as_str(), ""),
        (CONTOSO, "twelve", ""),
        (CONTOSO, account.as_str(), "#3"),
        (CONTOSO, "999999", ""),
    ] {
        let html = preview(&iris, "ticket-runtime", tenant, account, ticket).await;
        assert!(!shows_preview(&html), "{tenant} {account} {ticket}");
        assert!(field_error(&html, "preview").is_some(), "{html}");
        for field in ["preview_tenant", "preview_account", "preview_ticket"] {
            let described = (
                vec!["preview-hint".to_owned(), "preview-error".to_owned()],
                true,
            );
            assert_eq!(described_by(&html, field), described, "{field}");
        }
    }
    // A placement of My flows reads no record of the organisation.
    let html = preview(&iris, "flows", CONTOSO, "", "").await;
    assert!(shows_preview(&html), "{html}");
    assert!(app.db.staff_previews(50).await.unwrap().is_empty());

    let html = preview(&iris, "ticket-runtime", CONTOSO, &account, &ticket).await;
    assert!(shows_preview(&html), "{html}");
    let html = preview(&iris, "account-templates", CONTOSO, "", "").await;
    assert!(shows_preview(&html), "{html}");
    let recorded = app.db.staff_previews(50).await.unwrap();
    let records: Vec<(String, i64, Option<i64>)> = recorded
        .iter()
        .map(|p| (p.tenant.name.clone(), p.account_id, p.ticket_id))
        .collect();
    let account: i64 = account.parse().unwrap();
    assert_eq!(
        records,
        [
            ("Contoso".to_owned(), account, None),
            ("Contoso".to_owned(), account, Some(ticket.parse().unwrap())),
        ],
        "the first account when none is typed; newest first"
    );
    assert_eq!(recorded[0].placement, "account-templates");
    assert_eq!(recorded[1].placement, "ticket-runtime");
}

#[tokio::test]
async fn a_preview_that_cannot_be_recorded_is_not_shown() {
    let app = spawn().await;
    let iris = iris(&app).await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    // The audit's table is gone, as when the database refuses the write.
    const DROP: &str = "DROP TABLE staff_previews";
    match &app.db {
        Db::Sqlite(pool) => sqlx::query(DROP).execute(pool).await.map(drop),
        Db::Postgres(pool) => sqlx::query(DROP).execute(pool).await.map(drop),
    }
    .expect("the audit's table exists");

    let html = preview(
        &iris,
        "ticket-runtime",
        CONTOSO,
        &account.to_string(),
        &ticket.to_string(),
    )
    .await;
    assert!(!shows_preview(&html), "{html}");
    assert!(!html.contains("preview-options"), "{html}");
    let message = field_error(&html, "preview").expect("the preview says why it is not shown");
    assert!(message.contains("not shown"), "{message}");
}
