//! What the widgets report, confirmed with the Flow service before it goes on a record: the
//! flow exists in the organisation's environment and the user can see it, the run exists and
//! ended as reported. The service is asked with the user's own access token, so it answers
//! only for what the user may see. What cannot be confirmed is refused and logged.

use crate::errors::AppError;
use crate::ssr::{self, FlowHosting, Signed};
use crate::widgets::TokenAnswer;
use serde_json::Value;

/// The Flow service's API version for flows and runs.
const API_VERSION: &str = "2016-11-01";
/// The longest value of the service's answer a log line carries.
const LOGGED: usize = 80;

/// A flow as the Flow service knows it.
pub struct ConfirmedFlow {
    /// The gallery template it was made from, if it names one.
    pub template: Option<String>,
}

/// Confirms that `flow` is a flow in the organisation's environment that the user can see.
pub async fn flow(
    signed: &Signed,
    hosting: &FlowHosting,
    flow: &str,
) -> Result<ConfirmedFlow, AppError> {
    let path = format!("flows/{}", domain::encode::uri_component(flow));
    let found = get(signed, hosting, &path).await?;
    let name = found["name"].as_str().unwrap_or_default();
    if !name.eq_ignore_ascii_case(flow) {
        return Err(refused("the service answered for another flow", ""));
    }
    let template = found["properties"]["templateName"]
        .as_str()
        .filter(|t| t.len() <= 100 && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .map(str::to_owned);
    Ok(ConfirmedFlow { template })
}

/// Confirms that `run` is a run of `flow` the user can see and that it ended with `status`
/// (`Succeeded`, `Failed` or `Cancelled`).
pub async fn run(
    signed: &Signed,
    hosting: &FlowHosting,
    flow: &str,
    run: &str,
    status: &str,
) -> Result<(), AppError> {
    let path = format!(
        "flows/{}/runs/{}",
        domain::encode::uri_component(flow),
        domain::encode::uri_component(run)
    );
    let found = get(signed, hosting, &path).await?;
    if found["name"].as_str() != Some(run) {
        return Err(refused("the service answered for another run", ""));
    }
    let actual = found["properties"]["status"].as_str().unwrap_or_default();
    if actual != status {
        return Err(refused("the run's status is not the reported one", actual));
    }
    Ok(())
}

/// `GET {api}/providers/Microsoft.ProcessSimple/environments/{env}/{path}` as the user: the
/// answer's body when the service found it.
async fn get(signed: &Signed, hosting: &FlowHosting, path: &str) -> Result<Value, AppError> {
    let settings = signed
        .scope()
        .flow_settings()
        .await
        .map_err(ssr::db_error)?;
    let environment = settings
        .environment
        .unwrap_or_else(|| format!("Default-{}", signed.user.tenant_id));
    // An empty resource is the Flow service's, the only one the broker mints tokens for.
    let token = match hosting
        .tokens
        .flow_token(&signed.session, &signed.user, "")
        .await
    {
        TokenAnswer::Token { token, .. } => token,
        TokenAnswer::Unavailable => {
            tracing::warn!("cannot confirm a widget event: no Flow token right now");
            return Err(AppError::FlowUnavailable);
        }
        other => {
            let why = match other {
                TokenAnswer::Reconnect => "sign-in needed",
                TokenAnswer::NotProvisioned => "no Power Automate in the organisation",
                _ => "token refused",
            };
            return Err(refused("no Flow token for the user", why));
        }
    };
    let url = format!(
        "{}/providers/Microsoft.ProcessSimple/environments/{}/{path}?api-version={API_VERSION}",
        hosting.api,
        domain::encode::uri_component(&environment),
    );
    match hosting.flow_api.get(&url, &token).await {
        Ok((200, body)) => Ok(body),
        Ok((status @ (401 | 403 | 404), body)) => {
            let code = body["error"]["code"].as_str().unwrap_or_default();
            tracing::warn!(
                status,
                code = %short(code),
                "the Flow service does not confirm a widget event"
            );
            Err(AppError::NotFound)
        }
        Ok((status, _)) => {
            tracing::warn!(status, "the Flow service failed to confirm a widget event");
            Err(AppError::FlowUnavailable)
        }
        Err(why) => {
            tracing::warn!(reason = %short(&why), "the Flow service could not be reached");
            Err(AppError::FlowUnavailable)
        }
    }
}

fn refused(reason: &'static str, detail: &str) -> AppError {
    tracing::warn!(
        reason,
        detail = %short(detail),
        "a widget event was not confirmed"
    );
    AppError::NotFound
}

/// At most [`LOGGED`] characters of `value`, without control characters.
fn short(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_control())
        .take(LOGGED)
        .collect()
}
