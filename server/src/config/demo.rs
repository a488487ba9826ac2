//! Demo mode's settings (demo builds only). The sandbox signs in anyone who picks an account,
//! so a demo build serves this machine only: every address it listens on is loopback, and it
//! never poses as an https site.

use super::{ConfigError, Identity, PowerAutomate, error};
use std::net::SocketAddr;
use url::Url;

/// Demo mode, chosen when `AZURE_CLIENT_ID` is unset: the sandbox's addresses. Power Automate
/// is the sandbox's too, known once it runs.
pub(super) fn identity(
    value: &impl Fn(&str) -> Option<String>,
) -> Result<(Identity, Option<PowerAutomate>), ConfigError> {
    for name in [
        "FLOW_HOST",
        "FLOW_RESOURCE",
        "FLOW_API",
        "POWER_PLATFORM_API",
        "POWERAPPS_API",
        "POWERAPPS_RESOURCE",
    ] {
        if value(name).is_some() {
            return Err(error(
                name,
                "is for Azure AD (AZURE_CLIENT_ID); demo mode uses the sandbox's Power Automate",
            ));
        }
    }
    let sandbox = loopback(value, "SANDBOX_ADDR", "127.0.0.1:3100")?;
    let flow_sandbox = loopback(value, "SANDBOX_FLOW_ADDR", "127.0.0.1:3200")?;
    let flow_sdk = sandbox::SdkSetting {
        sdk: parsed(value, "SANDBOX_FLOW_SDK")?,
        host: parsed(value, "SANDBOX_FLOW_PORTAL")?,
    };
    Ok((
        Identity::Demo {
            sandbox,
            flow_sandbox,
            flow_sdk,
        },
        None,
    ))
}

/// Refuses what would expose a demo build beyond this machine.
pub(super) fn serves_this_machine_only(
    listen: SocketAddr,
    public_url: &Url,
) -> Result<(), ConfigError> {
    if !listen.ip().is_loopback() {
        return Err(not_loopback("LEPTOS_SITE_ADDR", listen));
    }
    if public_url.scheme() == "https" {
        return Err(error(
            "PUBLIC_URL",
            "a demo build serves http on this machine only; build without demo mode to serve https",
        ));
    }
    Ok(())
}

/// `name`'s value, or the sandbox's default when it is unset.
fn parsed<T>(value: &impl Fn(&str) -> Option<String>, name: &str) -> Result<T, ConfigError>
where
    T: std::str::FromStr + Default,
    T::Err: std::fmt::Display,
{
    match value(name) {
        None => Ok(T::default()),
        Some(raw) => raw
            .parse()
            .map_err(|e: T::Err| error(name, format!("{raw:?}: {e}"))),
    }
}

fn loopback(
    value: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: &str,
) -> Result<SocketAddr, ConfigError> {
    let raw = value(name).unwrap_or_else(|| default.into());
    let addr = raw
        .parse::<SocketAddr>()
        .map_err(|_| error(name, format!("{raw:?} is not an address such as {default}")))?;
    if addr.ip().is_loopback() {
        Ok(addr)
    } else {
        Err(not_loopback(name, addr))
    }
}

fn not_loopback(name: &str, addr: SocketAddr) -> ConfigError {
    error(
        name,
        format!(
            "{addr} is not a loopback address: the demo's sandbox signs anyone in, so a demo build listens on this machine only (such as 127.0.0.1)"
        ),
    )
}
