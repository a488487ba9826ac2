//! Who may use Flowhost is checked on every request, not only at sign-in: a role counts only
//! where it may come from, and an organisation that is no longer admitted is signed out.

use crate::support::*;
use app::api::ListAccounts;
use app::console::GetConsole;
use domain::db::Db;
use domain::demo::{CONTOSO, FABRIKAM};
use domain::{Role, Tenant, TenantId};
use reqwest::StatusCode;
use server::sessions::COOKIE_NAME;

const NORTHWIND: &str = "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d";
const NORA: &str = "nora@northwind.example";

#[tokio::test]
async fn isv_admin_from_another_tenant_opens_no_part_of_the_console() {
    let app = spawn().await;
    // A session minted against the same database, outside sign-in.
    let mut forged = domain::demo::user(ALEX).unwrap();
    forged.roles = vec![Role::IsvAdmin];
    let id = app
        .store
        .insert_signed_in(&forged, time::Duration::hours(1))
        .await
        .unwrap();
    let cookie = format!("{COOKIE_NAME}={id}");
    let browser = app.browser_with(&cookie);

    let page = browser.get("/admin/widgets").await;
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    assert!(page.text().await.unwrap().contains("Access denied"));
    let (status, body) = browser.call::<GetConsole>(&[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body, serde_json::json!("Forbidden"));
    assert_eq!(
        browser.get("/admin/widgets/export").await.status(),
        StatusCode::FORBIDDEN
    );
    // With the session's own form token, so only the role can refuse it.
    let (account, _) = app.first_records(CONTOSO).await;
    let csrf = browser
        .csrf(&format!("/accounts/{account}/tickets/new"))
        .await;
    let before = app.db.widget_config().await.unwrap().version;
    let posted = browser
        .post_form(
            "/admin/widgets/import",
            &[
                ("csrf_token", csrf.as_str()),
                ("intent", "check"),
                ("document", "{}"),
            ],
        )
        .await;
    assert_eq!(posted.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.db.widget_config().await.unwrap().version, before);
    // The session does not carry the role either.
    assert_eq!(browser.me().await.unwrap()["roles"], serde_json::json!([]));
    let html = browser.page("/accounts").await;
    assert!(!html.contains("href=\"/admin/widgets\""), "no console link");
}

async fn delete_tenant(db: &Db, tenant: &str) {
    for sql in [
        "DELETE FROM users WHERE tenant_id = $1",
        "DELETE FROM person_licences WHERE tenant_id = $1",
        "DELETE FROM tenants WHERE id = $1",
    ] {
        match db {
            Db::Sqlite(pool) => sqlx::query(sql).bind(tenant).execute(pool).await.map(drop),
            Db::Postgres(pool) => sqlx::query(sql).bind(tenant).execute(pool).await.map(drop),
        }
        .unwrap();
    }
}

#[tokio::test]
async fn a_withdrawn_organisation_loses_access_within_a_second() {
    let app = spawn().await;
    let northwind = Tenant {
        id: TenantId::parse(NORTHWIND).unwrap(),
        name: "Northwind".into(),
    };
    app.db.upsert_tenant(&northwind).await.unwrap();
    let nora = app.browser();
    let callback = nora.sign_in_as(NORA, "/accounts").await;
    assert_eq!(location(&callback.response), "/accounts");
    assert!(nora.me().await.is_ok());

    // Its registration is withdrawn while Nora is signed in, by another instance or tool:
    // requests are admitted by a copy of the standing at most `FRESH_FOR` old.
    delete_tenant(&app.db, NORTHWIND).await;
    tokio::time::sleep(domain::db::FRESH_FOR).await;
    assert_eq!(nora.me().await, Err(StatusCode::UNAUTHORIZED));
    let (status, _) = nora
        .call::<ListAccounts>(&[("search", ""), ("page", "1")])
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        location(&nora.get("/accounts").await),
        login_redirect("/accounts")
    );
    // Signing in again ends on the page that says so.
    let callback = nora.sign_in_as(NORA, "/accounts").await;
    assert_eq!(callback.response.status(), StatusCode::FORBIDDEN);
    let html = callback.response.text().await.unwrap();
    assert!(html.contains("has not been set up"), "{html}");
}

#[tokio::test]
async fn an_organisation_taken_off_allowed_tenants_loses_access_after_the_restart() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let bianca = app.sign_in(BIANCA).await;
    assert_eq!(
        app.get("/accounts", Some(&alex)).await.status(),
        StatusCode::OK
    );

    // Restarted on the same database, admitting Fabrikam only.
    let restarted = app
        .another_instance_with(|name| (name == "ALLOWED_TENANTS").then(|| FABRIKAM.to_owned()))
        .await;
    assert_eq!(
        location(&restarted.get("/accounts", Some(&alex)).await),
        login_redirect("/accounts")
    );
    let (status, _) = restarted
        .browser_with(&alex)
        .call::<ListAccounts>(&[("search", ""), ("page", "1")])
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        restarted.get("/accounts", Some(&bianca)).await.status(),
        StatusCode::OK
    );
    // Alex's session has ended, on every instance.
    assert_eq!(
        location(&app.get("/accounts", Some(&alex)).await),
        login_redirect("/accounts")
    );
}
