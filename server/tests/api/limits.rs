//! What keeps one client from holding Flowhost: the header deadline, body limits, the request
//! deadline, the cap on requests at once, and a handler's panic.

use crate::logs;
use crate::support::*;
use app::widgets::GetFlowToken;
use axum::Router;
use axum::routing::get;
use domain::demo::CONTOSO;
use reqwest::{StatusCode, header};
use server::config::Limits;
use server_fn::ServerFn;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio::sync::Barrier;

/// Opens a connection and sends a request's headers one byte every half second, never
/// finishing them; meets `opened` once the first byte is out. Returns how long the connection
/// lasted until the server ended it, or `None` if it still stood after `give_up`.
async fn trickle(addr: String, opened: Arc<Barrier>, give_up: Duration) -> Option<Duration> {
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    let started = Instant::now();
    let mut bytes = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
        .iter()
        .chain(std::iter::repeat(&b'a'));
    stream.write_all(&[*bytes.next().unwrap()]).await.unwrap();
    opened.wait().await;
    let mut answer = [0u8; 1024];
    while started.elapsed() < give_up {
        tokio::select! {
            // Closed, reset or answered: the server has ended the request either way.
            _ = stream.read(&mut answer) => return Some(started.elapsed()),
            () = tokio::time::sleep(Duration::from_millis(500)) => {}
        }
        if stream.write_all(&[*bytes.next().unwrap()]).await.is_err() {
            return Some(started.elapsed());
        }
    }
    None
}

#[tokio::test]
async fn slow_header_connections_are_cut_while_health_and_pages_keep_answering() {
    // Each slow client holds two descriptors in this process: its own and the server's. Other
    // tests run beside this one, so 400 are left for them.
    let limit = usize::try_from(server::raise_open_file_limit()).unwrap_or(usize::MAX);
    let slow_clients = 500.min(limit.saturating_sub(400) / 2);
    assert!(
        slow_clients >= 200,
        "an open file limit of {limit} is too low"
    );
    let app = spawn_with(|name| (name == "HEADER_READ_TIMEOUT_SECONDS").then(|| "4".into())).await;
    let alex = app.sign_in(ALEX).await;
    assert_eq!(
        app.get("/accounts", Some(&alex)).await.status(),
        StatusCode::OK
    );

    let addr = app.base.trim_start_matches("http://").to_owned();
    let opened = Arc::new(Barrier::new(slow_clients + 1));
    let slow: Vec<_> = (0..slow_clients)
        .map(|_| {
            tokio::spawn(trickle(
                addr.clone(),
                opened.clone(),
                Duration::from_secs(10),
            ))
        })
        .collect();
    opened.wait().await;

    // While all of them are open, health and a signed-in page answer as usual.
    let (mut health, mut page) = (vec![], vec![]);
    for _ in 0..5 {
        for (path, cookie, times) in [
            ("/healthz", None, &mut health),
            ("/accounts", Some(alex.as_str()), &mut page),
        ] {
            let started = Instant::now();
            let response = app.get(path, cookie).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            response.bytes().await.unwrap();
            times.push(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Held up behind the slow clients, an answer would wait for their deadline (4 s); the
    // bound leaves room for the tests running beside this one on a small machine.
    for (what, times) in [("/healthz", health), ("/accounts", page)] {
        let slowest = *times.iter().max().unwrap();
        assert!(slowest < Duration::from_secs(2), "{what}: {times:?}");
    }

    for connection in slow {
        let lasted = connection
            .await
            .unwrap()
            .expect("the server closes a connection whose headers never end");
        assert!(lasted >= Duration::from_secs(1), "cut after {lasted:?}");
    }
}

#[tokio::test]
async fn a_form_over_64_kb_gets_the_413_page_and_nothing_is_stored() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let (account, _) = app.first_records(CONTOSO).await;
    let form = format!("/accounts/{account}/tickets/new");
    let csrf = app.csrf(&form, &alex).await;
    let contoso = domain::TenantId::parse(CONTOSO).unwrap();
    let scope = app.db.scope(&contoso);
    let before = scope.tickets(account, 1000).await.unwrap().len();

    let description = "x".repeat(70 * 1024);
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("title", "Too much"),
        ("description", description.as_str()),
        ("priority", "normal"),
        ("requester", "pat@adventure-works.example"),
    ];
    let response = app.post_form(&form, &alex, &fields).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Too much to send") && html.contains("64 KB at most"),
        "{html}"
    );
    assert_eq!(scope.tickets(account, 1000).await.unwrap().len(), before);

    // A server function call is held to the same limit; scripts get JSON.
    let answer = app
        .browser_with(&alex)
        .client
        .post(format!("{}{}", app.base, <GetFlowToken as ServerFn>::PATH))
        .header(header::ORIGIN, &app.base)
        .form(&[("resource", description.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_large");
}

#[tokio::test]
async fn the_console_import_takes_up_to_1_mb() {
    let app = spawn().await;
    let iris = app.browser();
    let signed = iris.sign_in_as("iris@flowhost.example", "/").await;
    assert_eq!(signed.response.status(), StatusCode::SEE_OTHER);
    let csrf = iris.csrf("/admin/widgets/import").await;
    let version = || async { app.db.widget_config().await.unwrap().version };
    let before = version().await;

    let large = format!("{{\"padding\": \"{}\"}}", "x".repeat(300 * 1024));
    let checked = iris
        .post_form(
            "/admin/widgets/import",
            &[
                ("csrf_token", &csrf),
                ("document", &large),
                ("intent", "check"),
            ],
        )
        .await;
    assert_eq!(
        location(&checked),
        "/admin/widgets/import",
        "read and checked"
    );

    let too_large = format!("{{\"padding\": \"{}\"}}", "x".repeat(1100 * 1024));
    let refused = iris
        .post_form(
            "/admin/widgets/import",
            &[
                ("csrf_token", &csrf),
                ("document", &too_large),
                ("intent", "apply"),
                ("base", &before.to_string()),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let html = refused.text().await.unwrap();
    assert!(html.contains("1 MB at most"), "{html}");
    assert_eq!(version().await, before, "nothing was imported");
}

/// Serves `app` behind the same protection as Flowhost's own routes, on a free port.
async fn serve_protected(app: Router, limits: Limits) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = server::protect(app, &limits);
    tokio::spawn(server::serve_with(listener, app, &limits));
    base
}

fn browser_get(url: String) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .get(url)
        .header(header::ACCEPT, "text/html")
}

async fn broken() -> &'static str {
    panic!("the handler broke")
}

#[tokio::test]
async fn a_panicking_handler_gets_the_500_page_and_the_server_keeps_serving() {
    let (log, _guard) = logs::capture();
    let app = Router::new()
        .route("/boom", get(broken))
        .route("/fine", get(|| async { "fine" }));
    let base = serve_protected(app, Limits::default()).await;

    let response = browser_get(format!("{base}/boom")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = response.text().await.unwrap();
    assert!(html.contains("Something went wrong"), "{html}");

    let fine = browser_get(format!("{base}/fine")).send().await.unwrap();
    assert_eq!(fine.status(), StatusCode::OK);
    let line = log
        .lines()
        .into_iter()
        .find(|l| l.contains("a handler panicked"))
        .expect("the panic is logged");
    assert!(
        line.contains(&id) && line.contains("the handler broke"),
        "{line}"
    );
}

#[tokio::test]
async fn a_request_past_the_deadline_gets_the_503_page() {
    let app = Router::new().route(
        "/slow",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            "late"
        }),
    );
    let limits = Limits {
        request_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let base = serve_protected(app, limits).await;
    let response = browser_get(format!("{base}/slow")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("This took too long")
    );
}

#[tokio::test]
async fn a_request_over_the_concurrency_cap_gets_503_at_once() {
    let entered = std::sync::Arc::new(tokio::sync::Notify::new());
    let release = std::sync::Arc::new(tokio::sync::Notify::new());
    let (e, r) = (entered.clone(), release.clone());
    let app = Router::new()
        .route(
            "/hold",
            get(move || async move {
                e.notify_one();
                r.notified().await;
                "held"
            }),
        )
        .route("/other", get(|| async { "other" }));
    let limits = Limits {
        max_concurrent_requests: 1,
        ..Limits::default()
    };
    let base = serve_protected(app, limits).await;

    let held = tokio::spawn(browser_get(format!("{base}/hold")).send());
    entered.notified().await;
    let refused = browser_get(format!("{base}/other")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(refused.text().await.unwrap().contains("Flowhost is busy"));

    release.notify_one();
    assert_eq!(held.await.unwrap().unwrap().status(), StatusCode::OK);
    let after = browser_get(format!("{base}/other")).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::OK, "the slot is free again");
}

#[tokio::test]
async fn a_chunked_form_over_64_kb_gets_the_413_page_too() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let (account, _) = app.first_records(CONTOSO).await;
    let form = format!("/accounts/{account}/tickets/new");
    let csrf = app.csrf(&form, &alex).await;
    let body = format!(
        "csrf_token={csrf}&title=Chunked&priority=normal&requester=pat%40adventure-works.example&description={}",
        "x".repeat(70 * 1024)
    );
    let addr = app.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {form} HTTP/1.1\r\nHost: {addr}\r\nOrigin: {}\r\nCookie: {alex}\r\nAccept: text/html\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\
         Connection: close\r\n\r\n",
        app.base
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    for chunk in body.as_bytes().chunks(8 * 1024) {
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
        if stream.write_all(&framed).await.is_err() {
            break; // The server answered and closed before the rest.
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("64 KB at most"), "{answer}");
}
