//! Demo mode (the `demo` feature): the demo organisations on the database, the sandbox on
//! loopback, and Flowhost configured against it exactly as it would be against Azure AD and
//! Power Automate.

use crate::StartError;
use crate::auth::{self, TokenKey};
use crate::config::{AzureApp, Config, Fulfillment, Licensing, PartnerCenter, PowerAutomate};
use domain::db::Db;
use std::net::SocketAddr;

/// The running sandbox and Flowhost's settings for it.
pub(crate) struct Demo {
    pub app: AzureApp,
    pub power_automate: PowerAutomate,
    /// The sandbox's marketplace, with the demo app as the fulfillment app.
    pub fulfillment: Fulfillment,
    /// The sandbox's Microsoft Graph, and its Partner Center with the demo app as the ISV's
    /// Partner Center app.
    pub licensing: Licensing,
    pub running: sandbox::Running,
}

/// Checks that the database is the demo's, loads the demo data and starts the sandbox.
pub(crate) async fn start(
    config: &Config,
    db: &Db,
    addr: SocketAddr,
    flow_addr: SocketAddr,
    flow_sdk: sandbox::SdkSetting,
) -> Result<Demo, StartError> {
    refuse_other_organisations(db).await?;
    let loaded = domain::demo::load(db).await.map_err(StartError::Demo)?;
    if loaded > 0 {
        tracing::info!(tenants = loaded, "demo data loaded");
    }
    let options = sandbox::Options {
        addr,
        flow_addr,
        redirect_uris: auth::registered_redirect_uris(&config.public_url),
        sdk: flow_sdk,
        // The connector's calls come back to this Flowhost.
        connector_host: config.public_url.as_str().trim_end_matches('/').to_owned(),
    };
    let running = sandbox::start(options).await.map_err(StartError::Sandbox)?;
    tracing::info!(identity = %running.url(), power_automate = %running.flow_url, "sandbox started");
    let key = db
        .instance_secret("token_encryption_key", TokenKey::generate_base64)
        .await
        .map_err(StartError::DemoKey)?;
    let key = TokenKey::from_base64(&key).expect("a key this instance made");
    Ok(Demo {
        app: sandbox_app(&running.authority(), key),
        power_automate: PowerAutomate {
            host: running.flow_host(),
            resource: sandbox::FLOW_RESOURCE.into(),
            // The sandbox serves the Flow service's API on its Power Automate origin.
            api: running.flow_host(),
            platform_api: running.flow_host(),
            powerapps_api: running.flow_host(),
            powerapps_resource: sandbox::POWERAPPS_RESOURCE.into(),
        },
        // The sandbox serves the Fulfillment API on its Power Automate origin too.
        fulfillment: Fulfillment {
            api: format!("{}/api", running.flow_host()),
            client_id: sandbox::CLIENT_ID.into(),
            client_secret: sandbox::CLIENT_SECRET.into(),
        },
        // The sandbox serves Microsoft Graph on its identity provider's origin, and Partner
        // Center on its Power Automate origin.
        licensing: Licensing {
            graph_api: format!("{}/graph/v1.0", running.authority()),
            partner_center: Some(PartnerCenter {
                api: format!("{}/partnercenter", running.flow_host()),
                client_id: sandbox::CLIENT_ID.into(),
                client_secret: sandbox::CLIENT_SECRET.into(),
            }),
            ..config.licensing.clone()
        },
        running,
    })
}

/// Demo mode signs anyone in as the sandbox's people, so it must never run on a database of
/// real organisations: every registered tenant must be one of the sandbox directory's (the demo
/// data's, and those a demo sign-in registers). An empty database is the demo's too.
async fn refuse_other_organisations(db: &Db) -> Result<(), StartError> {
    let directory = sandbox::directory::Directory::embedded();
    let others = db
        .tenants()
        .await
        .map_err(StartError::Demo)?
        .iter()
        .filter(|tenant| directory.tenant(tenant.id.as_str()).is_none())
        .count();
    match others {
        0 => Ok(()),
        n => Err(StartError::NotTheDemos(n)),
    }
}

/// The sandbox's app registration, configured as an Azure AD app would be.
fn sandbox_app(authority: &str, token_key: TokenKey) -> AzureApp {
    AzureApp {
        authority: authority.trim_end_matches('/').to_owned(),
        tenant: "organizations".into(),
        client_id: sandbox::CLIENT_ID.into(),
        client_secret: sandbox::CLIENT_SECRET.into(),
        isv_tenant: domain::TenantId::parse(sandbox::ISV_TENANT_ID).expect("a GUID"),
        token_key,
    }
}
