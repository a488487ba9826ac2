//! Fresh, isolated databases for tests: a new SQLite file, or, when
//! `FLOWHOST_TEST_DATABASE_URL` names a PostgreSQL database, a new schema in it.

use super::{ConnectError, Db};
use sqlx::postgres::PgConnectOptions;
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

/// The variable that makes tests run on PostgreSQL instead of SQLite.
pub const POSTGRES_VAR: &str = "FLOWHOST_TEST_DATABASE_URL";

fn unique_name() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_nanos();
    format!(
        "t{}_{}_{}",
        std::process::id(),
        nanos,
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A migrated database no other test uses.
pub async fn fresh_db() -> Result<Db, ConnectError> {
    match std::env::var(POSTGRES_VAR) {
        Ok(url) if !url.is_empty() => {
            let schema = format!("flowhost_{}", unique_name());
            let options = PgConnectOptions::from_str(&url)
                .map_err(|e| ConnectError::BadUrl(e.to_string()))?;
            let admin = Db::postgres(options.clone()).await?;
            if let Db::Postgres(pool) = &admin {
                sqlx::query(&format!("CREATE SCHEMA {schema}"))
                    .execute(pool)
                    .await
                    .map_err(|e| ConnectError::Unreachable(e.to_string()))?;
            }
            admin.close().await;
            let db = Db::postgres(options.options([("search_path", schema.as_str())])).await?;
            db.migrate().await?;
            Ok(db)
        }
        _ => {
            let path = std::env::temp_dir().join(format!("flowhost-{}.db", unique_name()));
            Db::connect(&format!("sqlite://{}?mode=rwc", path.display())).await
        }
    }
}
