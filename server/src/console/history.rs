//! Restoring an earlier version of the widget configuration, as a new version.

use super::{NotSaved, not_found, save};
use crate::AppState;
use crate::form_post::{Admitted, FormError, FormPost, Target};
use app::console::HISTORY_FORM;
use app::forms::{FormState, expired};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use domain::Role;
use domain::widget_config::FormValues;
use i18n::Msg;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/widgets/history/{version}", post(restore))
}

type Notice = FormState<FormValues>;

#[derive(Deserialize)]
struct RestorePost {
    /// The version in use when the history was opened.
    #[serde(default)]
    base: i64,
}

impl FormPost for RestorePost {
    const ROLE: Option<Role> = Some(Role::IsvAdmin);
    type Expired = Notice;

    fn page(&self, _: &str) -> Target {
        Target::new(HISTORY_FORM, "/admin/widgets/history")
    }

    fn expired(&self) -> Notice {
        FormState::refused(FormValues::new(), Default::default(), expired())
    }
}

fn refused(note: Msg) -> Notice {
    FormState::refused(FormValues::new(), Default::default(), note)
}

async fn restore(
    State(state): State<AppState>,
    Path(version): Path<i64>,
    post: Admitted<RestorePost>,
) -> Result<Response, FormError> {
    let current = state.db.widget_config().await?;
    if post.form.base != current.version {
        return post.back(refused(Msg::new("history-changed-since"))).await;
    }
    let old = state
        .db
        .widget_config_at(version)
        .await?
        .ok_or_else(not_found)?;
    let new = current.config.adopt(old);
    let intro = Some(Msg::new("change-restored").with("version", version));
    let outcome = match save(&state, &current, &new, &post.user, intro).await? {
        Ok(saved) => FormState::done(
            Msg::new("history-restored")
                .with("version", version)
                .with("saved", saved),
        ),
        Err(NotSaved::Stale | NotSaved::Unchanged) => refused(Msg::new("history-restore-stale")),
    };
    post.back(outcome).await
}
