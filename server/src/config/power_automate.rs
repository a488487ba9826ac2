//! Where the Power Automate widgets come from and which token and API go with them
//! (`FLOW_HOST`, `FLOW_RESOURCE`, `FLOW_API`), and where the Power Platform's environments and
//! connections are read (`POWER_PLATFORM_API`, `POWERAPPS_API`, `POWERAPPS_RESOURCE`), with an
//! Azure AD app.

use super::{ConfigError, PowerAutomate, error, secure_url};

pub(super) fn power_automate(
    value: &impl Fn(&str) -> Option<String>,
) -> Result<PowerAutomate, ConfigError> {
    let host = origin(value, "FLOW_HOST", "https://make.powerautomate.com")?;
    let resource =
        value("FLOW_RESOURCE").unwrap_or_else(|| "https://service.flow.microsoft.com/".into());
    secure_url(
        "FLOW_RESOURCE",
        &resource,
        "https://service.flow.microsoft.com/",
    )?;
    let api = origin(value, "FLOW_API", "https://api.flow.microsoft.com")?;
    let platform_api = origin(value, "POWER_PLATFORM_API", "https://api.bap.microsoft.com")?;
    let powerapps_api = origin(value, "POWERAPPS_API", "https://api.powerapps.com")?;
    let powerapps_resource =
        value("POWERAPPS_RESOURCE").unwrap_or_else(|| "https://service.powerapps.com/".into());
    secure_url(
        "POWERAPPS_RESOURCE",
        &powerapps_resource,
        "https://service.powerapps.com/",
    )?;
    Ok(PowerAutomate {
        host,
        resource,
        api,
        platform_api,
        powerapps_api,
        powerapps_resource,
    })
}

/// `FLOW_CATALOG`: a folder holding a catalog that reads without a mistake.
pub(super) fn flow_catalog(
    value: &impl Fn(&str) -> Option<String>,
) -> Result<Option<std::path::PathBuf>, ConfigError> {
    let Some(folder) = value("FLOW_CATALOG") else {
        return Ok(None);
    };
    let folder = std::path::PathBuf::from(folder);
    catalog::read_dir(&folder).map_err(|why| error("FLOW_CATALOG", why))?;
    Ok(Some(folder))
}

/// The setting `name` (or `default`): an https origin (plain http only on loopback), without
/// a trailing slash.
fn origin(
    value: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: &str,
) -> Result<String, ConfigError> {
    let raw = value(name).unwrap_or_else(|| default.into());
    let url = secure_url(name, &raw, default)?;
    if !matches!(url.path(), "" | "/") || url.query().is_some() {
        return Err(error(
            name,
            format!("{raw:?} must be an origin only, such as {default}"),
        ));
    }
    Ok(url.origin().ascii_serialization())
}
