//! The admin consent endpoint, `/{tenant}/v2.0/adminconsent`: a directory administrator
//! grants the app's permissions for the whole tenant, and the browser goes back to the
//! redirect URI with `admin_consent=True` and the tenant (or an error).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use html_escape::encode_quoted_attribute as escape;

use super::Idp;
use super::authorize::{Failure, Target, trusted_target};
use super::errors;
use super::pages::{self, hidden_inputs};
use super::params::Params;
use super::tenant::TenantScope;
use crate::lang::{Lang, t};

fn validate(
    idp: &Idp,
    tenant: &TenantScope<'_>,
    params: &Params,
    lang: Lang,
) -> Result<(Target, String), Failure> {
    if matches!(tenant, TenantScope::Common | TenantScope::Consumers) {
        let error = errors::consent_needs_organizations(&idp.directory.app);
        return Err(Failure::Page(error, lang));
    }
    let target = trusted_target(idp, tenant, params, lang)?;
    match params.get("scope") {
        Some(scope) => Ok((target, scope.to_owned())),
        None => Err(Failure::Redirect(target, errors::missing("scope"))),
    }
}

/// `GET`: the permissions and an Accept button per directory administrator, in the language
/// the request asks for or else the browser's.
pub async fn show(
    State(idp): State<Arc<Idp>>,
    Path(segment): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let tenant = match idp.tenant(&segment) {
        Ok(tenant) => tenant,
        Err(error) => return error.into_json(&idp),
    };
    let params = Params::from_query(query);
    let lang = pages::lang(&params, &headers);
    if let Err(failure) = validate(&idp, &tenant, &params, lang) {
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
        |name| t!(lang, "idp-accept-as", name = name),
        idp.directory
            .users()
            .filter(|(t, u)| u.directory_admin && tenant.admits(t))
            .map(|(_, u)| u),
    );
    let title = t!(lang, "idp-consent-title");
    let app_name = format!("<strong>{}</strong>", escape(&app.display_name));
    let body = format!(
        "<h1>{}</h1><p>{}</p><ul>{permissions}</ul>\
         <form method=\"post\" action=\"{}\">{}{admins}{}</form>",
        escape(&title),
        t!(lang, "idp-consent-wants", app = app_name),
        escape(uri.path()),
        hidden_inputs(&params.without(&["admin", "cancel"])),
        pages::cancel_button(lang),
    );
    pages::page(lang, StatusCode::OK, &title, &body)
}

/// `POST`: Accept (as a named administrator) or Cancel.
pub async fn submit(
    State(idp): State<Arc<Idp>>,
    Path(segment): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let tenant = match idp.tenant(&segment) {
        Ok(tenant) => tenant,
        Err(error) => return error.into_json(&idp),
    };
    let form = Params::parse(&body);
    let lang = pages::lang(&form, &headers);
    let (target, scope) = match validate(&idp, &tenant, &form, lang) {
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
        return pages::error_page(&idp, lang, &errors::admin_required());
    };
    idp.lock().consented.insert(home.id.clone());
    target.send(&[
        ("admin_consent", "True"),
        ("tenant", &home.id),
        ("scope", &scope),
    ])
}
