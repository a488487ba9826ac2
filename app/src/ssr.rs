//! Server-only access to the request's database, session and user, for server functions.

use crate::errors::AppError;
use crate::records::RequestRecords;
use domain::db::{Db, TenantScope};
use domain::{Account, AccountId, CurrentUser, Role, Ticket, TicketId};
use leptos::prelude::*;
use tower_sessions::Session;

/// Session keys. The session holds no tokens in this layer; sign-in adds its own keys.
pub const USER_KEY: &str = "user";
const CSRF_KEY: &str = "csrf";
const FLASH_KEY: &str = "flash";

pub fn db() -> Result<Db, AppError> {
    use_context::<Db>().ok_or_else(|| {
        tracing::error!("no database in the request context");
        AppError::Internal
    })
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = ?e, "no session layer");
        AppError::Internal
    })
}

/// Session store failures mean the database is gone.
fn store_error(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %e, "session store failed");
    AppError::Unavailable
}

pub fn db_error(e: domain::db::DbError) -> AppError {
    tracing::error!(error = %e, "database query failed");
    AppError::Unavailable
}

/// Who made the request, read from the session once, before the page renders (see
/// `server::sessions::load_visitor`), and checked against what the server admits now
/// (`server::auth::admission`): a signed-in visitor's organisation is admitted and their
/// roles are the ones it may hold. Resources of one page run concurrently; reading the user
/// here instead of from the session keeps them from contending for it.
#[derive(Clone, Debug)]
pub enum Visitor {
    Anonymous,
    Signed(CurrentUser),
    /// The session store could not be read.
    Unknown,
}

impl Visitor {
    pub async fn from_session(session: &Session) -> Visitor {
        match session.get::<CurrentUser>(USER_KEY).await {
            Ok(Some(user)) => Visitor::Signed(user),
            Ok(None) => Visitor::Anonymous,
            Err(e) => {
                store_error(e);
                Visitor::Unknown
            }
        }
    }
}

/// The signed-in user of this request, if any.
pub fn current_user() -> Result<Option<CurrentUser>, AppError> {
    // Route discovery renders the app once with no request at all.
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Ok(None);
    };
    match parts.extensions.get::<Visitor>().cloned() {
        Some(Visitor::Signed(user)) => Ok(Some(user)),
        Some(Visitor::Anonymous) => Ok(None),
        Some(Visitor::Unknown) => Err(AppError::Unavailable),
        None => {
            tracing::error!("no visitor in the request: the visitor layer is missing");
            Err(AppError::Internal)
        }
    }
}

/// The signed-in user with their database scope, or `Unauthorized`.
pub struct Signed {
    pub user: CurrentUser,
    pub session: Session,
    pub db: Db,
    /// What this request has read of the user's records.
    records: RequestRecords,
}

impl Signed {
    pub fn scope(&self) -> TenantScope<'_> {
        self.db.scope(&self.user.tenant_id)
    }

    /// The user's organisation's account `id`, read once per request; another organisation's
    /// is `NotFound`, as a missing one is.
    pub async fn account(&self, id: AccountId) -> Result<Account, AppError> {
        found(self.records.account(&self.scope(), id).await)
    }

    /// The user's organisation's account `id` with its `limit` latest tickets.
    pub async fn account_with_tickets(
        &self,
        id: AccountId,
        limit: i64,
    ) -> Result<(Account, Vec<Ticket>), AppError> {
        found(
            self.records
                .account_with_tickets(&self.scope(), id, limit)
                .await,
        )
    }

    /// The ticket `id` of the user's organisation's account `account`, with that account.
    pub async fn ticket_with_account(
        &self,
        account: AccountId,
        id: TicketId,
    ) -> Result<(Account, Ticket), AppError> {
        found(
            self.records
                .ticket_with_account(&self.scope(), account, id)
                .await,
        )
    }

    /// The ticket `id` of the user's organisation's account `account`, read once per request.
    pub async fn ticket(&self, account: AccountId, id: TicketId) -> Result<Ticket, AppError> {
        found(self.records.ticket(&self.scope(), account, id).await)
    }

    /// What Power Automate left on `record` (checked to be the user's organisation's), and
    /// the user's licence rights, read once per request.
    pub async fn activity_seen(
        &self,
        record: domain::RecordRef,
    ) -> Result<
        (
            domain::RecordActivity,
            Option<domain::licence::PersonRights>,
        ),
        AppError,
    > {
        self.records
            .activity_seen_by(&self.scope(), record, &self.user.object_id)
            .await
            .map_err(db_error)
    }

    /// The user's own organisation.
    pub async fn tenant(&self) -> Result<domain::Tenant, AppError> {
        self.db
            .tenant(&self.user.tenant_id)
            .await
            .map_err(db_error)?
            .ok_or(AppError::NotFound)
    }

    pub fn require(&self, role: Role) -> Result<(), AppError> {
        if self.user.has_role(role) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// A record the user's organisation has; another organisation's is `NotFound`, as a missing
/// one is.
fn found<T>(read: Result<Option<T>, domain::db::DbError>) -> Result<T, AppError> {
    read.map_err(db_error)?.ok_or(AppError::NotFound)
}

pub async fn signed_in() -> Result<Signed, AppError> {
    let user = current_user()?.ok_or(AppError::Unauthorized)?;
    Ok(Signed {
        user,
        session: session().await?,
        db: db()?,
        // Outside a request's context each read goes to the database.
        records: use_context::<RequestRecords>().unwrap_or_default(),
    })
}

/// The session's CSRF token for forms, made on first use.
pub async fn csrf_token(session: &Session) -> Result<String, AppError> {
    if let Some(token) = session.get::<String>(CSRF_KEY).await.map_err(store_error)? {
        return Ok(token);
    }
    use base64::Engine as _;
    use rand::RngCore as _;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    session
        .insert(CSRF_KEY, &token)
        .await
        .map_err(store_error)?;
    Ok(token)
}

/// Whether a submitted token is the session's, compared in constant time.
pub async fn csrf_matches(session: &Session, submitted: &str) -> Result<bool, AppError> {
    let expected = session.get::<String>(CSRF_KEY).await.map_err(store_error)?;
    Ok(expected.is_some_and(|e| {
        e.len() == submitted.len()
            && e.bytes()
                .zip(submitted.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }))
}

/// Keeps a form's outcome for the page it redirects to (post/redirect/get), if it takes at
/// most `limit` bytes as JSON. A larger one is not kept, and neither is any outcome kept
/// before it: `Ok(false)`. The session is loaded on every request, so it never carries more
/// than a form's limit of it.
pub async fn set_flash<T: serde::Serialize>(
    session: &Session,
    form: &str,
    state: T,
    limit: usize,
) -> Result<bool, AppError> {
    let flash = (form, state);
    if serde_json::to_writer(Bounded { left: limit }, &flash).is_err() {
        session.remove_value(FLASH_KEY).await.map_err(store_error)?;
        return Ok(false);
    }
    session
        .insert(FLASH_KEY, flash)
        .await
        .map_err(store_error)?;
    Ok(true)
}

/// Counts what is written to it, and fails once that passes `left` bytes.
struct Bounded {
    left: usize,
}

impl std::io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.left = self
            .left
            .checked_sub(buf.len())
            .ok_or_else(|| std::io::Error::other("over the limit"))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The outcome kept for `form`, if any; it is shown once. Another form's outcome, whatever
/// its shape, is left for that form.
pub async fn take_flash<T: serde::de::DeserializeOwned>(
    session: &Session,
    form: &str,
) -> Result<Option<T>, AppError> {
    let kept = session
        .get::<(String, serde_json::Value)>(FLASH_KEY)
        .await
        .map_err(store_error)?;
    match kept {
        Some((key, state)) if key == form => {
            session.remove_value(FLASH_KEY).await.map_err(store_error)?;
            Ok(serde_json::from_value(state).ok())
        }
        _ => Ok(None),
    }
}

/// Sets the HTTP status of the page being rendered.
pub fn set_status(code: u16) {
    if let (Some(options), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        options.set_status(status);
    }
}

/// Power Automate as the server is configured for it, in every request's context.
#[derive(Clone)]
pub struct FlowHosting {
    /// The Flow host's origin (`https://make.powerautomate.com`, or the sandbox's).
    pub host: String,
    /// The resource the widgets' access tokens are for (`FLOW_RESOURCE`).
    pub resource: String,
    /// The Flow service's API (`https://api.flow.microsoft.com`, or the sandbox's), without a
    /// trailing slash: what the widgets report is confirmed there.
    pub api: String,
    /// `PUBLIC_URL` without a trailing slash: ticket links in approvals start with it.
    pub public_url: String,
    pub tokens: std::sync::Arc<dyn TokenBroker>,
    /// Reads the Flow service's API for the server functions.
    pub flow_api: std::sync::Arc<dyn FlowApi>,
    /// How many widget events each user may report.
    pub event_limit: std::sync::Arc<dyn EventLimit>,
    /// The organisation's environments and pre-built flows, read with the admin's tokens.
    pub platform: std::sync::Arc<dyn PlatformReader>,
    /// The widget configuration and the organisations' settings, held for at most
    /// `domain::db::FRESH_FOR` between reads.
    pub config: std::sync::Arc<domain::db::ConfigCache>,
    /// The marketplace offer's plans: what an organisation that bought one may use.
    pub plans: std::sync::Arc<domain::plan::Plans>,
    /// Partner Center, if the ISV orders licences for customers as a Cloud Solution Provider.
    pub csp: Option<std::sync::Arc<dyn crate::csp::CspReader>>,
}

/// Mints Power Automate access tokens for the signed-in user (the server's sign-in module).
pub trait TokenBroker: Send + Sync {
    fn flow_token<'a>(
        &'a self,
        session: &'a Session,
        user: &'a CurrentUser,
        resource: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = crate::widgets::TokenAnswer> + Send + 'a>>;

    /// Drops every token cached for the session `id` (at sign-out).
    fn forget(&self, id: tower_sessions::session::Id);
}

/// What a `GET` of the Flow service's API answered: its status and JSON body (`Null` when the
/// body is not JSON).
pub type FlowAnswer = Result<(u16, serde_json::Value), String>;

/// Reads the Flow service's API with the user's access token (the server's HTTP client, with
/// a timeout). `Err` says why no answer came.
pub trait FlowApi: Send + Sync {
    fn get<'a>(
        &'a self,
        url: &'a str,
        token: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = FlowAnswer> + Send + 'a>>;
}

/// Reads what `/settings/flows` shows of the Power Platform for the signed-in admin of the
/// organisation with `settings` and `deployments` (the server's Power Platform client).
pub trait PlatformReader: Send + Sync {
    fn view<'a>(
        &'a self,
        session: &'a Session,
        user: &'a CurrentUser,
        settings: &'a domain::db::FlowSettings,
        deployments: &'a [domain::deployment::Deployment],
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = crate::deployments::PlatformView> + Send + 'a>,
    >;

    /// The catalog's pre-built flows as they are now.
    fn catalog(&self) -> Vec<crate::deployments::CatalogEntry>;
}

/// Admits a user's widget event, or refuses it when they reported too many lately.
pub trait EventLimit: Send + Sync {
    fn admit(&self, user: &CurrentUser) -> bool;
}

pub fn flow_hosting() -> Result<FlowHosting, AppError> {
    use_context::<FlowHosting>().ok_or_else(|| {
        tracing::error!("no Power Automate settings in the request context");
        AppError::Internal
    })
}

/// The language of the request being served: the one the server chose for it on arrival
/// (kept in the request's extensions), else chosen from its headers now.
pub fn lang() -> i18n::Lang {
    use_context::<http::request::Parts>()
        .map(|parts| {
            parts
                .extensions
                .get::<i18n::Lang>()
                .copied()
                .unwrap_or_else(|| lang_of(&parts.headers))
        })
        .unwrap_or_default()
}

/// The language a request asks for: the one chosen with the switch (its cookie), else
/// `Accept-Language`, else English.
pub fn lang_of(headers: &http::HeaderMap) -> i18n::Lang {
    let chosen = headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == i18n::COOKIE)
        .map(|c| c.value().to_owned());
    let accept = headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    i18n::Lang::choose(chosen.as_deref(), accept)
}
