//! The server's own pages in the visitor's language: the refusals of the request limits, the
//! outcomes of signing in and out, and the sign-in Flowhost asks Microsoft to show. The
//! language is the one chosen with the switch (the `flowhost_lang` cookie), else the browser's
//! `Accept-Language`, else English.

use crate::support::*;
use axum::Router;
use axum::routing::get;
use domain::demo::CONTOSO;
use reqwest::{StatusCode, header};
use server::auth::SignInLimit;
use server::config::Limits;
use std::collections::HashMap;
use std::time::Duration;

const NORA: &str = "nora@northwind.example";

/// How a request says it wants Dutch.
#[derive(Clone, Copy, Debug)]
enum Dutch {
    /// The browser's language.
    AcceptLanguage,
    /// The language switch's cookie, over an English browser.
    Cookie,
}

const BOTH: [Dutch; 2] = [Dutch::AcceptLanguage, Dutch::Cookie];

/// A browser that keeps cookies, follows no redirect, and asks for Dutch the way `dutch` says.
fn browser(dutch: Option<Dutch>, base: &str) -> reqwest::Client {
    browser_in(dutch, base, None)
}

/// As [`browser`], holding a session's `Cookie` value (`flowhost_session=…`).
fn browser_in(dutch: Option<Dutch>, base: &str, session: Option<&str>) -> reqwest::Client {
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    if let Some(session) = session {
        jar.add_cookie_str(session, &url::Url::parse(base).unwrap());
    }
    let mut headers = header::HeaderMap::new();
    match dutch {
        Some(Dutch::AcceptLanguage) => {
            headers.insert(
                header::ACCEPT_LANGUAGE,
                "nl-NL,nl;q=0.9,en;q=0.5".parse().unwrap(),
            );
        }
        Some(Dutch::Cookie) => {
            headers.insert(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9".parse().unwrap());
            jar.add_cookie_str(
                &format!("{}=nl; Path=/", i18n::COOKIE),
                &url::Url::parse(base).unwrap(),
            );
        }
        None => {}
    }
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_provider(jar)
        .default_headers(headers)
        .build()
        .unwrap()
}

fn dutch_page(html: &str) {
    assert!(html.contains("<html lang=\"nl\""), "{html}");
}

fn query(url: &str) -> HashMap<String, String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

fn redirect(response: &reqwest::Response) -> String {
    assert!(response.status().is_redirection(), "{}", response.status());
    response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned()
}

/// Starts sign-in, picks `upn` on the sandbox's picker, and returns the callback's answer.
async fn sign_in(client: &reqwest::Client, app: &TestApp, upn: &str) -> reqwest::Response {
    let login = client
        .get(format!("{}{}", app.base, login_redirect("/")))
        .send()
        .await
        .unwrap();
    let authorize = redirect(&login);
    let mut form: Vec<(String, String)> = query(&authorize).into_iter().collect();
    form.push(("upn".into(), upn.into()));
    let mut action = url::Url::parse(&authorize).unwrap();
    action.set_query(None);
    let picked = client.post(action).form(&form).send().await.unwrap();
    let callback = redirect(&picked);
    client.get(callback).send().await.unwrap()
}

#[tokio::test]
async fn flowhost_asks_microsoft_for_the_sign_in_page_in_the_visitors_language() {
    let app = spawn().await;
    for dutch in BOTH {
        let client = browser(Some(dutch), &app.base);
        let login = client
            .get(format!("{}{}", app.base, login_redirect("/accounts")))
            .send()
            .await
            .unwrap();
        let authorize = redirect(&login);
        let asked = query(&authorize);
        assert_eq!(asked["ui_locales"], "nl", "{dutch:?}: {authorize}");
        assert_eq!(asked["mkt"], "nl-NL", "{dutch:?}: {authorize}");

        // The sandbox's picker follows it even for a browser that does not say Dutch.
        let picker = reqwest::get(&authorize).await.unwrap();
        assert_eq!(picker.status(), StatusCode::OK);
        let html = picker.text().await.unwrap();
        assert!(html.contains("<h1>Een account kiezen</h1>"), "{html}");
        assert!(html.contains(ALEX), "{html}");
    }

    let english = browser(None, &app.base);
    let login = english
        .get(format!("{}{}", app.base, login_redirect("/accounts")))
        .send()
        .await
        .unwrap();
    let authorize = redirect(&login);
    let asked = query(&authorize);
    assert_eq!(
        (asked["ui_locales"].as_str(), asked["mkt"].as_str()),
        ("en", "en-US")
    );
    let html = reqwest::get(&authorize)
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<h1>Pick an account</h1>"), "{html}");
}

#[tokio::test]
async fn a_dutch_visitor_signs_in_and_comes_back_to_the_page() {
    let app = spawn().await;
    let client = browser(Some(Dutch::Cookie), &app.base);
    let callback = sign_in(&client, &app, ALEX).await;
    assert_eq!(redirect(&callback), "/");
}

#[tokio::test]
async fn a_sign_in_refusal_page_is_dutch() {
    let app = spawn().await;
    for dutch in BOTH {
        let client = browser(Some(dutch), &app.base);
        let refused = sign_in(&client, &app, NORA).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{dutch:?}");
        let html = refused.text().await.unwrap();
        dutch_page(&html);
        assert!(
            html.contains("Je organisatie is nog niet ingesteld"),
            "{dutch:?}: {html}"
        );
        assert!(
            html.contains(">Aanmelden met een ander account<"),
            "{dutch:?}: {html}"
        );
        assert!(!html.contains("has not been set up"), "{dutch:?}: {html}");
    }
    let english = sign_in(&browser(None, &app.base), &app, NORA).await;
    assert!(
        english
            .text()
            .await
            .unwrap()
            .contains("Your organisation has not been set up")
    );
}

#[tokio::test]
async fn the_admin_consent_page_is_asked_for_in_the_visitors_language() {
    let app = spawn().await;
    for (dutch, asked_for, heading) in [
        (
            Some(Dutch::Cookie),
            ("nl", "nl-NL"),
            "<h1>Aangevraagde machtigingen</h1>",
        ),
        (None, ("en", "en-US"), "<h1>Permissions requested</h1>"),
    ] {
        let client = browser(dutch, &app.base);
        let refused = sign_in(&client, &app, "tom@tailspin.example").await;
        let html = refused.text().await.unwrap();
        let start = html.find("/v2.0/adminconsent?").expect("a consent link");
        let href_start = html[..start].rfind('"').unwrap() + 1;
        let href_end = start + html[start..].find('"').unwrap();
        let link = html[href_start..href_end].replace("&amp;", "&");
        let asked = query(&link);
        assert_eq!(
            (asked["ui_locales"].as_str(), asked["mkt"].as_str()),
            asked_for,
            "{dutch:?}: {link}"
        );
        // The consent page follows the link's language even for a browser that asks for none.
        let page = reqwest::get(&link).await.unwrap().text().await.unwrap();
        assert!(page.contains(heading), "{dutch:?}: {page}");
    }
}

#[tokio::test]
async fn cancelling_and_the_signed_out_page_are_dutch() {
    let app = spawn().await;
    let client = browser(Some(Dutch::AcceptLanguage), &app.base);
    let login = client
        .get(format!("{}{}", app.base, login_redirect("/")))
        .send()
        .await
        .unwrap();
    let authorize = redirect(&login);
    let mut form: Vec<(String, String)> = query(&authorize).into_iter().collect();
    form.push(("cancel".into(), "1".into()));
    let mut action = url::Url::parse(&authorize).unwrap();
    action.set_query(None);
    let cancelled = client.post(action).form(&form).send().await.unwrap();
    let page = client.get(redirect(&cancelled)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::UNAUTHORIZED);
    assert!(page.text().await.unwrap().contains("Aanmelden geannuleerd"));

    let signed_out = client
        .get(format!("{}/auth/signed-out", app.base))
        .send()
        .await
        .unwrap();
    let html = signed_out.text().await.unwrap();
    assert!(
        html.contains("Je bent afgemeld") && html.contains(">Opnieuw aanmelden<"),
        "{html}"
    );
}

#[tokio::test]
async fn a_413_page_is_dutch() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let (account, _) = app.first_records(CONTOSO).await;
    let form = format!("/accounts/{account}/tickets/new");
    let csrf = app.csrf(&form, &alex).await;
    let description = "x".repeat(70 * 1024);
    for dutch in BOTH {
        let client = browser_in(Some(dutch), &app.base, Some(&alex));
        let response = client
            .post(format!("{}{form}", app.base))
            .header(header::ORIGIN, &app.base)
            .header(header::ACCEPT, "text/html")
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("title", "Te veel"),
                ("description", description.as_str()),
                ("priority", "normal"),
                ("requester", "pat@adventure-works.example"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "{dutch:?}"
        );
        let html = response.text().await.unwrap();
        dutch_page(&html);
        assert!(
            html.contains("Te veel om te versturen"),
            "{dutch:?}: {html}"
        );
        assert!(html.contains("hoogstens 64 KB"), "{dutch:?}: {html}");
        assert!(html.contains(">Naar accounts<"), "{dutch:?}: {html}");
    }
}

#[tokio::test]
async fn a_script_keeps_its_error_code_and_reads_the_message_in_its_language() {
    let app = spawn().await;
    let body = "x".repeat(70 * 1024);
    for (dutch, says) in [
        (Some(Dutch::AcceptLanguage), "hoogstens 64 KB"),
        (None, "64 KB at most"),
    ] {
        let answer = browser(dutch, &app.base)
            .post(format!("{}/api/anything", app.base))
            .header(header::ORIGIN, &app.base)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let json: serde_json::Value = answer.json().await.unwrap();
        assert_eq!(json["error"]["code"], "too_large");
        assert!(
            json["error"]["message"].as_str().unwrap().contains(says),
            "{json}"
        );
    }
}

#[tokio::test]
async fn a_cross_site_post_and_an_expired_sign_out_are_refused_in_dutch() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let client = browser_in(Some(Dutch::Cookie), &app.base, Some(&alex));
    let cross_site = client
        .post(format!("{}/auth/logout", app.base))
        .header(header::ORIGIN, "https://elsewhere.example")
        .header(header::ACCEPT, "text/html")
        .form(&[("csrf_token", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    let html = cross_site.text().await.unwrap();
    assert!(
        html.contains("Verzoek geweigerd") && html.contains("niet van een pagina van Flowhost"),
        "{html}"
    );

    let expired = client
        .post(format!("{}/auth/logout", app.base))
        .header(header::ORIGIN, &app.base)
        .form(&[("csrf_token", "not the token")])
        .send()
        .await
        .unwrap();
    assert_eq!(expired.status(), StatusCode::FORBIDDEN);
    assert!(expired.text().await.unwrap().contains("Afmelden geweigerd"));
}

#[tokio::test]
async fn too_many_sign_in_attempts_say_how_long_to_wait_in_dutch() {
    let app = spawn_adjusted(
        |_| None,
        |config| {
            config.sign_in_limit = SignInLimit {
                burst: 1,
                every: Duration::from_secs(60),
            }
        },
    )
    .await;
    let client = browser(Some(Dutch::AcceptLanguage), &app.base);
    let path = format!("{}{}", app.base, login_redirect("/"));
    assert_eq!(
        client.get(&path).send().await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    let refused = client.get(&path).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = refused.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .to_owned();
    let html = refused.text().await.unwrap();
    assert!(html.contains("Te veel aanmeldpogingen"), "{html}");
    assert!(
        html.contains(&format!(
            "Wacht {wait} seconden en probeer het dan opnieuw."
        )),
        "{html}"
    );
}

async fn broken() -> &'static str {
    panic!("the handler broke")
}

#[tokio::test]
async fn a_panicking_handlers_page_is_in_the_requests_language() {
    let app = Router::new().route("/boom", get(broken));
    let limits = Limits::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(server::serve_with(
        listener,
        server::protect(app, &limits),
        &limits,
    ));
    for (dutch, says) in [
        (Some(Dutch::AcceptLanguage), "Er is iets misgegaan"),
        (Some(Dutch::Cookie), "Er is iets misgegaan"),
        (None, "Something went wrong"),
    ] {
        let response = browser(dutch, &base)
            .get(format!("{base}/boom"))
            .header(header::ACCEPT, "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(response.text().await.unwrap().contains(says), "{dutch:?}");
    }
}

#[tokio::test]
async fn a_refused_form_is_answered_in_the_visitors_language() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    for (dutch, title, says) in [
        (
            Some(Dutch::Cookie),
            "Toegang geweigerd",
            "Je account heeft niet de rol die hiervoor nodig is.",
        ),
        (
            Some(Dutch::AcceptLanguage),
            "Toegang geweigerd",
            "Je account heeft niet de rol die hiervoor nodig is.",
        ),
        (
            None,
            "Access denied",
            "Your account does not have the role this needs.",
        ),
    ] {
        let response = browser_in(dutch, &app.base, Some(&alex))
            .post(format!("{}/settings/flows", app.base))
            .header(header::ORIGIN, &app.base)
            .form(&[("csrf_token", "x"), ("environment", "Default-1")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{dutch:?}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains(title) && html.contains(says),
            "{dutch:?}: {html}"
        );
    }
}

#[tokio::test]
async fn signing_out_asks_microsoft_for_the_visitors_language_too() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let token = app.csrf("/accounts", &alex).await;
    let client = browser_in(Some(Dutch::Cookie), &app.base, Some(&alex));
    let response = client
        .post(format!("{}/auth/logout", app.base))
        .header(header::ORIGIN, &app.base)
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    let end_session = redirect(&response);
    let asked = query(&end_session);
    assert_eq!(
        (asked["ui_locales"].as_str(), asked["mkt"].as_str()),
        ("nl", "nl-NL")
    );
    let back = client.get(&end_session).send().await.unwrap();
    assert_eq!(
        redirect(&back),
        format!("{}/auth/signed-out", app.base),
        "the provider accepts the way back"
    );
}
