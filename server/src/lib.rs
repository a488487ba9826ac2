//! The Flowhost server: configuration, sessions, security, routes, and the wiring of the
//! Leptos app onto axum.

pub mod config;
mod forms;
mod health;
mod plain_page;
pub mod security;
pub mod sessions;
pub mod telemetry;

use axum::Router;
use axum::extract::FromRef;
use axum::routing::{get, post};
use config::Config;
use domain::db::Db;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sessions::Store;
use std::sync::Arc;
use tower_sessions::ExpiredDeletion;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("configuration error: DATABASE_URL: {0}")]
    Database(#[from] domain::db::ConnectError),
    #[error("configuration error: DATABASE_URL: cannot prepare the session store: {0}")]
    Sessions(domain::db::DbError),
    #[error("configuration error: DATABASE_URL: cannot load the demo data: {0}")]
    Demo(domain::db::DbError),
    #[error("configuration error: Leptos site options: {0}")]
    Leptos(String),
    #[error("configuration error: LEPTOS_SITE_ADDR: cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
}

/// Connects to the database, prepares it, and builds the whole application.
pub async fn build(config: &Config) -> Result<Router, StartError> {
    let db = Db::connect(&config.database_url).await?;
    if config.demo {
        let loaded = domain::demo::load(&db).await.map_err(StartError::Demo)?;
        if loaded > 0 {
            tracing::info!(tenants = loaded, "demo data loaded");
        }
    }
    router(config, db).await
}

/// The application on an already prepared database.
pub async fn router(config: &Config, db: Db) -> Result<Router, StartError> {
    let store = Store::for_db(&db).await.map_err(StartError::Sessions)?;
    tokio::spawn(
        store
            .clone()
            .continuously_delete_expired(tokio::time::Duration::from_secs(300)),
    );

    let mut leptos_options = leptos::config::get_configuration(None)
        .map_err(|e| StartError::Leptos(e.to_string()))?
        .leptos_options;
    leptos_options.site_addr = config.listen;
    let state = AppState {
        leptos_options,
        db: db.clone(),
    };

    let context = move || {
        provide_context(db.clone());
        security::provide_nonce();
    };
    let policy = Arc::new(security::Policy {
        origin: config.public_origin(),
    });

    let app = Router::new()
        .route("/healthz", get(health::alive))
        .route("/readyz", get(health::ready))
        .route("/accounts/{id}/tickets/new", post(forms::create_ticket))
        .route(
            "/accounts/{id}/tickets/{ticket}",
            post(forms::update_ticket),
        )
        .leptos_routes_with_context(&state, routes(), context.clone(), {
            let options = state.leptos_options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, app::shell))
        .layer(axum::middleware::from_fn_with_state(
            config.session_idle,
            sessions::load_visitor,
        ))
        .layer(store.layer(config.session_idle, config.secure_cookies()))
        .layer(axum::middleware::from_fn_with_state(
            policy,
            security::guard,
        ))
        .with_state(state);
    Ok(telemetry::layer(app))
}

/// The app's routes. Listing them renders the whole app once, which must not run while the
/// process serves requests (a second instance built in the same process, as tests do, made
/// concurrent page renders hang), so it happens once per process.
fn routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// Serves `app` on `listener` until the process is told to stop.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    // Leptos streams a page in several writes; without TCP_NODELAY each waits ~40 ms for an ACK.
    use axum::serve::ListenerExt as _;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
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
    tracing::info!("shutting down");
}
