//! Signing out: the session ends here (with the Flow tokens cached for it), then at Azure AD,
//! which sends the browser back to the signed-out page. The session store never writes an ended
//! session back, so a request still in flight cannot sign the browser in again.

use super::store_down;
use crate::AppState;
use crate::plain_page::{self, Action};
use app::ssr::{self, Visitor};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use i18n::t;
use tower_sessions::Session;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/logout", post(logout))
        .route("/auth/signed-out", get(signed_out))
}

/// The sign-out form: only the session's CSRF token. It is on every page, so a refusal is a
/// page of its own rather than the form again.
#[derive(serde::Deserialize)]
struct LogoutPost {
    #[serde(default)]
    csrf_token: String,
}

async fn logout(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<LogoutPost>,
) -> Response {
    let lang = plain_page::lang(&headers);
    match visitor {
        Visitor::Signed(_) => {}
        Visitor::Anonymous => return Redirect::to("/auth/signed-out").into_response(),
        Visitor::Unknown => return store_down(lang),
    }
    if !ssr::csrf_matches(&session, &form.csrf_token)
        .await
        .unwrap_or(false)
    {
        return plain_page::render(
            lang,
            StatusCode::FORBIDDEN,
            &t!(lang, "sign-out-refused-title"),
            &t!(lang, "sign-out-refused"),
        );
    }
    // The Flow tokens minted from this session's refresh token go with it.
    if let Some(id) = session.id() {
        state.hosting.tokens.forget(id);
    }
    if let Err(e) = session.flush().await {
        tracing::error!(error = %e, "could not end the session");
        return store_down(lang);
    }
    let signed_out = state.auth.signed_out_url();
    match state.auth.provider.end_session_url(&signed_out, lang).await {
        Some(url) => Redirect::to(url.as_str()).into_response(),
        None => Redirect::to("/auth/signed-out").into_response(),
    }
}

async fn signed_out(headers: HeaderMap) -> Response {
    let lang = plain_page::lang(&headers);
    plain_page::render_with(
        lang,
        StatusCode::OK,
        &t!(lang, "sign-out-done-title"),
        &t!(lang, "sign-out-done"),
        &[Action::new(t!(lang, "server-sign-in-again"), "/auth/login")],
    )
}
