use crate::support::*;
use domain::db::Db;
use reqwest::{StatusCode, header};
use server::sessions::{COOKIE_NAME, SECURE_COOKIE_NAME};
use tower_sessions::SessionStore as _;
use tower_sessions::session::{Id, Record};

#[tokio::test]
async fn health_and_readiness_answer_in_json() {
    let app = spawn().await;
    let alive = app.get("/healthz", None).await;
    assert_eq!(alive.status(), StatusCode::OK);
    assert_eq!(
        alive.json::<serde_json::Value>().await.unwrap()["status"],
        "ok"
    );
    let ready = app.get("/readyz", None).await;
    assert_eq!(ready.status(), StatusCode::OK);
    assert_eq!(
        ready.json::<serde_json::Value>().await.unwrap()["database"],
        app.db.backend()
    );
}

#[tokio::test]
async fn a_lost_database_gives_503s_with_designed_answers() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    app.db.close().await;

    let ready = app.get("/readyz", None).await;
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["reason"], "database unreachable");

    let page = app.get("/accounts", Some(&alex)).await;
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    let html = page.text().await.unwrap();
    assert!(html.contains("Temporarily unavailable") && html.contains("Try again"));
    assert_eq!(
        app.get("/healthz", None).await.status(),
        StatusCode::OK,
        "the process is still alive"
    );
}

#[tokio::test]
async fn pages_carry_the_security_headers_and_a_fresh_nonce() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let response = app.get("/accounts", Some(&alex)).await;
    let headers = response.headers().clone();
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(
        headers[header::REFERRER_POLICY],
        "strict-origin-when-cross-origin"
    );
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(headers["x-request-id"].to_str().unwrap().len(), 36);
    let csp = headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("frame-ancestors 'self'") && !csp.contains("unsafe-inline"));
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_owned();
    let html = response.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the header's nonce"
    );

    let other = app.get("/accounts", Some(&alex)).await;
    assert!(
        !other.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains(&nonce)
    );
    for path in ["/no-such-page", "/settings"] {
        let response = app.get(path, Some(&alex)).await;
        assert!(
            response
                .headers()
                .contains_key(header::CONTENT_SECURITY_POLICY),
            "{path}"
        );
    }
}

#[tokio::test]
async fn an_incoming_request_id_is_kept() {
    let app = spawn().await;
    let response = reqwest::Client::new()
        .get(format!("{}/healthz", app.base))
        .header("x-request-id", "trace-me-123")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "trace-me-123");
}

fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("flowhost_session="))
        .expect("the session cookie is set")
}

#[tokio::test]
async fn the_session_cookie_is_http_only_lax_and_secure_behind_https() {
    let app = spawn().await;
    let (account, _) = app.first_records(domain::demo::CONTOSO).await;
    let form = format!("/accounts/{account}/tickets/new");
    let cookie = session_cookie(&app.get(&form, Some(&app.sign_in(ALEX).await)).await);
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "{cookie}");

    // Set directly: a demo build refuses an https PUBLIC_URL.
    let https = spawn_adjusted(
        |_| None,
        |config| config.public_url = "https://desk.example.com".parse().unwrap(),
    )
    .await;
    // Behind https the cookie is `__Host-`: Secure, for this host only, for every path.
    let signed_in = https
        .sign_in(ALEX)
        .await
        .replace(COOKIE_NAME, SECURE_COOKIE_NAME);
    let response = https.get(&form, Some(&signed_in)).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the __Host- cookie is read"
    );
    let cookie = secure_session_cookie(&response);
    assert!(
        cookie.contains("; Secure") && cookie.contains("HttpOnly") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Domain"), "{cookie}");
}

fn secure_session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("__Host-flowhost_session="))
        .expect("the __Host- session cookie is set")
}

#[tokio::test]
async fn https_answers_carry_strict_transport_security_and_http_ones_do_not() {
    let http = spawn().await;
    let response = http.get("/healthz", None).await;
    assert!(
        !response
            .headers()
            .contains_key(header::STRICT_TRANSPORT_SECURITY)
    );

    // Set directly: a demo build refuses an https PUBLIC_URL.
    let https = spawn_adjusted(
        |_| None,
        |config| config.public_url = "https://desk.example.com".parse().unwrap(),
    )
    .await;
    for path in ["/healthz", "/no-such-page", "/auth/login"] {
        let response = https.get(path, None).await;
        let hsts = response.headers()[header::STRICT_TRANSPORT_SECURITY]
            .to_str()
            .unwrap();
        assert!(hsts.starts_with("max-age=31536000"), "{path}: {hsts}");
    }
}

#[tokio::test]
async fn expired_sessions_are_still_deleted_after_a_failed_cleanup() {
    let app = spawn_adjusted(
        |_| None,
        |config| config.session_cleanup_interval = std::time::Duration::from_millis(100),
    )
    .await;
    let sql = |statement: &'static str| {
        let db = app.db.clone();
        async move {
            match &db {
                Db::Sqlite(pool) => sqlx::query(statement).execute(pool).await.map(drop),
                Db::Postgres(pool) => sqlx::query(statement).execute(pool).await.map(drop),
            }
            .unwrap()
        }
    };
    // The database loses the table for a moment: the cleanups meanwhile fail.
    sql("ALTER TABLE sessions RENAME TO sessions_away").await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    sql("ALTER TABLE sessions_away RENAME TO sessions").await;

    // It expires two seconds from now, so it is certainly stored before a cleanup may take it.
    let mut expired = Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::seconds(2),
    };
    app.store.create(&mut expired).await.unwrap();
    let stored = || async {
        let id = expired.id.to_string();
        let count: i64 = match &app.db {
            Db::Sqlite(pool) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE id = $1")
                    .bind(&id)
                    .fetch_one(pool)
                    .await
            }
            Db::Postgres(pool) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE id = $1")
                    .bind(&id)
                    .fetch_one(pool)
                    .await
            }
        }
        .unwrap();
        count
    };
    assert_eq!(stored().await, 1);
    for _ in 0..150 {
        if stored().await == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the expired session is still stored: the cleanup stopped after its failure");
}

#[tokio::test]
async fn reading_pages_keeps_a_session_alive_with_one_write_a_minute() {
    let app = spawn_with(|name| (name == "SESSION_IDLE_MINUTES").then(|| "120".to_owned())).await;
    let alex = app.sign_in(ALEX).await;
    let before = app.session_expiry(&alex).await;
    assert!(
        before < time::OffsetDateTime::now_utc() + time::Duration::minutes(61),
        "signed in for an hour"
    );

    assert_eq!(
        app.get("/accounts", Some(&alex)).await.status(),
        StatusCode::OK
    );
    let extended = app.session_expiry(&alex).await;
    assert!(
        extended > time::OffsetDateTime::now_utc() + time::Duration::minutes(119),
        "{extended}"
    );

    // Within the minute, reads do not write the session again.
    app.get("/accounts", Some(&alex)).await;
    assert_eq!(app.session_expiry(&alex).await, extended);
}

#[tokio::test]
async fn sessions_survive_a_restart_of_the_server() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let second = app.another_instance().await;
    let response = second.get("/accounts", Some(&alex)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("Alex Wilber"));
}

#[tokio::test]
async fn a_demo_build_refuses_a_database_of_other_organisations() {
    let db = domain::db::testing::fresh_db().await.unwrap();
    let customer = domain::Tenant {
        id: domain::TenantId::parse("5e1f0a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b").unwrap(),
        name: "A real customer".into(),
    };
    db.upsert_tenant(&customer).await.unwrap();
    let config = configure("127.0.0.1:0".parse().unwrap(), |_| None);
    let Err(e) = server::build_on(&config, db.clone()).await else {
        panic!("a demo build started on another organisation's database");
    };
    assert!(
        e.to_string()
            .starts_with("configuration error: DATABASE_URL: "),
        "{e}"
    );
    let contoso = domain::TenantId::parse(domain::demo::CONTOSO).unwrap();
    assert_eq!(db.tenant(&contoso).await.unwrap(), None, "no demo data");
    assert_eq!(db.tenants().await.unwrap(), [customer]);
}

#[tokio::test]
async fn a_demo_build_starts_again_on_its_own_database() {
    let app = spawn().await;
    // A sign-in of the ISV's staff registers the sandbox's ISV tenant.
    app.browser().sign_in_as("iris@flowhost.example", "/").await;
    assert_eq!(app.db.tenants().await.unwrap().len(), 3);
    let again = app.another_instance().await;
    assert_eq!(again.get("/readyz", None).await.status(), StatusCode::OK);
}

/// Runs the real binary with `vars` and returns its exit code and what it printed.
fn run_binary(vars: &[(&str, &str)]) -> (Option<i32>, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_flowhost"))
        .env_clear()
        .current_dir(std::env::temp_dir())
        .envs(vars.iter().copied())
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned()
            + &String::from_utf8_lossy(&output.stdout),
    )
}

#[test]
fn bad_configuration_stops_start_up_with_one_line_and_exit_code_2() {
    let cases = [
        (
            vec![("DATABASE_URL", "mysql://app:s3cr3t@db/x")],
            "DATABASE_URL",
        ),
        (
            vec![("DATABASE_URL", "postgres://app:s3cr3t@127.0.0.1:1/x")],
            "DATABASE_URL",
        ),
        (vec![("PUBLIC_URL", "localhost:3000")], "PUBLIC_URL"),
        (vec![("LEPTOS_SITE_ADDR", "everywhere")], "LEPTOS_SITE_ADDR"),
        (vec![("SESSION_IDLE_MINUTES", "-5")], "SESSION_IDLE_MINUTES"),
        // A demo build serves this machine only.
        (
            vec![("LEPTOS_SITE_ADDR", "0.0.0.0:3000")],
            "LEPTOS_SITE_ADDR",
        ),
        (vec![("SANDBOX_ADDR", "0.0.0.0:3100")], "SANDBOX_ADDR"),
        (
            vec![("SANDBOX_FLOW_ADDR", "[::]:3200")],
            "SANDBOX_FLOW_ADDR",
        ),
        (
            vec![("PUBLIC_URL", "https://desk.example.com")],
            "PUBLIC_URL",
        ),
    ];
    for (vars, named) in cases {
        let (code, printed) = run_binary(&vars);
        assert_eq!(code, Some(2), "{vars:?}: {printed}");
        let lines: Vec<&str> = printed.lines().collect();
        assert_eq!(lines.len(), 1, "{vars:?}: {printed}");
        assert!(
            lines[0].starts_with(&format!("flowhost: configuration error: {named}: ")),
            "{printed}"
        );
        assert!(
            !printed.contains("s3cr3t"),
            "the password is never printed: {printed}"
        );
    }
}

#[tokio::test]
async fn a_demo_binary_stops_on_a_database_of_other_organisations() {
    let path = std::env::temp_dir().join(format!("flowhost-other-{}.db", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = domain::db::Db::connect(&url).await.unwrap();
    db.upsert_tenant(&domain::Tenant {
        id: domain::TenantId::parse("5e1f0a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b").unwrap(),
        name: "A real customer".into(),
    })
    .await
    .unwrap();
    db.close().await;
    let (code, printed) =
        run_binary(&[("DATABASE_URL", &url), ("LEPTOS_SITE_ADDR", "127.0.0.1:0")]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(code, Some(2), "{printed}");
    assert_eq!(printed.lines().count(), 1, "{printed}");
    assert!(
        printed.starts_with("flowhost: configuration error: DATABASE_URL: "),
        "{printed}"
    );
}

#[test]
fn with_azure_ad_an_http_public_url_is_refused_unless_it_is_loopback() {
    let azure = [
        ("AZURE_CLIENT_ID", "11111111-2222-3333-4444-555555555555"),
        ("AZURE_CLIENT_SECRET", "s3cr3t"),
        ("ISV_TENANT_ID", "99999999-8888-7777-6666-555555555555"),
        (
            "TOKEN_ENCRYPTION_KEY",
            "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        ),
        // Were PUBLIC_URL taken, start-up would stop here instead.
        ("DATABASE_URL", "postgres://app@127.0.0.1:1/x"),
    ];
    let (code, printed) =
        run_binary(&[&azure[..], &[("PUBLIC_URL", "http://desk.example.com")]].concat());
    assert_eq!(code, Some(2), "{printed}");
    assert_eq!(printed.lines().count(), 1, "{printed}");
    assert!(
        printed.starts_with("flowhost: configuration error: PUBLIC_URL: "),
        "{printed}"
    );
    let (_, printed) =
        run_binary(&[&azure[..], &[("PUBLIC_URL", "http://localhost:3000")]].concat());
    assert!(
        printed.starts_with("flowhost: configuration error: DATABASE_URL: "),
        "loopback http is taken: {printed}"
    );
}

#[test]
fn an_unreadable_named_config_file_is_refused() {
    let (code, printed) = run_binary(&[("FLOWHOST_CONFIG", "/nonexistent/flowhost.toml")]);
    assert_eq!(code, Some(2), "{printed}");
    assert!(printed.contains("FLOWHOST_CONFIG"), "{printed}");
}
