//! Power Automate licences: where Microsoft Graph is read (`GRAPH_API`), and for an ISV that
//! is a Cloud Solution Provider the Partner Center app that orders licences for customers
//! (`PARTNER_CENTER_CLIENT_ID`, `PARTNER_CENTER_CLIENT_SECRET`, `PARTNER_CENTER_API`,
//! `PARTNER_CENTER_COUNTRY`).

use super::{ConfigError, error, secure_url};
use std::time::Duration;

/// How often each organisation's licences are read.
const REFRESH_EVERY: Duration = Duration::from_secs(24 * 3600);
/// How often open orders are followed.
const FOLLOW_EVERY: Duration = Duration::from_secs(10);
/// How long a call to Partner Center may take before it is sent again.
const PARTNER_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone, Debug)]
pub struct Licensing {
    /// Microsoft Graph's base, e.g. `https://graph.microsoft.com/v1.0`; in demo mode the
    /// sandbox's.
    pub graph_api: String,
    /// The Partner Center app; `None`: the ISV does not sell licences through CSP.
    pub partner_center: Option<PartnerCenter>,
    /// The country whose catalog offers come from (ISO 3166 alpha-2).
    pub country: String,
    /// How often licences are read. Not a setting: tests shorten them, as the next two.
    pub refresh_every: Duration,
    pub follow_every: Duration,
    pub partner_timeout: Duration,
}

/// An app in the ISV's tenant with access to its Partner Center account.
#[derive(Clone)]
pub struct PartnerCenter {
    /// The REST API's base, e.g. `https://api.partnercenter.microsoft.com`.
    pub api: String,
    pub client_id: String,
    pub client_secret: String,
}

impl std::fmt::Debug for PartnerCenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartnerCenter")
            .field("api", &self.api)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

const GRAPH_DEFAULT: &str = "https://graph.microsoft.com/v1.0";
const PARTNER_DEFAULT: &str = "https://api.partnercenter.microsoft.com";

pub(super) fn licensing(
    value: &impl Fn(&str) -> Option<String>,
    azure: bool,
) -> Result<Licensing, ConfigError> {
    let names = [
        "GRAPH_API",
        "PARTNER_CENTER_CLIENT_ID",
        "PARTNER_CENTER_CLIENT_SECRET",
        "PARTNER_CENTER_API",
    ];
    if !azure && let Some(name) = names.into_iter().find(|n| value(n).is_some()) {
        return Err(error(
            name,
            "is for Azure AD (AZURE_CLIENT_ID); demo mode uses the sandbox's Graph and Partner Center",
        ));
    }
    let raw = value("GRAPH_API").unwrap_or_else(|| GRAPH_DEFAULT.into());
    let graph_api = base("GRAPH_API", &raw, GRAPH_DEFAULT)?;
    let country = country(value)?;
    let partner_center = match value("PARTNER_CENTER_CLIENT_ID") {
        None => {
            for name in ["PARTNER_CENTER_CLIENT_SECRET", "PARTNER_CENTER_API"] {
                if value(name).is_some() {
                    return Err(error(name, "is used only with PARTNER_CENTER_CLIENT_ID"));
                }
            }
            None
        }
        Some(client_id) => {
            let client_secret = value("PARTNER_CENTER_CLIENT_SECRET").ok_or_else(|| {
                error(
                    "PARTNER_CENTER_CLIENT_SECRET",
                    "must be set when PARTNER_CENTER_CLIENT_ID is set",
                )
            })?;
            let raw = value("PARTNER_CENTER_API").unwrap_or_else(|| PARTNER_DEFAULT.into());
            Some(PartnerCenter {
                api: base("PARTNER_CENTER_API", &raw, PARTNER_DEFAULT)?,
                client_id,
                client_secret,
            })
        }
    };
    Ok(Licensing {
        graph_api,
        partner_center,
        country,
        refresh_every: REFRESH_EVERY,
        follow_every: FOLLOW_EVERY,
        partner_timeout: PARTNER_TIMEOUT,
    })
}

/// `PARTNER_CENTER_COUNTRY`: two letters, upper case.
fn country(value: &impl Fn(&str) -> Option<String>) -> Result<String, ConfigError> {
    let raw = value("PARTNER_CENTER_COUNTRY").unwrap_or_else(|| "US".into());
    let upper = raw.trim().to_ascii_uppercase();
    if upper.len() == 2 && upper.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(upper)
    } else {
        Err(error(
            "PARTNER_CENTER_COUNTRY",
            format!("{raw:?} is not a two-letter country code such as US or NL"),
        ))
    }
}

fn base(name: &str, raw: &str, example: &str) -> Result<String, ConfigError> {
    let url = secure_url(name, raw, example)?;
    if url.query().is_some() {
        return Err(error(
            name,
            format!("{raw:?} must not have a query, such as {example}"),
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}
