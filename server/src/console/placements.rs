//! A placement's form: add one, edit one or what one organisation sees of it, preview it,
//! remove it, or let the organisation inherit everything again.

use super::{NotSaved, not_found, save};
use crate::AppState;
use crate::form_post::{Admitted, FormError, FormPost, Target};
use app::console::{CONSOLE_FORM, PlacementDraft, placement_form};
use app::forms::{FormState, correct, expired};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use domain::db::Versioned;
use domain::placement::WidgetType;
use domain::widget_config::{FormValues, Refused, WidgetConfig, from_form};
use domain::{FieldErrors, Role, TenantId};
use i18n::{Msg, t};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/widgets/new", post(create))
        .route("/admin/widgets/{key}", post(edit))
}

/// Which button sent the form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Intent {
    #[default]
    Save,
    Preview,
    /// Remove the placement (the placement's own form).
    Delete,
    /// Drop the organisation's override (an organisation's form).
    Inherit,
}

/// The record a preview is for, as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PreviewFor {
    pub preview_tenant: String,
    pub preview_account: String,
    pub preview_ticket: String,
}

impl PreviewFor {
    fn values(&self) -> FormValues {
        [
            ("preview_tenant", &self.preview_tenant),
            ("preview_account", &self.preview_account),
            ("preview_ticket", &self.preview_ticket),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect()
    }
}

#[derive(Deserialize)]
struct PlacementPost {
    #[serde(default)]
    intent: Intent,
    /// The revision of what the form edits, when it was opened.
    #[serde(default)]
    revision: u32,
    /// The type of a new placement.
    widget: Option<WidgetType>,
    /// Set when the form edits what one organisation sees.
    #[serde(default)]
    tenant: String,
    #[serde(flatten)]
    preview: PreviewFor,
    /// The placement's own fields as typed (key, page, slot, order, enabled, title and the
    /// settings of its type), and the CSRF token admission has checked.
    #[serde(flatten)]
    values: FormValues,
}

impl PlacementPost {
    fn tenant(&self) -> Result<Option<TenantId>, FormError> {
        match self.tenant.trim() {
            "" => Ok(None),
            t => TenantId::parse(t).map(Some).map_err(|_| not_found()),
        }
    }

    fn typed(&self) -> FormValues {
        let mut values = self.values.clone();
        values.remove("csrf_token");
        values
    }

    fn draft(&self, form: FormState<FormValues>) -> PlacementDraft {
        PlacementDraft {
            form,
            preview: None,
            preview_for: self.preview.values(),
        }
    }
}

/// The editor's address of a placement, of what one organisation sees of it, or of a new one.
fn editor_url(
    key: Option<&str>,
    widget: Option<WidgetType>,
    page: &str,
    tenant: Option<&TenantId>,
) -> String {
    match (key, tenant) {
        (None, _) => format!(
            "/admin/widgets/new?widget={}&page={page}",
            widget.unwrap_or(WidgetType::Flows).as_str()
        ),
        (Some(key), Some(t)) => format!("/admin/widgets/{key}?tenant={t}"),
        (Some(key), None) => format!("/admin/widgets/{key}"),
    }
}

impl FormPost for PlacementPost {
    const ROLE: Option<Role> = Some(Role::IsvAdmin);
    type Expired = PlacementDraft;

    fn page(&self, path: &str) -> Target {
        let key = path.strip_prefix("/admin/widgets/").filter(|k| *k != "new");
        let tenant = self.tenant().ok().flatten();
        let page = self
            .values
            .get("page")
            .map(String::as_str)
            .unwrap_or_default();
        Target::new(
            placement_form(key.unwrap_or_default(), tenant.as_ref()),
            editor_url(
                key,
                self.widget,
                &domain::encode::uri_component(page),
                tenant.as_ref(),
            ),
        )
    }

    fn expired(&self) -> PlacementDraft {
        self.draft(FormState::refused(
            self.typed(),
            Default::default(),
            expired(),
        ))
    }
}

async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    post: Admitted<PlacementPost>,
) -> Result<Response, FormError> {
    answer(&state, &headers, None, post).await
}

async fn edit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(key): Path<String>,
    post: Admitted<PlacementPost>,
) -> Result<Response, FormError> {
    answer(&state, &headers, Some(key), post).await
}

/// Back to the form, as typed, with `errors` next to their fields and `notice` above.
async fn refuse(
    post: &Admitted<PlacementPost>,
    errors: FieldErrors,
    notice: Msg,
) -> Result<Response, FormError> {
    post.back(
        post.form
            .draft(FormState::refused(post.form.typed(), errors, notice)),
    )
    .await
}

async fn answer(
    state: &AppState,
    headers: &HeaderMap,
    key: Option<String>,
    post: Admitted<PlacementPost>,
) -> Result<Response, FormError> {
    let form = &post.form;
    let tenant = form.tenant()?;
    let current = state.db.widget_config().await?;
    let base = match &key {
        Some(key) => Some(
            current
                .config
                .placement(key)
                .cloned()
                .ok_or_else(not_found)?,
        ),
        None => None,
    };
    let lang = app::ssr::lang_of(headers);
    let widget = match (&base, form.widget) {
        (Some(b), _) => b.settings.widget_type(),
        (None, Some(w)) => w,
        (None, None) => {
            return Err(FormError::BadRequest(t!(
                lang,
                "console-choose-widget-type"
            )));
        }
    };
    let mut new = current.config.clone();
    match (form.intent, &base, &tenant) {
        (Intent::Delete, Some(base), None) => {
            new.remove(&base.key).map_err(|_| not_found())?;
            let list = Target::new(CONSOLE_FORM, "/admin/widgets");
            return finish(state, &post, &current, &new, &list).await;
        }
        (Intent::Inherit, Some(base), Some(t)) => {
            new.clear_override(t, &base.key).map_err(|_| not_found())?;
            return finish(state, &post, &current, &new, &post.page).await;
        }
        _ => {}
    }

    // An edit keeps the placement's own key; an organisation's form, its page and slot too.
    let mut values = form.typed();
    if let Some(base) = &base {
        values.insert("key".into(), base.key.clone());
        if tenant.is_some() {
            values.insert("page".into(), base.page.as_str().into());
            values.insert("slot".into(), base.slot.clone());
        }
    }
    let edited = match from_form(&values, widget, form.revision) {
        Ok(p) => p,
        Err(errors) => return refuse(&post, errors, correct()).await,
    };

    if form.intent == Intent::Preview {
        let previewed =
            super::preview::preview(state, &post.user, &edited, &form.preview, lang).await;
        return match previewed {
            Ok(preview) => {
                let notice = Msg::new("placement-previewed");
                let mut draft = form.draft(FormState::refused(values, Default::default(), notice));
                draft.preview = Some(preview);
                post.back(draft).await
            }
            Err(message) => {
                let mut errors = FieldErrors::default();
                errors.add("preview", message);
                refuse(&post, errors, Msg::new("placement-preview-failed")).await
            }
        };
    }

    let done = match (&base, &tenant) {
        (None, _) => new.add(edited.clone()),
        (Some(_), None) => new.edit(edited.clone(), form.revision),
        (Some(_), Some(t)) => new.set_override(t, edited.clone(), form.revision),
    };
    match done {
        Ok(()) => {}
        Err(Refused::Stale) => return conflict(state, &post).await,
        Err(Refused::Invalid(errors)) => return refuse(&post, errors, correct()).await,
        Err(Refused::NoSuchPlacement) => return Err(not_found()),
    }
    // A new placement goes on to its own page.
    let after = match &base {
        None => Target::new(
            placement_form(&edited.key, None),
            format!("/admin/widgets/{}", edited.key),
        ),
        Some(_) => post.page.clone(),
    };
    finish(state, &post, &current, &new, &after).await
}

/// The form again, as typed, when someone saved what it edits first.
async fn conflict(state: &AppState, post: &Admitted<PlacementPost>) -> Result<Response, FormError> {
    let notice = match state.db.widget_config().await {
        Ok(v) => Msg::new("placement-conflict")
            .with("version", v.version)
            .with("author", v.author),
        Err(_) => Msg::new("placement-conflict-unknown"),
    };
    refuse(post, Default::default(), notice).await
}

/// Saves `new` and goes on to `after` with the new version's number, or back to the form
/// when nothing changed or someone saved first.
async fn finish(
    state: &AppState,
    post: &Admitted<PlacementPost>,
    current: &Versioned,
    new: &WidgetConfig,
    after: &Target,
) -> Result<Response, FormError> {
    match save(state, current, new, &post.user, None).await? {
        Ok(version) => {
            let notice = Msg::new("placement-saved").with("version", version);
            if after.key == CONSOLE_FORM {
                // The console's list keeps only its notice.
                let done: FormState<FormValues> = FormState::done(notice);
                post.to(after, done).await
            } else {
                post.to(after, post.form.draft(FormState::done(notice)))
                    .await
            }
        }
        Err(NotSaved::Unchanged) => {
            let notice = Msg::new("placement-unchanged");
            post.back(post.form.draft(FormState::done(notice))).await
        }
        Err(NotSaved::Stale) => conflict(state, post).await,
    }
}
