//! Sessions live in Flowhost's own database (SQLite or PostgreSQL), so a restart or a second
//! instance keeps every user signed in.
//!
//! A session id, once ended (sign-out, sign-in's new id, expiry), stays ended: new sessions are
//! only ever inserted by `create`, and `save` only updates a session that still exists, so a
//! request that was in flight when its session ended cannot write it back.

use async_trait::async_trait;
use axum::extract::State;
use domain::CurrentUser;
use domain::db::{Db, DbError};
use sqlx::{PgPool, SqlitePool};
use std::collections::HashMap;
use time::OffsetDateTime;
use tower_sessions::cookie::SameSite;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

pub const COOKIE_NAME: &str = "flowhost_session";
/// The cookie's name when PUBLIC_URL is https: browsers take a `__Host-` cookie only when it
/// is Secure, names no Domain and has Path=/, so no other host can set or shadow it.
pub const SECURE_COOKIE_NAME: &str = "__Host-flowhost_session";
const TABLE: &str = "sessions";

/// The PostgreSQL advisory lock held while the sessions table is created, so instances that
/// start together on one database take turns instead of colliding in the catalog.
const MIGRATION_LOCK: i64 = 0x666c_6f77_7365_7373; // "flowsess"

#[derive(Clone, Debug)]
pub enum Store {
    Sqlite {
        store: SqliteStore,
        pool: SqlitePool,
    },
    Postgres {
        store: PostgresStore,
        pool: PgPool,
        /// The table as SQL names it: `"schema"."sessions"`.
        table: String,
    },
}

impl Store {
    /// The store beside `db`'s other tables, created if missing.
    pub async fn for_db(db: &Db) -> Result<Store, DbError> {
        match db {
            Db::Sqlite(pool) => {
                let store = SqliteStore::new(pool.clone())
                    .with_table_name(TABLE)
                    .map_err(DbError::Protocol)?;
                store.migrate().await?;
                Ok(Store::Sqlite {
                    store,
                    pool: pool.clone(),
                })
            }
            Db::Postgres(pool) => {
                let schema: String = sqlx::query_scalar("SELECT current_schema()")
                    .fetch_one(pool)
                    .await?;
                let store = PostgresStore::new(pool.clone())
                    .with_schema_name(&schema)
                    .and_then(|s| s.with_table_name(TABLE))
                    .map_err(DbError::Protocol)?;
                let table = format!(r#""{schema}"."{TABLE}""#);
                migrate_postgres(pool, &table).await?;
                Ok(Store::Postgres {
                    store,
                    pool: pool.clone(),
                    table,
                })
            }
        }
    }

    pub fn layer(self, idle: std::time::Duration, secure: bool) -> SessionManagerLayer<Store> {
        let idle = time::Duration::try_from(idle).unwrap_or(time::Duration::hours(8));
        SessionManagerLayer::new(self)
            .with_name(if secure {
                SECURE_COOKIE_NAME
            } else {
                COOKIE_NAME
            })
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

/// Creates the sessions table (the layout `PostgresStore` reads) unless it exists. Concurrent
/// `CREATE TABLE IF NOT EXISTS` in PostgreSQL can fail with a unique violation in the catalog,
/// so instances starting together take turns under an advisory lock.
async fn migrate_postgres(pool: &PgPool, table: &str) -> Result<(), DbError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *tx)
        .await?;
    let create = format!(
        "CREATE TABLE IF NOT EXISTS {table} \
         (id text PRIMARY KEY NOT NULL, data bytea NOT NULL, expiry_date timestamptz NOT NULL)"
    );
    sqlx::query(&create).execute(&mut *tx).await?;
    tx.commit().await
}

fn store_error(e: sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for Store {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            Store::Sqlite { store, .. } => store.create(record).await,
            Store::Postgres { store, .. } => store.create(record).await,
        }
    }

    /// Updates the session if it still exists and has not expired; never inserts one.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data =
            rmp_serde::to_vec(record).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let now = OffsetDateTime::now_utc();
        // One statement for both engines; only the pool's type and the table's name differ.
        macro_rules! update {
            ($pool:expr, $table:expr) => {
                sqlx::query(&format!(
                    "UPDATE {} SET data = $2, expiry_date = $3 WHERE id = $1 AND expiry_date > $4",
                    $table
                ))
                .bind(record.id.to_string())
                .bind(data)
                .bind(record.expiry_date)
                .bind(now)
                .execute($pool)
                .await
                .map(|done| done.rows_affected())
            };
        }
        let updated = match self {
            Store::Sqlite { pool, .. } => update!(pool, TABLE),
            Store::Postgres { pool, table, .. } => update!(pool, table),
        }
        .map_err(store_error)?;
        if updated == 0 {
            tracing::info!("a request finished after its session had ended; it stays ended");
        }
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Store::Sqlite { store, .. } => store.load(id).await,
            Store::Postgres { store, .. } => store.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Store::Sqlite { store, .. } => store.delete(id).await,
            Store::Postgres { store, .. } => store.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for Store {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Store::Sqlite { store, .. } => store.delete_expired().await,
            Store::Postgres { store, .. } => store.delete_expired().await,
        }
    }
}
