//! `/{tenant}/oauth2/v2.0/logout`, GET or POST: a `post_logout_redirect_uri` that is one of the
//! app's registered redirect URIs is where the browser goes next; without one, a generic
//! signed-out page. The sandbox keeps no sign-in session, so that choice is all signing out does.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use url::Url;

use super::Idp;
use super::pages;
use super::params::Params;
use super::redirect::found;

/// `GET` or `POST`, parameters in the query or the form.
pub async fn logout(
    State(idp): State<Arc<Idp>>,
    Path(segment): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    if let Err(error) = idp.tenant(&segment) {
        return error.into_json(&idp);
    }
    let mut params = Params::from_query(query);
    params.0.extend(Params::parse(&body).0);
    match params.get("post_logout_redirect_uri") {
        Some(uri) if idp.is_registered(uri) => {
            let mut url = Url::parse(uri).expect("registered redirect URIs are URLs");
            if let Some(state) = params.get("state") {
                url.query_pairs_mut().append_pair("state", state);
            }
            found(url.as_str())
        }
        _ => pages::signed_out(pages::lang(&params, &headers)),
    }
}
