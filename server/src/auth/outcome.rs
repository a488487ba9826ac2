//! Every way a sign-in can fail, and the page that says so with a way on. None of them leaves
//! anyone signed in.

use crate::plain_page::{Action, render_with};
use crate::telemetry::bounded;
use axum::http::StatusCode;
use axum::response::Response;

#[derive(Debug)]
pub enum SignInError {
    /// The user cancelled at the identity provider.
    Cancelled,
    /// The organisation's administrator has not consented to Flowhost.
    ConsentMissing,
    /// The organisation signed in fine but is not one Flowhost serves.
    NotAdmitted,
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
pub fn admin_consented(granted: bool) -> Response {
    let sign_in = [Action {
        label: "Sign in",
        href: "/auth/login",
    }];
    if granted {
        render_with(
            StatusCode::OK,
            "Thank you",
            "If you approved Flowhost for your organisation, its people can now sign in.",
            &sign_in,
        )
    } else {
        render_with(
            StatusCode::FORBIDDEN,
            "Consent was not granted",
            "Flowhost was not approved for your organisation, so its people cannot sign in yet.",
            &sign_in,
        )
    }
}

impl SignInError {
    /// Logs the reason (never a token) and renders the page. `again` restarts sign-in towards
    /// the page the user wanted; `consent` is where an administrator grants consent.
    pub fn page(&self, again: &str, consent: &str) -> Response {
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
        let sign_in = Action {
            label: "Sign in again",
            href: again,
        };
        match self {
            SignInError::Cancelled => render_with(
                StatusCode::UNAUTHORIZED,
                "Sign-in cancelled",
                "You cancelled signing in, so you are not signed in. Sign in when you are ready.",
                &[sign_in],
            ),
            SignInError::ConsentMissing => render_with(
                StatusCode::FORBIDDEN,
                "Your organisation has not approved Flowhost yet",
                "An administrator of your organisation needs to grant Flowhost consent once for \
                 everyone. Send them the consent link below; once they have approved it, sign \
                 in again.",
                &[
                    Action {
                        label: "Administrator: grant consent",
                        href: consent,
                    },
                    sign_in,
                ],
            ),
            SignInError::NotAdmitted => render_with(
                StatusCode::FORBIDDEN,
                "Your organisation has not been set up",
                "You signed in, but your organisation does not use Flowhost yet. Ask your \
                 organisation's administrator to contact us to set it up.",
                &[Action {
                    label: "Sign in with another account",
                    href: again,
                }],
            ),
            SignInError::StartAgain(_) => render_with(
                StatusCode::BAD_REQUEST,
                "Please sign in again",
                "This sign-in could not be completed: it expired, was already used, or was \
                 started in another window. Nothing was changed.",
                &[sign_in],
            ),
            SignInError::Unavailable(_) => render_with(
                StatusCode::SERVICE_UNAVAILABLE,
                "Microsoft sign-in is not available",
                "Flowhost cannot reach Microsoft's sign-in service right now. Please try again \
                 in a minute.",
                &[Action {
                    label: "Try again",
                    href: again,
                }],
            ),
            SignInError::Invalid(_) => render_with(
                StatusCode::UNAUTHORIZED,
                "Your sign-in could not be verified",
                "The answer from Microsoft's sign-in service did not pass Flowhost's checks, so \
                 you are not signed in. Please sign in again; if it keeps happening, contact \
                 support.",
                &[sign_in],
            ),
            SignInError::Misconfigured(_) => render_with(
                StatusCode::SERVICE_UNAVAILABLE,
                "Sign-in is not set up correctly",
                "Flowhost's connection to Microsoft sign-in is misconfigured. Support has been \
                 notified in the server log; please try again later.",
                &[Action {
                    label: "Try again",
                    href: again,
                }],
            ),
        }
    }
}
