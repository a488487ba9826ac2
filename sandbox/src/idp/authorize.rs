//! `/{tenant}/oauth2/v2.0/authorize`: validation of the request's parameters as Azure AD
//! checks them, the account picker, and the code (or error) sent back to the app.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use html_escape::encode_quoted_attribute as escape;
use time::Duration;

use super::Idp;
use super::errors::{self, AadError};
use super::pages::{self, hidden_inputs};
use super::params::Params;
use super::redirect::{ResponseMode, deliver};
use super::scopes::{includes, names_resource, unknown_resource};
use super::state::{Challenge, Code, random_token};
use super::tenant::TenantScope;
use crate::lang::{Lang, t};

/// Where and how answers to a request go once its client and redirect URI are trusted, and
/// the language of the page that posts them (`form_post`).
#[derive(Clone)]
pub struct Target {
    pub redirect_uri: String,
    pub mode: ResponseMode,
    pub state: Option<String>,
    pub lang: Lang,
}

impl Target {
    pub fn send(&self, params: &[(&str, &str)]) -> Response {
        let mut params = params.to_vec();
        if let Some(state) = &self.state {
            params.push(("state", state));
        }
        deliver(&self.redirect_uri, self.mode, self.lang, &params)
    }

    pub fn error(&self, idp: &Idp, error: &AadError) -> Response {
        let stamped = error.stamp(idp.now());
        self.send(&[
            ("error", error.error),
            ("error_description", &stamped.description),
        ])
    }
}

pub enum Failure {
    /// Shown on the sandbox's own error page, in `lang`: the redirect can't be trusted.
    Page(AadError, Lang),
    Redirect(Target, AadError),
}

impl Failure {
    pub fn respond(self, idp: &Idp) -> Response {
        match self {
            Failure::Page(error, lang) => pages::error_page(idp, lang, &error),
            Failure::Redirect(target, error) => target.error(idp, &error),
        }
    }
}

struct Request {
    target: Target,
    scope: String,
    nonce: Option<String>,
    challenge: Option<Challenge>,
}

/// Checks the client and redirect URI; errors past that point go back to the app. Pages are
/// in `lang`.
pub fn trusted_target(
    idp: &Idp,
    tenant: &TenantScope<'_>,
    params: &Params,
    lang: Lang,
) -> Result<Target, Failure> {
    let client_id = params
        .get("client_id")
        .ok_or_else(|| Failure::Page(errors::missing("client_id"), lang))?;
    if client_id != idp.directory.app.client_id {
        return Err(Failure::Page(
            errors::unknown_client(client_id, &tenant.name()),
            lang,
        ));
    }
    let redirect_uri = params
        .get("redirect_uri")
        .ok_or_else(|| Failure::Page(errors::missing("redirect_uri"), lang))?;
    if !idp.is_registered(redirect_uri) {
        return Err(Failure::Page(
            errors::redirect_mismatch(redirect_uri, client_id),
            lang,
        ));
    }
    Ok(Target {
        redirect_uri: redirect_uri.to_owned(),
        mode: ResponseMode::parse(params.get("response_mode")).unwrap_or(ResponseMode::Query),
        state: params.get("state").map(str::to_owned),
        lang,
    })
}

fn validate(
    idp: &Idp,
    tenant: &TenantScope<'_>,
    params: &Params,
    lang: Lang,
) -> Result<Request, Failure> {
    let target = trusted_target(idp, tenant, params, lang)?;
    let fail = |error| Err(Failure::Redirect(target.clone(), error));
    if let Some(mode) = params.get("response_mode")
        && ResponseMode::parse(Some(mode)).is_none()
    {
        return fail(errors::unsupported_response_mode(mode));
    }
    match params.get("response_type") {
        None => return fail(errors::missing("response_type")),
        Some("code") => {}
        Some(other) => return fail(errors::unsupported_response_type(other)),
    }
    let Some(scope) = params.get("scope") else {
        return fail(errors::missing("scope"));
    };
    // A request that names no resource asks for an ID token, and so needs `openid`; one for a
    // resource (a connection's sign-in) may leave it out and gets an access token only.
    let wants_id_token = includes(scope, "openid");
    if !wants_id_token && !names_resource(scope) {
        return fail(errors::scope_without_openid(scope));
    }
    if let Some(resource) = unknown_resource(&idp.directory, scope) {
        return fail(errors::unknown_resource(&resource, &tenant.name()));
    }
    let method = params.get("code_challenge_method");
    if let Some(method) = method
        && method != "S256"
        && method != "plain"
    {
        return fail(errors::invalid_challenge_method());
    }
    let challenge = params.get("code_challenge").map(|value| Challenge {
        value: value.to_owned(),
        method: method.unwrap_or("plain").to_owned(),
    });
    // The nonce goes into the ID token, so only a request for one needs it.
    let nonce = params.get("nonce").map(str::to_owned);
    if wants_id_token && nonce.is_none() {
        return fail(errors::missing("nonce"));
    }
    match params.get("prompt") {
        None | Some("login" | "select_account" | "consent") => {}
        Some("none") => return fail(errors::no_signed_in_user()),
        Some(other) => return fail(errors::unsupported_prompt(other)),
    }
    Ok(Request {
        target,
        scope: scope.to_owned(),
        nonce,
        challenge,
    })
}

/// `GET`: the account picker, in the language the app asked for (`ui_locales`, `mkt`) or
/// else the browser's.
pub async fn show(
    State(idp): State<Arc<Idp>>,
    Path(segment): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    idp.lock().stats.authorize_requests += 1;
    let tenant = match idp.tenant(&segment) {
        Ok(tenant) => tenant,
        Err(error) => return error.into_json(&idp),
    };
    let params = Params::from_query(query);
    let lang = pages::lang(&params, &headers);
    if let Err(failure) = validate(&idp, &tenant, &params, lang) {
        return failure.respond(&idp);
    }
    let hint = params.get("login_hint").unwrap_or_default();
    let mut users: Vec<_> = idp
        .directory
        .users()
        .filter(|(t, _)| tenant.admits(t))
        .map(|(_, u)| u)
        .collect();
    users.sort_by_key(|u| !u.upn.eq_ignore_ascii_case(hint));
    let buttons = pages::account_buttons("upn", str::to_owned, users);
    let buttons = if buttons.is_empty() {
        format!("<p>{}</p>", escape(&t!(lang, "idp-no-accounts")))
    } else {
        buttons
    };
    let app = format!(
        "<strong>{}</strong>",
        escape(&idp.directory.app.display_name)
    );
    let body = format!(
        "<h1>{}</h1><p>{}</p>\
         <form method=\"post\" action=\"/{}/oauth2/v2.0/authorize\">{}{buttons}{}</form>",
        escape(&t!(lang, "idp-pick-account")),
        t!(lang, "idp-continue-to", app = app),
        escape(&segment),
        hidden_inputs(&params.without(&["upn", "cancel"])),
        pages::cancel_button(lang),
    );
    pages::page(lang, StatusCode::OK, &t!(lang, "idp-sign-in-title"), &body)
}

/// `POST`: the picked account (or Cancel), with the request carried as hidden fields.
pub async fn submit(
    State(idp): State<Arc<Idp>>,
    Path(segment): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    idp.lock().stats.authorize_requests += 1;
    let tenant = match idp.tenant(&segment) {
        Ok(tenant) => tenant,
        Err(error) => return error.into_json(&idp),
    };
    let form = Params::parse(&body);
    let lang = pages::lang(&form, &headers);
    let request = match validate(&idp, &tenant, &form, lang) {
        Ok(request) => request,
        Err(failure) => return failure.respond(&idp),
    };
    let target = &request.target;
    if form.has("cancel") {
        return target.error(&idp, &errors::declined("access_denied"));
    }
    let app = &idp.directory.app;
    let upn = form.get("upn").unwrap_or_default();
    let Some((home, user)) = idp.directory.user(upn) else {
        return pages::error_page(&idp, lang, &errors::no_such_user(upn, &tenant.name()));
    };
    if !tenant.admits(home) {
        let error = errors::not_in_tenant("invalid_request", app, user, home, &tenant);
        return pages::error_page(&idp, lang, &error);
    }
    let mut st = idp.lock();
    if !st.consented.contains(&home.id) {
        drop(st);
        let error = errors::not_consented("consent_required", &app.client_id, &app.display_name);
        return target.error(&idp, &error);
    }
    let code = random_token(48);
    let sid = uuid::Uuid::new_v4().to_string();
    let expires_at = st.now() + Duration::seconds(st.lifetimes.code_seconds);
    st.codes.insert(
        code.clone(),
        Code {
            redirect_uri: target.redirect_uri.clone(),
            upn: user.upn.clone(),
            scope: request.scope,
            nonce: request.nonce,
            challenge: request.challenge,
            sid: sid.clone(),
            expires_at,
            redeemed: false,
        },
    );
    drop(st);
    target.send(&[("code", &code), ("session_state", &sid)])
}
