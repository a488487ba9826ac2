//! Persistence on SQLite (the default) or PostgreSQL, with one set of queries for both.
//!
//! Queries use `$n` placeholders, which both engines accept, and are written once inside
//! [`with_pool!`], which compiles the same body against each driver. Records are reached only
//! through [`TenantScope`], so every query names its tenant.

mod accounts;
mod activity;
pub mod audit;
mod cache;
mod comments;
mod config;
mod csp;
mod deployments;
mod hooks;
mod licences;
mod market_operations;
mod record_pages;
mod rejections;
mod rollouts;
mod secrets;
mod subscriptions;
mod tenants;
pub mod testing;
mod tickets;

pub use accounts::NewAccount;
pub use activity::{
    LINKED_FLOWS_PER_RECORD, Linked, NewEvent, NewLinkedFlow, OtherTicket, TIMELINE_KEPT,
};
pub use cache::{ConfigCache, FRESH_FOR, Standings};
pub use config::{Fallback, FlowSettings, Stale, VersionSummary, Versioned};
pub use deployments::NewDeployment;
pub use hooks::{NewSubscription, Subscribed};
pub use market_operations::{ClaimedOperation, OPERATION_ATTEMPTS};
pub use rejections::WidgetRejection;
pub use rollouts::Started;
pub use sqlx::Error as DbError;
pub use subscriptions::changes as subscription_changes;
pub use tenants::TenantScope;
pub use tickets::Written;

use sqlx::migrate::MigrateError;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// Runs `$body` with `$pool` bound to whichever pool `$db` holds.
macro_rules! with_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("unsupported database scheme {0:?}: use sqlite://… or postgres://…")]
    UnknownScheme(String),
    #[error("not a database URL: {0}")]
    BadUrl(String),
    #[error("cannot reach the database: {0}")]
    Unreachable(String),
    #[error("cannot prepare the database schema: {0}")]
    Migrate(String),
}

/// How long a request waits for a free connection before it is told the database is busy.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// How many times SQLite's connection and migrations are tried before their failure stops
/// start-up.
const MIGRATE_ATTEMPTS: u64 = 5;

impl Db {
    /// Connects to `url` and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Db, ConnectError> {
        let db = Self::open(url).await?;
        db.migrate().await?;
        Ok(db)
    }

    async fn open(url: &str) -> Result<Db, ConnectError> {
        let scheme = url.split_once(':').map(|(s, _)| s).unwrap_or_default();
        match scheme {
            "sqlite" => {
                let options = SqliteConnectOptions::from_str(url)
                    .map_err(|e| ConnectError::BadUrl(e.to_string()))?
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5));
                // A new file's first connection switches it to WAL, which needs the file to
                // itself: while another instance creates or migrates it, that is refused as
                // locked at once (before the busy timeout applies), so it is tried again.
                let mut attempt = 1;
                let pool = loop {
                    match SqlitePoolOptions::new()
                        .max_connections(8)
                        .acquire_timeout(ACQUIRE_TIMEOUT)
                        .connect_with(options.clone())
                        .await
                    {
                        Err(sqlx::Error::Database(e))
                            if e.code().as_deref() == Some("5") && attempt < MIGRATE_ATTEMPTS =>
                        {
                            tracing::info!(error = %e, attempt, "the database file is locked; trying again");
                            tokio::time::sleep(Duration::from_millis(50 * attempt)).await;
                            attempt += 1;
                        }
                        result => {
                            break result.map_err(|e| ConnectError::Unreachable(e.to_string()))?;
                        }
                    }
                };
                Ok(Db::Sqlite(pool))
            }
            "postgres" | "postgresql" => {
                let options = PgConnectOptions::from_str(url)
                    .map_err(|e| ConnectError::BadUrl(e.to_string()))?;
                Self::postgres(options).await
            }
            other => Err(ConnectError::UnknownScheme(other.to_owned())),
        }
    }

    /// PostgreSQL with explicit options (tests use them to pick a schema of their own).
    pub async fn postgres(options: PgConnectOptions) -> Result<Db, ConnectError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(|e| ConnectError::Unreachable(e.to_string()))?;
        Ok(Db::Postgres(pool))
    }

    /// Applies the migrations not applied yet. On PostgreSQL sqlx's migrator holds an advisory
    /// lock (one per database) from before it creates its own table until it is done, so
    /// instances starting together on one database take turns. SQLite has no such lock: there
    /// two instances starting together on one file can both try the same migration, and the one
    /// that fails runs the migrator again, which finds it applied.
    pub async fn migrate(&self) -> Result<(), ConnectError> {
        let result = match self {
            Db::Sqlite(pool) => {
                let mut attempt = 1;
                loop {
                    match sqlx::migrate!("./migrations/sqlite").run(pool).await {
                        Err(
                            e @ (MigrateError::Execute(_) | MigrateError::ExecuteMigration(..)),
                        ) if attempt < MIGRATE_ATTEMPTS => {
                            tracing::info!(error = %e, attempt, "a migration failed; trying again");
                            tokio::time::sleep(Duration::from_millis(50 * attempt)).await;
                            attempt += 1;
                        }
                        result => break result,
                    }
                }
            }
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await,
        };
        result.map_err(|e| ConnectError::Migrate(e.to_string()))
    }

    /// Answers whether the database takes a query right now.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        with_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(drop))
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await)
    }
}
