//! Signing out: the session ends here (with the Flow tokens cached for it), then at Azure AD,
//! which sends the browser back to the signed-out page. The session store never writes an ended
//! session back, so a request still in flight cannot sign the browser in again.

use super::store_down;
use crate::AppState;
use app::ssr::{self, Visitor};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
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
    Form(form): Form<LogoutPost>,
) -> Response {
    match visitor {
        Visitor::Signed(_) => {}
        Visitor::Anonymous => return Redirect::to("/auth/signed-out").into_response(),
        Visitor::Unknown => return store_down(),
    }
    if !ssr::csrf_matches(&session, &form.csrf_token)
        .await
        .unwrap_or(false)
    {
        return crate::plain_page::render(
            StatusCode::FORBIDDEN,
            "Sign-out refused",
            "The sign-out form had expired. Go back, reload the page and sign out again.",
        );
    }
    // The Flow tokens minted from this session's refresh token go with it.
    if let Some(id) = session.id() {
        state.hosting.tokens.forget(id);
    }
    if let Err(e) = session.flush().await {
        tracing::error!(error = %e, "could not end the session");
        return store_down();
    }
    let signed_out = state.auth.signed_out_url();
    match state.auth.provider.end_session_url(&signed_out).await {
        Some(url) => Redirect::to(url.as_str()).into_response(),
        None => Redirect::to("/auth/signed-out").into_response(),
    }
}

async fn signed_out() -> Response {
    crate::plain_page::render_with(
        StatusCode::OK,
        "You are signed out",
        "You have signed out of Flowhost. Close the browser if others use this computer.",
        &[crate::plain_page::Action {
            label: "Sign in again",
            href: "/auth/login",
        }],
    )
}
