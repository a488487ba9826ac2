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
//! | `AZURE_CLIENT_ID` | the Azure AD app's client id; unset: demo mode (below) | unset |
//! | `AZURE_CLIENT_SECRET` | its client secret | required with `AZURE_CLIENT_ID` |
//! | `AZURE_AUTHORITY` | the cloud's sign-in host | `https://login.microsoftonline.com` |
//! | `AZURE_TENANT` | `organizations`, or a tenant id or domain for a single tenant | `organizations` |
//! | `ISV_TENANT_ID` | the tenant id of the ISV's own staff | required with `AZURE_CLIENT_ID` |
//! | `ALLOWED_TENANTS` | comma list of tenant ids that may sign in (plus the ISV's) | tenants registered in the database |
//! | `TOKEN_ENCRYPTION_KEY` | 32 bytes, base64: encrypts refresh tokens at rest | required with `AZURE_CLIENT_ID` |
//! | `SANDBOX_ADDR` | demo mode: where the sandbox identity provider listens | `127.0.0.1:3100` |
//! | `FLOW_HOST` | where the Power Automate widgets and their SDK come from | `https://make.powerautomate.com` |
//! | `FLOW_RESOURCE` | the resource the widgets' access tokens are for | `https://service.flow.microsoft.com/` |
//! | `SANDBOX_FLOW_ADDR` | demo mode: where the sandbox Power Automate listens | `127.0.0.1:3200` |
//!
//! Demo mode: with no `AZURE_CLIENT_ID`, Flowhost loads the demo data, starts the sandbox on
//! `SANDBOX_ADDR` (and its Power Automate on `SANDBOX_FLOW_ADDR`) and signs users in against it
//! exactly as it would against Azure AD; `FLOW_HOST` and `FLOW_RESOURCE` then belong to the
//! sandbox and may not be set.

use crate::auth::TokenKey;
use domain::TenantId;
use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use url::Url;

/// Every setting the file may hold, by variable name.
const SETTINGS: [&str; 17] = [
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
    "SANDBOX_FLOW_ADDR",
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
}

/// Where the widgets come from, and which token they take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PowerAutomate {
    /// An origin without a trailing slash, e.g. `https://make.powerautomate.com`.
    pub host: String,
    /// As Azure AD names it, e.g. `https://service.flow.microsoft.com/`.
    pub resource: String,
}

/// Who signs users in.
#[derive(Clone, Debug)]
pub enum Identity {
    /// No Azure AD app is configured: the sandbox starts on this address and stands in for
    /// Azure AD, and Flowhost runs on demo data.
    Demo {
        sandbox: SocketAddr,
        flow_sandbox: SocketAddr,
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
            None => {
                for name in ["FLOW_HOST", "FLOW_RESOURCE"] {
                    if value(name).is_some() {
                        return Err(error(
                            name,
                            "is for Azure AD (AZURE_CLIENT_ID); demo mode uses the sandbox's Power Automate",
                        ));
                    }
                }
                let sandbox = address(&value, "SANDBOX_ADDR", "127.0.0.1:3100")?;
                let flow_sandbox = address(&value, "SANDBOX_FLOW_ADDR", "127.0.0.1:3200")?;
                (
                    Identity::Demo {
                        sandbox,
                        flow_sandbox,
                    },
                    None,
                )
            }
            Some(client_id) => (
                Identity::Azure(azure_app(client_id, &value)?),
                Some(power_automate(&value)?),
            ),
        };

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
        })
    }

    pub fn is_demo(&self) -> bool {
        matches!(self.identity, Identity::Demo { .. })
    }

    /// The origin browsers send with requests from Flowhost's own pages.
    pub fn public_origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }
}

fn address(
    value: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: &str,
) -> Result<SocketAddr, ConfigError> {
    let addr = value(name).unwrap_or_else(|| default.into());
    addr.parse::<SocketAddr>().map_err(|_| {
        error(
            name,
            format!("{addr:?} is not an address such as {default}"),
        )
    })
}

/// An `https` URL (plain `http` only on loopback), checked for `name`.
fn secure_url(name: &str, raw: &str, example: &str) -> Result<Url, ConfigError> {
    let loopback = |u: &Url| matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    Url::parse(raw)
        .ok()
        .filter(|u| u.scheme() == "https" || (u.scheme() == "http" && loopback(u)))
        .filter(|u| u.host().is_some())
        .ok_or_else(|| {
            error(
                name,
                format!("{raw:?} is not an https URL such as {example}"),
            )
        })
}

fn power_automate(value: &impl Fn(&str) -> Option<String>) -> Result<PowerAutomate, ConfigError> {
    let host = value("FLOW_HOST").unwrap_or_else(|| "https://make.powerautomate.com".into());
    let url = secure_url("FLOW_HOST", &host, "https://make.powerautomate.com")?;
    if !matches!(url.path(), "" | "/") || url.query().is_some() {
        return Err(error(
            "FLOW_HOST",
            format!("{host:?} must be an origin only, such as https://make.powerautomate.com"),
        ));
    }
    let resource =
        value("FLOW_RESOURCE").unwrap_or_else(|| "https://service.flow.microsoft.com/".into());
    secure_url(
        "FLOW_RESOURCE",
        &resource,
        "https://service.flow.microsoft.com/",
    )?;
    Ok(PowerAutomate {
        host: url.origin().ascii_serialization(),
        resource,
    })
}

fn azure_app(
    client_id: String,
    value: &impl Fn(&str) -> Option<String>,
) -> Result<AzureApp, ConfigError> {
    let required = |name: &str| {
        value(name).ok_or_else(|| error(name, "must be set when AZURE_CLIENT_ID is set"))
    };
    let authority =
        value("AZURE_AUTHORITY").unwrap_or_else(|| "https://login.microsoftonline.com".into());
    // Plain http would carry the client secret in clear; only loopback (a local sandbox) may.
    let authority = secure_url(
        "AZURE_AUTHORITY",
        &authority,
        "https://login.microsoftonline.com",
    )?
    .as_str()
    .trim_end_matches('/')
    .to_owned();
    let tenant = value("AZURE_TENANT").unwrap_or_else(|| "organizations".into());
    if tenant == "common" || tenant == "consumers" {
        return Err(error(
            "AZURE_TENANT",
            "must be organizations, a tenant id or a domain: Flowhost serves work accounts",
        ));
    }
    if !tenant
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err(error(
            "AZURE_TENANT",
            format!("{tenant:?} is not organizations, a tenant id or a domain"),
        ));
    }
    let isv = required("ISV_TENANT_ID")?;
    let isv_tenant = TenantId::parse(&isv).map_err(|_| {
        error(
            "ISV_TENANT_ID",
            format!("{isv:?} is not a tenant id (a GUID)"),
        )
    })?;
    let token_key = TokenKey::from_base64(&required("TOKEN_ENCRYPTION_KEY")?).map_err(|_| {
        error(
            "TOKEN_ENCRYPTION_KEY",
            "must be 32 random bytes in base64 (for example: openssl rand -base64 32)",
        )
    })?;
    Ok(AzureApp {
        authority,
        tenant,
        client_id,
        client_secret: required("AZURE_CLIENT_SECRET")?,
        isv_tenant,
        token_key,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: BTreeMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_serve_localhost_on_sqlite_in_demo_mode() {
        let c = config(&[]).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(c.public_origin(), "http://localhost:3000");
        assert_eq!(c.database_url, "sqlite://flowhost.db?mode=rwc");
        assert_eq!(c.session_idle, Duration::from_secs(480 * 60));
        assert_eq!(c.session_absolute, Duration::from_secs(24 * 3600));
        assert!(c.is_demo() && !c.secure_cookies());
        assert!(matches!(
            c.identity,
            Identity::Demo { sandbox, flow_sandbox } if sandbox.port() == 3100 && flow_sandbox.port() == 3200
        ));
        assert_eq!(c.power_automate, None, "the sandbox's, once it runs");
    }

    #[test]
    fn each_bad_setting_names_its_variable() {
        for (var, value) in [
            ("LEPTOS_SITE_ADDR", "localhost"),
            ("PUBLIC_URL", "not a url"),
            ("PUBLIC_URL", "ftp://example.com"),
            ("DATABASE_URL", "mysql://u:p@db/x"),
            ("DATABASE_URL", "::::"),
            ("SESSION_IDLE_MINUTES", "0"),
            ("SESSION_IDLE_MINUTES", "soon"),
            ("SESSION_ABSOLUTE_HOURS", "0"),
            ("ALLOWED_TENANTS", "contoso.example"),
            ("SANDBOX_ADDR", "sandbox"),
            ("SANDBOX_FLOW_ADDR", "127.0.0.1"),
            ("FLOW_HOST", "https://make.powerautomate.com"),
        ] {
            let e = config(&[(var, value)]).unwrap_err();
            assert_eq!(e.variable, var, "{value}");
            assert!(
                e.to_string()
                    .starts_with(&format!("configuration error: {var}: "))
            );
        }
    }

    #[test]
    fn database_passwords_are_never_repeated() {
        let e = config(&[("DATABASE_URL", "mysql://user:hunter2@db/x")]).unwrap_err();
        assert!(!e.to_string().contains("hunter2"));
        let c = config(&[("DATABASE_URL", "postgres://user:hunter2@db/x")]).unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn https_public_url_means_secure_cookies() {
        assert!(
            config(&[("PUBLIC_URL", "https://desk.example.com/")])
                .unwrap()
                .secure_cookies()
        );
    }

    #[test]
    fn the_file_holds_settings_in_lower_case_and_rejects_unknown_ones() {
        let file =
            parse_file("database_url = \"sqlite://x.db\"\nsession_idle_minutes = 30\n").unwrap();
        assert_eq!(file["DATABASE_URL"], "sqlite://x.db");
        assert_eq!(file["SESSION_IDLE_MINUTES"], "30");
        assert_eq!(
            parse_file("databse_url = \"x\"").unwrap_err().variable,
            "FLOWHOST_CONFIG"
        );
    }

    const KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    const AZURE: [(&str, &str); 4] = [
        ("AZURE_CLIENT_ID", "11111111-2222-3333-4444-555555555555"),
        ("AZURE_CLIENT_SECRET", "s3cret-value"),
        ("ISV_TENANT_ID", "99999999-8888-7777-6666-555555555555"),
        ("TOKEN_ENCRYPTION_KEY", KEY),
    ];

    #[test]
    fn azure_client_id_turns_demo_mode_off() {
        let c = config(&AZURE).unwrap();
        let Identity::Azure(app) = &c.identity else {
            panic!("not demo mode")
        };
        assert_eq!(app.authority, "https://login.microsoftonline.com");
        assert_eq!(app.tenant, "organizations");
        assert!(!format!("{c:?}").contains("s3cret"));
    }

    /// The Azure settings with `changes` applied; an empty value removes a setting.
    fn azure(changes: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let mut vars: BTreeMap<&str, &str> = AZURE.into_iter().collect();
        vars.extend(changes.iter().copied());
        let vars: Vec<_> = vars.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        config(&vars)
    }

    #[test]
    fn power_automate_defaults_to_the_public_cloud_and_takes_an_origin() {
        let c = azure(&[]).unwrap();
        assert_eq!(
            c.power_automate,
            Some(PowerAutomate {
                host: "https://make.powerautomate.com".into(),
                resource: "https://service.flow.microsoft.com/".into(),
            })
        );
        let gov = azure(&[
            ("FLOW_HOST", "https://make.gov.powerautomate.us/"),
            ("FLOW_RESOURCE", "https://gov.service.flow.microsoft.us/"),
        ])
        .unwrap()
        .power_automate
        .unwrap();
        assert_eq!(gov.host, "https://make.gov.powerautomate.us");
        assert_eq!(gov.resource, "https://gov.service.flow.microsoft.us/");
        for (var, bad) in [
            ("FLOW_HOST", "http://make.powerautomate.com"),
            ("FLOW_HOST", "https://make.powerautomate.com/en-us/widgets"),
            ("FLOW_HOST", "make.powerautomate.com"),
            ("FLOW_RESOURCE", "service.flow.microsoft.com"),
        ] {
            assert_eq!(azure(&[(var, bad)]).unwrap_err().variable, var, "{bad}");
        }
    }

    #[test]
    fn an_azure_app_needs_its_secret_isv_tenant_and_key() {
        for missing in [
            "AZURE_CLIENT_SECRET",
            "ISV_TENANT_ID",
            "TOKEN_ENCRYPTION_KEY",
        ] {
            assert_eq!(azure(&[(missing, "")]).unwrap_err().variable, missing);
        }
        for (var, bad) in [
            ("TOKEN_ENCRYPTION_KEY", "c2hvcnQ="),
            ("ISV_TENANT_ID", "flowhost.example"),
            ("AZURE_TENANT", "common"),
            ("AZURE_TENANT", "a/b"),
            ("AZURE_AUTHORITY", "login.microsoftonline.com"),
            ("AZURE_AUTHORITY", "http://login.microsoftonline.com"),
        ] {
            assert_eq!(azure(&[(var, bad)]).unwrap_err().variable, var, "{bad}");
        }
    }

    #[test]
    fn allowed_tenants_is_a_comma_list_of_tenant_ids() {
        let c = config(&[(
            "ALLOWED_TENANTS",
            "C0A7F3E2-1B4D-4E8A-9C6F-2D3E4F5A6B70, fab0c1d2-e3f4-4a5b-8c6d-7e8f9a0b1c2d",
        )])
        .unwrap();
        let ids: Vec<_> = c
            .allowed_tenants
            .unwrap()
            .iter()
            .map(|t| t.to_string())
            .collect();
        assert_eq!(
            ids,
            [
                "c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70",
                "fab0c1d2-e3f4-4a5b-8c6d-7e8f9a0b1c2d"
            ]
        );
    }
}
