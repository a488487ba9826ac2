//! The admin consent endpoint, `/{tenant}/v2.0/adminconsent`: a directory administrator
//! grants the app's permissions for the whole tenant, and the browser goes back to the
//! redirect URI with `admin_consent=True` and the tenant (or an error).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use html_escape::encode_quoted_attribute as escape;

use super::Idp;
use super::authorize::{Failure, Target, trusted_target};
use super::errors::{self, AadError};
use super::pages::{self, hidden_inputs};
use super::params::Params;
use super::tenant::TenantScope;

fn validate(
    idp: &Idp,
    tenant: &TenantScope<'_>,
    params: &Params,
) -> Result<(Target, String), Failure> {
    if matches!(tenant, TenantScope::Common | TenantScope::Consumers) {
        let app = &idp.directory.app;
        return Err(Failure::Page(AadError::new(
            "invalid_request",
            90130,
            format!(
                "Application '{}'({}) is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.",
                app.client_id, app.display_name
            ),
        )));
    }
    let target = trusted_target(idp, tenant, params)?;
    match params.get("scope") {
        Some(scope) => Ok((target, scope.to_owned())),
        None => Err(Failure::Redirect(target, errors::missing("scope"))),
    }
}

/// `GET`: the permissions and an Accept button per directory administrator.
pub async fn show(
    State(idp): State<Arc<Idp>>,
    Path(segment): Path<String>,
    uri: Uri,
    RawQuery(query): RawQuery,
) -> Response {
    let tenant = match idp.tenant(&segment) {
        Ok(tenant) => tenant,
        Err(error) => return error.into_json(&idp),
    };
    let params = Params::from_query(query);
    if let Err(failure) = validate(&idp, &tenant, &params) {
        return failure.respond(&idp);
    }
    let app = &idp.directory.app;
    let permissions: String = app
        .required_resources
        .iter()
        .flat_map(|r| r.scopes.iter().map(move |s| (r, s)))
        .map(|(r, s)| format!("<li>{} ({})</li>", escape(s), escape(&r.resource)))
        .collect();
    let admins = pages::account_buttons(
        "admin",
        "Accept as ",
        idp.directory
            .users()
            .filter(|(t, u)| u.directory_admin && tenant.admits(t))
            .map(|(_, u)| u),
    );
    let body = format!(
        "<h1>Permissions requested</h1><p><strong>{}</strong> wants to act for your whole \
         organization. Accept for your organization:</p><ul>{permissions}</ul>\
         <form method=\"post\" action=\"{}\">{}{admins}\
         <button class=\"secondary\" name=\"cancel\" value=\"1\">Cancel</button></form>",
        escape(&app.display_name),
        escape(uri.path()),
        hidden_inputs(&params.without(&["admin", "cancel"])),
    );
    pages::page(StatusCode::OK, "Permissions requested", &body)
}

/// `POST`: Accept (as a named administrator) or Cancel.
pub async fn submit(
    State(idp): State<Arc<Idp>>,
    Path(segment): Path<String>,
    body: Bytes,
) -> Response {
    let tenant = match idp.tenant(&segment) {
        Ok(tenant) => tenant,
        Err(error) => return error.into_json(&idp),
    };
    let form = Params::parse(&body);
    let (target, scope) = match validate(&idp, &tenant, &form) {
        Ok(valid) => valid,
        Err(failure) => return failure.respond(&idp),
    };
    if form.has("cancel") {
        let stamped = errors::declined("consent_required").stamp(idp.now());
        return target.send(&[
            ("admin_consent", "True"),
            ("error", "consent_required"),
            ("error_description", &stamped.description),
        ]);
    }
    let admin = form
        .get("admin")
        .and_then(|upn| idp.directory.user(upn))
        .filter(|(home, user)| user.directory_admin && tenant.admits(home));
    let Some((home, _)) = admin else {
        let error = AadError::new(
            "access_denied",
            90094,
            "The grant requires admin permission.",
        );
        return pages::error_page(&idp, &error);
    };
    idp.lock().consented.insert(home.id.clone());
    target.send(&[
        ("admin_consent", "True"),
        ("tenant", &home.id),
        ("scope", &scope),
    ])
}
