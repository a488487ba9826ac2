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
//! | `RUST_LOG` | log filter | `info` |
//! | `AZURE_CLIENT_ID` | unset: demo mode (demo data is loaded) | unset |

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use url::Url;

/// Every setting the file may hold, by variable name.
const SETTINGS: [&str; 6] = [
    "LEPTOS_SITE_ADDR",
    "PUBLIC_URL",
    "DATABASE_URL",
    "SESSION_IDLE_MINUTES",
    "RUST_LOG",
    "AZURE_CLIENT_ID",
];

#[derive(Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub public_url: Url,
    /// Holds credentials: never printed (see the `Debug` impl).
    pub database_url: String,
    pub session_idle: Duration,
    pub log_filter: String,
    /// No Azure AD app is configured: Flowhost runs on demo data.
    pub demo: bool,
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
            .field("demo", &self.demo)
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

        Ok(Config {
            listen,
            public_url,
            database_url,
            session_idle,
            log_filter: value("RUST_LOG").unwrap_or_else(|| "info".into()),
            demo: value("AZURE_CLIENT_ID").is_none(),
        })
    }

    /// The origin browsers send with requests from Flowhost's own pages.
    pub fn public_origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }
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
        assert!(c.demo && !c.secure_cookies());
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

    #[test]
    fn azure_client_id_turns_demo_mode_off() {
        assert!(
            !config(&[("AZURE_CLIENT_ID", "11111111-2222-3333-4444-555555555555")])
                .unwrap()
                .demo
        );
    }
}
