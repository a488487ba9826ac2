//! What Azure AD's refusals at the token endpoint mean, for a code redemption (sign-in) and for
//! a refresh (a widget's token), read in one place.

use super::outcome::SignInError;
use openidconnect::RequestTokenError;
use openidconnect::core::CoreErrorResponseType;
use std::time::Duration;

/// An access token from a refresh token.
pub struct Refreshed {
    pub access_token: String,
    pub lifetime: Duration,
    pub refresh_token: Option<String>,
}

/// Why a refresh token did not give an access token.
#[derive(Debug)]
pub enum RefreshError {
    /// The refresh token is expired or revoked, or consent is missing: the user must sign in
    /// again.
    SignInAgain(String),
    /// The tenant has no service principal for the resource (AADSTS500011).
    NoResource(String),
    /// The provider cannot be reached, answers errors, or refuses Flowhost's own credentials.
    Unavailable(String),
}

/// What Azure AD's refusal at the token endpoint means, read once for every grant. Branches
/// on `error` only, never on the description text, which Azure AD may change at any time.
enum TokenFailure {
    /// `invalid_grant`: the code or refresh token is expired, used, revoked or not ours.
    Grant(String),
    /// Consent is missing, or the user must interact.
    Consent(String),
    /// Flowhost's own registration or request is wrong, or the tenant lacks the resource.
    Setup { detail: String, no_resource: bool },
    /// Unreachable, or answering errors.
    Unavailable(String),
}

fn token_failure<RE: std::error::Error + 'static>(
    e: RequestTokenError<RE, openidconnect::StandardErrorResponse<CoreErrorResponseType>>,
) -> TokenFailure {
    use CoreErrorResponseType as E;
    match e {
        RequestTokenError::ServerResponse(response) => {
            let detail = response.to_string();
            match response.error() {
                E::InvalidGrant => TokenFailure::Grant(detail),
                E::InvalidClient
                | E::UnauthorizedClient
                | E::InvalidRequest
                | E::InvalidScope
                | E::UnsupportedGrantType => TokenFailure::Setup {
                    detail,
                    no_resource: false,
                },
                E::Extension(code) if code == "invalid_resource" => TokenFailure::Setup {
                    detail,
                    no_resource: true,
                },
                E::Extension(code)
                    if code == "consent_required" || code == "interaction_required" =>
                {
                    TokenFailure::Consent(detail)
                }
                _ => TokenFailure::Unavailable(detail),
            }
        }
        RequestTokenError::Request(e) => TokenFailure::Unavailable(format!("token endpoint: {e}")),
        RequestTokenError::Parse(e, _) => {
            TokenFailure::Unavailable(format!("token endpoint answered: {e}"))
        }
        RequestTokenError::Other(e) => TokenFailure::Unavailable(e),
    }
}

/// What a failed code redemption means for the user.
pub(super) fn token_error<RE: std::error::Error + 'static>(
    e: RequestTokenError<RE, openidconnect::StandardErrorResponse<CoreErrorResponseType>>,
) -> SignInError {
    match token_failure(e) {
        TokenFailure::Grant(_) => {
            SignInError::StartAgain("the code was refused (expired, used or not ours)")
        }
        TokenFailure::Consent(_) => SignInError::ConsentMissing,
        TokenFailure::Setup { detail, .. } => SignInError::Misconfigured(detail),
        TokenFailure::Unavailable(detail) => SignInError::Unavailable(detail),
    }
}

/// What a failed refresh means for the widget asking for a token.
pub(super) fn refresh_error<RE: std::error::Error + 'static>(
    e: RequestTokenError<RE, openidconnect::StandardErrorResponse<CoreErrorResponseType>>,
) -> RefreshError {
    match token_failure(e) {
        TokenFailure::Grant(detail) | TokenFailure::Consent(detail) => {
            RefreshError::SignInAgain(detail)
        }
        TokenFailure::Setup {
            detail,
            no_resource: true,
        } => RefreshError::NoResource(detail),
        TokenFailure::Setup { detail, .. } | TokenFailure::Unavailable(detail) => {
            RefreshError::Unavailable(detail)
        }
    }
}
