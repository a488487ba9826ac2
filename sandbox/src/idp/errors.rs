//! Azure AD's error shape: `AADSTS<code>: <text>` followed by trace, correlation and time
//! lines, as JSON at the token endpoint and as `error_description` on redirects.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use time::OffsetDateTime;
use time::macros::format_description;

use super::Idp;
use super::tenant::TenantScope;
use crate::directory::{App, Tenant, User};

#[derive(Debug, Clone)]
pub struct AadError {
    pub status: StatusCode,
    pub error: &'static str,
    pub code: u32,
    pub message: String,
    pub suberror: Option<&'static str>,
}

/// An error as sent, with the ids and time it was stamped with.
pub struct Stamped {
    pub description: String,
    pub trace_id: String,
    pub correlation_id: String,
    pub timestamp: String,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    error_description: &'a str,
    error_codes: [u32; 1],
    timestamp: &'a str,
    trace_id: &'a str,
    correlation_id: &'a str,
    error_uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    suberror: Option<&'a str>,
}

impl AadError {
    pub fn new(error: &'static str, code: u32, message: impl Into<String>) -> AadError {
        AadError {
            status: StatusCode::BAD_REQUEST,
            error,
            code,
            message: message.into(),
            suberror: None,
        }
    }

    pub fn with_status(mut self, status: StatusCode) -> AadError {
        self.status = status;
        self
    }

    pub fn with_suberror(mut self, suberror: &'static str) -> AadError {
        self.suberror = Some(suberror);
        self
    }

    pub fn stamp(&self, now: OffsetDateTime) -> Stamped {
        let trace_id = uuid::Uuid::new_v4().to_string();
        let correlation_id = uuid::Uuid::new_v4().to_string();
        let timestamp = timestamp(now);
        let description = format!(
            "AADSTS{}: {}\r\nTrace ID: {trace_id}\r\nCorrelation ID: {correlation_id}\r\nTimestamp: {timestamp}",
            self.code, self.message
        );
        Stamped {
            description,
            trace_id,
            correlation_id,
            timestamp,
        }
    }

    /// The JSON error response of the token and metadata endpoints.
    pub fn into_json(self, idp: &Idp) -> Response {
        let stamped = self.stamp(idp.now());
        let body = Body {
            error: self.error,
            error_description: &stamped.description,
            error_codes: [self.code],
            timestamp: &stamped.timestamp,
            trace_id: &stamped.trace_id,
            correlation_id: &stamped.correlation_id,
            error_uri: format!("{}/error?code={}", idp.origin, self.code),
            suberror: self.suberror,
        };
        (self.status, Json(body)).into_response()
    }
}

/// `yyyy-MM-dd HH:mm:ssZ`
pub fn timestamp(at: OffsetDateTime) -> String {
    at.format(format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second]Z"
    ))
    .expect("UTC times format")
}

/// AADSTS900144, the generic "parameter missing" error.
pub fn missing(parameter: &str) -> AadError {
    AadError::new(
        "invalid_request",
        900144,
        format!("The request body must contain the following parameter: '{parameter}'."),
    )
}

/// AADSTS65001 for the named app.
pub fn not_consented(error: &'static str, client_id: &str, app_name: &str) -> AadError {
    AadError::new(
        error,
        65001,
        format!(
            "The user or administrator has not consented to use the application with ID '{client_id}' named '{app_name}'. Send an interactive authorization request for this user and resource."
        ),
    )
}

/// AADSTS65004, the user pressed Cancel.
pub fn declined(error: &'static str) -> AadError {
    AadError::new(error, 65004, "User declined to consent to access the app.")
}

/// AADSTS700016 for an unknown client id.
pub fn unknown_client(client_id: &str, tenant_name: &str) -> AadError {
    AadError::new(
        "unauthorized_client",
        700016,
        format!(
            "Application with identifier '{client_id}' was not found in the directory '{tenant_name}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."
        ),
    )
}

/// AADSTS50011 for a redirect URI that is not registered.
pub fn redirect_mismatch(redirect_uri: &str, client_id: &str) -> AadError {
    AadError::new(
        "invalid_request",
        50011,
        format!(
            "The redirect URI '{redirect_uri}' specified in the request does not match the redirect URIs configured for the application '{client_id}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal."
        ),
    )
}

/// AADSTS500011 for a resource without a service principal in the tenant.
pub fn unknown_resource(resource: &str, tenant_name: &str) -> AadError {
    AadError::new(
        "invalid_resource",
        500011,
        format!(
            "The resource principal named {resource} was not found in the tenant named {tenant_name}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant."
        ),
    )
}

/// AADSTS50020 for a user whose home tenant the `{tenant}` segment excludes.
pub fn not_in_tenant(
    error: &'static str,
    app: &App,
    user: &User,
    home: &Tenant,
    tenant: &TenantScope<'_>,
) -> AadError {
    AadError::new(
        error,
        50020,
        format!(
            "User account '{}' from identity provider 'https://sts.windows.net/{}/' does not exist in tenant '{}' and cannot access the application '{}'({}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.",
            user.upn,
            home.id,
            tenant.name(),
            app.client_id,
            app.display_name
        ),
    )
}

/// AADSTS90023 for a `response_mode` Azure AD does not know.
pub fn unsupported_response_mode(mode: &str) -> AadError {
    AadError::new(
        "invalid_request",
        90023,
        format!("The response_mode '{mode}' is not supported."),
    )
}

/// AADSTS700054 for a `response_type` the app registration does not enable.
pub fn unsupported_response_type(response_type: &str) -> AadError {
    AadError::new(
        "unsupported_response_type",
        700054,
        format!("response_type '{response_type}' is not enabled for the application."),
    )
}

/// AADSTS70011 for an OpenID Connect request whose scope lacks `openid`.
pub fn scope_without_openid(scope: &str) -> AadError {
    AadError::new(
        "invalid_request",
        70011,
        format!(
            "The provided value for the input parameter 'scope' is not valid. The scope '{scope}' does not include 'openid'."
        ),
    )
}

/// AADSTS50149 for a PKCE method other than `S256` and `plain`.
pub fn invalid_challenge_method() -> AadError {
    AadError::new(
        "invalid_request",
        50149,
        "Invalid Code_Challenge_method parameter.",
    )
}

/// AADSTS50058: `prompt=none`, and no one is signed in.
pub fn no_signed_in_user() -> AadError {
    AadError::new(
        "login_required",
        50058,
        "A silent sign-in request was sent but no user is signed in.",
    )
}

/// AADSTS90023 for a `prompt` value Azure AD does not know.
pub fn unsupported_prompt(prompt: &str) -> AadError {
    AadError::new(
        "invalid_request",
        90023,
        format!("The prompt value '{prompt}' is not supported."),
    )
}

/// AADSTS50034 for a user name no directory holds.
pub fn no_such_user(upn: &str, tenant_name: &str) -> AadError {
    AadError::new(
        "invalid_request",
        50034,
        format!(
            "The user account {upn} does not exist in the '{tenant_name}' directory. To sign into this application, the account must be added to the directory."
        ),
    )
}

/// AADSTS90130: admin consent over `/common` or `/consumers`.
pub fn consent_needs_organizations(app: &App) -> AadError {
    AadError::new(
        "invalid_request",
        90130,
        format!(
            "Application '{}'({}) is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.",
            app.client_id, app.display_name
        ),
    )
}

/// AADSTS90094: the grant needs a directory administrator.
pub fn admin_required() -> AadError {
    AadError::new(
        "access_denied",
        90094,
        "The grant requires admin permission.",
    )
}
