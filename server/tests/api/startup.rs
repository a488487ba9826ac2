//! Instances that start at the same moment on one new database both start: each brings the
//! schema up to date and prepares the session store, as `server::build` does.

use domain::db::Db;
use domain::db::testing::POSTGRES_VAR;
use server::sessions::Store;
use sqlx::postgres::PgConnectOptions;
use std::str::FromStr;

/// How a new instance reaches the database.
#[derive(Clone)]
enum Target {
    Sqlite(String),
    Postgres(Box<PgConnectOptions>),
}

/// A new, empty database: a new SQLite file, or a new schema in the PostgreSQL test database.
async fn empty_database(round: usize) -> Target {
    let unique = format!(
        "{}_{}_{round}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    match std::env::var(POSTGRES_VAR) {
        Ok(url) if !url.is_empty() => {
            let schema = format!("flowhost_start_{unique}");
            let options = PgConnectOptions::from_str(&url).unwrap();
            let admin = Db::postgres(options.clone()).await.unwrap();
            if let Db::Postgres(pool) = &admin {
                sqlx::query(&format!("CREATE SCHEMA {schema}"))
                    .execute(pool)
                    .await
                    .unwrap();
            }
            admin.close().await;
            Target::Postgres(Box::new(
                options.options([("search_path", schema.as_str())]),
            ))
        }
        _ => {
            let path = std::env::temp_dir().join(format!("flowhost-start-{unique}.db"));
            Target::Sqlite(format!("sqlite://{}?mode=rwc", path.display()))
        }
    }
}

/// Connects with a pool of its own, migrating the schema when `migrate` (SQLite: always).
async fn connect(target: Target, migrate: bool) -> Result<Db, String> {
    let db = match target {
        Target::Sqlite(url) => return Db::connect(&url).await.map_err(|e| e.to_string()),
        Target::Postgres(options) => Db::postgres(*options).await.map_err(|e| e.to_string())?,
    };
    if migrate {
        db.migrate().await.map_err(|e| e.to_string())?;
    }
    Ok(db)
}

/// What an instance does with the database before it serves: connect, migrate when `migrate`,
/// prepare the session store.
async fn prepare(target: Target, migrate: bool) -> Result<(), String> {
    let db = connect(target, migrate).await?;
    let store = Store::for_db(&db).await.map_err(|e| e.to_string());
    db.close().await;
    store.map(drop)
}

#[tokio::test]
async fn two_instances_starting_together_on_a_new_database_both_start() {
    // Repeated, since a collision needs both to reach the same statement at once.
    for round in 0..4 {
        // A new database: both migrate it and prepare the session store.
        let target = empty_database(round).await;
        let (first, second) =
            tokio::join!(prepare(target.clone(), true), prepare(target.clone(), true));
        assert_eq!(first, Ok(()), "round {round}: the first instance");
        assert_eq!(second, Ok(()), "round {round}: the second instance");

        // A database whose schema is up to date but has no session table yet.
        let target = empty_database(round).await;
        connect(target.clone(), true).await.unwrap().close().await;
        let (first, second) = tokio::join!(
            prepare(target.clone(), false),
            prepare(target.clone(), false)
        );
        assert_eq!(first, Ok(()), "round {round}: the first session store");
        assert_eq!(second, Ok(()), "round {round}: the second session store");
    }
}
