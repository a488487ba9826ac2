//! Sign-out holds: a request still in flight cannot sign the browser in again, and the Flow
//! tokens cached for the session are not handed out after it.

use crate::support::*;
use app::widgets::GetFlowToken;
use reqwest::StatusCode;
use serde_json::json;
use server::sessions::COOKIE_NAME;

const FLOW: &str = "https://service.flow.microsoft.com/";

/// The access token a widget of `browser` gets.
async fn flow_token(browser: &Browser) -> String {
    let (status, answer) = browser.call::<GetFlowToken>(&[("resource", FLOW)]).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer["Token"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("a token: {answer}"))
        .to_owned()
}

/// Signs the session behind `cookie` out through the sign-out form.
async fn sign_out(app: &TestApp, cookie: &str) {
    let csrf = app.csrf("/accounts", cookie).await;
    let response = app
        .post_form("/auth/logout", cookie, &[("csrf_token", &csrf)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "signed out");
}

#[tokio::test]
async fn a_token_request_in_flight_across_sign_out_does_not_sign_the_browser_in_again() {
    let app = spawn().await;
    let alex = signed_in(&app, ALEX).await;
    let cookie = format!("{COOKIE_NAME}={}", alex.session_cookie().unwrap());
    let csrf = app.csrf("/accounts", &cookie).await;

    // The identity provider holds the refresh grant until told otherwise.
    control(&app, "token-endpoint", json!({"mode": "hold"})).await;
    let before = token_requests(&app).await;
    let in_flight = alex.call::<GetFlowToken>(&[("resource", FLOW)]);
    let meanwhile = async {
        while token_requests(&app).await == before {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        let response = app
            .post_form("/auth/logout", &cookie, &[("csrf_token", &csrf)])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "signed out");
        assert_eq!(
            app.get("/auth/me", Some(&cookie)).await.status(),
            StatusCode::UNAUTHORIZED
        );
        control(&app, "token-endpoint", json!({"mode": "ok"})).await;
    };
    let ((status, answer), ()) = tokio::join!(in_flight, meanwhile);
    // The request finished after the sign-out (with a rotated refresh token to keep).
    assert_eq!(status, StatusCode::OK, "{answer}");

    assert_eq!(
        app.get("/auth/me", Some(&cookie)).await.status(),
        StatusCode::UNAUTHORIZED,
        "the old cookie stays signed out"
    );
    assert_eq!(alex.me().await, Err(StatusCode::UNAUTHORIZED));
    // Signing in again (a new anonymous session, then a new id at sign-in) still works.
    alex.sign_in_as(ALEX, "/").await;
    assert_eq!(alex.me().await.unwrap()["email"], ALEX);
    assert_ne!(
        alex.session_cookie().unwrap(),
        cookie.split('=').nth(1).unwrap()
    );
}

#[tokio::test]
async fn after_sign_out_the_cached_flow_token_is_not_handed_out_again() {
    let app = spawn().await;
    let alex = signed_in(&app, ALEX).await;
    let cached = flow_token(&alex).await;
    assert_eq!(flow_token(&alex).await, cached, "served from the cache");
    let cookie = format!("{COOKIE_NAME}={}", alex.session_cookie().unwrap());
    sign_out(&app, &cookie).await;

    // Alex signs in again: the widget gets a token minted now, not the one cached before.
    let again = signed_in(&app, ALEX).await;
    let before = token_requests(&app).await;
    let fresh = flow_token(&again).await;
    assert!(
        fresh != cached,
        "the token cached before sign-out was handed out"
    );
    assert_eq!(
        token_requests(&app).await,
        before + 1,
        "a new refresh grant"
    );
}
