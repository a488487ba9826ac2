//! The language switch in the header: `POST /language` remembers the choice in a cookie for a
//! year and goes back to the page it was made on. It changes no data, so it needs no session
//! and works signed out; like every post, it is refused unless it comes from a Flowhost page.

use axum::Router;
use axum::extract::{Form, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use cookie::{Cookie, SameSite};
use i18n::Lang;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Choice {
    lang: String,
    #[serde(default)]
    return_to: Option<String>,
}

/// Whether the cookie is sent only over https.
#[derive(Clone, Copy)]
pub struct Secure(pub bool);

pub fn router<S: Clone + Send + Sync + 'static>(secure: bool) -> Router<S> {
    Router::new()
        .route("/language", post(choose))
        .with_state(Secure(secure))
}

async fn choose(State(Secure(secure)): State<Secure>, Form(choice): Form<Choice>) -> Response {
    let back = Redirect::to(&crate::auth::local_path(choice.return_to.as_deref()));
    let Some(lang) = Lang::from_tag(&choice.lang) else {
        return back.into_response();
    };
    let cookie = Cookie::build((i18n::COOKIE, lang.tag()))
        .path("/")
        .max_age(cookie::time::Duration::days(365))
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(secure)
        .build();
    ([(header::SET_COOKIE, cookie.to_string())], back).into_response()
}
