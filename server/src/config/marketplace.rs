//! Selling through the commercial marketplace: the offer's plans (`PLANS_FILE`, else the
//! `plans.toml` built in), the fulfillment app that calls the SaaS Fulfillment API
//! (`FULFILLMENT_CLIENT_ID`, `FULFILLMENT_CLIENT_SECRET`, `MARKETPLACE_API`), and how long an
//! ended subscription's data is kept (`MARKETPLACE_RETENTION_DAYS`).

use super::{ConfigError, error, secure_url};
use domain::plan::Plans;
use std::sync::Arc;
use std::time::Duration;

/// The plans built in: the repository's `plans.toml`.
const BUILT_IN_PLANS: &str = include_str!("../../../plans.toml");
/// How often subscriptions are compared with the marketplace's list.
const RECONCILE_EVERY: Duration = Duration::from_secs(3600);

#[derive(Clone, Debug)]
pub struct Marketplace {
    pub plans: Arc<Plans>,
    /// How long an ended subscription's data is kept before it is deleted.
    pub retention: time::Duration,
    /// The fulfillment app; `None`: Flowhost is not sold through the marketplace.
    pub fulfillment: Option<Fulfillment>,
    /// How often subscriptions are reconciled. Not a setting: tests shorten it.
    pub reconcile_every: Duration,
}

/// The single-tenant app in the ISV's tenant that the offer's technical configuration names.
#[derive(Clone)]
pub struct Fulfillment {
    /// The Fulfillment API's base, e.g. `https://marketplaceapi.microsoft.com/api`.
    pub api: String,
    pub client_id: String,
    pub client_secret: String,
}

impl std::fmt::Debug for Fulfillment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fulfillment")
            .field("api", &self.api)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

pub(super) fn marketplace(
    value: &impl Fn(&str) -> Option<String>,
    azure: bool,
) -> Result<Marketplace, ConfigError> {
    let plans = match value("PLANS_FILE") {
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| error("PLANS_FILE", format!("cannot read {path}: {e}")))?;
            plans(&text).map_err(|why| error("PLANS_FILE", format!("{path}: {why}")))?
        }
        None => plans(BUILT_IN_PLANS)
            .map_err(|why| error("PLANS_FILE", format!("the built-in plans.toml: {why}")))?,
    };
    let days = value("MARKETPLACE_RETENTION_DAYS").unwrap_or_else(|| "30".into());
    let retention = days
        .parse::<i64>()
        .ok()
        .filter(|d| (7..=3650).contains(d))
        .map(time::Duration::days)
        .ok_or_else(|| {
            error(
                "MARKETPLACE_RETENTION_DAYS",
                format!(
                    "{days:?} is not a number of days from 7 to 3650 (the marketplace asks for at least 7)"
                ),
            )
        })?;
    let fulfillment = if azure {
        fulfillment(value)?
    } else {
        for name in [
            "FULFILLMENT_CLIENT_ID",
            "FULFILLMENT_CLIENT_SECRET",
            "MARKETPLACE_API",
        ] {
            if value(name).is_some() {
                return Err(error(
                    name,
                    "is for Azure AD (AZURE_CLIENT_ID); demo mode uses the sandbox's marketplace",
                ));
            }
        }
        None
    };
    Ok(Marketplace {
        plans: Arc::new(plans),
        retention,
        fulfillment,
        reconcile_every: RECONCILE_EVERY,
    })
}

fn fulfillment(
    value: &impl Fn(&str) -> Option<String>,
) -> Result<Option<Fulfillment>, ConfigError> {
    let Some(client_id) = value("FULFILLMENT_CLIENT_ID") else {
        for name in ["FULFILLMENT_CLIENT_SECRET", "MARKETPLACE_API"] {
            if value(name).is_some() {
                return Err(error(name, "is used only with FULFILLMENT_CLIENT_ID"));
            }
        }
        return Ok(None);
    };
    let client_secret = value("FULFILLMENT_CLIENT_SECRET").ok_or_else(|| {
        error(
            "FULFILLMENT_CLIENT_SECRET",
            "must be set when FULFILLMENT_CLIENT_ID is set",
        )
    })?;
    let default = "https://marketplaceapi.microsoft.com/api";
    let raw = value("MARKETPLACE_API").unwrap_or_else(|| default.into());
    let api = secure_url("MARKETPLACE_API", &raw, default)?;
    if api.query().is_some() {
        return Err(error(
            "MARKETPLACE_API",
            format!("{raw:?} must not have a query, such as {default}"),
        ));
    }
    Ok(Some(Fulfillment {
        api: api.as_str().trim_end_matches('/').to_owned(),
        client_id,
        client_secret,
    }))
}

/// The plans in `text`, checked.
pub fn plans(text: &str) -> Result<Plans, String> {
    let plans: Plans = toml::from_str(text).map_err(|e| e.message().to_owned())?;
    match plans.problems().as_slice() {
        [] => Ok(plans),
        problems => Err(problems.join("; ")),
    }
}
