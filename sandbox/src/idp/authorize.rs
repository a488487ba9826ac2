//! `/{tenant}/oauth2/v2.0/authorize`: validation of the request's parameters as Azure AD
//! checks them, the account picker, and the code (or error) sent back to the app.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use html_escape::encode_quoted_attribute as escape;
use time::Duration;

use super::Idp;
use super::errors::{self, AadError};
use super::pages::{self, hidden_inputs};
use super::params::Params;
use super::redirect::{ResponseMode, deliver};
use super::scopes::{includes, unknown_resource};
use super::state::{Challenge, Code, random_token};
use super::tenant::TenantScope;

/// Where and how answers to a request go once its client and redirect URI are trusted.
#[derive(Clone)]
pub struct Target {
    pub redirect_uri: String,
    pub mode: ResponseMode,
    pub state: Option<String>,
}

impl Target {
    pub fn send(&self, params: &[(&str, &str)]) -> Response {
        let mut params = params.to_vec();
        if let Some(state) = &self.state {
            params.push(("state", state));
        }
        deliver(&self.redirect_uri, self.mode, &params)
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
    /// Shown on the sandbox's own error page: the redirect can't be trusted.
    Page(AadError),
    Redirect(Target, AadError),
}

impl Failure {
    pub fn respond(self, idp: &Idp) -> Response {
        match self {
            Failure::Page(error) => pages::error_page(idp, &error),
            Failure::Redirect(target, error) => target.error(idp, &error),
        }
    }
}

struct Request {
    target: Target,
    scope: String,
    nonce: String,
    challenge: Option<Challenge>,
}

/// Checks the client and redirect URI; errors past that point go back to the app.
pub fn trusted_target(
    idp: &Idp,
    tenant: &TenantScope<'_>,
    params: &Params,
) -> Result<Target, Failure> {
    let client_id = params
        .get("client_id")
        .ok_or_else(|| Failure::Page(errors::missing("client_id")))?;
    if client_id != idp.directory.app.client_id {
        return Err(Failure::Page(errors::unknown_client(
            client_id,
            &tenant.name(),
        )));
    }
    let redirect_uri = params
        .get("redirect_uri")
        .ok_or_else(|| Failure::Page(errors::missing("redirect_uri")))?;
    if !idp.is_registered(redirect_uri) {
        return Err(Failure::Page(errors::redirect_mismatch(
            redirect_uri,
            client_id,
        )));
    }
    Ok(Target {
        redirect_uri: redirect_uri.to_owned(),
        mode: ResponseMode::parse(params.get("response_mode")).unwrap_or(ResponseMode::Query),
        state: params.get("state").map(str::to_owned),
    })
}

fn validate(idp: &Idp, tenant: &TenantScope<'_>, params: &Params) -> Result<Request, Failure> {
    let target = trusted_target(idp, tenant, params)?;
    let fail = |error| Err(Failure::Redirect(target.clone(), error));
    let invalid = |code, message: String| AadError::new("invalid_request", code, message);
    if let Some(mode) = params.get("response_mode")
        && ResponseMode::parse(Some(mode)).is_none()
    {
        return fail(invalid(
            90023,
            format!("The response_mode '{mode}' is not supported."),
        ));
    }
    match params.get("response_type") {
        None => return fail(errors::missing("response_type")),
        Some("code") => {}
        Some(other) => {
            return fail(AadError::new(
                "unsupported_response_type",
                700054,
                format!("response_type '{other}' is not enabled for the application."),
            ));
        }
    }
    let Some(scope) = params.get("scope") else {
        return fail(errors::missing("scope"));
    };
    if !includes(scope, "openid") {
        return fail(invalid(
            70011,
            format!(
                "The provided value for the input parameter 'scope' is not valid. The scope '{scope}' does not include 'openid'."
            ),
        ));
    }
    if let Some(resource) = unknown_resource(&idp.directory, scope) {
        return fail(errors::unknown_resource(&resource, &tenant.name()));
    }
    let method = params.get("code_challenge_method");
    if let Some(method) = method
        && method != "S256"
        && method != "plain"
    {
        return fail(invalid(
            50149,
            "Invalid Code_Challenge_method parameter.".into(),
        ));
    }
    let challenge = params.get("code_challenge").map(|value| Challenge {
        value: value.to_owned(),
        method: method.unwrap_or("plain").to_owned(),
    });
    let Some(nonce) = params.get("nonce") else {
        return fail(errors::missing("nonce"));
    };
    match params.get("prompt") {
        None | Some("login" | "select_account" | "consent") => {}
        Some("none") => {
            return fail(AadError::new(
                "login_required",
                50058,
                "A silent sign-in request was sent but no user is signed in.",
            ));
        }
        Some(other) => {
            return fail(invalid(
                90023,
                format!("The prompt value '{other}' is not supported."),
            ));
        }
    }
    Ok(Request {
        target,
        scope: scope.to_owned(),
        nonce: nonce.to_owned(),
        challenge,
    })
}

/// `GET`: the account picker.
pub async fn show(
    State(idp): State<Arc<Idp>>,
    Path(segment): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    idp.lock().stats.authorize_requests += 1;
    let tenant = match idp.tenant(&segment) {
        Ok(tenant) => tenant,
        Err(error) => return error.into_json(&idp),
    };
    let params = Params::from_query(query);
    if let Err(failure) = validate(&idp, &tenant, &params) {
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
    let buttons = pages::account_buttons("upn", "", users);
    let buttons = if buttons.is_empty() {
        "<p>No accounts can sign in here.</p>".to_owned()
    } else {
        buttons
    };
    let body = format!(
        "<h1>Pick an account</h1><p>to continue to <strong>{}</strong></p>\
         <form method=\"post\" action=\"/{}/oauth2/v2.0/authorize\">{}{buttons}\
         <button class=\"secondary\" name=\"cancel\" value=\"1\">Cancel</button></form>",
        escape(&idp.directory.app.display_name),
        escape(&segment),
        hidden_inputs(&params.without(&["upn", "cancel"])),
    );
    pages::page(StatusCode::OK, "Sign in to your account", &body)
}

/// `POST`: the picked account (or Cancel), with the request carried as hidden fields.
pub async fn submit(
    State(idp): State<Arc<Idp>>,
    Path(segment): Path<String>,
    body: Bytes,
) -> Response {
    idp.lock().stats.authorize_requests += 1;
    let tenant = match idp.tenant(&segment) {
        Ok(tenant) => tenant,
        Err(error) => return error.into_json(&idp),
    };
    let form = Params::parse(&body);
    let request = match validate(&idp, &tenant, &form) {
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
        return pages::error_page(
            &idp,
            &AadError::new(
                "invalid_request",
                50034,
                format!(
                    "The user account {upn} does not exist in the '{}' directory. To sign into this application, the account must be added to the directory.",
                    tenant.name()
                ),
            ),
        );
    };
    if !tenant.admits(home) {
        let error = errors::not_in_tenant("invalid_request", app, user, home, &tenant);
        return pages::error_page(&idp, &error);
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
