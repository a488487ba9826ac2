//! A widget configuration version that cannot be read keeps the pages up: record pages use the
//! newest version that can be read, the console says which failed and why, and saving goes on.

use crate::support::*;
use app::console::GetConsole;
use domain::db::Db;
use domain::demo::CONTOSO;
use domain::widget_config::{FormValues, WidgetConfig, to_form};
use reqwest::StatusCode;

const KEY: &str = "account-templates";

/// Saves `title` for the account page's templates through the console's form, as iris.
async fn save_title(iris: &Browser, title: &str, revision: u32) -> reqwest::Response {
    let path = format!("/admin/widgets/{KEY}");
    let csrf = iris.csrf(&path).await;
    let mut values: FormValues = to_form(WidgetConfig::seeded().placement(KEY).unwrap());
    values.insert("title".into(), title.into());
    let revision = revision.to_string();
    let mut fields: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.extend([
        ("csrf_token", csrf.as_str()),
        ("revision", revision.as_str()),
        ("intent", "save"),
    ]);
    iris.post_form(&path, &fields).await
}

/// Stores `document` as version `version`, as a faulty writer or a bad manual fix would.
async fn insert_raw_version(db: &Db, version: i64, document: &str) {
    const SQL: &str = "INSERT INTO widget_config_versions (version, document, author, summary, created_at) \
                       VALUES ($1, $2, 'A script', 'by hand', $3)";
    let now = time::OffsetDateTime::now_utc();
    match db {
        Db::Sqlite(pool) => sqlx::query(SQL)
            .bind(version)
            .bind(document)
            .bind(now)
            .execute(pool)
            .await
            .map(drop),
        Db::Postgres(pool) => sqlx::query(SQL)
            .bind(version)
            .bind(document)
            .bind(now)
            .execute(pool)
            .await
            .map(drop),
    }
    .unwrap();
}

/// The HTML of alex's first account page.
async fn account_page(app: &TestApp, alex: &str) -> String {
    let (account, _) = app.first_records(CONTOSO).await;
    let response = app.get(&format!("/accounts/{account}"), Some(alex)).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

#[tokio::test]
async fn an_unreadable_version_leaves_record_pages_on_the_last_readable_one() {
    let app = spawn().await;
    let iris = app.browser();
    assert_eq!(
        iris.sign_in_as(IRIS, "/").await.response.status(),
        StatusCode::SEE_OTHER
    );
    let saved = save_title(&iris, "Templates of version 2", 0).await;
    assert_eq!(location(&saved), format!("/admin/widgets/{KEY}"));
    assert_eq!(app.db.widget_config_version().await.unwrap(), 2);
    insert_raw_version(&app.db, 3, r#"{"placements": "not a list"}"#).await;
    // Written past Flowhost: pages see it within FRESH_FOR.
    tokio::time::sleep(domain::db::FRESH_FOR).await;

    // The record page keeps its widgets, as version 2 has them.
    let alex = app.sign_in(ALEX).await;
    let html = account_page(&app, &alex).await;
    assert!(
        html.contains("Templates of version 2"),
        "the widgets of version 2"
    );
    assert!(html.contains("data-testid=\"widget-flows\""));

    // The console says what failed and what pages use.
    let (status, console) = iris.call::<GetConsole>(&[]).await;
    assert_eq!(status, StatusCode::OK, "{console}");
    let failure: i18n::Msg = serde_json::from_value(console["failure"].clone()).unwrap();
    let notice = failure.show(i18n::Lang::En);
    assert!(
        notice.starts_with("Version 3 could not be read: ")
            && notice.ends_with("; pages use version 2."),
        "{notice}"
    );
    let dutch = failure.show(i18n::Lang::Nl);
    assert!(
        dutch.starts_with("Versie 3 kon niet worden gelezen: ")
            && dutch.ends_with("; pagina's gebruiken versie 2."),
        "{dutch}"
    );
    let page = iris.page("/admin/widgets").await;
    assert!(page.contains("Version 3 could not be read"));
    // Its history shows the version written by hand as it was written.
    let history = iris.page("/admin/widgets/history").await;
    assert!(history.contains("<li>by hand<"), "{history}");

    // A save builds on the newest version's number, from what pages use.
    let saved = save_title(&iris, "Templates of version 4", 1).await;
    assert_eq!(location(&saved), format!("/admin/widgets/{KEY}"));
    assert_eq!(app.db.widget_config_version().await.unwrap(), 4);
    assert!(
        account_page(&app, &alex)
            .await
            .contains("Templates of version 4")
    );
    let (_, console) = iris.call::<GetConsole>(&[]).await;
    assert_eq!(console["failure"], serde_json::Value::Null, "{console}");
}
