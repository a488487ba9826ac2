//! Restoring an earlier version of the widget configuration, as a new version.

use super::{NotSaved, save};
use crate::AppState;
use crate::form_post::{Admitted, FormError, FormPost, Target};
use app::console::HISTORY_FORM;
use app::forms::{EXPIRED, FormState};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use domain::Role;
use domain::widget_config::FormValues;
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
        FormState::refused(FormValues::new(), Default::default(), EXPIRED)
    }
}

fn refused(note: &str) -> Notice {
    FormState::refused(FormValues::new(), Default::default(), note)
}

async fn restore(
    State(state): State<AppState>,
    Path(version): Path<i64>,
    post: Admitted<RestorePost>,
) -> Result<Response, FormError> {
    let current = state.db.widget_config().await?;
    if post.form.base != current.version {
        let note = "The configuration changed since you opened the history; look at it again \
                    before restoring.";
        return post.back(refused(note)).await;
    }
    let old = state
        .db
        .widget_config_at(version)
        .await?
        .ok_or(FormError::NotFound("No such version."))?;
    let new = current.config.adopt(old);
    let intro = Some(format!("Restored version {version}"));
    let outcome = match save(&state, &current, &new, &post.user, intro).await? {
        Ok(saved) => FormState::done(format!("Version {version} restored as version {saved}.")),
        Err(NotSaved::Stale | NotSaved::Unchanged) => refused(
            "Someone else saved a change first; nothing was restored. Look at the history again.",
        ),
    };
    post.back(outcome).await
}
