//! Form posts (post/redirect/get). Every state-changing page is an HTML form posted to an axum
//! handler, so it works without JavaScript and what was typed survives a refusal; reads go
//! through server functions.
//!
//! [`Admitted`] admits a post once, before its handler runs: the fields parse into the form's
//! own struct, the visitor is signed in with the role the form needs, and the form carries
//! the session's CSRF token. Handlers then answer with [`FormError`] through `?`.

use crate::AppState;
use crate::plain_page;
use app::errors::AppError;
use app::ssr::{self, Visitor};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::{CurrentUser, Role};
use i18n::t;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tower_sessions::Session;

/// The most a form's outcome may take in the session, as JSON: a form post's body limit
/// (`config::Limits::form_body`), so what a page shows again is never more than its form
/// takes.
pub const DRAFT_LIMIT: usize = 64 * 1024;

/// A form Flowhost accepts.
pub trait FormPost: DeserializeOwned + Send + 'static {
    /// The role the form needs; `None`: any signed-in person.
    const ROLE: Option<Role> = None;
    /// The most its outcome may take in the session; a larger one is refused (413) and not
    /// kept.
    const DRAFT_LIMIT: usize = DRAFT_LIMIT;
    /// What the page shows again when the form had expired: the input as typed.
    type Expired: Serialize + Send;

    /// The page the form, posted to `path`, belongs to.
    fn page(&self, path: &str) -> Target;

    fn expired(&self) -> Self::Expired;
}

/// The page a form belongs to: the session key its outcome is kept under, and where the
/// browser goes back to.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub key: String,
    pub back: String,
}

impl Target {
    pub fn new(key: impl Into<String>, back: impl Into<String>) -> Target {
        Target {
            key: key.into(),
            back: back.into(),
        }
    }
}

/// An admitted form post: who sent it, their session, and the form's fields.
pub struct Admitted<F> {
    pub user: CurrentUser,
    pub session: Session,
    pub form: F,
    pub page: Target,
}

#[derive(serde::Deserialize)]
struct Token {
    #[serde(default)]
    csrf_token: String,
}

impl<F: FormPost> FromRequest<AppState> for Admitted<F> {
    type Rejection = FormError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, FormError> {
        let (mut parts, body) = req.into_parts();
        let lang = plain_page::lang(&parts.headers);
        let visitor = parts.extensions.get::<Visitor>().cloned();
        let session = Session::from_request_parts(&mut parts, state)
            .await
            .map_err(|_| FormError::Unavailable)?;
        let path = parts.uri.path().to_owned();
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|e| match e.status() {
                // A body past the request's limit, found while reading it.
                StatusCode::PAYLOAD_TOO_LARGE => FormError::TooLarge(F::DRAFT_LIMIT),
                _ => {
                    tracing::info!(reason = %e.body_text(), "could not read a form's body");
                    FormError::BadRequest(t!(lang, "server-form-unread"))
                }
            })?;
        let form: F = serde_urlencoded::from_bytes(&bytes).map_err(|e| {
            FormError::BadRequest(t!(
                lang,
                "server-form-not-understood",
                reason = e.to_string()
            ))
        })?;
        let page = form.page(&path);
        let user = match visitor {
            Some(Visitor::Signed(user)) => user,
            // The page asks an anonymous visitor to sign in.
            Some(Visitor::Anonymous) => return Err(FormError::Redirect(page.back)),
            Some(Visitor::Unknown) | None => return Err(FormError::Unavailable),
        };
        if let Some(role) = F::ROLE.filter(|r| !user.has_role(*r)) {
            tracing::warn!(
                role = role.claim(),
                "refused a form to a user without the role"
            );
            return Err(FormError::Forbidden);
        }
        let token: Token = serde_urlencoded::from_bytes(&bytes).unwrap_or(Token {
            csrf_token: String::new(),
        });
        if !ssr::csrf_matches(&session, &token.csrf_token).await? {
            let expired = form.expired();
            back(&session, &page, expired, F::DRAFT_LIMIT).await?;
            return Err(FormError::Redirect(page.back));
        }
        Ok(Admitted {
            user,
            session,
            form,
            page,
        })
    }
}

impl<F: FormPost> Admitted<F> {
    /// Back to the form's page, which shows `outcome`.
    pub async fn back<T: Serialize>(&self, outcome: T) -> Result<Response, FormError> {
        back(&self.session, &self.page, outcome, F::DRAFT_LIMIT).await
    }

    /// On to another page, which shows `outcome`.
    pub async fn to<T: Serialize>(&self, page: &Target, outcome: T) -> Result<Response, FormError> {
        back(&self.session, page, outcome, F::DRAFT_LIMIT).await
    }
}

/// Keeps `outcome` for `page` and sends the browser there; an outcome over `limit` is not
/// kept, and the browser is told its input is too large (it still holds it, a page back).
async fn back<T: Serialize>(
    session: &Session,
    page: &Target,
    outcome: T,
    limit: usize,
) -> Result<Response, FormError> {
    if !ssr::set_flash(session, &page.key, outcome, limit).await? {
        tracing::warn!(limit, "did not keep a form's outcome larger than its limit");
        return Err(FormError::TooLarge(limit));
    }
    Ok(Redirect::to(&page.back).into_response())
}

/// How a form post ends when it does not go on: each with its status and designed page, in
/// the language of the request.
#[derive(Debug)]
pub enum FormError {
    /// To a page, which says why (sign in, the form had expired).
    Redirect(String),
    Forbidden,
    /// What was not found, in the request's language.
    NotFound(String),
    /// Why the request was refused, in the request's language.
    BadRequest(String),
    /// What the form would show again is larger than it keeps (bytes); nothing was saved.
    TooLarge(usize),
    /// The database or the session store cannot be reached; nothing was saved.
    Unavailable,
}

impl From<domain::db::DbError> for FormError {
    fn from(e: domain::db::DbError) -> FormError {
        tracing::error!(error = %e, "database failed while saving a form");
        FormError::Unavailable
    }
}

impl From<AppError> for FormError {
    fn from(e: AppError) -> FormError {
        match e {
            AppError::Forbidden => FormError::Forbidden,
            AppError::NotFound => {
                FormError::NotFound(t!(plain_page::current_lang(), "server-form-no-such-page"))
            }
            _ => FormError::Unavailable,
        }
    }
}

impl IntoResponse for FormError {
    fn into_response(self) -> Response {
        let lang = plain_page::current_lang();
        let page = |status, title: String, message: String| {
            plain_page::render(lang, status, &title, &message)
        };
        match self {
            FormError::Redirect(to) => Redirect::to(&to).into_response(),
            FormError::Forbidden => page(
                StatusCode::FORBIDDEN,
                t!(lang, "server-form-forbidden-title"),
                t!(lang, "server-form-forbidden"),
            ),
            FormError::NotFound(what) => page(
                StatusCode::NOT_FOUND,
                t!(lang, "server-form-not-found-title"),
                what,
            ),
            FormError::BadRequest(why) => page(
                StatusCode::BAD_REQUEST,
                t!(lang, "server-form-refused-title"),
                why,
            ),
            FormError::TooLarge(limit) => page(
                StatusCode::PAYLOAD_TOO_LARGE,
                t!(lang, "server-form-too-large-title"),
                t!(
                    lang,
                    "server-form-too-large",
                    size = plain_page::size(lang, limit)
                ),
            ),
            FormError::Unavailable => page(
                StatusCode::SERVICE_UNAVAILABLE,
                t!(lang, "server-form-unavailable-title"),
                t!(lang, "server-form-unavailable"),
            ),
        }
    }
}
