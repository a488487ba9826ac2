use domain::db::Db;
use domain::db::testing::fresh_db;
use domain::{AccountId, PageRequest, TenantId, TicketId};
use reqwest::{Response, StatusCode, header};
use server::auth::TokenKey;
use server::config::Config;
use server::sessions::{COOKIE_NAME, Store};
use std::net::SocketAddr;

pub const ALEX: &str = "alex@contoso.example";
pub const ADELE: &str = "adele@contoso.example";
pub const IRIS: &str = "iris@flowhost.example";
pub const BIANCA: &str = "bianca@fabrikam.example";

pub struct TestApp {
    pub base: String,
    /// The sandbox identity provider's origin, e.g. `http://127.0.0.1:41234` (empty when
    /// Flowhost runs against an Azure AD app).
    pub sandbox: String,
    /// The sandbox Power Automate's origin.
    pub flow: String,
    pub db: Db,
    pub store: Store,
    client: reqwest::Client,
    pub token_key: TokenKey,
}

/// Starts Flowhost with the demo data on a fresh database, signing in against its own sandbox.
pub async fn spawn() -> TestApp {
    spawn_with(|_| None).await
}

/// Starts Flowhost with extra settings (by variable name) on a fresh database.
pub async fn spawn_with(extra: impl Fn(&str) -> Option<String>) -> TestApp {
    spawn_adjusted(extra, |_| {}).await
}

/// As `spawn_with`, with `adjust` changing what no variable sets.
pub async fn spawn_adjusted(
    extra: impl Fn(&str) -> Option<String>,
    adjust: impl FnOnce(&mut Config),
) -> TestApp {
    // RUST_LOG=… shows the servers' logs when a test needs looking into.
    if let Ok(filter) = std::env::var("RUST_LOG") {
        server::telemetry::init(&filter);
    }
    let db = fresh_db().await.expect("a test database");
    start(db, extra, adjust).await
}

/// The settings of a Flowhost listening on `addr`, its sandbox on free ports: `extra` first.
pub fn configure(addr: SocketAddr, extra: impl Fn(&str) -> Option<String>) -> Config {
    Config::from_lookup(|name| {
        extra(name).or_else(|| match name {
            "PUBLIC_URL" => Some(format!("http://{addr}")),
            "LEPTOS_SITE_ADDR" => Some(addr.to_string()),
            "SANDBOX_ADDR" | "SANDBOX_FLOW_ADDR" => Some("127.0.0.1:0".into()),
            _ => None,
        })
    })
    .expect("test settings")
}

/// Builds Flowhost on `db` the way `main` does, and serves it on a free port.
async fn start(
    db: Db,
    extra: impl Fn(&str) -> Option<String>,
    adjust: impl FnOnce(&mut Config),
) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut config = configure(addr, extra);
    adjust(&mut config);
    let flowhost = server::build_on(&config, db)
        .await
        .expect("Flowhost starts");
    tokio::spawn(server::serve_with(
        listener,
        flowhost.router,
        &config.limits,
    ));
    let (sandbox, flow) = flowhost
        .sandbox
        .map(|running| (running.authority(), running.flow_host()))
        .unwrap_or_default();
    TestApp {
        base: format!("http://{addr}"),
        sandbox,
        flow,
        db: flowhost.db,
        store: flowhost.store,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        token_key: flowhost.auth.token_key().clone(),
    }
}

impl TestApp {
    /// A second Flowhost on this one's database (as behind a load balancer, or after a
    /// restart), with its own sandbox.
    pub async fn another_instance(&self) -> TestApp {
        start(self.db.clone(), |_| None, |_| {}).await
    }

    /// As `another_instance`, with extra settings (by variable name).
    pub async fn another_instance_with(&self, extra: impl Fn(&str) -> Option<String>) -> TestApp {
        start(self.db.clone(), extra, |_| {}).await
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
        self.browser_with(cookie).post_form(path, fields).await
    }

    /// A form post with `origin` as its `Origin` header (none: no header).
    pub async fn post_from(
        &self,
        path: &str,
        cookie: &str,
        fields: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Response {
        self.browser_with(cookie)
            .post_from(path, fields, origin)
            .await
    }

    /// The CSRF token a form page carries.
    pub async fn csrf(&self, path: &str, cookie: &str) -> String {
        self.browser_with(cookie).csrf(path).await
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

/// Tells the sandbox identity provider what to do (a `/_sandbox/` control).
pub async fn control(app: &TestApp, path: &str, body: serde_json::Value) {
    post_control(&app.sandbox, path, body).await;
}

/// Tells the sandbox's Power Automate (and Dataverse) what to do.
pub async fn flow_control(app: &TestApp, path: &str, body: serde_json::Value) {
    post_control(&app.flow, path, body).await;
}

/// A `/_sandbox/` control at `origin`; its JSON answer (`null` when it has none).
pub async fn post_control(origin: &str, path: &str, body: serde_json::Value) -> serde_json::Value {
    let response = reqwest::Client::new()
        .post(format!("{origin}/_sandbox/{path}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "control {path}: {}",
        response.status()
    );
    response.json().await.unwrap_or(serde_json::Value::Null)
}

/// Where a page sends an anonymous visitor: sign-in, coming back to `path`.
pub fn login_redirect(path: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
    format!("/auth/login?return_to={encoded}")
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

/// The opening tag of the element `id="{id}"` in `html`.
pub fn tag_of<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let start = html[..at].rfind('<').unwrap();
    &html[start..at + html[at..].find('>').unwrap()]
}

/// The ids in the `aria-describedby` of the element `id="{field}"`, and whether it is
/// `aria-invalid`.
pub fn described_by(html: &str, field: &str) -> (Vec<String>, bool) {
    let tag = tag_of(html, field);
    let ids = tag
        .split_once("aria-describedby=\"")
        .map(|(_, rest)| {
            rest[..rest.find('"').unwrap()]
                .split(' ')
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    (ids, tag.contains("aria-invalid=\"true\""))
}

/// A browser of one person: keeps cookies, follows no redirect by itself.
pub struct Browser {
    pub client: reqwest::Client,
    jar: std::sync::Arc<reqwest::cookie::Jar>,
    base: String,
}

impl TestApp {
    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }
}

impl Browser {
    /// A browser with no cookies, for the Flowhost at `base`.
    pub fn new(base: &str) -> Browser {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        Browser {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .cookie_provider(jar.clone())
                .build()
                .unwrap(),
            jar,
            base: base.to_owned(),
        }
    }
}

impl TestApp {
    /// A browser holding an existing session's `Cookie` value (`flowhost_session=…`).
    pub fn browser_with(&self, cookie: &str) -> Browser {
        let browser = self.browser();
        let url = url::Url::parse(&self.base).unwrap();
        browser.jar.add_cookie_str(cookie, &url);
        browser
    }

    /// What the store holds for a browser's session, as JSON text.
    pub async fn session_cookie_record(&self, browser: &Browser) -> Option<String> {
        use tower_sessions::SessionStore as _;
        let id = browser.session_cookie()?.parse().ok()?;
        let record = self.store.load(&id).await.ok()??;
        Some(serde_json::to_string(&record.data).unwrap())
    }
}

/// Where a sign-in ended: the callback's answer.
pub struct Callback {
    /// The callback URL the identity provider sent the browser to.
    pub url: String,
    pub response: Response,
}

impl Browser {
    /// The Flowhost it browses.
    pub fn base(&self) -> &str {
        &self.base
    }

    pub async fn get(&self, path_or_url: &str) -> Response {
        let url = if path_or_url.starts_with("http") {
            path_or_url.to_owned()
        } else {
            format!("{}{path_or_url}", self.base)
        };
        self.client.get(url).send().await.unwrap()
    }

    /// Starts sign-in at `/auth/login?return_to=…` and returns the authorize URL it sent to.
    pub async fn start_sign_in(&self, return_to: &str) -> String {
        let response = self.get(&login_redirect(return_to)).await;
        location(&response)
    }

    /// Picks `upn` on the identity provider's account picker; returns where it sent the
    /// browser (the callback with a code, or with an error).
    pub async fn pick(&self, authorize: &str, upn: &str) -> String {
        let picker = self.get(authorize).await;
        assert_eq!(picker.status(), StatusCode::OK, "the account picker");
        assert!(
            picker.text().await.unwrap().contains(upn),
            "{upn} is offered"
        );
        let url = url::Url::parse(authorize).unwrap();
        let mut form: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        if upn == "cancel" {
            form.push(("cancel".into(), "1".into()));
        } else {
            form.push(("upn".into(), upn.into()));
        }
        let mut action = url.clone();
        action.set_query(None);
        let response = self.client.post(action).form(&form).send().await.unwrap();
        assert!(
            response.status().is_redirection(),
            "the picker redirects: {}",
            response.status()
        );
        response.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_owned()
    }

    /// The whole sign-in as `upn`, ending at Flowhost's callback.
    pub async fn sign_in_as(&self, upn: &str, return_to: &str) -> Callback {
        let authorize = self.start_sign_in(return_to).await;
        let url = self.pick(&authorize, upn).await;
        let response = self.get(&url).await;
        Callback { url, response }
    }

    /// Calls a server function as the page does (a form post from Flowhost's origin); the
    /// status and the JSON answer.
    pub async fn call<F: server_fn::ServerFn>(
        &self,
        args: &[(&str, &str)],
    ) -> (StatusCode, serde_json::Value) {
        let response = self
            .client
            .post(format!("{}{}", self.base, F::PATH))
            .header(header::ORIGIN, &self.base)
            .form(args)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
        )
    }

    /// A form post from Flowhost's own page at `path`; answers without following redirects.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.post_from(path, fields, Some(&self.base)).await
    }

    /// A form post with `origin` as its `Origin` header (none: no header).
    pub async fn post_from(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Response {
        let mut request = self
            .client
            .post(format!("{}{path}", self.base))
            .header(header::ACCEPT, "text/html")
            .form(fields);
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        request.send().await.unwrap()
    }

    /// The page at `path` as text (after one redirect at most, as a browser would show it).
    pub async fn page(&self, path: &str) -> String {
        let response = self.get(path).await;
        let response = if response.status().is_redirection() {
            self.get(response.headers()[header::LOCATION].to_str().unwrap())
                .await
        } else {
            response
        };
        response.text().await.unwrap()
    }

    /// The CSRF token the page at `path` carries in its forms.
    pub async fn csrf(&self, path: &str) -> String {
        let html = self.page(path).await;
        let start = html
            .find("name=\"csrf_token\" value=\"")
            .expect("a form with a CSRF token")
            + 25;
        html[start..].split('"').next().unwrap().to_owned()
    }

    /// `/auth/me` as JSON, or the status it refused with.
    pub async fn me(&self) -> Result<serde_json::Value, StatusCode> {
        let response = self.get("/auth/me").await;
        match response.status() {
            StatusCode::OK => Ok(response.json().await.unwrap()),
            other => Err(other),
        }
    }

    /// The session cookie's value, if the browser holds one.
    pub fn session_cookie(&self) -> Option<String> {
        use reqwest::cookie::CookieStore as _;
        let url = url::Url::parse(&self.base).unwrap();
        let cookies = self.jar.cookies(&url)?;
        cookies.to_str().unwrap().split("; ").find_map(|c| {
            c.strip_prefix(&format!("{COOKIE_NAME}="))
                .map(str::to_owned)
        })
    }
}

/// A browser signed in as `upn` through the sandbox, so its session holds a refresh token.
pub async fn signed_in(app: &TestApp, upn: &str) -> Browser {
    let browser = app.browser();
    let callback = browser.sign_in_as(upn, "/").await;
    assert_eq!(
        callback.response.status(),
        StatusCode::SEE_OTHER,
        "{upn} signs in"
    );
    browser
}

/// How many token requests the sandbox identity provider has answered.
pub async fn token_requests(app: &TestApp) -> u64 {
    let stats: serde_json::Value = reqwest::get(format!("{}/_sandbox/stats", app.sandbox))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    stats["token_requests"].as_u64().unwrap()
}
