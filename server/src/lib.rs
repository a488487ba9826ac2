//! The Flowhost server: configuration, sessions, security, routes, and the wiring of the
//! Leptos app onto axum.

pub mod api;
pub mod auth;
pub mod catalog_command;
pub mod config;
mod console;
pub mod csp;
#[cfg(feature = "demo")]
mod demo;
mod deployments;
pub mod flow_api;
mod form_post;
mod health;
pub mod hooks;
mod language;
pub mod licensing;
pub mod marketplace;
mod plain_page;
mod power_platform;
pub mod security;
mod server_fns;
mod serving;
pub mod sessions;
pub mod telemetry;
mod tenant_flows;
mod tickets;

use auth::Auth;
use axum::Router;
use axum::extract::FromRef;
use axum::routing::get;
use config::{Config, Identity, PowerAutomate};
use domain::db::Db;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sessions::Store;
use std::sync::Arc;
use tower_sessions::ExpiredDeletion;

pub use serving::{protect, raise_open_file_limit, serve_with};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub auth: Arc<Auth>,
    pub hosting: app::ssr::FlowHosting,
    /// The Power Platform on the signed-in admin's behalf.
    pub platform: Arc<power_platform::PowerPlatform>,
    /// Wakes the webhook worker after a write that may have made events.
    pub hooks: hooks::Wake,
    /// Wakes the roll-out worker after a roll-out started.
    #[from_ref(skip)]
    pub rollouts: hooks::Wake,
    /// The commercial marketplace Flowhost is sold through.
    pub market: Arc<marketplace::Market>,
    /// Organisations' and people's Power Automate licences, read from Microsoft Graph.
    pub licences: Arc<licensing::Licences>,
    /// Partner Center, if the ISV orders licences as a Cloud Solution Provider.
    pub csp: Option<Arc<csp::Csp>>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("configuration error: DATABASE_URL: {0}")]
    Database(#[from] domain::db::ConnectError),
    #[error("configuration error: DATABASE_URL: cannot prepare the session store: {0}")]
    Sessions(domain::db::DbError),
    #[cfg(feature = "demo")]
    #[error("configuration error: DATABASE_URL: cannot load the demo data: {0}")]
    Demo(domain::db::DbError),
    #[cfg(feature = "demo")]
    #[error(
        "configuration error: DATABASE_URL: holds {0} organisation(s) besides the demo's; a demo build runs only on an empty database or one of its own"
    )]
    NotTheDemos(usize),
    #[cfg(feature = "demo")]
    #[error("configuration error: SANDBOX_ADDR: cannot start the sandbox: {0}")]
    Sandbox(std::io::Error),
    #[cfg(feature = "demo")]
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

/// A built Flowhost: the application and what it runs on, for `main` to serve and for tests to
/// look into.
pub struct Flowhost {
    pub router: Router,
    pub db: Db,
    /// The store the application keeps its sessions in.
    pub store: Store,
    pub auth: Arc<Auth>,
    /// Demo mode: the sandbox it started.
    #[cfg(feature = "demo")]
    pub sandbox: Option<sandbox::Running>,
}

/// Connects to `DATABASE_URL`, brings its schema up to date, and builds Flowhost on it.
pub async fn build(config: &Config) -> Result<Flowhost, StartError> {
    let db = Db::connect(&config.database_url).await?;
    build_on(config, db).await
}

/// Builds the whole application on a connected, migrated database: the one start-up path,
/// for `main` and tests alike. In demo mode it first checks that the database holds no
/// organisation but the demo's, loads the demo data and starts the sandbox.
pub async fn build_on(config: &Config, db: Db) -> Result<Flowhost, StartError> {
    #[cfg(feature = "demo")]
    let mut sandbox = None;
    let (app, power_automate, fulfillment, licensing) = match &config.identity {
        Identity::Azure(app) => (
            app.clone(),
            config
                .power_automate
                .clone()
                .expect("Azure AD settings come with Power Automate's"),
            config.marketplace.fulfillment.clone(),
            config.licensing.clone(),
        ),
        #[cfg(feature = "demo")]
        Identity::Demo {
            sandbox: addr,
            flow_sandbox,
            flow_sdk,
        } => {
            let demo = demo::start(config, &db, *addr, *flow_sandbox, *flow_sdk).await?;
            sandbox = Some(demo.running);
            (
                demo.app,
                demo.power_automate,
                Some(demo.fulfillment),
                demo.licensing,
            )
        }
    };
    let auth = Auth::new(
        app,
        &config.public_url,
        config.allowed_tenants.clone(),
        config.marketplace.plans.clone(),
        config.keys_refetch_interval,
    );
    let services = Services {
        power_automate,
        fulfillment,
        licensing,
    };
    let (router, store, auth) = router(config, db.clone(), auth, services).await?;
    Ok(Flowhost {
        router,
        db,
        store,
        auth,
        #[cfg(feature = "demo")]
        sandbox,
    })
}

/// The Microsoft services Flowhost works with: Power Automate's, and the marketplace's
/// fulfillment app (in demo mode the sandbox's).
struct Services {
    power_automate: PowerAutomate,
    fulfillment: Option<config::Fulfillment>,
    /// Microsoft Graph and, for a CSP, Partner Center (in demo mode the sandbox's).
    licensing: config::Licensing,
}

/// The application on an already prepared database, with its session store and sign-in.
async fn router(
    config: &Config,
    db: Db,
    auth: Auth,
    services: Services,
) -> Result<(Router, Store, Arc<Auth>), StartError> {
    let Services {
        power_automate,
        fulfillment,
        licensing,
    } = services;
    let store = Store::for_db(&db).await.map_err(StartError::Sessions)?;
    delete_expired_sessions(store.clone(), config.session_cleanup_interval);

    let mut leptos_options = leptos::config::get_configuration(None)
        .map_err(|e| StartError::Leptos(e.to_string()))?
        .leptos_options;
    leptos_options.site_addr = config.listen;
    let identity_origin = url::Url::parse(&auth.authority())
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    let auth = Arc::new(auth);
    let tokens = Arc::new(auth::FlowTokens::new(
        auth.clone(),
        &power_automate.resource,
    ));
    let platform = Arc::new(power_platform::PowerPlatform::new(
        tokens.clone(),
        Arc::new(auth::AppTokens::new(auth.clone())),
        &power_automate,
        deployments::CatalogSource::new(config.flow_catalog.clone()),
    ));
    let licences = Arc::new(licensing::Licences {
        graph: licensing::Graph::new(
            &licensing.graph_api,
            Arc::new(auth::AppTokens::new(auth.clone())),
        ),
        refresh_every: licensing.refresh_every,
    });
    licensing::start(db.clone(), licences.clone());
    let csp = licensing.partner_center.as_ref().map(|pc| {
        let tokens = auth::AppTokens::of_app(&auth, &pc.client_id, &pc.client_secret);
        Arc::new(csp::Csp {
            api: csp::PartnerCenterApi::new(
                &pc.api,
                tokens,
                auth.isv_tenant().as_str(),
                &licensing.country,
                licensing.partner_timeout,
            ),
            licences: licences.clone(),
        })
    });
    if let Some(csp) = &csp {
        csp::start(db.clone(), csp.clone(), licensing.follow_every);
    }
    let hosting = app::ssr::FlowHosting {
        host: power_automate.host.clone(),
        resource: power_automate.resource.clone(),
        api: power_automate.api.clone(),
        public_url: config.public_url.as_str().trim_end_matches('/').to_owned(),
        tokens,
        flow_api: Arc::new(flow_api::FlowService::new()),
        event_limit: Arc::new(flow_api::WidgetEvents::new(config.widget_event_limit)),
        platform: platform.clone(),
        config: Arc::default(),
        plans: config.marketplace.plans.clone(),
        csp: csp.clone().map(|c| c as Arc<dyn app::csp::CspReader>),
    };
    let market = Arc::new(marketplace::Market {
        api: fulfillment.as_ref().map(|f| {
            let tokens = auth::AppTokens::of_app(&auth, &f.client_id, &f.client_secret);
            marketplace::FulfillmentApi::new(&f.api, tokens, auth.isv_tenant().as_str())
        }),
        plans: config.marketplace.plans.clone(),
        retention: config.marketplace.retention,
        isv_tenant: auth.isv_tenant().clone(),
        wake: hooks::Wake::default(),
        standings: auth.standings(),
    });
    marketplace::start(
        db.clone(),
        market.clone(),
        config.marketplace.reconcile_every,
    );
    let wake = hooks::start(
        db.clone(),
        config.hook_timing,
        config.marketplace.plans.clone(),
    );
    let api = api::router(api::ApiState::new(
        db.clone(),
        auth.clone(),
        config.public_url.clone(),
        &config.limits,
        wake.clone(),
    ));
    let state = AppState {
        leptos_options,
        db: db.clone(),
        auth,
        hosting: hosting.clone(),
        rollouts: deployments::start_rollouts(
            db.clone(),
            platform.clone(),
            config.marketplace.plans.clone(),
        ),
        platform,
        hooks: wake,
        market,
        licences,
        csp,
    };
    let signed_in = state.auth.clone();
    let webhook = marketplace::webhook_router().with_state(state.clone());

    let context = move || {
        provide_context(db.clone());
        provide_context(hosting.clone());
        provide_context(app::records::RequestRecords::default());
        security::provide_nonce();
    };
    let policy = Arc::new(security::Policy {
        origin: config.public_origin(),
        identity_origin,
        flow_origin: power_automate.host.clone(),
        strict_transport: config.secure_cookies(),
    });
    let lifetimes = sessions::Lifetimes {
        idle: config.session_idle,
        absolute: config.session_absolute,
    };

    let app = Router::new()
        .route("/healthz", get(health::alive))
        .route("/readyz", get(health::ready))
        .merge(tickets::router())
        .merge(auth::routes(config.sign_in_limit))
        .merge(console::router())
        .merge(tenant_flows::router())
        .merge(deployments::router())
        .merge(marketplace::router())
        .merge(licensing::router())
        .merge(csp::router())
        .merge(language::router(config.secure_cookies()))
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
            state.clone(),
            auth::admission,
        ))
        .layer(axum::middleware::from_fn_with_state(
            lifetimes,
            sessions::load_visitor,
        ))
        .layer(
            store
                .clone()
                .layer(config.session_idle, config.secure_cookies()),
        )
        .layer(axum::middleware::from_fn_with_state(
            policy,
            security::guard,
        ))
        .with_state(state)
        // The REST API and the marketplace's webhook have none of the pages' sessions,
        // sign-in gate or cross-site checks: a bearer token is their only credential.
        .merge(api)
        .merge(webhook);
    Ok((protect(app, &config.limits), store, signed_in))
}

/// Deletes expired sessions from `store` every `every` for as long as the process runs. A run
/// that fails (the database away for a moment) is logged, and the next one tries again.
fn delete_expired_sessions(store: Store, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        interval.tick().await; // The first tick completes at once.
        loop {
            interval.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "could not delete expired sessions; trying again at the next interval");
            }
        }
    });
}

/// The app's routes. Listing them renders the whole app once, which must not run while the
/// process serves requests (a second instance built in the same process, as tests do, made
/// concurrent page renders hang), so it happens once per process.
fn routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// Serves `app` on `listener` with the default limits until the process is told to stop.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    serve_with(listener, app, &config::Limits::default()).await
}
