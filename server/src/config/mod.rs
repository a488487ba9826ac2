//! Configuration from environment variables, with an optional `flowhost.toml` underneath.
//!
//! Each setting has one variable; the file may hold the same settings under the variable's
//! name in lower case (`database_url = "…"`). A variable wins over the file. The file is
//! `./flowhost.toml`, or the path in `FLOWHOST_CONFIG`.
//!
//! | variable | meaning | default |
//! | --- | --- | --- |
//! | `LEPTOS_SITE_ADDR` | address to listen on | `127.0.0.1:3000` |
//! | `PUBLIC_URL` | the URL users reach Flowhost at (origin checks, secure cookies) | `http://localhost:3000` |
//! | `DATABASE_URL` | `sqlite://…` or `postgres://…` | `sqlite://flowhost.db?mode=rwc` |
//! | `SESSION_IDLE_MINUTES` | sign-out after this long without a request | `480` |
//! | `SESSION_ABSOLUTE_HOURS` | sign-out this long after sign-in, however active | `24` |
//! | `RUST_LOG` | log filter | `info` |
//! | `AZURE_CLIENT_ID` | the Azure AD app's client id; unset: demo mode (below) in a demo build | required |
//! | `AZURE_CLIENT_SECRET` | its client secret | required with `AZURE_CLIENT_ID` |
//! | `AZURE_AUTHORITY` | the cloud's sign-in host | `https://login.microsoftonline.com` |
//! | `AZURE_TENANT` | `organizations`, or a tenant id or domain for a single tenant | `organizations` |
//! | `ISV_TENANT_ID` | the tenant id of the ISV's own staff | required with `AZURE_CLIENT_ID` |
//! | `ALLOWED_TENANTS` | comma list of tenant ids that may sign in (plus the ISV's) | tenants registered in the database |
//! | `TOKEN_ENCRYPTION_KEY` | 32 bytes, base64: encrypts refresh tokens at rest | required with `AZURE_CLIENT_ID` |
//! | `SANDBOX_ADDR` | demo mode: where the sandbox identity provider listens (loopback) | `127.0.0.1:3100` |
//! | `FLOW_HOST` | where the Power Automate widgets and their SDK come from | `https://make.powerautomate.com` |
//! | `FLOW_RESOURCE` | the resource the widgets' access tokens are for | `https://service.flow.microsoft.com/` |
//! | `FLOW_API` | the Flow service's API, where what the widgets report is confirmed | `https://api.flow.microsoft.com` |
//! | `POWER_PLATFORM_API` | the Power Platform's environments list, where the admin picks an environment | `https://api.bap.microsoft.com` |
//! | `POWERAPPS_API` | the Power Apps API, where the admin's connections to Flowhost are listed | `https://api.powerapps.com` |
//! | `POWERAPPS_RESOURCE` | the resource both take tokens for | `https://service.powerapps.com/` |
//! | `FLOW_CATALOG` | a folder laid out as `flows/`, read again whenever pre-built flows are shown or changed | the catalog built in |
//! | `SANDBOX_FLOW_ADDR` | demo mode: where the sandbox Power Automate listens (loopback) | `127.0.0.1:3200` |
//! | `HEADER_READ_TIMEOUT_SECONDS` | a client's time to send a request's headers (1–300) | `10` |
//! | `REQUEST_TIMEOUT_SECONDS` | a request's time until its answer starts (1–600) | `30` |
//! | `MAX_CONCURRENT_REQUESTS` | requests served at once; more get 503 (1–100000) | `512` |
//! | `API_REQUESTS_PER_MINUTE` | REST API calls per user a minute; more get 429 (1–1000000) | `600` |
//! | `FULFILLMENT_CLIENT_ID` | the single-tenant app (in `ISV_TENANT_ID`) that calls the marketplace's SaaS Fulfillment API; unset: not sold through the marketplace | none |
//! | `FULFILLMENT_CLIENT_SECRET` | its client secret | required with `FULFILLMENT_CLIENT_ID` |
//! | `MARKETPLACE_API` | the SaaS Fulfillment API's base | `https://marketplaceapi.microsoft.com/api` |
//! | `MARKETPLACE_RETENTION_DAYS` | how long an ended subscription's data is kept before it is deleted (7–3650) | `30` |
//! | `PLANS_FILE` | the offer's plans and what each includes | the repository's `plans.toml` |
//! | `GRAPH_API` | Microsoft Graph, where organisations' and people's licences are read | `https://graph.microsoft.com/v1.0` |
//! | `PARTNER_CENTER_CLIENT_ID` | the app (in `ISV_TENANT_ID`) with access to the ISV's Partner Center account, to order licences as a Cloud Solution Provider; unset: no ordering | none |
//! | `PARTNER_CENTER_CLIENT_SECRET` | its client secret | required with `PARTNER_CENTER_CLIENT_ID` |
//! | `PARTNER_CENTER_API` | Partner Center's REST API | `https://api.partnercenter.microsoft.com` |
//! | `PARTNER_CENTER_COUNTRY` | the country whose catalog offers come from | `US` |
//!
//! With `AZURE_CLIENT_ID`, `PUBLIC_URL` is https, or plain http on loopback only.
//!
//! Demo mode exists only in a demo build (the `demo` feature). There, with no
//! `AZURE_CLIENT_ID`, Flowhost loads the demo data, starts the sandbox on `SANDBOX_ADDR` (and its
//! Power Automate on `SANDBOX_FLOW_ADDR`) and signs users in against it exactly as it would
//! against Azure AD; `FLOW_HOST`, `FLOW_RESOURCE`, `FLOW_API` and the three Power Platform settings
//! then belong to the sandbox and may not be set, nor may the fulfillment app's three settings
//! (the sandbox's marketplace is used), nor `GRAPH_API` and the Partner Center app's three (the
//! sandbox's Graph and Partner Center are used). The sandbox signs anyone in, so a demo build serves this machine only: it refuses
//! addresses that are not loopback and an https `PUBLIC_URL`. A build without `demo` holds
//! neither the sandbox nor the demo data and refuses to start without `AZURE_CLIENT_ID`.

use crate::auth::{KEYS_REFETCH_INTERVAL, TokenKey};
use domain::TenantId;
use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use url::Url;

use azure::azure_app;
pub use licensing::{Licensing, PartnerCenter};
pub use limits::Limits;
pub use marketplace::{Fulfillment, Marketplace, plans};
use power_automate::power_automate;

/// How often expired sessions are deleted.
const SESSION_CLEANUP_INTERVAL: Duration = Duration::from_secs(300);

/// Every setting the file may hold, by variable name.
const SETTINGS: [&str; 36] = [
    "LEPTOS_SITE_ADDR",
    "PUBLIC_URL",
    "DATABASE_URL",
    "SESSION_IDLE_MINUTES",
    "SESSION_ABSOLUTE_HOURS",
    "RUST_LOG",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_AUTHORITY",
    "AZURE_TENANT",
    "ISV_TENANT_ID",
    "ALLOWED_TENANTS",
    "TOKEN_ENCRYPTION_KEY",
    "SANDBOX_ADDR",
    "FLOW_HOST",
    "FLOW_RESOURCE",
    "FLOW_API",
    "POWER_PLATFORM_API",
    "POWERAPPS_API",
    "POWERAPPS_RESOURCE",
    "FLOW_CATALOG",
    "SANDBOX_FLOW_ADDR",
    "HEADER_READ_TIMEOUT_SECONDS",
    "REQUEST_TIMEOUT_SECONDS",
    "MAX_CONCURRENT_REQUESTS",
    "API_REQUESTS_PER_MINUTE",
    "FULFILLMENT_CLIENT_ID",
    "FULFILLMENT_CLIENT_SECRET",
    "MARKETPLACE_API",
    "MARKETPLACE_RETENTION_DAYS",
    "PLANS_FILE",
    "GRAPH_API",
    "PARTNER_CENTER_CLIENT_ID",
    "PARTNER_CENTER_CLIENT_SECRET",
    "PARTNER_CENTER_API",
    "PARTNER_CENTER_COUNTRY",
];

#[derive(Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub public_url: Url,
    /// Holds credentials: never printed (see the `Debug` impl).
    pub database_url: String,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    pub log_filter: String,
    pub identity: Identity,
    /// Tenants that may sign in besides the ISV's; `None`: those registered in the database.
    pub allowed_tenants: Option<Vec<TenantId>>,
    /// Power Automate; in demo mode the sandbox's, known once it runs.
    pub power_automate: Option<PowerAutomate>,
    /// `FLOW_CATALOG`: the ISV's flows from a folder instead of those built in.
    pub flow_catalog: Option<PathBuf>,
    /// How soon after a fetch a token naming an unknown signing key may make Flowhost fetch
    /// the keys again. Not a setting: tests shorten it.
    pub keys_refetch_interval: Duration,
    /// Timeouts, body sizes and the cap on requests served at once.
    pub limits: Limits,
    /// How often expired sessions are deleted from the store. Not a setting: tests shorten it.
    pub session_cleanup_interval: Duration,
    /// Sign-in attempts per client address. Not a setting: tests raise it.
    pub sign_in_limit: crate::auth::SignInLimit,
    /// Widget events per user. Not a setting: tests raise it.
    pub widget_event_limit: crate::flow_api::WidgetEventLimit,
    /// Webhook deliveries' timeouts and waits. Not a setting: tests shorten them.
    pub hook_timing: crate::hooks::Timing,
    /// The offer's plans and the fulfillment app; in demo mode the sandbox's marketplace,
    /// known once it runs.
    pub marketplace: Marketplace,
    /// Where licences are read, and the Partner Center app if the ISV is a CSP.
    pub licensing: Licensing,
}

/// Where the widgets come from, and which token they take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PowerAutomate {
    /// An origin without a trailing slash, e.g. `https://make.powerautomate.com`.
    pub host: String,
    /// As Azure AD names it, e.g. `https://service.flow.microsoft.com/`.
    pub resource: String,
    /// The Flow service's API: an origin without a trailing slash, e.g.
    /// `https://api.flow.microsoft.com`.
    pub api: String,
    /// The Power Platform's environments list (BAP), an origin: `https://api.bap.microsoft.com`.
    pub platform_api: String,
    /// The Power Apps resource provider (connections), an origin: `https://api.powerapps.com`.
    pub powerapps_api: String,
    /// The resource both take tokens for: `https://service.powerapps.com/`.
    pub powerapps_resource: String,
}

/// Who signs users in.
#[derive(Clone, Debug)]
pub enum Identity {
    /// Demo builds only. No Azure AD app is configured: the sandbox starts on these loopback
    /// addresses and stands in for Azure AD and Power Automate, and Flowhost runs on demo data.
    #[cfg(feature = "demo")]
    Demo {
        sandbox: SocketAddr,
        flow_sandbox: SocketAddr,
        /// Which SDK the sandbox's Power Automate serves, and which host its origin stands for.
        flow_sdk: sandbox::SdkSetting,
    },
    Azure(AzureApp),
}

/// An Azure AD app registration and the tenants it serves.
#[derive(Clone)]
pub struct AzureApp {
    /// `https://login.microsoftonline.com`, without a trailing slash.
    pub authority: String,
    /// `organizations`, or one tenant's id or domain.
    pub tenant: String,
    pub client_id: String,
    pub client_secret: String,
    pub isv_tenant: TenantId,
    pub token_key: TokenKey,
}

impl fmt::Debug for AzureApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AzureApp")
            .field("authority", &self.authority)
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field("isv_tenant", &self.isv_tenant)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("public_url", &self.public_url.as_str())
            .field(
                "database",
                &self.database_url.split(':').next().unwrap_or_default(),
            )
            .field("session_idle", &self.session_idle)
            .field("session_absolute", &self.session_absolute)
            .field("identity", &self.identity)
            .field("limits", &self.limits)
            .finish()
    }
}

/// A setting that cannot be used. Its message names the variable, never its value's secrets.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub variable: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "configuration error: {}: {}",
            self.variable, self.message
        )
    }
}

impl std::error::Error for ConfigError {}

fn error(variable: &str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        variable: variable.to_owned(),
        message: message.into(),
    }
}

impl Config {
    /// Reads the process environment and the optional file.
    pub fn from_environment() -> Result<Config, ConfigError> {
        let explicit = std::env::var_os("FLOWHOST_CONFIG").map(PathBuf::from);
        let path = explicit
            .clone()
            .unwrap_or_else(|| PathBuf::from("flowhost.toml"));
        let file = match std::fs::read_to_string(&path) {
            Ok(text) => parse_file(&text)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => {
                BTreeMap::new()
            }
            Err(e) => {
                return Err(error(
                    "FLOWHOST_CONFIG",
                    format!("cannot read {}: {e}", path.display()),
                ));
            }
        };
        Self::from_lookup(|name| std::env::var(name).ok().or_else(|| file.get(name).cloned()))
    }

    /// Builds the configuration from a lookup of settings by variable name.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let value = |name: &str| {
            get(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };

        let listen = value("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let listen = listen.parse::<SocketAddr>().map_err(|_| {
            error(
                "LEPTOS_SITE_ADDR",
                format!("{listen:?} is not an address such as 127.0.0.1:3000"),
            )
        })?;

        let public = value("PUBLIC_URL").unwrap_or_else(|| "http://localhost:3000".into());
        let public_url = Url::parse(&public)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| {
                error(
                    "PUBLIC_URL",
                    format!(
                        "{public:?} is not an http(s) URL such as https://flowhost.example.com"
                    ),
                )
            })?;

        let database_url =
            value("DATABASE_URL").unwrap_or_else(|| "sqlite://flowhost.db?mode=rwc".into());
        check_database_url(&database_url)?;

        let minutes = value("SESSION_IDLE_MINUTES").unwrap_or_else(|| "480".into());
        let session_idle = minutes
            .parse::<u64>()
            .ok()
            .filter(|m| (1..=60 * 24 * 30).contains(m))
            .map(|m| Duration::from_secs(m * 60))
            .ok_or_else(|| {
                error(
                    "SESSION_IDLE_MINUTES",
                    format!("{minutes:?} is not a number of minutes from 1 to 43200"),
                )
            })?;

        let hours = value("SESSION_ABSOLUTE_HOURS").unwrap_or_else(|| "24".into());
        let session_absolute = hours
            .parse::<u64>()
            .ok()
            .filter(|h| (1..=24 * 90).contains(h))
            .map(|h| Duration::from_secs(h * 3600))
            .ok_or_else(|| {
                error(
                    "SESSION_ABSOLUTE_HOURS",
                    format!("{hours:?} is not a number of hours from 1 to 2160"),
                )
            })?;

        let allowed_tenants = value("ALLOWED_TENANTS")
            .map(|list| {
                list.split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(|t| {
                        TenantId::parse(t).map_err(|_| {
                            error(
                                "ALLOWED_TENANTS",
                                format!("{t:?} is not a tenant id (a GUID)"),
                            )
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;

        let (identity, power_automate) = match value("AZURE_CLIENT_ID") {
            Some(client_id) => (
                Identity::Azure(azure_app(client_id, &value)?),
                Some(power_automate(&value)?),
            ),
            #[cfg(feature = "demo")]
            None => demo::identity(&value)?,
            // Without demo mode nothing else can sign anyone in.
            #[cfg(not(feature = "demo"))]
            None => {
                return Err(error(
                    "AZURE_CLIENT_ID",
                    "must be set to the Azure AD app's client id: this build has no demo mode",
                ));
            }
        };
        #[cfg(feature = "demo")]
        demo::serves_this_machine_only(listen, &public_url)?;
        // Behind a real identity provider, sign-in codes and session cookies must not cross the
        // network in clear.
        if matches!(identity, Identity::Azure(_))
            && public_url.scheme() == "http"
            && !is_loopback(&public_url)
        {
            return Err(error(
                "PUBLIC_URL",
                format!(
                    "{public:?} is plain http: with AZURE_CLIENT_ID set, Flowhost is reached over https (plain http only on loopback, such as http://localhost:3000)"
                ),
            ));
        }
        let limits = limits::limits(&value)?;
        let marketplace = marketplace::marketplace(&value, matches!(identity, Identity::Azure(_)))?;
        let licensing = licensing::licensing(&value, matches!(identity, Identity::Azure(_)))?;

        Ok(Config {
            listen,
            public_url,
            database_url,
            session_idle,
            session_absolute,
            log_filter: value("RUST_LOG").unwrap_or_else(|| "info".into()),
            identity,
            allowed_tenants,
            power_automate,
            flow_catalog: power_automate::flow_catalog(&value)?,
            keys_refetch_interval: KEYS_REFETCH_INTERVAL,
            limits,
            session_cleanup_interval: SESSION_CLEANUP_INTERVAL,
            sign_in_limit: crate::auth::SignInLimit::default(),
            hook_timing: crate::hooks::Timing::default(),
            widget_event_limit: crate::flow_api::WidgetEventLimit::default(),
            marketplace,
            licensing,
        })
    }

    pub fn is_demo(&self) -> bool {
        match self.identity {
            #[cfg(feature = "demo")]
            Identity::Demo { .. } => true,
            Identity::Azure(_) => false,
        }
    }

    /// The origin browsers send with requests from Flowhost's own pages.
    pub fn public_origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }
}

/// Whether `url` names this machine: `localhost` or a loopback address.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// An `https` URL (plain `http` only on loopback), checked for `name`.
fn secure_url(name: &str, raw: &str, example: &str) -> Result<Url, ConfigError> {
    Url::parse(raw)
        .ok()
        .filter(|u| u.scheme() == "https" || (u.scheme() == "http" && is_loopback(u)))
        .filter(|u| u.host().is_some())
        .ok_or_else(|| {
            error(
                name,
                format!("{raw:?} is not an https URL such as {example}"),
            )
        })
}

fn check_database_url(raw: &str) -> Result<(), ConfigError> {
    // The URL may hold a password, so the messages describe it without repeating it.
    let url = Url::parse(raw).map_err(|e| error("DATABASE_URL", format!("not a URL ({e})")))?;
    match url.scheme() {
        "sqlite" | "postgres" | "postgresql" => Ok(()),
        other => Err(error(
            "DATABASE_URL",
            format!("unsupported scheme {other:?}: use sqlite://… or postgres://…"),
        )),
    }
}

fn parse_file(text: &str) -> Result<BTreeMap<String, String>, ConfigError> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        error("FLOWHOST_CONFIG", format!("flowhost.toml: {}", e.message()))
    })?;
    let mut settings = BTreeMap::new();
    for (key, value) in table {
        let name = key.to_ascii_uppercase();
        if !SETTINGS.contains(&name.as_str()) {
            return Err(error(
                "FLOWHOST_CONFIG",
                format!("flowhost.toml: unknown setting {key:?}"),
            ));
        }
        let value = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            _ => return Err(error(&name, "flowhost.toml: must be a string or a number")),
        };
        settings.insert(name, value);
    }
    Ok(settings)
}

mod azure;
#[cfg(feature = "demo")]
mod demo;
mod licensing;
mod limits;
mod marketplace;
mod power_automate;
#[cfg(test)]
mod tests;
