//! Webhook delivery across processes: events pending when the process is killed are
//! delivered after it starts again, and instances sharing one database deliver each event
//! once, in order.

use crate::callbacks::{Answer, Callbacks};
use crate::rest_client::{API_SCOPE, Rest, token_from};
use crate::support::ALEX;
use serde_json::json;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The demo build's binary on `database`, with its sandbox; killed with SIGKILL on drop.
struct Process {
    child: Child,
    base: String,
    sandbox: String,
}

impl Process {
    async fn start(database: &str, log: &Path) -> Process {
        let (port, sandbox) = (free_port(), free_port());
        let base = format!("http://127.0.0.1:{port}");
        let child = Command::new(env!("CARGO_BIN_EXE_flowhost"))
            .env("DATABASE_URL", database)
            .env("PUBLIC_URL", &base)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("SANDBOX_ADDR", format!("127.0.0.1:{sandbox}"))
            .env("SANDBOX_FLOW_ADDR", format!("127.0.0.1:{}", free_port()))
            .env("RUST_LOG", "info")
            .env_remove("FLOWHOST_TEST_DATABASE_URL")
            .stdout(Stdio::from(std::fs::File::create(log).unwrap()))
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let process = Process {
            child,
            base,
            sandbox: format!("http://127.0.0.1:{sandbox}"),
        };
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        while reqwest::get(format!("{}/readyz", process.base))
            .await
            .map_or(true, |r| !r.status().is_success())
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the server did not start; see {}",
                log.display()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        process
    }

    /// Stops the process at once, as a crash or `kill -9` would.
    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn events_pending_when_the_process_is_killed_are_delivered_after_it_starts_again() {
    let dir = std::env::temp_dir().join(format!("flowhost-kill-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let database = format!("sqlite://{}?mode=rwc", dir.join("kill.db").display());
    let callbacks = Callbacks::start().await;
    // Every post fails while the first process runs.
    callbacks.script("flow", &[Answer::Status(500); 1000]);

    let mut first = Process::start(&database, &dir.join("first.log")).await;
    let token = token_from(&first.sandbox, &first.base, ALEX, API_SCOPE).await;
    let alex = Rest::new(&first.base, token);
    let made = alex
        .post(
            "/api/v1/hooks/ticket-created",
            json!({ "callbackUrl": callbacks.url("flow") }),
        )
        .await;
    assert_eq!(made.status.as_u16(), 201, "{}", made.body);
    let account = alex.get("/api/v1/accounts?pageSize=1").await.body["value"][0]["id"]
        .as_i64()
        .unwrap();
    let mut tickets = Vec::new();
    for n in 0..5 {
        let made = alex
            .post(
                &format!("/api/v1/accounts/{account}/tickets"),
                json!({ "title": format!("Before the crash {n}") }),
            )
            .await;
        tickets.push(made.body["id"].as_i64().unwrap());
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while callbacks.received("flow").is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no delivery was tried"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.kill();

    callbacks.script("flow", &[]);
    let _second = Process::start(&database, &dir.join("second.log")).await;
    let taken = callbacks.taken("flow", 5, Duration::from_secs(90)).await;
    let delivered: Vec<i64> = taken
        .iter()
        .map(|r| r.body["id"].as_i64().unwrap())
        .collect();
    assert_eq!(delivered, tickets, "every event, once taken, in order");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn instances_on_one_database_deliver_each_event_once_in_order() {
    let app = crate::support::spawn().await;
    let other = app.another_instance().await;
    let callbacks = Callbacks::start().await;
    let alex = app.rest(ALEX).await;
    let made = alex
        .post(
            "/api/v1/hooks/ticket-created",
            json!({ "callbackUrl": callbacks.url("flow") }),
        )
        .await;
    assert_eq!(made.status.as_u16(), 201);
    let (account, _) = app.first_records(domain::demo::CONTOSO).await;
    // Written through both instances, so both workers are woken.
    let alex_there = other.rest(ALEX).await;
    let mut tickets = Vec::new();
    for n in 0..20 {
        let rest = if n % 2 == 0 { &alex } else { &alex_there };
        let made = rest
            .post(
                &format!("/api/v1/accounts/{account}/tickets"),
                json!({ "title": format!("Ticket {n}") }),
            )
            .await;
        tickets.push(made.body["id"].as_i64().unwrap());
    }
    let taken = callbacks.taken("flow", 20, Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let all = callbacks.received("flow");
    let delivered: Vec<i64> = all.iter().map(|r| r.body["id"].as_i64().unwrap()).collect();
    assert_eq!(taken.len(), 20);
    assert_eq!(delivered, tickets, "each once, in order");
}
