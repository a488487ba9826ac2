//! Sign-in against the sandbox identity provider over real HTTP: each rule Flowhost applies to
//! the authorization response and the ID token.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

const NORA: &str = "nora@northwind.example";
const TOM: &str = "tom@tailspin.example";

/// Asserts the callback refused the sign-in with `status` and a page saying `says`, and that
/// the browser is not signed in.
async fn assert_refused(browser: &Browser, callback: Callback, status: StatusCode, says: &str) {
    let code = callback.response.status();
    let html = callback.response.text().await.unwrap();
    assert_eq!(code, status, "{html}");
    assert!(html.contains(says), "the page says {says:?}: {html}");
    assert_eq!(browser.me().await, Err(StatusCode::UNAUTHORIZED));
}

#[tokio::test]
async fn alex_signs_in_and_comes_back_to_the_page_he_asked_for() {
    let app = spawn().await;
    let browser = app.browser();
    let callback = browser.sign_in_as(ALEX, "/accounts?q=a").await;
    assert_eq!(location(&callback.response), "/accounts?q=a");
    let me = browser.me().await.unwrap();
    assert_eq!(
        me,
        json!({
            "name": "Alex Wilber",
            "email": ALEX,
            "tenant_id": domain::demo::CONTOSO,
            "tenant_name": "Contoso",
            "roles": [],
        })
    );
    let html = browser.get("/accounts").await.text().await.unwrap();
    assert!(html.contains("Alex Wilber") && html.contains("Contoso"));
}

#[tokio::test]
async fn the_session_id_changes_at_sign_in() {
    let app = spawn().await;
    let browser = app.browser();
    let authorize = browser.start_sign_in("/").await;
    let before = browser
        .session_cookie()
        .expect("a session holds the sign-in in progress");
    let callback_url = browser.pick(&authorize, ALEX).await;
    browser.get(&callback_url).await;
    let after = browser.session_cookie().unwrap();
    assert_ne!(before, after);
    // Nothing of the anonymous session carries over.
    use tower_sessions::SessionStore as _;
    let record = app
        .store
        .load(&after.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let mut keys: Vec<_> = record.data.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["refresh_token", "signed_in_at", "user"]);
    // The old id is worth nothing now.
    let old = app
        .get("/auth/me", Some(&format!("flowhost_session={before}")))
        .await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn roles_come_from_the_token_and_isv_admin_only_from_the_isv_tenant() {
    let app = spawn().await;
    let adele = app.browser();
    adele.sign_in_as(ADELE, "/").await;
    assert_eq!(
        adele.me().await.unwrap()["roles"],
        json!(["Flowhost.TenantAdmin"])
    );

    let iris = app.browser();
    iris.sign_in_as(IRIS, "/").await;
    let me = iris.me().await.unwrap();
    assert_eq!(me["roles"], json!(["Flowhost.IsvAdmin"]));
    assert_eq!(me["tenant_id"], sandbox::ISV_TENANT_ID);
    // The ISV's tenant is registered on first sign-in.
    let isv = domain::TenantId::parse(sandbox::ISV_TENANT_ID).unwrap();
    assert!(app.db.tenant(&isv).await.unwrap().is_some());
}

#[tokio::test]
async fn an_organisation_that_is_not_registered_gets_the_not_set_up_page() {
    let app = spawn().await;
    let nora = app.browser();
    let callback = nora.sign_in_as(NORA, "/").await;
    assert_refused(
        &nora,
        callback,
        StatusCode::FORBIDDEN,
        "has not been set up",
    )
    .await;
}

#[tokio::test]
async fn allowed_tenants_decides_instead_of_the_database() {
    let app =
        spawn_with(|name| (name == "ALLOWED_TENANTS").then(|| domain::demo::FABRIKAM.to_owned()))
            .await;
    let alex = app.browser();
    let callback = alex.sign_in_as(ALEX, "/").await;
    assert_refused(
        &alex,
        callback,
        StatusCode::FORBIDDEN,
        "has not been set up",
    )
    .await;
    let bianca = app.browser();
    assert_eq!(
        location(&bianca.sign_in_as(BIANCA, "/").await.response),
        "/"
    );
    let iris = app.browser();
    assert_eq!(location(&iris.sign_in_as(IRIS, "/").await.response), "/");
}

#[tokio::test]
async fn missing_consent_gets_the_page_with_the_admin_consent_link() {
    let app = spawn().await;
    let tom = app.browser();
    let callback = tom.sign_in_as(TOM, "/").await;
    let html = callback.response.text().await.unwrap();
    assert!(html.contains("has not approved Flowhost"));
    let link = format!(
        "{}/organizations/v2.0/adminconsent?client_id={}",
        app.sandbox,
        sandbox::CLIENT_ID
    );
    assert!(html.contains(&link), "{html}");
    assert_eq!(tom.me().await, Err(StatusCode::UNAUTHORIZED));
}

#[tokio::test]
async fn cancelling_at_the_provider_gets_the_cancelled_page() {
    let app = spawn().await;
    let browser = app.browser();
    let authorize = browser.start_sign_in("/accounts").await;
    let url = browser.pick(&authorize, "cancel").await;
    let callback = Callback {
        response: browser.get(&url).await,
        url,
    };
    assert_refused(
        &browser,
        callback,
        StatusCode::UNAUTHORIZED,
        "Sign-in cancelled",
    )
    .await;
}

#[tokio::test]
async fn a_replayed_callback_signs_no_one_in() {
    let app = spawn().await;
    let alex = app.browser();
    let callback = alex.sign_in_as(ALEX, "/").await;
    assert_eq!(callback.response.status(), StatusCode::SEE_OTHER);
    // The same callback again, in Alex's browser and in another one.
    let again = alex.get(&callback.url).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    let thief = app.browser();
    let stolen = thief.get(&callback.url).await;
    assert_eq!(stolen.status(), StatusCode::BAD_REQUEST);
    assert!(
        stolen
            .text()
            .await
            .unwrap()
            .contains("Please sign in again")
    );
    assert_eq!(thief.me().await, Err(StatusCode::UNAUTHORIZED));
}

#[tokio::test]
async fn a_callback_whose_state_is_not_ours_is_refused() {
    let app = spawn().await;
    let browser = app.browser();
    let authorize = browser.start_sign_in("/").await;
    let url = browser.pick(&authorize, ALEX).await;
    let mut tampered = url::Url::parse(&url).unwrap();
    let pairs: Vec<(String, String)> = tampered.query_pairs().into_owned().collect();
    tampered.query_pairs_mut().clear();
    for (k, v) in pairs {
        let v = if k == "state" {
            "forged-state".to_owned()
        } else {
            v
        };
        tampered.query_pairs_mut().append_pair(&k, &v);
    }
    let callback = Callback {
        response: browser.get(tampered.as_str()).await,
        url: tampered.to_string(),
    };
    assert_refused(
        &browser,
        callback,
        StatusCode::BAD_REQUEST,
        "Please sign in again",
    )
    .await;
}

/// Signs in as alex with the next ID token forged as `kind` by the sandbox.
async fn sign_in_with_forged(app: &TestApp, kind: &str) -> (Browser, Callback) {
    control(app, "forge", json!({ "id_token": kind })).await;
    let browser = app.browser();
    let callback = browser.sign_in_as(ALEX, "/").await;
    (browser, callback)
}

#[tokio::test]
async fn id_tokens_that_fail_a_check_are_refused() {
    let app = spawn().await;
    for kind in [
        "bad-signature",
        "alg-none",
        "hs256",
        "wrong-aud",
        "wrong-iss",
        "no-tid",
        "unknown-kid",
        "expired",
    ] {
        let (browser, callback) = sign_in_with_forged(&app, kind).await;
        let status = callback.response.status();
        let html = callback.response.text().await.unwrap();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{kind}: {html}");
        assert!(html.contains("could not be verified"), "{kind}");
        assert_eq!(browser.me().await, Err(StatusCode::UNAUTHORIZED), "{kind}");
    }
    // The same provider, untampered, still signs alex in.
    let browser = app.browser();
    assert_eq!(location(&browser.sign_in_as(ALEX, "/").await.response), "/");
}

#[tokio::test]
async fn an_id_token_with_another_sign_ins_nonce_must_start_again() {
    let app = spawn().await;
    let (browser, callback) = sign_in_with_forged(&app, "wrong-nonce").await;
    assert_refused(
        &browser,
        callback,
        StatusCode::BAD_REQUEST,
        "Please sign in again",
    )
    .await;
}

#[tokio::test]
async fn five_minutes_of_clock_skew_are_tolerated_and_no_more() {
    let app = spawn().await;
    // Tokens live an hour; issued this long ago they expired 2 and 10 minutes ago.
    control(&app, "clock", json!({ "offset_seconds": -(3600 + 120) })).await;
    let browser = app.browser();
    assert_eq!(location(&browser.sign_in_as(ALEX, "/").await.response), "/");

    control(&app, "clock", json!({ "offset_seconds": -(3600 + 600) })).await;
    let late = app.browser();
    let callback = late.sign_in_as(ALEX, "/").await;
    assert_refused(
        &late,
        callback,
        StatusCode::UNAUTHORIZED,
        "could not be verified",
    )
    .await;

    // Issued ten minutes in the future: not valid yet.
    control(&app, "clock", json!({ "offset_seconds": 600 })).await;
    let early = app.browser();
    let callback = early.sign_in_as(ALEX, "/").await;
    assert_refused(
        &early,
        callback,
        StatusCode::UNAUTHORIZED,
        "could not be verified",
    )
    .await;
}

async fn jwks_requests(app: &TestApp) -> u64 {
    let stats: serde_json::Value = reqwest::get(format!("{}/_sandbox/stats", app.sandbox))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    stats["jwks_requests"].as_u64().unwrap()
}

#[tokio::test]
async fn a_rotated_signing_key_is_fetched_and_accepted() {
    let app = spawn_adjusted(
        |_| None,
        |config| config.keys_refetch_interval = Duration::ZERO,
    )
    .await;
    app.browser().sign_in_as(ALEX, "/").await;
    assert_eq!(jwks_requests(&app).await, 1);
    control(&app, "keys/rotate", json!({})).await;
    let browser = app.browser();
    assert_eq!(location(&browser.sign_in_as(ALEX, "/").await.response), "/");
    assert_eq!(jwks_requests(&app).await, 2);
}

#[tokio::test]
async fn unknown_keys_make_flowhost_fetch_keys_at_most_once_a_minute() {
    let app = spawn().await;
    app.browser().sign_in_as(ALEX, "/").await;
    for _ in 0..3 {
        let (_, callback) = sign_in_with_forged(&app, "unknown-kid").await;
        assert_eq!(callback.response.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        jwks_requests(&app).await,
        1,
        "the keys were fetched within the minute"
    );
}

#[tokio::test]
async fn return_to_only_leads_to_flowhost_pages() {
    let app = spawn().await;
    for target in [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/..//evil.example",
        "/auth/logout",
    ] {
        let browser = app.browser();
        let callback = browser.sign_in_as(ALEX, target).await;
        assert_eq!(location(&callback.response), "/", "{target}");
    }
}

#[tokio::test]
async fn anonymous_pages_redirect_to_sign_in_and_apis_answer_401() {
    let app = spawn().await;
    let response = app.get("/accounts/3/tickets/7?tab=x", None).await;
    assert_eq!(
        location(&response),
        "/auth/login?return_to=%2Faccounts%2F3%2Ftickets%2F7%3Ftab%3Dx"
    );
    let me = app.get("/auth/me", None).await;
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = me.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
}

#[tokio::test]
async fn the_refresh_token_is_kept_encrypted_in_the_session() {
    use tower_sessions::SessionStore as _;
    let app = spawn().await;
    let browser = app.browser();
    browser.sign_in_as(ALEX, "/").await;
    let id = browser.session_cookie().unwrap().parse().unwrap();
    let record = app.store.load(&id).await.unwrap().unwrap();
    let sealed = record.data["refresh_token"].as_str().unwrap();
    let user = domain::demo::user(ALEX).unwrap();
    let token = app
        .token_key
        .open(sealed, &format!("{}:{}", user.tenant_id, user.object_id))
        .expect("sealed for alex");
    assert_ne!(sealed, token);
    // It is the real refresh token: the provider redeems it.
    let response = reqwest::Client::new()
        .post(format!("{}/organizations/oauth2/v2.0/token", app.sandbox))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", sandbox::CLIENT_ID),
            ("client_secret", sandbox::CLIENT_SECRET),
            ("refresh_token", &token),
            ("scope", "https://service.flow.microsoft.com//.default"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // Nowhere in the pages.
    let html = browser.get("/accounts").await.text().await.unwrap();
    assert!(!html.contains(&token) && !html.contains(sealed));
}

#[tokio::test]
async fn sign_out_needs_the_form_token_and_ends_the_session_at_the_provider() {
    let app = spawn().await;
    let browser = app.browser();
    browser.sign_in_as(ALEX, "/").await;
    let cookie = format!("flowhost_session={}", browser.session_cookie().unwrap());

    let forged = app
        .post_form("/auth/logout", &cookie, &[("csrf_token", "guess")])
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(browser.me().await.is_ok(), "still signed in");

    let token = app.csrf("/accounts", &cookie).await;
    let response = app
        .post_form("/auth/logout", &cookie, &[("csrf_token", &token)])
        .await;
    let end_session = location(&response);
    let expected = format!(
        "{}/organizations/oauth2/v2.0/logout?post_logout_redirect_uri={}&ui_locales=en&mkt=en-US",
        app.sandbox,
        url::form_urlencoded::byte_serialize(format!("{}/auth/signed-out", app.base).as_bytes())
            .collect::<String>()
    );
    assert_eq!(end_session, expected);
    // The provider accepts the way back, and the old cookie opens nothing.
    let back = browser.get(&end_session).await;
    assert_eq!(
        back.headers()["location"],
        format!("{}/auth/signed-out", app.base)
    );
    assert_eq!(browser.me().await, Err(StatusCode::UNAUTHORIZED));
    assert_eq!(
        app.get("/accounts", Some(&cookie)).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_lifetime_however_active() {
    use tower_sessions::SessionStore as _;
    let app = spawn_with(|name| (name == "SESSION_ABSOLUTE_HOURS").then(|| "1".to_owned())).await;
    let browser = app.browser();
    browser.sign_in_as(ALEX, "/").await;
    assert!(browser.me().await.is_ok());
    // Signed in 61 minutes ago.
    let id = browser.session_cookie().unwrap().parse().unwrap();
    let mut record = app.store.load(&id).await.unwrap().unwrap();
    let then = time::OffsetDateTime::now_utc().unix_timestamp() - 61 * 60;
    record.data.insert("signed_in_at".into(), then.into());
    app.store.save(&record).await.unwrap();
    assert_eq!(browser.me().await, Err(StatusCode::UNAUTHORIZED));
}

#[tokio::test]
async fn an_unreachable_provider_gets_the_try_again_page() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let authority = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    // An Azure AD app whose sign-in host does not answer.
    let key = server::auth::TokenKey::generate_base64();
    let app = spawn_with(move |name| match name {
        "AZURE_AUTHORITY" => Some(authority.clone()),
        "AZURE_CLIENT_ID" => Some(sandbox::CLIENT_ID.into()),
        "AZURE_CLIENT_SECRET" => Some(sandbox::CLIENT_SECRET.into()),
        "ISV_TENANT_ID" => Some(sandbox::ISV_TENANT_ID.into()),
        "TOKEN_ENCRYPTION_KEY" => Some(key.clone()),
        _ => None,
    })
    .await;
    let response = app.get("/auth/login?return_to=/accounts", None).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let html = response.text().await.unwrap();
    assert!(html.contains("Microsoft sign-in is not available"));
    assert!(html.contains("href=\"/auth/login?return_to=%2Faccounts\""));
}

#[tokio::test]
async fn a_failing_token_endpoint_gets_the_try_again_page() {
    let app = spawn().await;
    control(&app, "token-endpoint", json!({ "mode": "error" })).await;
    let browser = app.browser();
    let callback = browser.sign_in_as(ALEX, "/").await;
    assert_refused(
        &browser,
        callback,
        StatusCode::SERVICE_UNAVAILABLE,
        "not available",
    )
    .await;
}
