//! Benchmark baseline: the account page's data (one account and its tickets, through the same
//! domain queries) served by a bare axum handler with hand-written HTML, and one ticket as the
//! REST API's JSON. No Leptos, no session, no token, no middleware: what the hardware gives
//! before Flowhost's layers.
//!
//! Usage: DATABASE_URL=sqlite://… flowhost-bench-baseline 127.0.0.1:3901

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Html;
use axum::routing::get;
use domain::db::Db;
use domain::encode::html as escape;
use domain::views::TicketView;
use domain::{AccountId, TenantId, TicketId};
use std::fmt::Write as _;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Clone)]
struct Bench {
    db: Db,
    tenant: TenantId,
}

async fn account(State(b): State<Bench>, Path(id): Path<i64>) -> Result<Html<String>, StatusCode> {
    let scope = b.db.scope(&b.tenant);
    let account = scope
        .account(AccountId(id))
        .await
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let account = account.ok_or(StatusCode::NOT_FOUND)?;
    let tickets = scope
        .tickets(account.id, 50)
        .await
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let mut html = format!(
        "<!DOCTYPE html><html><head><title>{}</title></head><body><h1>{}</h1><dl><dt>Website</dt><dd>{}</dd>\
         <dt>Owner</dt><dd>{}</dd></dl><table>",
        escape(&account.name),
        escape(&account.name),
        escape(&account.domain),
        escape(&account.owner)
    );
    for t in tickets {
        let _ = write!(
            html,
            "<tr><td>{}</td><td><a href=\"/accounts/{}/tickets/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            t.id,
            account.id,
            t.id,
            escape(&t.title),
            t.status.label().show(i18n::Lang::En),
            t.priority.label().show(i18n::Lang::En),
            escape(&t.requester)
        );
    }
    html.push_str("</table></body></html>");
    Ok(Html(html))
}

async fn ticket(
    State(b): State<Bench>,
    Path(id): Path<i64>,
) -> Result<axum::Json<TicketView>, StatusCode> {
    let ticket =
        b.db.scope(&b.tenant)
            .ticket_by_id(TicketId(id))
            .await
            .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    Ok(axum::Json(ticket.ok_or(StatusCode::NOT_FOUND)?.into()))
}

#[tokio::main]
async fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3901".into());
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let db = Db::connect(&url).await.expect("database");
    let tenant = TenantId::parse(domain::demo::CONTOSO).expect("tenant");
    let app = axum::Router::new()
        .route("/accounts/{id}", get(account))
        .route("/tickets/{id}", get(ticket))
        .with_state(Bench { db, tenant });
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("listen");
    use axum::serve::ListenerExt as _;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).await.expect("serve");
}
