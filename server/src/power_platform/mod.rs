//! The Power Platform on the signed-in admin's behalf: the environments list (BAP), their
//! connections to Flowhost (the Power Apps API), and each environment's Dataverse organisation
//! ([`dataverse`]), each with a delegated token minted from the admin's session; and, for
//! roll-outs nobody watches, each organisation's Dataverse with Flowhost's own token there,
//! once its admin made Flowhost an application user of it.

pub mod dataverse;

use crate::auth::{AppTokens, FlowTokens};
use crate::config::PowerAutomate;
use app::deployments::{ConnectionChoice, EnvironmentChoice};
use app::widgets::TokenAnswer;
use domain::CurrentUser;
use i18n::Msg;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use tower_sessions::Session;

/// How long one call may take, answer included.
const TIMEOUT: Duration = Duration::from_secs(15);
/// The largest answer read.
const MAX_ANSWER: usize = 4 * 1024 * 1024;
/// The environments list's `api-version`.
const BAP_VERSION: &str = "2020-10-01";
/// The Power Apps API's `api-version`.
const POWERAPPS_VERSION: &str = "2016-11-01";
/// Flowhost's connector, as the Power Platform names it.
pub const FLOWHOST_API: &str = "shared_flowhost";

/// Why a call to the Power Platform gave no answer to use.
#[derive(Clone, Debug, PartialEq)]
pub enum PlatformError {
    /// The admin's sign-in no longer gives tokens: sign in again.
    SignInAgain,
    /// The organisation has not granted Flowhost this access.
    NoAccess,
    /// The service could not be reached, or timed out.
    Unreachable(String),
    /// The service answered with an error: its status, code and message.
    Refused {
        status: u16,
        code: String,
        message: String,
    },
}

impl PlatformError {
    /// What the admin reads.
    pub fn msg(&self) -> Msg {
        match self {
            PlatformError::SignInAgain => Msg::new("platform-sign-in-again"),
            PlatformError::NoAccess => Msg::new("platform-no-access"),
            PlatformError::Unreachable(why) => {
                Msg::new("platform-unreachable").with("reason", why.clone())
            }
            PlatformError::Refused {
                status,
                code,
                message,
            } => Msg::new("platform-refused")
                .with("status", status.to_string())
                .with("code", code.clone())
                .with("message", message.clone()),
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, PlatformError::Refused { status: 404, .. })
    }
}

/// `request` with `headers`, and `body` as JSON if there is one.
pub(crate) fn with_body(
    mut request: reqwest::RequestBuilder,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> reqwest::RequestBuilder {
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    match body {
        Some(body) => request.json(body),
        None => request,
    }
}

/// An answer's body, read whole up to [`MAX_ANSWER`] bytes; a larger one is an error.
pub(crate) async fn bounded(
    mut response: reqwest::Response,
    unreachable: impl Fn(reqwest::Error) -> PlatformError,
) -> Result<Vec<u8>, PlatformError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(&unreachable)? {
        if bytes.len() + chunk.len() > MAX_ANSWER {
            return Err(PlatformError::Unreachable("the answer is too large".into()));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// A call's answer: its status and JSON body (`Null` when empty), and `OData-EntityId`.
pub(crate) struct Answer {
    pub status: u16,
    pub body: Value,
}

pub struct PowerPlatform {
    tokens: Arc<FlowTokens>,
    app_tokens: Arc<AppTokens>,
    http: reqwest::Client,
    platform_api: String,
    powerapps_api: String,
    powerapps_resource: String,
    /// Power Automate's own site (`FLOW_HOST`).
    portal: String,
    /// The ISV's pre-built flows.
    pub catalog: crate::deployments::CatalogSource,
}

impl PowerPlatform {
    pub fn new(
        tokens: Arc<FlowTokens>,
        app_tokens: Arc<AppTokens>,
        config: &PowerAutomate,
        catalog: crate::deployments::CatalogSource,
    ) -> PowerPlatform {
        PowerPlatform {
            tokens,
            app_tokens,
            http: crate::flow_api::bearer_client(TIMEOUT),
            platform_api: config.platform_api.clone(),
            powerapps_api: config.powerapps_api.clone(),
            powerapps_resource: config.powerapps_resource.clone(),
            portal: config.host.trim_end_matches('/').to_owned(),
            catalog,
        }
    }

    /// A token of the admin's for `resource`.
    async fn token(
        &self,
        session: &Session,
        user: &CurrentUser,
        resource: &str,
    ) -> Result<String, PlatformError> {
        match self.tokens.delegated(session, user, resource).await {
            TokenAnswer::Token { token, .. } => Ok(token),
            TokenAnswer::Reconnect => Err(PlatformError::SignInAgain),
            TokenAnswer::NotProvisioned | TokenAnswer::NotAllowed => Err(PlatformError::NoAccess),
            TokenAnswer::Unavailable => Err(PlatformError::Unreachable(
                "no token could be had from the identity provider".into(),
            )),
        }
    }

    /// `method` on `url` with `token` and an optional JSON body; any status but 2xx is an error
    /// in the service's own words.
    pub(crate) async fn call(
        &self,
        method: reqwest::Method,
        url: &str,
        token: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Result<Answer, PlatformError> {
        let request = self
            .http
            .request(method, url)
            .bearer_auth(token)
            .header(reqwest::header::ACCEPT, "application/json");
        let response = with_body(request, body, headers)
            .send()
            .await
            .map_err(unreachable)?;
        let status = response.status().as_u16();
        let bytes = bounded(response, unreachable).await?;
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if !(200..300).contains(&status) {
            let error = &body["error"];
            return Err(PlatformError::Refused {
                status,
                code: error["code"].as_str().unwrap_or_default().to_owned(),
                message: error["message"]
                    .as_str()
                    .map(|m| crate::telemetry::bounded(m).to_string())
                    .unwrap_or_else(|| format!("HTTP {status}")),
            });
        }
        Ok(Answer { status, body })
    }

    /// Power Automate's page of the signed-in person's connections in the environment `name`.
    pub fn connections_page(&self, name: &str) -> String {
        let mut url = url::Url::parse(&self.portal).expect("FLOW_HOST is a URL");
        if let Ok(mut path) = url.path_segments_mut() {
            path.clear()
                .push("environments")
                .push(name)
                .push("connections");
        }
        url.to_string()
    }

    /// The environments the admin's organisation has, default first.
    pub async fn environments(
        &self,
        session: &Session,
        user: &CurrentUser,
    ) -> Result<Vec<EnvironmentChoice>, PlatformError> {
        let token = self.token(session, user, &self.powerapps_resource).await?;
        let url = format!(
            "{}/providers/Microsoft.BusinessAppPlatform/environments?api-version={BAP_VERSION}",
            self.platform_api
        );
        let answer = self
            .call(reqwest::Method::GET, &url, &token, None, &[])
            .await?;
        let mut listed: Vec<EnvironmentChoice> = answer.body["value"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(environment)
            .collect();
        listed.sort_by_key(|e| (!e.default, e.display_name.to_lowercase()));
        Ok(listed)
    }

    /// The admin's signed-in connections to Flowhost in the environment `name`.
    pub async fn connections(
        &self,
        session: &Session,
        user: &CurrentUser,
        name: &str,
    ) -> Result<Vec<ConnectionChoice>, PlatformError> {
        let token = self.token(session, user, &self.powerapps_resource).await?;
        let mut url = url::Url::parse(&format!(
            "{}/providers/Microsoft.PowerApps/apis/{FLOWHOST_API}/connections",
            self.powerapps_api
        ))
        .map_err(|e| PlatformError::Unreachable(e.to_string()))?;
        url.query_pairs_mut()
            .append_pair("api-version", POWERAPPS_VERSION)
            .append_pair("$filter", &format!("environment eq '{name}'"));
        let answer = self
            .call(reqwest::Method::GET, url.as_str(), &token, None, &[])
            .await?;
        Ok(answer.body["value"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| {
                c["properties"]["statuses"]
                    .as_array()
                    .is_some_and(|s| s.iter().any(|s| s["status"] == "Connected"))
            })
            .filter_map(|c| {
                Some(ConnectionChoice {
                    name: c["name"].as_str()?.to_owned(),
                    account: c["properties"]["displayName"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                })
            })
            .collect())
    }

    /// The URL of the Dataverse organisation of the environment `settings` name: the one saved
    /// with it, or the default environment's while none is chosen.
    pub async fn organisation(
        &self,
        session: &Session,
        user: &CurrentUser,
        settings: &domain::db::FlowSettings,
    ) -> Option<String> {
        // The list is needed only while no environment is chosen.
        let chosen = settings.environment.is_some() || settings.dataverse.is_some();
        let listed = match chosen {
            true => Vec::new(),
            false => self.environments(session, user).await.ok()?,
        };
        organisation_of(settings, &listed)
    }

    /// The Dataverse organisation at `url` with the admin's token for it.
    pub async fn dataverse(
        &self,
        session: &Session,
        user: &CurrentUser,
        url: &str,
    ) -> Result<dataverse::Dataverse<'_>, PlatformError> {
        let resource = url.trim_end_matches('/');
        let token = self.token(session, user, resource).await?;
        Ok(dataverse::Dataverse::new(self, resource, token))
    }
}

impl PowerPlatform {
    /// Makes Flowhost an application user (System Administrator) of the environment `name`'s
    /// Dataverse organisation, as the signed-in admin, who must administer the Power Platform.
    pub async fn add_app_user(
        &self,
        session: &Session,
        user: &CurrentUser,
        name: &str,
    ) -> Result<(), PlatformError> {
        let token = self.token(session, user, &self.powerapps_resource).await?;
        let mut url = url::Url::parse(&format!(
            "{}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments",
            self.platform_api
        ))
        .map_err(|e| PlatformError::Unreachable(e.to_string()))?;
        url.path_segments_mut()
            .map_err(|()| PlatformError::Unreachable("the API's address has no path".into()))?
            .push(name)
            .push("addAppUser");
        url.query_pairs_mut()
            .append_pair("api-version", BAP_VERSION);
        let url = url.to_string();
        let body = serde_json::json!({"servicePrincipalAppId": self.app_tokens.client_id()});
        self.call(reqwest::Method::POST, &url, &token, Some(&body), &[])
            .await
            .map(drop)
    }

    /// The Dataverse organisation at `url` of the tenant `tenant_id`, with Flowhost's own token.
    pub async fn dataverse_as_app(
        &self,
        tenant_id: &str,
        url: &str,
    ) -> Result<dataverse::Dataverse<'_>, PlatformError> {
        let resource = url.trim_end_matches('/');
        let token = self.app_tokens.token(tenant_id, resource).await?;
        Ok(dataverse::Dataverse::new(self, resource, token))
    }
}

/// The Dataverse organisation of the environment `settings` name: the one saved with it, or,
/// while none is chosen, the default environment's among `listed`.
pub fn organisation_of(
    settings: &domain::db::FlowSettings,
    listed: &[EnvironmentChoice],
) -> Option<String> {
    if settings.environment.is_some() || settings.dataverse.is_some() {
        return settings.dataverse.clone();
    }
    listed.iter().find(|e| e.default)?.dataverse.clone()
}

fn unreachable(e: reqwest::Error) -> PlatformError {
    PlatformError::Unreachable(
        if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "cannot connect"
        } else {
            "the request failed"
        }
        .into(),
    )
}

/// Whether a token may be sent to `url`: https, or plain http on this machine only.
fn secure(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| match u.scheme() {
        "https" => true,
        "http" => match u.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(d)) => d == "localhost",
            None => false,
        },
        _ => false,
    })
}

/// An environment of the list, when it is ready.
fn environment(e: &Value) -> Option<EnvironmentChoice> {
    let properties = &e["properties"];
    if properties["provisioningState"]
        .as_str()
        .is_some_and(|s| s != "Succeeded")
    {
        return None;
    }
    let name = e["name"].as_str()?.to_owned();
    let dataverse = properties["linkedEnvironmentMetadata"]["instanceUrl"]
        .as_str()
        .filter(|u| secure(u))
        .map(|u| format!("{}/", u.trim_end_matches('/')));
    Some(EnvironmentChoice {
        display_name: properties["displayName"]
            .as_str()
            .unwrap_or(&name)
            .to_owned(),
        default: properties["isDefault"].as_bool().unwrap_or(false),
        dataverse,
        name,
    })
}
