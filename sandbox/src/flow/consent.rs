//! Signing a connection in: the consent link a new connection opens (Azure AD's authorize with
//! the connector's client id and resource, from its `apiProperties.json`), the redirect that
//! redeems the code (standing for `https://global.consent.azure-apim.net/redirect`), and the
//! refresh of a connection's token before a call needs it.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use html_escape::encode_text as escape;
use serde::Deserialize;
use serde_json::Value;
use time::Duration;

use super::FlowService;
use super::state::{Connection, ConnectionTokens};
use crate::lang::{Lang, t};

/// Where Azure AD sends a connection's sign-in back to, on the Power Automate origin.
pub fn redirect_uri(origin: &str) -> String {
    format!("{origin}/redirect")
}

pub(super) fn routes() -> Router<Arc<FlowService>> {
    Router::new().route("/redirect", get(redirected))
}

/// The connector's Azure AD settings: its client id and the resource its tokens are for.
struct OAuth {
    client_id: String,
    resource: String,
}

fn oauth(flow: &FlowService) -> OAuth {
    let settings =
        &flow.connector_properties["properties"]["connectionParameters"]["token"]["oAuthSettings"];
    OAuth {
        client_id: settings["clientId"].as_str().unwrap_or_default().to_owned(),
        resource: settings["properties"]["AzureActiveDirectoryResourceId"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    }
}

/// The sign-in a new connection of `upn` opens, carrying `state`.
pub fn consent_link(flow: &FlowService, state: &str, upn: &str) -> String {
    let oauth = oauth(flow);
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("client_id", &oauth.client_id)
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", &redirect_uri(&flow.origin))
        .append_pair(
            "scope",
            &format!("{}/.default offline_access", oauth.resource),
        )
        .append_pair("state", state)
        .append_pair("login_hint", upn)
        .finish();
    format!(
        "{}/organizations/oauth2/v2.0/authorize?{query}",
        flow.idp.origin
    )
}

#[derive(Deserialize)]
struct Redirected {
    code: Option<String>,
    state: Option<String>,
    error_description: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct TokenAnswer {
    pub access_token: String,
    refresh_token: Option<String>,
    expires_in: i64,
}

/// Redeems the code (or refreshes) at the identity provider's token endpoint.
pub(super) async fn token_request(
    flow: &FlowService,
    grant: &[(&str, &str)],
) -> Result<TokenAnswer, String> {
    let oauth = oauth(flow);
    let mut form = vec![
        ("client_id", oauth.client_id.as_str()),
        ("client_secret", crate::CLIENT_SECRET),
    ];
    form.extend_from_slice(grant);
    let answer = flow
        .http
        .post(format!(
            "{}/organizations/oauth2/v2.0/token",
            flow.idp.origin
        ))
        .form(&form)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = answer.status();
    let body: Value = answer.json().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(body["error_description"]
            .as_str()
            .unwrap_or("the token endpoint refused")
            .to_owned());
    }
    serde_json::from_value(body).map_err(|e| e.to_string())
}

fn tokens(flow: &FlowService, answer: TokenAnswer) -> ConnectionTokens {
    ConnectionTokens {
        access_token: answer.access_token,
        refresh_token: answer.refresh_token,
        expires_at: flow.idp.now() + Duration::seconds(answer.expires_in),
    }
}

/// A claim of an access token (its payload is not checked here: it came from the token
/// endpoint over the back channel).
pub(super) fn claim(token: &str, name: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    claims[name].as_str().map(str::to_owned)
}

async fn redirected(
    State(flow): State<Arc<FlowService>>,
    Query(answer): Query<Redirected>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::of_browser(&headers).unwrap_or_default();
    let state = answer.state.unwrap_or_default();
    let pending = flow
        .lock()
        .connections
        .iter()
        .find(|c| !state.is_empty() && c.consent_state.as_deref() == Some(state.as_str()))
        .cloned();
    let Some(connection) = pending else {
        let why = t!(lang, "flow-connection-unknown");
        return done(lang, StatusCode::BAD_REQUEST, &why, false);
    };
    let Some(code) = answer.code else {
        let why = answer.error_description.unwrap_or_default();
        let text = t!(lang, "flow-connection-failed", reason = why.as_str());
        return done(lang, StatusCode::OK, &text, false);
    };
    let redirect = redirect_uri(&flow.origin);
    let grant = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", redirect.as_str()),
    ];
    let answered = match token_request(&flow, &grant).await {
        Ok(answered) => answered,
        Err(why) => {
            let text = t!(lang, "flow-connection-failed", reason = why.as_str());
            return done(lang, StatusCode::OK, &text, false);
        }
    };
    if claim(&answered.access_token, "tid").as_deref() != Some(connection.tenant.as_str()) {
        let text = t!(lang, "flow-connection-other-tenant");
        return done(lang, StatusCode::OK, &text, false);
    }
    let account = claim(&answered.access_token, "preferred_username")
        .or_else(|| claim(&answered.access_token, "upn"));
    let tokens = tokens(&flow, answered);
    let mut st = flow.lock();
    if let Some(c) = st
        .connections
        .iter_mut()
        .find(|c| c.name == connection.name)
    {
        c.tokens = Some(tokens);
        c.account = account.clone();
        c.consent_state = None;
    }
    drop(st);
    let text = t!(
        lang,
        "flow-connection-made",
        account = account.unwrap_or_default().as_str()
    );
    done(lang, StatusCode::OK, &text, true)
}

/// The page the sign-in window ends on: what happened, and (when it worked) a script that tells
/// the widgets and closes the window.
fn done(lang: Lang, status: StatusCode, text: &str, connected: bool) -> Response {
    let script = if connected {
        "<script>if (\"BroadcastChannel\" in window) new BroadcastChannel(\"msflow-sandbox\")\
         .postMessage(\"changed\"); setTimeout(function () { window.close(); }, 300);</script>"
    } else {
        ""
    };
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <link rel=\"stylesheet\" href=\"/Content/widget.css\"></head><body><div class=\"widget\">\
         <p role=\"status\">{}</p></div>{script}</body></html>",
        lang.tag(),
        escape(&t!(lang, "flow-connection-title")),
        escape(text),
    );
    (status, Html(html)).into_response()
}

/// A fresh access token of `connection`: the one it has, or a refreshed one when it runs out
/// within five minutes. `None` when it was never signed in or the refresh is refused.
pub async fn fresh_token(flow: &FlowService, connection: &str) -> Result<String, String> {
    let found: Option<Connection> = flow
        .lock()
        .connections
        .iter()
        .find(|c| c.name == connection)
        .cloned();
    let tokens = found
        .and_then(|c| c.tokens)
        .ok_or_else(|| format!("The connection '{connection}' is not signed in."))?;
    if tokens.expires_at - flow.idp.now() > Duration::minutes(5) {
        return Ok(tokens.access_token);
    }
    let refresh = tokens
        .refresh_token
        .ok_or_else(|| format!("The connection '{connection}' has expired; sign in again."))?;
    let answered = token_request(
        flow,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh.as_str()),
        ],
    )
    .await?;
    let fresh = tokens_refreshed(flow, answered, refresh);
    let access = fresh.access_token.clone();
    if let Some(c) = flow
        .lock()
        .connections
        .iter_mut()
        .find(|c| c.name == connection)
    {
        c.tokens = Some(fresh);
    }
    Ok(access)
}

/// A refresh answer keeps the old refresh token when it brings none.
fn tokens_refreshed(flow: &FlowService, answer: TokenAnswer, old: String) -> ConnectionTokens {
    let mut fresh = tokens(flow, answer);
    fresh.refresh_token.get_or_insert(old);
    fresh
}
