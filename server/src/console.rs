//! The ISV console's forms (post/redirect/get) and its export, and an organisation's own
//! Power Automate settings. Each change to the widget configuration is checked in full first,
//! refused when the placement changed since the form was opened, and saved as a new version.

use crate::AppState;
use crate::plain_page;
use app::console::{
    CONSOLE_FORM, HISTORY_FORM, IMPORT_FORM, ImportDraft, PlacementDraft, Preview,
    TENANT_FLOWS_FORM, placement_form,
};
use app::forms::FormState;
use app::ssr::{self, Visitor};
use app::widgets::WidgetPanel;
use app::widgets::strings::Lang;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use domain::db::{Stale, Versioned};
use domain::placement::{PageKind, Placement, WidgetType};
use domain::widget_config::{
    Export, FormValues, RESERVED_KEYS, WidgetConfig, adopt, changes, difference, from_form,
};
use domain::{CurrentUser, Role, TenantId};
use std::collections::BTreeMap;
use tower_sessions::Session;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/widgets/new", post(create))
        .route("/admin/widgets/export", get(export))
        .route("/admin/widgets/import", post(import))
        .route("/admin/widgets/history/{version}", post(restore))
        .route("/admin/widgets/{key}", post(edit))
        .route("/settings/flows", post(tenant_flows))
}

type Fields = Form<BTreeMap<String, String>>;

const EXPIRED: &str = "This form had expired. Check it and submit it again.";
const CORRECT: &str = "Please correct the fields marked below; nothing was saved.";

fn unavailable() -> Response {
    plain_page::render(
        StatusCode::SERVICE_UNAVAILABLE,
        "Temporarily unavailable",
        "Your change could not be saved because Flowhost cannot reach its database. Go back: \
         your input is still in the form. Try again in a minute.",
    )
}

fn forbidden() -> Response {
    plain_page::render(
        StatusCode::FORBIDDEN,
        "Access denied",
        "Your account does not have the role this needs.",
    )
}

fn db_down(e: domain::db::DbError) -> Response {
    tracing::error!(error = %e, "database failed in the console");
    unavailable()
}

async fn flash<T: serde::Serialize>(
    session: &Session,
    form: &str,
    state: T,
    back: &str,
) -> Response {
    match ssr::set_flash(session, form, state).await {
        Ok(()) => Redirect::to(back).into_response(),
        Err(_) => unavailable(),
    }
}

/// The signed-in user with `role`, whose form carries the session's token. `Err` is the answer
/// to give instead: sign-in for an anonymous visitor, 403 for another role, the form again
/// (with `expired`) for a stale token.
async fn admit<T: serde::Serialize>(
    visitor: Visitor,
    session: &Session,
    fields: &BTreeMap<String, String>,
    role: Role,
    form: &str,
    back: &str,
    expired: T,
) -> Result<CurrentUser, Response> {
    let user = match visitor {
        Visitor::Signed(user) => user,
        Visitor::Anonymous => return Err(Redirect::to(back).into_response()),
        Visitor::Unknown => return Err(unavailable()),
    };
    if !user.has_role(role) {
        tracing::warn!(
            role = role.claim(),
            "refused a console form to a user without the role"
        );
        return Err(forbidden());
    }
    let token = fields
        .get("csrf_token")
        .map(String::as_str)
        .unwrap_or_default();
    match ssr::csrf_matches(session, token).await {
        Ok(true) => Ok(user),
        Ok(false) => Err(flash(session, form, expired, back).await),
        Err(_) => Err(unavailable()),
    }
}

/// What was typed into a placement form, without the form's own fields.
fn typed(fields: &BTreeMap<String, String>) -> FormValues {
    fields
        .iter()
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "csrf_token" | "intent" | "revision" | "widget" | "tenant"
            ) && !k.starts_with("preview_")
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn preview_fields(fields: &BTreeMap<String, String>) -> FormValues {
    fields
        .iter()
        .filter(|(k, _)| k.starts_with("preview_"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// One placement form being answered: where its outcome is kept, where it goes back to, and
/// what was typed.
struct PlacementForm {
    session: Session,
    key: String,
    back: String,
    values: FormValues,
    preview_for: FormValues,
}

impl PlacementForm {
    /// Back to the form, as typed, with `errors` next to their fields and `notice` above.
    async fn refuse(self, errors: domain::FieldErrors, notice: &str) -> Response {
        let draft = PlacementDraft {
            form: FormState::refused(self.values, errors, notice),
            preview: None,
            preview_for: self.preview_for,
        };
        flash(&self.session, &self.key, draft, &self.back).await
    }

    async fn conflict(self, state: &AppState) -> Response {
        let notice = conflict_notice(state).await;
        self.refuse(Default::default(), &notice).await
    }

    /// Saves `new` and goes on to `after` with the new version's number (the console's list
    /// keeps its own notice), or back to the form when someone saved first.
    async fn finish(
        self,
        state: &AppState,
        current: &Versioned,
        new: &WidgetConfig,
        user: &CurrentUser,
        after: (&str, &str),
    ) -> Response {
        let (after_key, after_url) = after;
        let outcome = |notice: String| PlacementDraft {
            form: FormState::done(notice),
            ..Default::default()
        };
        match save(state, current, new, user, None).await {
            Err(answer) => answer,
            Ok(Ok(version)) => {
                let notice = format!("Saved as version {version}.");
                if after_key == CONSOLE_FORM {
                    let done: FormState<FormValues> = FormState::done(notice);
                    flash(&self.session, CONSOLE_FORM, done, after_url).await
                } else {
                    flash(&self.session, after_key, outcome(notice), after_url).await
                }
            }
            Ok(Err(Refusal::Unchanged)) => {
                let draft = outcome("Nothing changed, so nothing was saved.".into());
                flash(&self.session, &self.key, draft, &self.back).await
            }
            Ok(Err(Refusal::Stale)) => self.conflict(state).await,
        }
    }
}

fn editor_url(
    key: Option<&str>,
    widget: WidgetType,
    page: &str,
    tenant: Option<&TenantId>,
) -> String {
    match (key, tenant) {
        (None, _) => format!("/admin/widgets/new?widget={}&page={page}", widget.as_str()),
        (Some(key), Some(t)) => format!("/admin/widgets/{key}?tenant={t}"),
        (Some(key), None) => format!("/admin/widgets/{key}"),
    }
}

async fn tenant_names(state: &AppState) -> BTreeMap<TenantId, String> {
    state
        .db
        .tenants()
        .await
        .map(|all| all.into_iter().map(|t| (t.id, t.name)).collect())
        .unwrap_or_default()
}

/// Saves `new` after `current`, with the lines that say what changed; `Err` is the answer when
/// someone saved first, or nothing changed.
async fn save(
    state: &AppState,
    current: &Versioned,
    new: &WidgetConfig,
    user: &CurrentUser,
    intro: Option<String>,
) -> Result<Result<i64, Refusal>, Response> {
    let names = tenant_names(state).await;
    let name = |t: &TenantId| names.get(t).cloned().unwrap_or_else(|| t.to_string());
    let mut lines: Vec<String> = intro.into_iter().collect();
    let found = changes(&current.config, new, &name);
    if found.is_empty() && lines.is_empty() {
        return Ok(Err(Refusal::Unchanged));
    }
    lines.extend(found);
    let author = format!("{} ({})", user.name, user.email);
    match state
        .db
        .save_widget_config(current.version, new, &author, &lines)
        .await
    {
        Ok(Ok(version)) => {
            tracing::info!(version, "widget configuration saved");
            Ok(Ok(version))
        }
        Ok(Err(Stale)) => Ok(Err(Refusal::Stale)),
        Err(e) => Err(db_down(e)),
    }
}

enum Refusal {
    Stale,
    Unchanged,
}

async fn conflict_notice(state: &AppState) -> String {
    match state.db.widget_config().await {
        Ok(v) => format!(
            "Someone else saved a change first (version {}, by {}). Nothing of yours was saved; \
             your input is kept below. Open the placement again to see the current settings, \
             then save again.",
            v.version, v.author
        ),
        Err(_) => "Someone else saved a change first; your input is kept below.".into(),
    }
}

async fn create(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    session: Session,
    headers: HeaderMap,
    Form(fields): Fields,
) -> Response {
    placement(state, visitor, session, headers, None, fields).await
}

async fn edit(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    session: Session,
    headers: HeaderMap,
    Path(key): Path<String>,
    Form(fields): Fields,
) -> Response {
    placement(state, visitor, session, headers, Some(key), fields).await
}

async fn placement(
    state: AppState,
    visitor: Visitor,
    session: Session,
    headers: HeaderMap,
    key: Option<String>,
    fields: BTreeMap<String, String>,
) -> Response {
    let tenant = match fields.get("tenant").filter(|t| !t.is_empty()) {
        None => None,
        Some(t) => match TenantId::parse(t) {
            Ok(t) => Some(t),
            Err(_) => {
                return plain_page::render(
                    StatusCode::NOT_FOUND,
                    "Page not found",
                    "No such organisation.",
                );
            }
        },
    };
    let values = typed(&fields);
    let current = match state.db.widget_config().await {
        Ok(current) => current,
        Err(e) => return db_down(e),
    };
    let base = match &key {
        Some(key) => match current.config.placement(key) {
            Some(p) => Some(p.clone()),
            None => {
                return plain_page::render(
                    StatusCode::NOT_FOUND,
                    "Page not found",
                    "No such placement.",
                );
            }
        },
        None => None,
    };
    let widget = match (
        &base,
        fields.get("widget").and_then(|w| WidgetType::parse(w)),
    ) {
        (Some(b), _) => b.settings.widget_type(),
        (None, Some(w)) => w,
        (None, None) => {
            return plain_page::render(
                StatusCode::BAD_REQUEST,
                "Request refused",
                "Choose a widget type first.",
            );
        }
    };
    let page = values.get("page").cloned().unwrap_or_default();
    let form = PlacementForm {
        session,
        key: placement_form(key.as_deref().unwrap_or(""), tenant.as_ref()),
        back: editor_url(key.as_deref(), widget, &page, tenant.as_ref()),
        values,
        preview_for: preview_fields(&fields),
    };
    let expired = PlacementDraft {
        form: FormState::refused(form.values.clone(), Default::default(), EXPIRED),
        preview: None,
        preview_for: form.preview_for.clone(),
    };
    let user = match admit(
        visitor,
        &form.session,
        &fields,
        Role::IsvAdmin,
        &form.key,
        &form.back,
        expired,
    )
    .await
    {
        Ok(user) => user,
        Err(answer) => return answer,
    };
    let revision: u32 = fields
        .get("revision")
        .and_then(|r| r.parse().ok())
        .unwrap_or(0);
    let intent = fields.get("intent").map(String::as_str).unwrap_or("save");

    // Removing the placement, or what one tenant overrides of it.
    let removed = match (intent, &base, &tenant) {
        ("delete", Some(base), None) => Some((base.key.clone(), None)),
        ("inherit", Some(base), Some(t)) => Some((base.key.clone(), Some(t.clone()))),
        _ => None,
    };
    if let Some((key, tenant)) = removed {
        let mut new = current.config.clone();
        if tenant.is_none() {
            new.placements.retain(|p| p.key != key);
        }
        for (t, overrides) in new.overrides.iter_mut() {
            if tenant.as_ref().is_none_or(|only| only == t) {
                overrides.remove(&key);
            }
        }
        new.overrides.retain(|_, o| !o.is_empty());
        let back = form.back.clone();
        let after = match tenant {
            None => (CONSOLE_FORM.to_owned(), "/admin/widgets".to_owned()),
            Some(_) => (form.key.clone(), back),
        };
        return form
            .finish(&state, &current, &new, &user, (&after.0, &after.1))
            .await;
    }

    // An override keeps the placement's own key, page and slot.
    let mut form = form;
    if let Some(base) = &base {
        form.values.insert("key".into(), base.key.clone());
        if tenant.is_some() {
            form.values.insert("page".into(), base.page.as_str().into());
            form.values.insert("slot".into(), base.slot.clone());
        }
    }
    let mut edited = match from_form(&form.values, widget, revision) {
        Ok(p) => p,
        Err(errors) => return form.refuse(errors, CORRECT).await,
    };
    if base.is_none() && current.config.placement(&edited.key).is_some() {
        let mut errors = domain::FieldErrors::default();
        errors.add("key", "Another placement has this key.");
        return form.refuse(errors, CORRECT).await;
    }
    debug_assert!(
        !RESERVED_KEYS.contains(&edited.key.as_str()),
        "checked by from_form"
    );

    if intent == "preview" {
        let lang = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_accept_language)
            .unwrap_or_default();
        return match preview(&state, &edited, &form.preview_for, lang).await {
            Ok(preview) => {
                let draft = PlacementDraft {
                    form: FormState::refused(
                        form.values,
                        Default::default(),
                        "Previewed below; nothing is saved until you save.",
                    ),
                    preview: Some(preview),
                    preview_for: form.preview_for,
                };
                flash(&form.session, &form.key, draft, &form.back).await
            }
            Err(message) => {
                let mut errors = domain::FieldErrors::default();
                errors.add("preview", message);
                form.refuse(errors, "The preview could not be shown.").await
            }
        };
    }

    // A save: refused when what the form edits changed since the form was opened.
    let mut new = current.config.clone();
    match (&base, &tenant) {
        (None, _) => {
            edited.revision = 0;
            new.placements.push(edited.clone());
        }
        (Some(base), None) => {
            if base.revision != revision {
                return form.conflict(&state).await;
            }
            edited.revision = base.revision + 1;
            for p in new.placements.iter_mut().filter(|p| p.key == base.key) {
                *p = edited.clone();
            }
        }
        (Some(base), Some(t)) => {
            let had = current
                .config
                .override_of(t, &base.key)
                .map_or(0, |o| o.revision);
            if had != revision {
                return form.conflict(&state).await;
            }
            let o = difference(base, &edited, had + 1);
            let overrides = new.overrides.entry(t.clone()).or_default();
            if o.is_empty() {
                overrides.remove(&base.key);
            } else {
                overrides.insert(base.key.clone(), o);
            }
            new.overrides.retain(|_, o| !o.is_empty());
        }
    }
    // A new placement goes on to its own page.
    let after = match &base {
        None => (
            placement_form(&edited.key, None),
            format!("/admin/widgets/{}", edited.key),
        ),
        Some(_) => (form.key.clone(), form.back.clone()),
    };
    form.finish(&state, &current, &new, &user, (&after.0, &after.1))
        .await
}

/// The placement resolved for a record of the chosen tenant, as a widget would get it.
async fn preview(
    state: &AppState,
    p: &Placement,
    wanted: &FormValues,
    lang: Lang,
) -> Result<Preview, String> {
    let hosting = &state.hosting;
    let tenant = wanted
        .get("preview_tenant")
        .and_then(|t| TenantId::parse(t).ok())
        .ok_or("Choose an organisation.")?;
    let found = state
        .db
        .tenant(&tenant)
        .await
        .map_err(|_| "Flowhost cannot reach its database.")?
        .ok_or("No such organisation.")?;
    let number = |name: &str| -> Result<Option<i64>, String> {
        match wanted.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| format!("{v:?} is not a record number.")),
        }
    };
    let scope = state.db.scope(&tenant);
    let needs_account = matches!(p.page, PageKind::Account | PageKind::Ticket);
    let account = match number("preview_account")? {
        Some(a) => Some(a),
        None if needs_account => scope
            .accounts("", domain::PageRequest::new(1, 1))
            .await
            .map_err(|_| "Flowhost cannot reach its database.")?
            .items
            .first()
            .map(|a| a.id.0),
        None => None,
    };
    let ticket = match (number("preview_ticket")?, account) {
        (Some(t), _) => Some(t),
        (None, Some(a)) if p.page == PageKind::Ticket => scope
            .tickets(a.into(), 1)
            .await
            .map_err(|_| "Flowhost cannot reach its database.")?
            .first()
            .map(|t| t.id.0),
        _ => None,
    };
    let record =
        app::widgets::record_context(&state.db, &tenant, &hosting.public_url, account, ticket)
            .await
            .map_err(|_| format!("{} has no such record.", found.name))?;
    let environment = scope
        .flow_settings()
        .await
        .map_err(|_| "Flowhost cannot reach its database.")?
        .environment;
    let resolved = p
        .resolve(&record, environment.as_deref())
        .map_err(|e| e.to_string())?;
    let options = serde_json::to_string_pretty(&resolved.options).unwrap_or_default();
    let mut shown = resolved;
    if let Some(options) = shown.options.as_object_mut() {
        // The preview runs as the staff member, who has no access to the tenant's environment.
        options.remove("environmentId");
    }
    let what = match (&record.account, &record.ticket) {
        (Some(a), Some(t)) => format!("{} · {} · ticket #{}", found.name, a.name, t.id),
        (Some(a), None) => format!("{} · {}", found.name, a.name),
        _ => found.name.clone(),
    };
    Ok(Preview {
        record: what,
        options,
        panel: WidgetPanel {
            host: hosting.host.clone(),
            lang,
            record: None,
            widgets: vec![shown],
        },
    })
}

async fn restore(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    session: Session,
    Path(version): Path<i64>,
    Form(fields): Fields,
) -> Response {
    let back = "/admin/widgets/history";
    let expired: FormState<FormValues> =
        FormState::refused(FormValues::new(), Default::default(), EXPIRED);
    let user = match admit(
        visitor,
        &session,
        &fields,
        Role::IsvAdmin,
        HISTORY_FORM,
        back,
        expired,
    )
    .await
    {
        Ok(user) => user,
        Err(answer) => return answer,
    };
    let current = match state.db.widget_config().await {
        Ok(c) => c,
        Err(e) => return db_down(e),
    };
    let based_on: i64 = fields.get("base").and_then(|b| b.parse().ok()).unwrap_or(0);
    let stale = |note: &str| -> FormState<FormValues> {
        FormState::refused(FormValues::new(), Default::default(), note)
    };
    if based_on != current.version {
        let note = stale(
            "The configuration changed since you opened the history; look at it again before restoring.",
        );
        return flash(&session, HISTORY_FORM, note, back).await;
    }
    let old = match state.db.widget_config_at(version).await {
        Ok(Some(old)) => old,
        Ok(None) => {
            return plain_page::render(StatusCode::NOT_FOUND, "Page not found", "No such version.");
        }
        Err(e) => return db_down(e),
    };
    let new = adopt(&current.config, old);
    let outcome = match save(
        &state,
        &current,
        &new,
        &user,
        Some(format!("Restored version {version}")),
    )
    .await
    {
        Err(answer) => return answer,
        Ok(Ok(saved)) => FormState::done(format!("Version {version} restored as version {saved}.")),
        Ok(Err(_)) => stale(
            "Someone else saved a change first; nothing was restored. Look at the history again.",
        ),
    };
    flash(&session, HISTORY_FORM, outcome, back).await
}

async fn import(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    session: Session,
    Form(fields): Fields,
) -> Response {
    let back = "/admin/widgets/import";
    let document = fields.get("document").cloned().unwrap_or_default();
    let expired = ImportDraft {
        document: document.clone(),
        notice: Some(EXPIRED.into()),
        ..Default::default()
    };
    let user = match admit(
        visitor,
        &session,
        &fields,
        Role::IsvAdmin,
        IMPORT_FORM,
        back,
        expired,
    )
    .await
    {
        Ok(user) => user,
        Err(answer) => return answer,
    };
    let current = match state.db.widget_config().await {
        Ok(c) => c,
        Err(e) => return db_down(e),
    };
    let incoming = match Export::read(&document) {
        Ok(config) => adopt(&current.config, config),
        Err(problems) => {
            let draft = ImportDraft {
                notice: Some(format!(
                    "Nothing was imported: the file has {} problem{}.",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                )),
                document,
                problems,
                ..Default::default()
            };
            return flash(&session, IMPORT_FORM, draft, back).await;
        }
    };
    if fields.get("intent").map(String::as_str) != Some("apply") {
        let names = tenant_names(&state).await;
        let name = |t: &TenantId| names.get(t).cloned().unwrap_or_else(|| t.to_string());
        let draft = ImportDraft {
            changes: Some(changes(&current.config, &incoming, &name)),
            base: current.version,
            notice: Some(
                "The file passed every check. See what it changes below, then apply it.".into(),
            ),
            document,
            problems: Vec::new(),
        };
        return flash(&session, IMPORT_FORM, draft, back).await;
    }
    let based_on: i64 = fields.get("base").and_then(|b| b.parse().ok()).unwrap_or(0);
    let stale = |document: String| ImportDraft {
        document,
        notice: Some(
            "The configuration changed since you checked the file; check it again.".into(),
        ),
        ..Default::default()
    };
    if based_on != current.version {
        return flash(&session, IMPORT_FORM, stale(document), back).await;
    }
    match save(
        &state,
        &current,
        &incoming,
        &user,
        Some("Imported a configuration".into()),
    )
    .await
    {
        Err(answer) => answer,
        Ok(Ok(version)) => {
            let done: FormState<FormValues> =
                FormState::done(format!("The file was imported as version {version}."));
            flash(&session, HISTORY_FORM, done, "/admin/widgets/history").await
        }
        Ok(Err(_)) => flash(&session, IMPORT_FORM, stale(document), back).await,
    }
}

async fn export(State(state): State<AppState>, Extension(visitor): Extension<Visitor>) -> Response {
    match visitor {
        Visitor::Signed(user) if user.has_role(Role::IsvAdmin) => {}
        Visitor::Signed(_) => return forbidden(),
        Visitor::Anonymous => {
            return Redirect::to("/auth/login?return_to=%2Fadmin%2Fwidgets").into_response();
        }
        Visitor::Unknown => return unavailable(),
    }
    let current = match state.db.widget_config().await {
        Ok(c) => c,
        Err(e) => return db_down(e),
    };
    let exported_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let body = Export::new(current.config, current.version, exported_at);
    let json = serde_json::to_string_pretty(&body).expect("an export serialises");
    let disposition = format!(
        "attachment; filename=\"flowhost-widgets-v{}.json\"",
        current.version
    );
    (
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        json,
    )
        .into_response()
}

/// An environment name as Power Automate writes them: `Default-{tenant id}` or a GUID.
fn environment_ok(name: &str) -> bool {
    name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

async fn tenant_flows(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    session: Session,
    Form(fields): Fields,
) -> Response {
    let back = "/settings/flows";
    let values: FormValues = fields
        .iter()
        .filter(|(k, _)| k.as_str() == "environment" || k.starts_with("on."))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let expired = FormState::refused(values.clone(), Default::default(), EXPIRED);
    let user = match admit(
        visitor,
        &session,
        &fields,
        Role::TenantAdmin,
        TENANT_FLOWS_FORM,
        back,
        expired,
    )
    .await
    {
        Ok(user) => user,
        Err(answer) => return answer,
    };
    let environment = values
        .get("environment")
        .map(|e| e.trim().to_owned())
        .unwrap_or_default();
    if !environment_ok(&environment) {
        let mut errors = domain::FieldErrors::default();
        errors.add("environment", "An environment name has only letters, digits and hyphens, such as Default-… or a GUID.");
        let refused = FormState::refused(values, errors, CORRECT);
        return flash(&session, TENANT_FLOWS_FORM, refused, back).await;
    }
    let current = match state.db.widget_config().await {
        Ok(c) => c,
        Err(e) => return db_down(e),
    };
    // Every widget the ISV shows this tenant, on or off as the form says.
    let switches: BTreeMap<String, bool> = current
        .config
        .for_tenant(&user.tenant_id)
        .into_iter()
        .filter(|p| p.enabled)
        .map(|p| {
            let on = values
                .get(&format!("on.{}", p.key))
                .is_some_and(|v| !v.is_empty());
            (p.key, on)
        })
        .collect();
    let environment = (!environment.is_empty()).then_some(environment.as_str());
    if let Err(e) = state
        .db
        .scope(&user.tenant_id)
        .set_flow_settings(environment, &switches)
        .await
    {
        return db_down(e);
    }
    tracing::info!(tenant = %user.tenant_id, "the organisation's Power Automate settings were saved");
    let done: FormState<FormValues> =
        FormState::done("Saved. Your people see the change on their next page.".into());
    flash(&session, TENANT_FLOWS_FORM, done, back).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn environment_names_are_power_automate_names() {
        assert!(super::environment_ok(
            "Default-c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70"
        ));
        assert!(super::environment_ok(""));
        assert!(!super::environment_ok("a b"));
        assert!(!super::environment_ok("x/../y"));
    }
}
