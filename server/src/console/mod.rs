//! The ISV console's forms (post/redirect/get) and its export. Each change to the widget
//! configuration is made by the domain's operations, refused when what it edits changed since
//! the form was opened, and saved as a new version with the messages that say what changed.

mod history;
mod placements;
mod preview;
mod transfer;

use crate::AppState;
use crate::form_post::FormError;
use app::errors::AppError;
use axum::Router;
use domain::db::{Stale, Versioned};
use domain::widget_config::{WidgetConfig, changes};
use domain::{CurrentUser, TenantId};
use i18n::Msg;
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(placements::router())
        .merge(history::router())
        .merge(transfer::router())
}

/// Why a new version was not saved.
enum NotSaved {
    /// Someone saved another version first.
    Stale,
    /// It equals the version it was based on.
    Unchanged,
}

async fn tenant_names(state: &AppState) -> BTreeMap<TenantId, String> {
    state
        .db
        .tenants()
        .await
        .map(|all| all.into_iter().map(|t| (t.id, t.name)).collect())
        .unwrap_or_default()
}

/// A placement, version or organisation the form names that does not exist: the designed 404.
fn not_found() -> FormError {
    AppError::NotFound.into()
}

/// What changed from `current` to `new`, one message a change, tenants by name.
async fn described(state: &AppState, current: &WidgetConfig, new: &WidgetConfig) -> Vec<Msg> {
    let names = tenant_names(state).await;
    let name = |t: &TenantId| names.get(t).cloned().unwrap_or_else(|| t.to_string());
    changes(current, new, &name)
}

/// Saves `new` as the version after `current`, with `intro` (if any) and the messages that say
/// what changed; the new version's number.
async fn save(
    state: &AppState,
    current: &Versioned,
    new: &WidgetConfig,
    user: &CurrentUser,
    intro: Option<Msg>,
) -> Result<Result<i64, NotSaved>, FormError> {
    let mut lines: Vec<Msg> = intro.into_iter().collect();
    let found = described(state, &current.config, new).await;
    if found.is_empty() && lines.is_empty() {
        return Ok(Err(NotSaved::Unchanged));
    }
    lines.extend(found);
    let author = format!("{} ({})", user.name, user.email);
    match state
        .db
        .save_widget_config(current.version, new, &author, &lines)
        .await?
    {
        Ok(version) => {
            state.hosting.config.forget();
            tracing::info!(version, "widget configuration saved");
            Ok(Ok(version))
        }
        Err(Stale) => Ok(Err(NotSaved::Stale)),
    }
}
