//! What anonymous visitors and refused forms can leave in the session store: a pending sign-in
//! is small and kept for minutes, sign-in attempts per address are limited, and a form's draft
//! never outgrows its form.

use crate::support::*;
use domain::db::Db;
use reqwest::{StatusCode, header};
use server::auth::SignInLimit;
use server::sessions::COOKIE_NAME;
use std::time::Duration;
use tower_sessions::SessionStore as _;

/// How many sessions the store holds, and the bytes of their data.
async fn stored(db: &Db) -> (i64, i64) {
    const SQL: &str =
        "SELECT COUNT(*), CAST(COALESCE(SUM(LENGTH(data)), 0) AS BIGINT) FROM sessions";
    match db {
        Db::Sqlite(pool) => sqlx::query_as(SQL).fetch_one(pool).await.unwrap(),
        Db::Postgres(pool) => sqlx::query_as(SQL).fetch_one(pool).await.unwrap(),
    }
}

/// When the stored session that expires last does.
async fn latest_expiry(app: &TestApp) -> time::OffsetDateTime {
    const SQL: &str = "SELECT id FROM sessions";
    let ids: Vec<String> = match &app.db {
        Db::Sqlite(pool) => sqlx::query_scalar(SQL).fetch_all(pool).await.unwrap(),
        Db::Postgres(pool) => sqlx::query_scalar(SQL).fetch_all(pool).await.unwrap(),
    };
    let mut latest = time::OffsetDateTime::UNIX_EPOCH;
    for id in ids {
        let record = app.store.load(&id.parse().unwrap()).await.unwrap();
        if let Some(record) = record {
            latest = latest.max(record.expiry_date);
        }
    }
    latest
}

/// A page to come back to, `len` bytes long.
fn long_return_to(len: usize) -> String {
    let start = "/accounts?q=";
    format!("{start}{}", "a".repeat(len - start.len()))
}

#[tokio::test]
async fn a_thousand_anonymous_sign_ins_with_long_return_to_leave_a_bounded_store() {
    // Limited per address, a thousand attempts from one would mostly be refused: the limit is
    // raised so that every one of them reaches the store.
    let app = spawn_adjusted(
        |_| None,
        |config| {
            config.sign_in_limit = SignInLimit {
                burst: 2_000,
                every: Duration::from_millis(1),
            }
        },
    )
    .await;
    let path = login_redirect(&long_return_to(4_096));
    for _ in 0..1_000 {
        let response = app.get(&path, None).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    let (rows, bytes) = stored(&app.db).await;
    assert_eq!(rows, 1_000, "each attempt holds its own pending sign-in");
    assert!(
        bytes <= rows * 1_024,
        "{bytes} bytes for {rows} pending sign-ins"
    );
    let latest = latest_expiry(&app).await;
    let soon = time::OffsetDateTime::now_utc() + time::Duration::minutes(16);
    assert!(latest <= soon, "a pending sign-in is kept until {latest}");
}

#[tokio::test]
async fn sign_in_attempts_from_one_address_are_limited_with_retry_after() {
    let app = spawn().await;
    let path = login_redirect(&long_return_to(4_096));
    let mut served = 0;
    let mut refused = None;
    for _ in 0..1_000 {
        let response = app.get(&path, None).await;
        match response.status() {
            StatusCode::SEE_OTHER => served += 1,
            StatusCode::TOO_MANY_REQUESTS => refused = Some(response),
            other => panic!("unexpected {other}"),
        }
    }
    // A burst of 30, and one more a second: a browser test suite's sign-ins never meet it.
    assert!((30..60).contains(&served), "{served} attempts were served");
    let refused = refused.expect("the rest were refused");
    let wait: u64 = refused.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&wait), "Retry-After: {wait}");
    let html = refused.text().await.unwrap();
    assert!(html.contains("Too many sign-in attempts"), "{html}");
    assert!(
        html.contains("href=\"/auth/login?return_to=%2F\""),
        "a way to try again"
    );
    let (rows, bytes) = stored(&app.db).await;
    assert!(rows <= served, "{rows} sessions for {served} attempts");
    assert!(bytes <= rows * 1_024, "{bytes} bytes for {rows} sessions");

    // Another address is counted on its own.
    let other = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    let response = other
        .get(format!("{}/auth/login", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_pending_sign_in_is_kept_for_minutes_and_a_signed_in_session_for_the_idle_lifetime() {
    let app = spawn().await;
    let browser = app.browser();
    let authorize = browser.start_sign_in("/").await;
    let pending = format!("{COOKIE_NAME}={}", browser.session_cookie().unwrap());
    let now = time::OffsetDateTime::now_utc();
    let until = app.session_expiry(&pending).await;
    assert!(
        until <= now + time::Duration::minutes(16),
        "a pending sign-in is kept until {until}"
    );

    let callback = browser.pick(&authorize, ALEX).await;
    assert_eq!(location(&browser.get(&callback).await), "/");
    let signed_in = format!("{COOKIE_NAME}={}", browser.session_cookie().unwrap());
    let until = app.session_expiry(&signed_in).await;
    let idle = time::Duration::minutes(480);
    assert!(
        until >= now + idle - time::Duration::minutes(1),
        "a signed-in session is kept until {until}"
    );
}

#[tokio::test]
async fn a_return_to_longer_than_2_kb_goes_home() {
    let app = spawn().await;
    let kept = long_return_to(2_048);
    let browser = app.browser();
    let callback = browser.sign_in_as(ALEX, &kept).await;
    assert_eq!(location(&callback.response), kept);

    for len in [2_049, 60_000] {
        let browser = app.browser();
        let callback = browser.sign_in_as(ALEX, &long_return_to(len)).await;
        assert_eq!(location(&callback.response), "/", "{len} bytes");
    }
}

#[tokio::test]
async fn a_callback_without_a_sign_in_in_progress_stores_nothing() {
    let app = spawn().await;
    let response = app.get("/auth/callback?state=forged&code=x", None).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.headers().get(header::SET_COOKIE).is_none());
    assert_eq!(stored(&app.db).await.0, 0);
}

#[tokio::test]
async fn an_oversized_draft_is_never_kept_and_the_form_stays_usable() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let browser = app.browser_with(&alex);
    let (account, _) = app.first_records(domain::demo::CONTOSO).await;
    let form = format!("/accounts/{account}/tickets/new");
    let csrf = app.csrf(&form, &alex).await;

    // Refused for its empty title, and far larger than a ticket's form takes; then a post
    // within a form's size whose draft, as stored, would be twice as large.
    let huge = "x".repeat(2 * 1024 * 1024);
    let escaped = "\u{1}".repeat(20_000);
    for description in [&huge, &escaped] {
        let fields = [
            ("csrf_token", csrf.as_str()),
            ("title", ""),
            ("description", description.as_str()),
        ];
        let response = app.post_form(&form, &alex, &fields).await;
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let html = response.text().await.unwrap();
        assert!(
            html.contains("Go back"),
            "the page says how to go on: {html}"
        );
        let kept = app.session_cookie_record(&browser).await.unwrap();
        assert!(
            kept.len() < 64 * 1024,
            "the session holds {} bytes",
            kept.len()
        );
    }

    // The form still opens, without a draft, and takes a ticket.
    let page = app.get(&form, Some(&alex)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("Please correct the fields"),
        "no draft is shown"
    );
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("title", "Printer on fire"),
        ("description", "Smoke from tray 2."),
        ("priority", "normal"),
        ("requester", "pat@adventure-works.example"),
    ];
    let to = location(&app.post_form(&form, &alex, &fields).await);
    assert!(
        to.starts_with(&format!("/accounts/{account}/tickets/")),
        "{to}"
    );
}
