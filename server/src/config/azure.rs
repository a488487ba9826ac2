//! The Azure AD app Flowhost signs people in with (`AZURE_*`, `ISV_TENANT_ID`,
//! `TOKEN_ENCRYPTION_KEY`).

use super::{AzureApp, ConfigError, error, secure_url};
use crate::auth::TokenKey;
use domain::TenantId;

pub(super) fn azure_app(
    client_id: String,
    value: &impl Fn(&str) -> Option<String>,
) -> Result<AzureApp, ConfigError> {
    let required = |name: &str| {
        value(name).ok_or_else(|| error(name, "must be set when AZURE_CLIENT_ID is set"))
    };
    let authority =
        value("AZURE_AUTHORITY").unwrap_or_else(|| "https://login.microsoftonline.com".into());
    // Plain http would carry the client secret in clear; only loopback (a local sandbox) may.
    let authority = secure_url(
        "AZURE_AUTHORITY",
        &authority,
        "https://login.microsoftonline.com",
    )?
    .as_str()
    .trim_end_matches('/')
    .to_owned();
    let tenant = value("AZURE_TENANT").unwrap_or_else(|| "organizations".into());
    if tenant == "common" || tenant == "consumers" {
        return Err(error(
            "AZURE_TENANT",
            "must be organizations, a tenant id or a domain: Flowhost serves work accounts",
        ));
    }
    if !tenant
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err(error(
            "AZURE_TENANT",
            format!("{tenant:?} is not organizations, a tenant id or a domain"),
        ));
    }
    let isv = required("ISV_TENANT_ID")?;
    let isv_tenant = TenantId::parse(&isv).map_err(|_| {
        error(
            "ISV_TENANT_ID",
            format!("{isv:?} is not a tenant id (a GUID)"),
        )
    })?;
    let token_key = TokenKey::from_base64(&required("TOKEN_ENCRYPTION_KEY")?).map_err(|_| {
        error(
            "TOKEN_ENCRYPTION_KEY",
            "must be 32 random bytes in base64 (for example: openssl rand -base64 32)",
        )
    })?;
    Ok(AzureApp {
        authority,
        tenant,
        client_id,
        client_secret: required("AZURE_CLIENT_SECRET")?,
        isv_tenant,
        token_key,
    })
}
