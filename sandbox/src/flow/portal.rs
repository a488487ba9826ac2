//! The maker portal's connections page of one environment, `/environments/{env}/connections`
//! (standing for `https://make.powerautomate.com/environments/{env}/connections`): the signed-in
//! person's connections there, and "New connection" to Flowhost's connector, which opens the
//! same sign-in window a widget opens. The portal signs people in with the identity provider
//! (`/portal/signed-in` redeems the code) and keeps its own session cookie.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use html_escape::encode_text as text;
use serde::Deserialize;
use serde_json::json;

use super::FlowService;
use super::api::connections::{FLOWHOST_API, begin_connection};
use super::consent::{claim, token_request};
use super::token::Caller;
use crate::lang::{Lang, t};

const COOKIE: &str = "sandbox-portal";
/// The browser's own sign-in under way: its `state` must come back in this cookie.
const STATE_COOKIE: &str = "sandbox-portal-state";
/// Sign-ins under way kept at most; beyond, the oldest are forgotten.
const PENDING_MAX: usize = 1000;

/// The portal's sessions (whom each signed in), and the sign-ins under way (their `state`, and where they return).
#[derive(Default)]
pub struct PortalSessions {
    pub signed_in: HashMap<String, Caller>,
    pub pending: HashMap<String, String>,
}

/// Where the identity provider sends a portal sign-in back to.
pub fn signed_in_uri(origin: &str) -> String {
    format!("{origin}/portal/signed-in")
}

pub(super) fn routes() -> Router<Arc<FlowService>> {
    Router::new()
        .route(
            "/environments/{env}/connections",
            get(page).post(new_connection),
        )
        .route("/portal/signed-in", get(signed_in))
}

fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    let cookies = headers.get(header::COOKIE)?.to_str().ok()?;
    cookies
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

fn session(flow: &FlowService, headers: &HeaderMap) -> Option<Caller> {
    let id = cookie(headers, COOKIE)?;
    flow.lock().portal.signed_in.get(id).cloned()
}

/// The environment `env` of the person's tenant, by its name.
fn environment(flow: &FlowService, user: &Caller, env: &str) -> Option<String> {
    flow.catalog
        .environments(&user.tenant, &user.tenant_name)
        .into_iter()
        .find(|e| e.name.eq_ignore_ascii_case(env))
        .map(|e| e.name)
}

async fn page(
    State(flow): State<Arc<FlowService>>,
    Path(env): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::of_browser(&headers).unwrap_or_default();
    let Some(user) = session(&flow, &headers) else {
        return sign_in(&flow, &format!("/environments/{env}/connections"));
    };
    let Some(env) = environment(&flow, &user, &env) else {
        let body = format!(
            "<p role=\"alert\">{}</p>",
            text(&t!(lang, "portal-no-environment"))
        );
        return shell(lang, StatusCode::NOT_FOUND, &body);
    };
    let rows: String = flow
        .lock()
        .connections
        .iter()
        .filter(|c| c.tenant == user.tenant && c.owner == user.object_id && c.environment == env)
        .rev()
        .map(|c| {
            let state = match &c.account {
                Some(account) if c.connected() => {
                    t!(lang, "portal-connected", account = account.as_str())
                }
                _ => t!(lang, "portal-not-signed-in"),
            };
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                text(&connector_name(&c.api)),
                text(&c.name),
                text(&state)
            )
        })
        .collect();
    let list = if rows.is_empty() {
        format!("<p>{}</p>", text(&t!(lang, "portal-none")))
    } else {
        format!(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{rows}</tbody></table>",
            text(&t!(lang, "portal-connector")),
            text(&t!(lang, "portal-name")),
            text(&t!(lang, "portal-status")),
        )
    };
    let body = format!(
        "<h1>{}</h1><p class=\"muted\">{}</p>{list}\
         <p><button type=\"button\" id=\"new-connection\" data-api=\"{FLOWHOST_API}\">{}</button></p>\
         <p class=\"muted\" role=\"status\" id=\"portal-status\"></p>{}",
        text(&t!(lang, "portal-heading")),
        text(&t!(
            lang,
            "portal-signed-in-as",
            upn = user.upn.as_str(),
            environment = env.as_str()
        )),
        text(&t!(lang, "portal-new-flowhost")),
        script(&t!(lang, "portal-failed")),
    );
    shell(lang, StatusCode::OK, &body)
}

/// "New connection": makes one, opens its sign-in window, and shows the list again once the
/// window says it is connected.
fn script(failed: &str) -> String {
    format!(
        "<script>(function () {{\
         var button = document.getElementById('new-connection');\
         var status = document.getElementById('portal-status');\
         if ('BroadcastChannel' in window) new BroadcastChannel('msflow-sandbox').onmessage = function () {{ location.reload(); }};\
         button.addEventListener('click', function () {{\
           var popup = window.open('about:blank', 'connection', 'width=520,height=640');\
           fetch(location.pathname, {{ method: 'POST', headers: {{ 'content-type': 'application/json' }}, body: JSON.stringify({{ api: button.dataset.api }}) }})\
             .then(function (r) {{ if (!r.ok) throw new Error(r.status); return r.json(); }})\
             .then(function (made) {{ popup.location = made.properties.consentLink; }})\
             .catch(function () {{ if (popup) popup.close(); status.textContent = {}; }});\
         }});\
         }})();</script>",
        json!(failed)
    )
}

fn connector_name(api: &str) -> String {
    if api == FLOWHOST_API {
        "Flowhost".to_owned()
    } else {
        api.to_owned()
    }
}

fn shell(lang: Lang, status: StatusCode, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <link rel=\"stylesheet\" href=\"/Content/widget.css\"></head><body><main class=\"widget\">{body}</main></body></html>",
        lang.tag(),
        text(&t!(lang, "portal-title")),
    );
    (status, Html(html)).into_response()
}

/// Off to the identity provider, to come back to `return_to`.
fn sign_in(flow: &FlowService, return_to: &str) -> Response {
    let state = uuid::Uuid::new_v4().simple().to_string();
    {
        let mut st = flow.lock();
        if st.portal.pending.len() >= PENDING_MAX {
            st.portal.pending.clear();
        }
        st.portal
            .pending
            .insert(state.clone(), return_to.to_owned());
    }
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("client_id", crate::CLIENT_ID)
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", &signed_in_uri(&flow.origin))
        .append_pair("scope", "openid profile")
        .append_pair("state", &state)
        .append_pair("nonce", &uuid::Uuid::new_v4().simple().to_string())
        .finish();
    let mut response = Redirect::to(&format!(
        "{}/organizations/oauth2/v2.0/authorize?{query}",
        flow.idp.origin
    ))
    .into_response();
    set_cookie(
        &mut response,
        &format!("{STATE_COOKIE}={state}; Path=/portal; HttpOnly; SameSite=Lax"),
    );
    response
}

fn set_cookie(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

#[derive(Deserialize)]
struct SignedIn {
    code: Option<String>,
    state: Option<String>,
    error_description: Option<String>,
}

async fn signed_in(
    State(flow): State<Arc<FlowService>>,
    Query(answer): Query<SignedIn>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::of_browser(&headers).unwrap_or_default();
    let failed = |why: &str| {
        let body = format!(
            "<p role=\"alert\">{}</p>",
            text(&t!(lang, "flow-connection-failed", reason = why))
        );
        shell(lang, StatusCode::BAD_REQUEST, &body)
    };
    // Only the browser that began the sign-in may finish it.
    let ours = answer
        .state
        .as_deref()
        .filter(|s| cookie(&headers, STATE_COOKIE) == Some(*s));
    let return_to = ours.and_then(|s| flow.lock().portal.pending.remove(s));
    let (Some(return_to), Some(code)) = (return_to, answer.code) else {
        return failed(
            answer
                .error_description
                .as_deref()
                .unwrap_or("no sign-in is waiting"),
        );
    };
    let redirect = signed_in_uri(&flow.origin);
    let grant = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", redirect.as_str()),
    ];
    let token = match token_request(&flow, &grant).await {
        Ok(answered) => answered.access_token,
        Err(why) => return failed(&why),
    };
    let tenant = claim(&token, "tid").and_then(|tid| flow.idp.directory.tenant(&tid).cloned());
    let (Some(tenant), Some(object_id), Some(upn)) =
        (tenant, claim(&token, "oid"), claim(&token, "upn"))
    else {
        return failed("the token names no person");
    };
    let id = uuid::Uuid::new_v4().simple().to_string();
    flow.lock().portal.signed_in.insert(
        id.clone(),
        Caller {
            tenant: tenant.id,
            tenant_name: tenant.display_name,
            object_id,
            name: String::new(),
            upn,
            app: None,
        },
    );
    let mut response = Redirect::to(&return_to).into_response();
    set_cookie(
        &mut response,
        &format!("{COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax"),
    );
    set_cookie(
        &mut response,
        &format!("{STATE_COOKIE}=; Path=/portal; Max-Age=0"),
    );
    response
}

#[derive(Deserialize)]
struct NewConnection {
    api: String,
}

/// Makes a connection of the signed-in person to `api` in the environment, waiting for its
/// sign-in: `201` with the connection and its `consentLink`.
async fn new_connection(
    State(flow): State<Arc<FlowService>>,
    Path(env): Path<String>,
    headers: HeaderMap,
    Json(body): Json<NewConnection>,
) -> Response {
    let Some(user) = session(&flow, &headers) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Some(env) = environment(&flow, &user, &env) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if body.api != FLOWHOST_API {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let made = begin_connection(&flow, user, env, body.api);
    (StatusCode::CREATED, Json(made)).into_response()
}
