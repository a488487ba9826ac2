use domain::db::Db;
use domain::db::testing::fresh_db;
use domain::{AccountId, PageRequest, TenantId, TicketId};
use reqwest::{Response, StatusCode, header};
use server::config::Config;
use server::sessions::{COOKIE_NAME, Store};

pub const ALEX: &str = "alex@contoso.example";
pub const ADELE: &str = "adele@contoso.example";
pub const BIANCA: &str = "bianca@fabrikam.example";

pub struct TestApp {
    pub base: String,
    pub db: Db,
    store: Store,
    client: reqwest::Client,
}

/// Starts Flowhost with the demo data on a fresh database.
pub async fn spawn() -> TestApp {
    spawn_with(|_| None).await
}

/// Starts Flowhost with extra settings (by variable name) on a fresh database.
pub async fn spawn_with(extra: impl Fn(&str) -> Option<String>) -> TestApp {
    // RUST_LOG=… shows the servers' logs when a test needs looking into.
    if let Ok(filter) = std::env::var("RUST_LOG") {
        server::telemetry::init(&filter);
    }
    let db = fresh_db().await.expect("a test database");
    domain::demo::load(&db).await.expect("demo data");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let config = Config::from_lookup(|name| {
        extra(name).or_else(|| match name {
            "PUBLIC_URL" => Some(base.clone()),
            "LEPTOS_SITE_ADDR" => Some(addr.to_string()),
            _ => None,
        })
    })
    .unwrap();
    let app = server::router(&config, db.clone())
        .await
        .expect("the app builds");
    tokio::spawn(server::serve(listener, app));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let store = Store::for_db(&db).await.unwrap();
    TestApp {
        base,
        db,
        store,
        client,
    }
}

impl TestApp {
    /// A `Cookie` header value for a new session of the demo user `email`.
    pub async fn sign_in(&self, email: &str) -> String {
        let user = domain::demo::user(email).expect("a demo user");
        self.db
            .scope(&user.tenant_id)
            .upsert_user(&user)
            .await
            .unwrap();
        let id = self
            .store
            .insert_signed_in(&user, time::Duration::hours(1))
            .await
            .unwrap();
        format!("{COOKIE_NAME}={id}")
    }

    /// When the stored session behind a `Cookie` header value expires.
    pub async fn session_expiry(&self, cookie: &str) -> time::OffsetDateTime {
        use tower_sessions::SessionStore as _;
        let id = cookie.split_once('=').unwrap().1.parse().unwrap();
        self.store
            .load(&id)
            .await
            .unwrap()
            .expect("the session is stored")
            .expiry_date
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Response {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        request.send().await.unwrap()
    }

    /// A form post as the browser sends it from one of Flowhost's pages.
    pub async fn post_form(&self, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Response {
        self.post_from(path, cookie, fields, Some(&self.base)).await
    }

    pub async fn post_from(
        &self,
        path: &str,
        cookie: &str,
        fields: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Response {
        let mut request = self
            .client
            .post(format!("{}{path}", self.base))
            .header(header::COOKIE, cookie)
            .header(header::ACCEPT, "text/html")
            .form(fields);
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        request.send().await.unwrap()
    }

    /// The CSRF token a form page carries.
    pub async fn csrf(&self, path: &str, cookie: &str) -> String {
        let html = self.get(path, Some(cookie)).await.text().await.unwrap();
        let start = html
            .find("name=\"csrf_token\" value=\"")
            .expect("a form with a CSRF token")
            + 25;
        html[start..].split('"').next().unwrap().to_owned()
    }

    /// The first account and ticket of a demo tenant.
    pub async fn first_records(&self, tenant: &str) -> (AccountId, TicketId) {
        let tenant = TenantId::parse(tenant).unwrap();
        let scope = self.db.scope(&tenant);
        let account = scope
            .accounts("", PageRequest::new(1, 1))
            .await
            .unwrap()
            .items
            .remove(0);
        let ticket = scope.tickets(account.id, 1).await.unwrap().remove(0);
        (account.id, ticket.id)
    }
}

/// Asserts a redirect and returns where to.
pub fn location(response: &Response) -> String {
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "expected a redirect"
    );
    response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned()
}

/// The message shown next to `field` on a form page, if any.
pub fn field_error(html: &str, field: &str) -> Option<String> {
    let at = html.find(&format!("id=\"{field}-error\""))?;
    let text = &html[at..];
    let text = &text[text.find('>')? + 1..];
    Some(text[..text.find('<')?].to_owned())
}
