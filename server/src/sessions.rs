//! Sessions live in Flowhost's own database (SQLite or PostgreSQL), so a restart or a second
//! instance keeps every user signed in.

use async_trait::async_trait;
use axum::extract::State;
use domain::CurrentUser;
use domain::db::{Db, DbError};
use std::collections::HashMap;
use time::OffsetDateTime;
use tower_sessions::cookie::SameSite;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

pub const COOKIE_NAME: &str = "flowhost_session";
const TABLE: &str = "sessions";

#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Store {
    /// The store beside `db`'s other tables, created if missing.
    pub async fn for_db(db: &Db) -> Result<Store, DbError> {
        let store = match db {
            Db::Sqlite(pool) => Store::Sqlite(
                SqliteStore::new(pool.clone())
                    .with_table_name(TABLE)
                    .map_err(DbError::Protocol)?,
            ),
            Db::Postgres(pool) => {
                let schema: String = sqlx::query_scalar("SELECT current_schema()")
                    .fetch_one(pool)
                    .await?;
                let store = PostgresStore::new(pool.clone())
                    .with_schema_name(schema)
                    .and_then(|s| s.with_table_name(TABLE))
                    .map_err(DbError::Protocol)?;
                Store::Postgres(store)
            }
        };
        match &store {
            Store::Sqlite(s) => s.migrate().await?,
            Store::Postgres(s) => s.migrate().await?,
        }
        Ok(store)
    }

    pub fn layer(self, idle: std::time::Duration, secure: bool) -> SessionManagerLayer<Store> {
        let idle = time::Duration::try_from(idle).unwrap_or(time::Duration::hours(8));
        SessionManagerLayer::new(self)
            .with_name(COOKIE_NAME)
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_secure(secure)
            .with_path("/")
            .with_expiry(Expiry::OnInactivity(idle))
    }

    /// Puts a signed-in `user` into a new session and returns its id, as a finished sign-in
    /// would. Only tests call it; no route leads here.
    pub async fn insert_signed_in(
        &self,
        user: &CurrentUser,
        lifetime: time::Duration,
    ) -> session_store::Result<Id> {
        let value =
            serde_json::to_value(user).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let signed_in_at = OffsetDateTime::now_utc().unix_timestamp().into();
        let mut record = Record {
            id: Id::default(),
            data: HashMap::from([
                (app::ssr::USER_KEY.to_owned(), value),
                (crate::auth::SIGNED_IN_AT_KEY.to_owned(), signed_in_at),
            ]),
            expiry_date: OffsetDateTime::now_utc() + lifetime,
        };
        self.create(&mut record).await?;
        Ok(record.id)
    }
}

/// How long a session lasts: `idle` after its last request, `absolute` after sign-in at most.
#[derive(Clone, Copy, Debug)]
pub struct Lifetimes {
    pub idle: std::time::Duration,
    pub absolute: std::time::Duration,
}

/// When a signed-in session was last saved, so reads can extend its idle expiry cheaply.
const REFRESHED_KEY: &str = "refreshed_at";

/// Reads the request's user from its session before any handler runs (`app::ssr::Visitor`),
/// and keeps an active session alive. tower-sessions extends an idle expiry only when a session
/// is saved, and saves only modified sessions; so a signed-in session is re-saved, with a fresh
/// expiry, once `refresh_every(idle)` has passed since it last was, not on every request.
pub async fn load_visitor(
    State(lifetimes): State<Lifetimes>,
    session: tower_sessions::Session,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    // Static assets need no user; skip the session read for them.
    if request.uri().path().starts_with("/pkg/") {
        return next.run(request).await;
    }
    let mut visitor = app::ssr::Visitor::from_session(&session).await;
    if matches!(visitor, app::ssr::Visitor::Signed(_)) {
        if crate::auth::past_absolute_lifetime(&session, lifetimes.absolute).await {
            if let Err(e) = session.flush().await {
                tracing::warn!(error = %e, "could not end an outlived session");
            }
            visitor = app::ssr::Visitor::Anonymous;
        } else {
            refresh(&session, lifetimes.idle).await;
        }
    }
    request.extensions_mut().insert(visitor);
    next.run(request).await
}

fn refresh_every(idle: std::time::Duration) -> std::time::Duration {
    (idle / 2).min(std::time::Duration::from_secs(60))
}

async fn refresh(session: &tower_sessions::Session, idle: std::time::Duration) {
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let last = session
        .get::<i64>(REFRESHED_KEY)
        .await
        .ok()
        .flatten()
        .unwrap_or(0);
    if now.saturating_sub(last) >= refresh_every(idle).as_secs() as i64
        && let Err(e) = session.insert(REFRESHED_KEY, now).await
    {
        tracing::warn!(error = %e, "could not extend the session");
    }
}

#[async_trait]
impl SessionStore for Store {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            Store::Sqlite(s) => s.create(record).await,
            Store::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Store::Sqlite(s) => s.save(record).await,
            Store::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Store::Sqlite(s) => s.load(id).await,
            Store::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Store::Sqlite(s) => s.delete(id).await,
            Store::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for Store {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Store::Sqlite(s) => s.delete_expired().await,
            Store::Postgres(s) => s.delete_expired().await,
        }
    }
}
