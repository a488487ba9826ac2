//! The sandbox: Flowhost's demo mode and test double for the two Microsoft clouds it talks to,
//! Azure AD v2 (sign-in) and Power Automate (the embedded widgets and their REST API). It runs
//! on its own loopback origin and follows the services' documented behaviour, so Flowhost talks
//! to it exactly as it would to the real cloud.
//!
//! The identity provider lives in `idp`; test controls are under `/_sandbox/`.

pub mod directory;
mod idp;

use std::net::SocketAddr;
use std::sync::Arc;

use url::Url;

/// The demo app registration's client id (as in `fixtures/directory.toml`).
pub const CLIENT_ID: &str = "f10a0057-0000-4000-8000-00000000f10a";
/// The demo app registration's client secret.
pub const CLIENT_SECRET: &str = "sandbox-client-secret";
/// The ISV's own tenant (flowhost.example).
pub const ISV_TENANT_ID: &str = "f1a0b0c7-4d2e-4f6a-8b3c-5d6e7f8091a2";

const DEFAULT_ADDR: &str = "127.0.0.1:3100";
const DEFAULT_REDIRECT_URIS: &str =
    "http://localhost:3000/auth/callback,http://localhost:3000/auth/signed-out";

#[derive(Debug, Clone)]
pub struct Options {
    /// Where to listen; port 0 picks a free port.
    pub addr: SocketAddr,
    /// The app registration's redirect URIs (exact match); also the accepted
    /// `post_logout_redirect_uri` values.
    pub redirect_uris: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            addr: DEFAULT_ADDR.parse().expect("valid default address"),
            redirect_uris: split_list(DEFAULT_REDIRECT_URIS),
        }
    }
}

/// A started sandbox. Dropping it leaves the server running.
#[derive(Debug, Clone)]
pub struct Running {
    /// The origin with the bound port, e.g. `http://127.0.0.1:3100/`.
    pub url: Url,
}

impl Running {
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The origin without a trailing slash, e.g. `http://127.0.0.1:3100`.
    pub fn authority(&self) -> String {
        self.url.as_str().trim_end_matches('/').to_owned()
    }
}

/// Binds, spawns the server on the current tokio runtime and returns at once.
pub async fn start(options: Options) -> std::io::Result<Running> {
    let listener = tokio::net::TcpListener::bind(options.addr).await?;
    let addr = listener.local_addr()?;
    let app = app(addr, options.redirect_uris);
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            tracing::error!(%error, "sandbox server stopped");
        }
    });
    Ok(Running {
        url: origin_url(addr),
    })
}

/// The same app as [`start`] serves, for embedding. Issuers and endpoint URLs use
/// `options.addr` as the origin, so it must be the address the router is reached at.
pub fn router(options: Options) -> axum::Router {
    app(options.addr, options.redirect_uris)
}

/// Runs the sandbox alone until Ctrl-C: address from `SANDBOX_ADDR`, redirect URIs from
/// `SANDBOX_REDIRECT_URIS` (comma-separated).
pub async fn run_standalone() -> std::io::Result<()> {
    let addr = std::env::var("SANDBOX_ADDR").unwrap_or_else(|_| DEFAULT_ADDR.to_owned());
    let addr = addr.parse().map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("SANDBOX_ADDR {addr:?}: {e}"),
        )
    })?;
    let redirect_uris = std::env::var("SANDBOX_REDIRECT_URIS")
        .map(|v| split_list(&v))
        .unwrap_or_else(|_| split_list(DEFAULT_REDIRECT_URIS));
    let running = start(Options {
        addr,
        redirect_uris,
    })
    .await?;
    println!("Azure AD sandbox listening at {}", running.url);
    tokio::signal::ctrl_c().await
}

fn app(addr: SocketAddr, redirect_uris: Vec<String>) -> axum::Router {
    let origin = origin_url(addr).as_str().trim_end_matches('/').to_owned();
    idp::routes(Arc::new(idp::Idp::new(origin, redirect_uris)))
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
