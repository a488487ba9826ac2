//! `/{tenant}/oauth2/v2.0/token`: client authentication, then the authorization-code,
//! refresh-token and client credentials grants.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::percent_decode_str;
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::Duration;
use time::macros::format_description;

use super::Idp;
use super::app_token;
use super::errors::{self, AadError};
use super::keys::b64;
use super::mint::{self, Subject};
use super::params::Params;
use super::scopes::{self, Grant, includes};
use super::state::{Mutable, RefreshToken, TokenMode, random_token};
use super::tenant::TenantScope;

#[derive(Serialize)]
struct TokenResponse {
    token_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    expires_in: i64,
    ext_expires_in: i64,
    access_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
}

pub async fn token(
    State(idp): State<Arc<Idp>>,
    Path(segment): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut mode = {
        let mut st = idp.lock();
        st.stats.token_requests += 1;
        st.token_mode
    };
    while mode == TokenMode::Hold {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        mode = idp.lock().token_mode;
    }
    match mode {
        TokenMode::Ok => {}
        TokenMode::Hang | TokenMode::Hold => return std::future::pending().await,
        TokenMode::Error => {
            let error = AadError::new(
                "temporarily_unavailable",
                90033,
                "A transient error has occurred. Please try again.",
            )
            .with_status(StatusCode::SERVICE_UNAVAILABLE);
            return no_store(error.into_json(&idp));
        }
    }
    let tenant = match idp.tenant(&segment) {
        Ok(tenant) => tenant,
        Err(error) => return no_store(error.into_json(&idp)),
    };
    let form = Params::parse(&body);
    let response = match exchange(&idp, &tenant, &headers, &form) {
        Ok(tokens) => Json(tokens).into_response(),
        Err(error) => error.into_json(&idp),
    };
    no_store(response)
}

fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let value = HeaderValue::from_static;
    headers.insert(header::CACHE_CONTROL, value("no-store, no-cache"));
    headers.insert(header::PRAGMA, value("no-cache"));
    headers.insert(
        header::CONTENT_TYPE,
        value("application/json; charset=utf-8"),
    );
    response
}

fn exchange(
    idp: &Idp,
    tenant: &TenantScope<'_>,
    headers: &HeaderMap,
    form: &Params,
) -> Result<TokenResponse, AadError> {
    let app = &idp.directory.app;
    let basic = basic_credentials(headers);
    let client_id = basic
        .as_ref()
        .map(|(id, _)| id.as_str())
        .or(form.get("client_id"))
        .ok_or_else(|| errors::missing("client_id"))?;
    if client_id != app.client_id {
        return Err(errors::unknown_client(client_id, &tenant.name()));
    }
    let secret = basic
        .as_ref()
        .map(|(_, secret)| secret.as_str())
        .filter(|s| !s.is_empty())
        .or(form.get("client_secret"));
    let invalid_client = |code, message: String| {
        AadError::new("invalid_client", code, message).with_status(StatusCode::UNAUTHORIZED)
    };
    match secret {
        None => {
            return Err(invalid_client(
                7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.".into(),
            ));
        }
        Some(secret) if secret != app.client_secret => {
            return Err(invalid_client(
                7000215,
                format!(
                    "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."
                ),
            ));
        }
        Some(_) => {}
    }
    match form.get("grant_type") {
        None => Err(errors::missing("grant_type")),
        Some("authorization_code") => redeem_code(idp, tenant, form),
        Some("refresh_token") => refresh(idp, tenant, form),
        Some("client_credentials") => {
            let token = app_token::issue(idp, &idp.lock(), tenant, form)?;
            Ok(TokenResponse {
                token_type: "Bearer",
                scope: None,
                expires_in: token.lifetime,
                ext_expires_in: token.lifetime,
                access_token: token.access_token,
                refresh_token: None,
                id_token: None,
            })
        }
        Some(other) => Err(AadError::new(
            "unsupported_grant_type",
            70003,
            format!("The app requested an unsupported grant type '{other}'."),
        )),
    }
}

/// HTTP Basic client credentials. OAuth 2.0 form-encodes the client id and the secret before
/// joining them with `:`, so both are form-decoded here.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let form_decode = |s: &str| {
        percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    Some((form_decode(id), form_decode(secret)))
}

fn invalid_grant(code: u32, message: impl Into<String>) -> AadError {
    AadError::new("invalid_grant", code, message)
}

fn redeem_code(
    idp: &Idp,
    tenant: &TenantScope<'_>,
    form: &Params,
) -> Result<TokenResponse, AadError> {
    let code = form.get("code").ok_or_else(|| errors::missing("code"))?;
    let mut st = idp.lock();
    let now = st.now();
    let entry = st.codes.get(code).ok_or_else(|| {
        invalid_grant(
            70000,
            "The provided value for the 'code' parameter is not valid.",
        )
    })?;
    if now >= entry.expires_at {
        return Err(invalid_grant(
            70008,
            "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
        ));
    }
    if entry.redeemed {
        return Err(invalid_grant(
            54005,
            "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
        ));
    }
    if form.get("redirect_uri") != Some(entry.redirect_uri.as_str()) {
        return Err(invalid_grant(
            70000,
            "The provided value for the 'redirect_uri' is not valid. The value must exactly match the redirect URI used to obtain the authorization code.",
        ));
    }
    if let Some(challenge) = &entry.challenge {
        let matches =
            form.get("code_verifier")
                .is_some_and(|verifier| match challenge.method.as_str() {
                    "S256" => b64(Sha256::digest(verifier)) == challenge.value,
                    _ => verifier == challenge.value,
                });
        if !matches {
            return Err(invalid_grant(
                501481,
                "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
            ));
        }
    }
    let (home, user) = idp
        .directory
        .user(&entry.upn)
        .expect("codes name known users");
    if !tenant.admits(home) {
        return Err(invalid_grant(
            700005,
            "Provided Authorization Code is intended to use against other tenant, thus rejected.",
        ));
    }
    let signed_in_scope = entry.scope.clone();
    let nonce = entry.nonce.clone();
    let sid = entry.sid.clone();
    let consented = st.consented.contains(&home.id);
    let token_scope = form.get("scope").unwrap_or(&signed_in_scope);
    let grant = scopes::grant(&idp.directory, home, consented, token_scope)?;
    if let Some(entry) = st.codes.get_mut(code) {
        entry.redeemed = true;
    }
    let session = Session {
        signed_in_scope: &signed_in_scope,
        id_token_scope: &signed_in_scope,
        nonce: nonce.as_deref(),
        sid: &sid,
    };
    Ok(issue(
        idp,
        &mut st,
        Subject { tenant: home, user },
        grant,
        session,
    ))
}

fn refresh(idp: &Idp, tenant: &TenantScope<'_>, form: &Params) -> Result<TokenResponse, AadError> {
    let token = form
        .get("refresh_token")
        .ok_or_else(|| errors::missing("refresh_token"))?;
    let mut st = idp.lock();
    let now = st.now();
    let lifetime = st.lifetimes.refresh_token_seconds;
    let entry = st.refresh_tokens.get(token).ok_or_else(|| {
        invalid_grant(9002313, "Invalid request. Request is malformed or invalid.")
    })?;
    if now >= entry.expires_at {
        return Err(invalid_grant(
            700082,
            format!(
                "The refresh token has expired due to inactivity. The token was issued on {} and was inactive for {}.",
                entry
                    .issued_at
                    .format(format_description!(
                        "[year]-[month]-[day]T[hour]:[minute]:[second].0000000Z"
                    ))
                    .expect("UTC times format"),
                span(lifetime)
            ),
        ));
    }
    let (home, user) = idp
        .directory
        .user(&entry.upn)
        .expect("refresh tokens name known users");
    let app = &idp.directory.app;
    if !tenant.admits(home) {
        return Err(errors::not_in_tenant(
            "invalid_grant",
            app,
            user,
            home,
            tenant,
        ));
    }
    let signed_in_scope = entry.scope.clone();
    let sid = entry.sid.clone();
    let token_scope = form.get("scope").unwrap_or(&signed_in_scope).to_owned();
    let grant = scopes::grant(
        &idp.directory,
        home,
        st.consented.contains(&home.id),
        &token_scope,
    )?;
    let session = Session {
        signed_in_scope: &signed_in_scope,
        id_token_scope: &token_scope,
        nonce: None,
        sid: &sid,
    };
    Ok(issue(
        idp,
        &mut st,
        Subject { tenant: home, user },
        grant,
        session,
    ))
}

/// What the tokens of one response are issued under.
struct Session<'a> {
    /// The scope consented at sign-in; a refresh token carries it on.
    signed_in_scope: &'a str,
    /// Decides whether there is an ID token and which claims it has.
    id_token_scope: &'a str,
    nonce: Option<&'a str>,
    sid: &'a str,
}

fn issue(
    idp: &Idp,
    st: &mut Mutable,
    subject: Subject<'_>,
    grant: Grant,
    session: Session<'_>,
) -> TokenResponse {
    let access_token = mint::access_token(idp, st, subject, &grant);
    let id_token = includes(session.id_token_scope, "openid").then(|| {
        mint::id_token(
            idp,
            st,
            subject,
            session.id_token_scope,
            session.nonce,
            session.sid,
        )
    });
    let refresh_token = includes(session.signed_in_scope, "offline_access").then(|| {
        let token = random_token(96);
        let now = st.now();
        let expires_at = now + Duration::seconds(st.lifetimes.refresh_token_seconds);
        st.refresh_tokens.insert(
            token.clone(),
            RefreshToken {
                upn: subject.user.upn.clone(),
                scope: session.signed_in_scope.to_owned(),
                sid: session.sid.to_owned(),
                issued_at: now,
                expires_at,
            },
        );
        token
    });
    let lifetime = st.lifetimes.access_token_seconds;
    TokenResponse {
        token_type: "Bearer",
        scope: Some(grant.scope),
        expires_in: lifetime,
        ext_expires_in: lifetime,
        access_token,
        refresh_token,
        id_token,
    }
}

/// A .NET TimeSpan as Azure AD prints it: `d.hh:mm:ss`.
fn span(seconds: i64) -> String {
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    format!(
        "{days}.{:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn spans_print_like_timespans() {
        assert_eq!(super::span(90 * 86_400), "90.00:00:00");
        assert_eq!(super::span(3_725), "0.01:02:05");
    }
}
