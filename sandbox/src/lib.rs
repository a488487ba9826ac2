//! The sandbox: Flowhost's demo mode and test double for the two Microsoft clouds it talks to,
//! Azure AD v2 (sign-in) and Power Automate (the embedded widgets and their service). Each runs
//! on its own loopback origin and follows the services' documented behaviour, so Flowhost talks
//! to them exactly as it would to the real cloud.
//!
//! The identity provider lives in `idp`, Power Automate in `flow`; each origin has its test
//! controls under `/_sandbox/`.

pub mod directory;
pub mod engine;
mod flow;
mod idp;
mod lang;

use std::net::SocketAddr;
use std::sync::Arc;

use url::Url;

pub use flow::sdk_setting::{FlowPortal, InvalidValue, SdkGeneration, SdkSetting};

/// The demo app registration's client id (as in `fixtures/directory.toml`).
pub const CLIENT_ID: &str = "f10a0057-0000-4000-8000-00000000f10a";
/// The demo app registration's client secret.
pub const CLIENT_SECRET: &str = "sandbox-client-secret";
/// The ISV's own tenant (flowhost.example).
pub const ISV_TENANT_ID: &str = "f1a0b0c7-4d2e-4f6a-8b3c-5d6e7f8091a2";
/// The resource the Flow service's tokens are issued for, as in Azure AD.
pub const FLOW_RESOURCE: &str = "https://service.flow.microsoft.com/";
/// The resource the Power Platform's environments list and the Power Apps API take tokens for.
pub const POWERAPPS_RESOURCE: &str = "https://service.powerapps.com/";

const DEFAULT_ADDR: &str = "127.0.0.1:3100";
const DEFAULT_FLOW_ADDR: &str = "127.0.0.1:3200";
const DEFAULT_CONNECTOR_HOST: &str = "http://localhost:3000";
const DEFAULT_REDIRECT_URIS: &str =
    "http://localhost:3000/auth/callback,http://localhost:3000/auth/signed-out";

#[derive(Debug, Clone)]
pub struct Options {
    /// Where the identity provider listens; port 0 picks a free port.
    pub addr: SocketAddr,
    /// Where Power Automate listens; port 0 picks a free port.
    pub flow_addr: SocketAddr,
    /// The app registration's redirect URIs (exact match); also the accepted
    /// `post_logout_redirect_uri` values.
    pub redirect_uris: Vec<String>,
    /// Which SDK script Power Automate serves at first, and which host its origin stands
    /// for; `/_sandbox/sdk` changes it while running.
    pub sdk: SdkSetting,
    /// The origin the Flowhost connector's calls go to, as the host an ISV imports its custom
    /// connector with (the definition's own `host` names no real server).
    pub connector_host: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            addr: DEFAULT_ADDR.parse().expect("valid default address"),
            flow_addr: DEFAULT_FLOW_ADDR.parse().expect("valid default address"),
            redirect_uris: split_list(DEFAULT_REDIRECT_URIS),
            sdk: SdkSetting::default(),
            connector_host: DEFAULT_CONNECTOR_HOST.to_owned(),
        }
    }
}

/// A started sandbox. Dropping it leaves the servers running.
#[derive(Debug, Clone)]
pub struct Running {
    /// The identity provider's origin with the bound port, e.g. `http://127.0.0.1:3100/`.
    pub url: Url,
    /// Power Automate's origin, e.g. `http://127.0.0.1:3200/`.
    pub flow_url: Url,
}

impl Running {
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The identity provider's origin without a trailing slash, e.g. `http://127.0.0.1:3100`.
    pub fn authority(&self) -> String {
        self.url.as_str().trim_end_matches('/').to_owned()
    }

    /// Power Automate's origin without a trailing slash, e.g. `http://127.0.0.1:3200`.
    pub fn flow_host(&self) -> String {
        self.flow_url.as_str().trim_end_matches('/').to_owned()
    }
}

/// Binds both origins, spawns their servers on the current tokio runtime and returns at once.
pub async fn start(options: Options) -> std::io::Result<Running> {
    let listener = tokio::net::TcpListener::bind(options.addr).await?;
    let flow_listener = tokio::net::TcpListener::bind(options.flow_addr).await?;
    let (addr, flow_addr) = (listener.local_addr()?, flow_listener.local_addr()?);
    // Connections sign in through Power Automate's consent redirect, which the app
    // registration lists beside the app's own.
    let mut redirect_uris = options.redirect_uris;
    redirect_uris.push(flow::consent_redirect_uri(&origin(flow_addr)));
    redirect_uris.push(flow::portal_redirect_uri(&origin(flow_addr)));
    // Each environment's Dataverse organisation is on the Power Automate origin; its URL is an
    // identifier of Dataverse's.
    let idp = Arc::new(idp::Idp::new(
        origin(addr),
        redirect_uris,
        (
            flow::DATAVERSE_APP_ID,
            flow::dataverse_identifiers(&origin(flow_addr)),
        ),
    ));
    let flow = Arc::new(flow::FlowService::new(
        origin(flow_addr),
        idp.clone(),
        options.sdk,
        options.connector_host,
    ));
    serve(listener, idp::routes(idp));
    serve(flow_listener, flow::routes(flow));
    Ok(Running {
        url: origin_url(addr),
        flow_url: origin_url(flow_addr),
    })
}

fn serve(listener: tokio::net::TcpListener, app: axum::Router) {
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            tracing::error!(%error, "sandbox server stopped");
        }
    });
}

/// Runs the sandbox alone until Ctrl-C: addresses from `SANDBOX_ADDR` and
/// `SANDBOX_FLOW_ADDR`, redirect URIs from `SANDBOX_REDIRECT_URIS` (comma-separated), the SDK
/// script from `SANDBOX_FLOW_SDK` (`2.2` or `1.1`), the host its origin stands for from
/// `SANDBOX_FLOW_PORTAL` (`maker` or `classic`) and Flowhost's origin for the connector from
/// `SANDBOX_CONNECTOR_HOST`.
pub async fn run_standalone() -> std::io::Result<()> {
    let redirect_uris = std::env::var("SANDBOX_REDIRECT_URIS")
        .map(|v| split_list(&v))
        .unwrap_or_else(|_| split_list(DEFAULT_REDIRECT_URIS));
    let options = Options {
        addr: setting("SANDBOX_ADDR", DEFAULT_ADDR)?,
        flow_addr: setting("SANDBOX_FLOW_ADDR", DEFAULT_FLOW_ADDR)?,
        redirect_uris,
        sdk: SdkSetting {
            sdk: setting("SANDBOX_FLOW_SDK", SdkGeneration::default().as_str())?,
            host: setting("SANDBOX_FLOW_PORTAL", FlowPortal::default().as_str())?,
        },
        connector_host: std::env::var("SANDBOX_CONNECTOR_HOST")
            .unwrap_or_else(|_| DEFAULT_CONNECTOR_HOST.to_owned()),
    };
    let sdk = options.sdk;
    let running = start(options).await?;
    println!("Azure AD sandbox listening at {}", running.url);
    println!(
        "Power Automate sandbox listening at {} (SDK {}, standing for {})",
        running.flow_url,
        sdk.sdk,
        sdk.host.host_name()
    );
    tokio::signal::ctrl_c().await
}

/// The environment variable `var` (else `default`) parsed; an error names the variable.
fn setting<T>(var: &str, default: &str) -> std::io::Result<T>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let value = std::env::var(var).unwrap_or_else(|_| default.to_owned());
    value.parse().map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{var} {value:?}: {e}"),
        )
    })
}

fn origin(addr: SocketAddr) -> String {
    origin_url(addr).as_str().trim_end_matches('/').to_owned()
}

fn origin_url(addr: SocketAddr) -> Url {
    Url::parse(&format!("http://{addr}/")).expect("a socket address makes a valid URL")
}

fn split_list(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
