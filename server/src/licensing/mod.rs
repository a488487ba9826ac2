//! Power Automate licences: each organisation's licences and each person's rights, read from
//! Microsoft Graph daily (and on demand from the settings page and the ISV console), and each
//! person's own rights when they sign in. What was read is kept with the time it was read; a
//! read that fails keeps the last good reading and says why, so an organisation Graph cannot
//! be read for never looks unlicensed.

mod forms;
pub mod graph;

use crate::AppState;
use axum::Router;
use axum::routing::post;
use domain::CurrentUser;
use domain::TenantId;
use domain::db::Db;
use domain::licence::{PersonRights, ReadOutcome, RightsSource};
pub use forms::{CONSOLE_REFRESH_PATH, SETTINGS_REFRESH_PATH};
pub use graph::{Graph, GraphError};
use std::sync::Arc;
use std::time::Duration;

/// How long reading a person's rights may hold up their sign-in.
const AT_SIGN_IN: Duration = Duration::from_secs(3);
/// How often the worker looks for organisations due to be read.
const LOOK_EVERY: Duration = Duration::from_secs(60);

pub struct Licences {
    pub graph: Graph,
    /// How often each organisation's licences are read.
    pub refresh_every: Duration,
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route(SETTINGS_REFRESH_PATH, post(forms::settings_refresh))
        .route(CONSOLE_REFRESH_PATH, post(forms::console_refresh))
}

impl Licences {
    /// Reads `tenant`'s licences and its people's rights, and keeps what was read; `None` for
    /// an organisation whose subscription ended (its data is no longer kept).
    pub async fn refresh(
        &self,
        db: &Db,
        tenant: &TenantId,
    ) -> Result<Option<ReadOutcome>, sqlx::Error> {
        let ended = db
            .standing(tenant)
            .await?
            .is_none_or(|s| s.access == domain::plan::Access::Ended);
        if ended {
            return Ok(None);
        }
        // People not read again from here on are no longer in the directory.
        let started = time::OffsetDateTime::now_utc() - time::Duration::seconds(1);
        let outcome = match self.graph.licences(tenant.as_str()).await {
            Ok(skus) => {
                db.licences_read(tenant, &skus).await?;
                match self.graph.people(tenant.as_str(), &skus).await {
                    Ok(people) => {
                        db.directory_rights(tenant, &people, started).await?;
                        return Ok(Some(ReadOutcome::Read));
                    }
                    Err(e) => e,
                }
            }
            Err(e) => e,
        };
        let (outcome, detail, retry_at) = match &outcome {
            GraphError::NoConsent(why) => (ReadOutcome::NoConsent, why.clone(), None),
            GraphError::Unreachable(why) => (ReadOutcome::Unreachable, why.clone(), None),
            GraphError::Throttled(wait) => (
                ReadOutcome::Throttled,
                format!("asked to wait {} s", wait.as_secs()),
                Some(time::OffsetDateTime::now_utc() + *wait),
            ),
        };
        tracing::warn!(%tenant, outcome = outcome.as_str(), detail = %crate::telemetry::bounded(&detail), "could not read the organisation's licences");
        db.licences_failed(tenant, outcome, &detail, retry_at)
            .await?;
        Ok(Some(outcome))
    }

    /// Reads the person's own rights with the Graph token their sign-in gave, within
    /// [`AT_SIGN_IN`]; a failure leaves what the directory said of them.
    pub async fn at_sign_in(&self, db: &Db, user: &CurrentUser, token: &str) {
        let read = tokio::time::timeout(AT_SIGN_IN, self.graph.own_rights(token)).await;
        let (rights, pending) = match read {
            Ok(Ok(read)) => read,
            Ok(Err(e)) => {
                tracing::info!(reason = ?e, "could not read the licences of the person signing in");
                return;
            }
            Err(_) => {
                tracing::info!("reading the licences of the person signing in took too long");
                return;
            }
        };
        let person = PersonRights {
            object_id: user.object_id.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
            rights,
            pending,
            source: RightsSource::SignIn,
            read_at: time::OffsetDateTime::now_utc(),
        };
        if let Err(e) = db.person_rights_read(&user.tenant_id, &person).await {
            tracing::warn!(error = %e, "could not keep the rights of the person signing in");
        }
    }
}

/// Reads every organisation's licences when they are due, for as long as the process runs.
pub fn start(db: Db, licences: Arc<Licences>) {
    tokio::spawn(async move {
        // The first look comes after one interval, not while the process starts.
        let every = LOOK_EVERY.min(licences.refresh_every);
        let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            let every =
                time::Duration::try_from(licences.refresh_every).unwrap_or(time::Duration::days(1));
            let due = match db.licences_due(every).await {
                Ok(due) => due,
                Err(e) => {
                    tracing::warn!(error = %e, "could not find the organisations whose licences are due");
                    continue;
                }
            };
            for tenant in due {
                if let Err(e) = licences.refresh(&db, &tenant).await {
                    tracing::warn!(error = %e, %tenant, "could not keep the organisation's licences");
                }
            }
        }
    });
}
