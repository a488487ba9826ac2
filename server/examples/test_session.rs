//! Test tool: puts a demo user into a new session of the database in `DATABASE_URL` and prints
//! the session cookie as `name=value`. End-to-end tests use it to start signed in. It talks to
//! the database directly; the running server offers no such door.
//!
//! Usage: DATABASE_URL=sqlite://… test_session alex@contoso.example

use server::sessions::{COOKIE_NAME, Store};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(cookie) => {
            println!("{COOKIE_NAME}={cookie}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("test_session: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<String, String> {
    let email = std::env::args()
        .nth(1)
        .ok_or("usage: test_session <demo user e-mail>")?;
    let user = domain::demo::user(&email).ok_or_else(|| format!("{email} is not a demo user"))?;
    let url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://flowhost.db?mode=rwc".into());
    let db = domain::db::Db::connect(&url)
        .await
        .map_err(|e| e.to_string())?;
    domain::demo::load(&db).await.map_err(|e| e.to_string())?;
    db.scope(&user.tenant_id)
        .upsert_user(&user)
        .await
        .map_err(|e| e.to_string())?;
    let store = Store::for_db(&db).await.map_err(|e| e.to_string())?;
    let id = store
        .insert_signed_in(&user, time::Duration::hours(8))
        .await
        .map_err(|e| e.to_string())?;
    Ok(id.to_string())
}
