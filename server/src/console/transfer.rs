//! The whole widget configuration as a file: export it, and check and apply an import.

use super::{NotSaved, described, save};
use crate::AppState;
use crate::form_post::{Admitted, FormError, FormPost, Target};
use app::console::{HISTORY_FORM, IMPORT_FORM, ImportDraft};
use app::forms::{FormState, expired};
use app::ssr::Visitor;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use domain::Role;
use domain::widget_config::{Export, FormValues};
use i18n::Msg;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/widgets/export", get(export))
        .route("/admin/widgets/import", post(import))
}

/// Which button sent the import form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Intent {
    /// Check the file and show what it changes.
    #[default]
    Check,
    Apply,
}

#[derive(Deserialize)]
struct ImportPost {
    #[serde(default)]
    intent: Intent,
    /// The file as pasted.
    #[serde(default)]
    document: String,
    /// The version the checked file's changes were shown against.
    #[serde(default)]
    base: i64,
}

impl FormPost for ImportPost {
    const ROLE: Option<Role> = Some(Role::IsvAdmin);
    /// The import's body limit (`config::Limits::import_body`): the file as pasted comes back.
    const DRAFT_LIMIT: usize = 1024 * 1024;
    type Expired = ImportDraft;

    fn page(&self, _: &str) -> Target {
        Target::new(IMPORT_FORM, "/admin/widgets/import")
    }

    fn expired(&self) -> ImportDraft {
        ImportDraft {
            document: self.document.clone(),
            notice: Some(expired()),
            ..Default::default()
        }
    }
}

async fn import(
    State(state): State<AppState>,
    post: Admitted<ImportPost>,
) -> Result<Response, FormError> {
    let form = &post.form;
    let document = form.document.clone();
    let current = state.db.widget_config().await?;
    let incoming = match Export::read(&document) {
        Ok(config) => current.config.adopt(config),
        Err(problems) => {
            let draft = ImportDraft {
                notice: Some(Msg::new("import-refused").with("count", problems.len())),
                document,
                problems,
                ..Default::default()
            };
            return post.back(draft).await;
        }
    };
    if form.intent == Intent::Check {
        let draft = ImportDraft {
            changes: Some(described(&state, &current.config, &incoming).await),
            base: current.version,
            notice: Some(Msg::new("import-checked")),
            document,
            problems: Vec::new(),
        };
        return post.back(draft).await;
    }
    let stale = ImportDraft {
        document,
        notice: Some(Msg::new("import-stale")),
        ..Default::default()
    };
    if form.base != current.version {
        return post.back(stale).await;
    }
    let intro = Some(Msg::new("change-imported"));
    match save(&state, &current, &incoming, &post.user, intro).await? {
        Ok(version) => {
            let done: FormState<FormValues> =
                FormState::done(Msg::new("import-done").with("version", version));
            let history = Target::new(HISTORY_FORM, "/admin/widgets/history");
            post.to(&history, done).await
        }
        Err(NotSaved::Stale | NotSaved::Unchanged) => post.back(stale).await,
    }
}

async fn export(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> Result<Response, FormError> {
    match visitor {
        Visitor::Signed(user) if user.has_role(Role::IsvAdmin) => {}
        Visitor::Signed(_) => return Err(FormError::Forbidden),
        Visitor::Anonymous => {
            return Ok(Redirect::to("/auth/login?return_to=%2Fadmin%2Fwidgets").into_response());
        }
        Visitor::Unknown => return Err(FormError::Unavailable),
    }
    let current = state.db.widget_config().await?;
    let exported_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let body = Export::new(current.config, current.version, exported_at);
    let json = serde_json::to_string_pretty(&body).expect("an export serialises");
    let disposition = format!(
        "attachment; filename=\"flowhost-widgets-v{}.json\"",
        current.version
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        json,
    )
        .into_response())
}
