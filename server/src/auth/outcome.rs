//! Every way a sign-in can fail, and the page that says so with a way on. None of them leaves
//! anyone signed in.

use crate::plain_page::{Action, render_with};
use crate::telemetry::bounded;
use axum::http::StatusCode;
use axum::response::Response;
use i18n::{Lang, t};

#[derive(Debug)]
pub enum SignInError {
    /// The user cancelled at the identity provider.
    Cancelled,
    /// The organisation's administrator has not consented to Flowhost.
    ConsentMissing,
    /// The organisation signed in fine but is not one Flowhost serves.
    NotAdmitted,
    /// A personal Microsoft account: Flowhost serves work and school accounts only.
    PersonalAccount,
    /// The callback does not belong to a sign-in in progress: state or nonce mismatch, a
    /// replayed or stale callback, a refused code.
    StartAgain(&'static str),
    /// The identity provider cannot be reached or answers with errors.
    Unavailable(String),
    /// The ID token failed a check.
    Invalid(String),
    /// Flowhost's app registration or settings are wrong (e.g. a bad client secret).
    Misconfigured(String),
}

/// An error the identity provider sent back instead of a code. Branches on `error` only.
pub fn authorize_error(error: &str, description: Option<&str>) -> SignInError {
    let detail = format!("{error}: {}", description.unwrap_or_default());
    match error {
        "access_denied" => SignInError::Cancelled,
        "consent_required" => SignInError::ConsentMissing,
        "login_required" | "interaction_required" => {
            SignInError::StartAgain("the provider needs the user to interact")
        }
        "temporarily_unavailable" | "server_error" => SignInError::Unavailable(detail),
        _ => SignInError::Misconfigured(detail),
    }
}

/// The page after an administrator answered the admin-consent request.
pub fn admin_consented(lang: Lang, granted: bool) -> Response {
    let sign_in = [Action::new(t!(lang, "server-sign-in"), "/auth/login")];
    if granted {
        render_with(
            lang,
            StatusCode::OK,
            &t!(lang, "sign-in-consented-title"),
            &t!(lang, "sign-in-consented"),
            &sign_in,
        )
    } else {
        render_with(
            lang,
            StatusCode::FORBIDDEN,
            &t!(lang, "sign-in-consent-refused-title"),
            &t!(lang, "sign-in-consent-refused"),
            &sign_in,
        )
    }
}

impl SignInError {
    /// Logs the reason (never a token) and renders the page in `lang`. `again` restarts
    /// sign-in towards the page the user wanted; `consent` is where an administrator grants
    /// consent.
    pub fn page(&self, lang: Lang, again: &str, consent: &str) -> Response {
        match self {
            SignInError::Unavailable(why) => {
                tracing::warn!(reason = %bounded(why), "identity provider unavailable")
            }
            SignInError::Invalid(why) => tracing::warn!(reason = %bounded(why), "ID token refused"),
            SignInError::Misconfigured(why) => {
                tracing::error!(reason = %bounded(why), "sign-in is misconfigured")
            }
            SignInError::StartAgain(why) => {
                tracing::info!(reason = %why, "sign-in must start again")
            }
            other => tracing::info!(outcome = ?other, "sign-in did not complete"),
        }
        let sign_in = || Action::new(t!(lang, "server-sign-in-again"), again);
        let try_again = || Action::new(t!(lang, "server-try-again"), again);
        let (status, title, message, actions) = match self {
            SignInError::Cancelled => (
                StatusCode::UNAUTHORIZED,
                t!(lang, "sign-in-cancelled-title"),
                t!(lang, "sign-in-cancelled"),
                vec![sign_in()],
            ),
            SignInError::ConsentMissing => (
                StatusCode::FORBIDDEN,
                t!(lang, "sign-in-consent-missing-title"),
                t!(lang, "sign-in-consent-missing"),
                vec![
                    Action::new(t!(lang, "sign-in-grant-consent"), consent),
                    sign_in(),
                ],
            ),
            SignInError::NotAdmitted => (
                StatusCode::FORBIDDEN,
                t!(lang, "sign-in-not-admitted-title"),
                t!(lang, "sign-in-not-admitted"),
                vec![Action::new(t!(lang, "sign-in-another-account"), again)],
            ),
            SignInError::PersonalAccount => (
                StatusCode::FORBIDDEN,
                t!(lang, "sign-in-personal-account-title"),
                t!(lang, "sign-in-personal-account"),
                vec![Action::new(t!(lang, "sign-in-another-account"), again)],
            ),
            SignInError::StartAgain(_) => (
                StatusCode::BAD_REQUEST,
                t!(lang, "sign-in-start-again-title"),
                t!(lang, "sign-in-start-again"),
                vec![sign_in()],
            ),
            SignInError::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                t!(lang, "sign-in-unavailable-title"),
                t!(lang, "sign-in-unavailable"),
                vec![try_again()],
            ),
            SignInError::Invalid(_) => (
                StatusCode::UNAUTHORIZED,
                t!(lang, "sign-in-invalid-title"),
                t!(lang, "sign-in-invalid"),
                vec![sign_in()],
            ),
            SignInError::Misconfigured(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                t!(lang, "sign-in-misconfigured-title"),
                t!(lang, "sign-in-misconfigured"),
                vec![try_again()],
            ),
        };
        render_with(lang, status, &title, &message, &actions)
    }
}
