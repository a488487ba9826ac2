//! What keeps one client from holding Flowhost: a deadline for a request's headers on every
//! connection, a deadline for the whole request, a cap on requests served at once, body size
//! limits, and a designed 500 page when a handler panics (the process keeps serving).

use crate::config::Limits;
use crate::plain_page;
use crate::telemetry::{self, bounded};
use axum::Router;
use axum::body::{Body, HttpBody as _};
use axum::error_handling::HandleErrorLayer;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::any::Any;
use std::future::Future;
use std::time::Duration;
use tower::BoxError;
use tower::ServiceBuilder;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::load_shed::error::Overloaded;
use tower::timeout::error::Elapsed;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;

/// The one route whose body may be larger than a form's: the console's import of a whole
/// widget configuration.
pub const IMPORT_PATH: &str = "/admin/widgets/import";

/// Puts `app` behind the request limits, the panic catcher and the request log. `main` and
/// the tests apply it the same way.
pub fn protect(app: Router, limits: &Limits) -> Router {
    // A service, not a Router: `route_service` refuses a Router.
    let limited = |app: Router, limit: usize| {
        ServiceBuilder::new()
            .layer(axum::middleware::from_fn_with_state(limit, too_large_page))
            .layer(RequestBodyLimitLayer::new(limit))
            .service(app)
    };
    let import = limited(app.clone(), limits.import_body);
    let forms = limited(app, limits.form_body);
    let app = Router::new()
        .route_service(IMPORT_PATH, import)
        .fallback_service(forms)
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(refused))
                .load_shed()
                // Shared by every route: the cap counts all requests, not each route's.
                .layer(GlobalConcurrencyLimitLayer::new(
                    limits.max_concurrent_requests,
                ))
                .timeout(limits.request_timeout),
        )
        .layer(CatchPanicLayer::custom(panicked))
        .layer(axum::middleware::from_fn(plain_page::keep_language));
    telemetry::layer(app)
}

/// Answers a body over `limit` with the designed 413. A body of announced length goes on to
/// the body limit, whose bare 413 becomes the page; one without (chunked) is read here first,
/// up to `limit`, so every handler sees it whole or not at all.
async fn too_large_page(State(limit): State<usize>, request: Request, next: Next) -> Response {
    let headers = request.headers().clone();
    let request = if headers.contains_key(header::CONTENT_LENGTH) || request.body().is_end_stream()
    {
        request
    } else {
        let (parts, body) = request.into_parts();
        match axum::body::to_bytes(body, limit).await {
            Ok(bytes) => Request::from_parts(parts, Body::from(bytes)),
            // Over the limit, or the client stopped sending: either way it is not used.
            Err(_) => return plain_page::too_large(&headers, limit),
        }
    };
    let response = next.run(request).await;
    let designed = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !designed {
        plain_page::too_large(&headers, limit)
    } else {
        response
    }
}

async fn refused(headers: HeaderMap, error: BoxError) -> Response {
    if error.is::<Overloaded>() {
        tracing::warn!("refused a request: too many at once");
        plain_page::busy(&headers)
    } else if error.is::<Elapsed>() {
        tracing::warn!("stopped a request that took too long");
        plain_page::too_slow(&headers)
    } else {
        tracing::error!(error = %bounded(&error.to_string()), "a request failed");
        plain_page::internal_error(plain_page::lang(&headers))
    }
}

/// Logged inside the request's span, so the line carries its request id.
fn panicked(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = %bounded(message), "a handler panicked");
    plain_page::internal_error(plain_page::current_lang())
}

/// Serves `app` on `listener` until the process is told to stop, giving each client
/// `limits.header_read_timeout` to send a request's headers.
pub fn serve_with(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: &Limits,
) -> impl Future<Output = std::io::Result<()>> + Send + 'static {
    raise_open_file_limit();
    let mut http = hyper::server::conn::http1::Builder::new();
    // Without a timer hyper has no header deadline: a client sending a byte now and then
    // would hold its connection forever.
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    async move { accept_until_shutdown(listener, app, http).await }
}

/// Each open connection holds a file descriptor, and a soft limit of 1024 (a common default)
/// is used up by a few hundred slow clients; the soft limit is raised as far as the hard one.
pub fn raise_open_file_limit() -> u64 {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => {
            tracing::debug!(limit, "open file limit");
            limit
        }
        Err(e) => {
            tracing::warn!(error = %e, "the open file limit could not be raised");
            rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(0, |(soft, _)| soft)
        }
    }
}

async fn accept_until_shutdown(
    listener: tokio::net::TcpListener,
    app: Router,
    http: hyper::server::conn::http1::Builder,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Leptos streams a page in several writes; without TCP_NODELAY each waits ~40 ms for
        // an ACK.
        let _ = tcp.set_nodelay(true);
        // Each request carries the peer's address (sign-in attempts are counted per client).
        let app = tower::Layer::layer(&axum::Extension(ConnectInfo(peer)), app.clone());
        let connection = http.serve_connection(TokioIo::new(tcp), TowerToHyperService::new(app));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection closed with an error");
            }
        });
    }
    drop(listener);
    tracing::info!("shutting down");
    graceful.shutdown().await;
    Ok(())
}

/// A failed accept: the client's problem goes unremarked; running out of file descriptors is
/// logged and waited out, instead of spinning.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::*;
    if matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "could not accept a connection");
    tokio::time::sleep(Duration::from_millis(100)).await;
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
