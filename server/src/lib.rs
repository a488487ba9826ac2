//! The Flowhost server: configuration, sessions, security, routes, and the wiring of the
//! Leptos app onto axum.

pub mod auth;
pub mod config;
mod console;
mod forms;
mod health;
mod plain_page;
pub mod security;
mod server_fns;
pub mod sessions;
pub mod telemetry;

use auth::{Auth, TokenKey};
use axum::Router;
use axum::extract::FromRef;
use axum::routing::{get, post};
use config::{AzureApp, Config, Identity, PowerAutomate};
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
    pub auth: Arc<Auth>,
    pub hosting: app::ssr::FlowHosting,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("configuration error: DATABASE_URL: {0}")]
    Database(#[from] domain::db::ConnectError),
    #[error("configuration error: DATABASE_URL: cannot prepare the session store: {0}")]
    Sessions(domain::db::DbError),
    #[error("configuration error: DATABASE_URL: cannot load the demo data: {0}")]
    Demo(domain::db::DbError),
    #[error("configuration error: SANDBOX_ADDR: cannot start the sandbox: {0}")]
    Sandbox(std::io::Error),
    #[error("configuration error: DATABASE_URL: cannot keep the demo token key: {0}")]
    DemoKey(domain::db::DbError),
    #[error("configuration error: Leptos site options: {0}")]
    Leptos(String),
    #[error("configuration error: LEPTOS_SITE_ADDR: cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
}

/// Connects to the database, prepares it, and builds the whole application. In demo mode it
/// also loads the demo data and starts the sandbox identity provider.
pub async fn build(config: &Config) -> Result<Router, StartError> {
    let db = Db::connect(&config.database_url).await?;
    let (azure, power_automate) = match (&config.identity, &config.power_automate) {
        (Identity::Azure(app), Some(flow)) => (app.clone(), flow.clone()),
        (Identity::Azure(_), None) => unreachable!("Azure AD settings come with Power Automate's"),
        (
            Identity::Demo {
                sandbox,
                flow_sandbox,
            },
            _,
        ) => {
            let loaded = domain::demo::load(&db).await.map_err(StartError::Demo)?;
            if loaded > 0 {
                tracing::info!(tenants = loaded, "demo data loaded");
            }
            let options = sandbox::Options {
                addr: *sandbox,
                flow_addr: *flow_sandbox,
                redirect_uris: auth::registered_redirect_uris(&config.public_url),
            };
            let running = sandbox::start(options).await.map_err(StartError::Sandbox)?;
            tracing::info!(identity = %running.url(), power_automate = %running.flow_url, "sandbox started");
            let key = db
                .instance_secret("token_encryption_key", TokenKey::generate_base64)
                .await
                .map_err(StartError::DemoKey)?;
            let key = TokenKey::from_base64(&key).expect("a key this instance made");
            (
                sandbox_app(&running.authority(), key),
                sandbox_power_automate(&running),
            )
        }
    };
    let auth = Auth::new(
        azure,
        &config.public_url,
        config.allowed_tenants.clone(),
        auth::KEYS_REFETCH_INTERVAL,
    );
    router(config, db, auth, power_automate).await
}

/// The sandbox's Power Automate, configured as the real one would be.
pub fn sandbox_power_automate(running: &sandbox::Running) -> PowerAutomate {
    PowerAutomate {
        host: running.flow_host(),
        resource: sandbox::FLOW_RESOURCE.into(),
    }
}

/// The sandbox's app registration, configured as an Azure AD app would be.
pub fn sandbox_app(authority: &str, token_key: TokenKey) -> AzureApp {
    AzureApp {
        authority: authority.trim_end_matches('/').to_owned(),
        tenant: "organizations".into(),
        client_id: sandbox::CLIENT_ID.into(),
        client_secret: sandbox::CLIENT_SECRET.into(),
        isv_tenant: domain::TenantId::parse(sandbox::ISV_TENANT_ID).expect("a GUID"),
        token_key,
    }
}

/// The application on an already prepared database.
pub async fn router(
    config: &Config,
    db: Db,
    auth: Auth,
    power_automate: PowerAutomate,
) -> Result<Router, StartError> {
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
    let identity_origin = url::Url::parse(&auth.authority())
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    let auth = Arc::new(auth);
    let hosting = app::ssr::FlowHosting {
        host: power_automate.host.clone(),
        public_url: config.public_url.as_str().trim_end_matches('/').to_owned(),
        tokens: Arc::new(auth::FlowTokens::new(
            auth.clone(),
            &power_automate.resource,
        )),
        config: Arc::default(),
    };
    let state = AppState {
        leptos_options,
        db: db.clone(),
        auth,
        hosting: hosting.clone(),
    };

    let context = move || {
        provide_context(db.clone());
        provide_context(hosting.clone());
        security::provide_nonce();
    };
    let policy = Arc::new(security::Policy {
        origin: config.public_origin(),
        identity_origin,
        flow_origin: power_automate.host.clone(),
    });
    let lifetimes = sessions::Lifetimes {
        idle: config.session_idle,
        absolute: config.session_absolute,
    };

    let app = Router::new()
        .route("/healthz", get(health::alive))
        .route("/readyz", get(health::ready))
        .route("/accounts/{id}/tickets/new", post(forms::create_ticket))
        .route(
            "/accounts/{id}/tickets/{ticket}",
            post(forms::update_ticket),
        )
        .merge(auth::routes())
        .merge(console::routes())
        .leptos_routes_with_context(&state, routes(), context.clone(), {
            let options = state.leptos_options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, app::shell))
        .layer(axum::middleware::from_fn(auth::gate))
        .layer(axum::middleware::from_fn(server_fns::error_status))
        .layer(axum::middleware::from_fn_with_state(
            lifetimes,
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
