//! The sign-in pages speak the language the app asks for (`ui_locales`, else `mkt`), else the
//! browser's, else English; Azure AD's error texts stay English.

use reqwest::StatusCode;
use reqwest::header::ACCEPT_LANGUAGE;

use crate::support::*;

async fn picker(sb: &Sandbox, flow: &Flow, accept_language: Option<&str>) -> String {
    let url = sb.url(&format!("/{}/oauth2/v2.0/authorize", flow.tenant));
    let mut request = sb.http.get(url).query(&flow.params());
    if let Some(accept) = accept_language {
        request = request.header(ACCEPT_LANGUAGE, accept);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

fn is_dutch(html: &str) {
    assert!(html.contains("<html lang=\"nl\">"), "{html}");
    assert!(html.contains("<h1>Een account kiezen</h1>"), "{html}");
    assert!(
        html.contains("om door te gaan naar <strong>Flowhost</strong>"),
        "{html}"
    );
    assert!(
        html.contains("<title>Aanmelden bij je account</title>"),
        "{html}"
    );
    assert!(html.contains(">Annuleren</button>"), "{html}");
    assert!(!html.contains("Pick an account"), "{html}");
}

fn is_english(html: &str) {
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(html.contains("<h1>Pick an account</h1>"), "{html}");
    assert!(
        html.contains("to continue to <strong>Flowhost</strong>"),
        "{html}"
    );
    assert!(html.contains(">Cancel</button>"), "{html}");
}

#[tokio::test]
async fn the_picker_speaks_dutch_when_the_app_asks_with_ui_locales_or_mkt() {
    let sb = Sandbox::start().await;
    is_dutch(
        &picker(
            &sb,
            &Flow::new("organizations").with("ui_locales", "nl"),
            None,
        )
        .await,
    );
    is_dutch(
        &picker(
            &sb,
            &Flow::new("organizations").with("ui_locales", "fr-FR nl-BE"),
            None,
        )
        .await,
    );
    is_dutch(&picker(&sb, &Flow::new("organizations").with("mkt", "nl-NL"), None).await);
    // What the app asks for comes before the browser's language.
    let english = Flow::new("organizations").with("ui_locales", "en");
    is_english(&picker(&sb, &english, Some("nl-NL,nl;q=0.9")).await);
}

#[tokio::test]
async fn the_picker_follows_the_browser_else_speaks_english() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("organizations");
    is_dutch(&picker(&sb, &flow, Some("nl-NL,nl;q=0.9,en;q=0.8")).await);
    is_english(&picker(&sb, &flow, Some("en-GB,en;q=0.9")).await);
    is_english(&picker(&sb, &flow, Some("fr-FR")).await);
    is_english(&picker(&sb, &flow, None).await);
    // A language the sandbox does not speak is passed over for the browser's.
    is_dutch(
        &picker(
            &sb,
            &Flow::new("organizations").with("ui_locales", "de"),
            Some("nl"),
        )
        .await,
    );
}

#[tokio::test]
async fn the_error_page_is_dutch_around_azure_ads_english_error() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("organizations")
        .with("redirect_uri", "https://evil.example/callback")
        .with("ui_locales", "nl");
    let response = sb.authorize("organizations", &flow.params()).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let html = response.text().await.unwrap();
    assert!(html.contains("<h1>Aanmelden</h1>"), "{html}");
    assert!(
        html.contains("er is een probleem opgetreden bij het aanmelden"),
        "{html}"
    );
    assert!(html.contains("AADSTS50011: The redirect URI"), "{html}");
}

#[tokio::test]
async fn a_picked_account_that_cannot_sign_in_is_refused_in_the_pickers_language() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("fabrikam.example").with("ui_locales", "nl");
    let path = "/fabrikam.example/oauth2/v2.0/authorize";
    let response = sb
        .press(path, &flow.params(), ("upn", "alex@contoso.example"))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"nl\">"), "{html}");
    assert!(html.contains("AADSTS50020"), "{html}");
}

#[tokio::test]
async fn admin_consent_and_sign_out_speak_the_browsers_language() {
    let sb = Sandbox::start().await;
    let consent = sb
        .http
        .get(sb.url("/tailspin.example/v2.0/adminconsent"))
        .header(ACCEPT_LANGUAGE, "nl")
        .query(&[
            ("client_id", sandbox::CLIENT_ID),
            ("scope", "https://graph.microsoft.com/.default"),
            ("redirect_uri", REDIRECT),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(consent.status(), StatusCode::OK);
    let html = consent.text().await.unwrap();
    assert!(
        html.contains("<h1>Aangevraagde machtigingen</h1>"),
        "{html}"
    );
    assert!(html.contains("Accepteren als Tara"), "{html}");

    let signed_out = sb
        .http
        .get(sb.url("/organizations/oauth2/v2.0/logout"))
        .header(ACCEPT_LANGUAGE, "nl-BE")
        .send()
        .await
        .unwrap();
    let html = signed_out.text().await.unwrap();
    assert!(html.contains("Je bent afgemeld bij je account"), "{html}");
    let english = sb
        .http
        .get(sb.url("/organizations/oauth2/v2.0/logout"))
        .send()
        .await
        .unwrap();
    assert!(
        english
            .text()
            .await
            .unwrap()
            .contains("You signed out of your account")
    );
}

#[tokio::test]
async fn the_form_post_page_speaks_the_requests_language() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("organizations")
        .with("response_mode", "form_post")
        .with("mkt", "nl-NL");
    let path = "/organizations/oauth2/v2.0/authorize";
    let response = sb
        .press(path, &flow.params(), ("upn", "alex@contoso.example"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"nl\">"), "{html}");
    assert!(
        html.contains("Klik op Verzenden om door te gaan."),
        "{html}"
    );
    assert!(html.contains("name=\"code\""), "{html}");
}

#[tokio::test]
async fn power_automate_pages_speak_the_locale_of_their_path_or_the_browsers_language() {
    let sb = Sandbox::start().await;
    let get = |path: &str, accept: Option<&str>| {
        let mut request = sb.http.get(format!("{}{path}", sb.flow));
        if let Some(accept) = accept {
            request = request.header(ACCEPT_LANGUAGE, accept);
        }
        request.send()
    };
    let dutch = get("/nl-nl/widgets/manage/flows", None).await.unwrap();
    let html = dutch.text().await.unwrap();
    assert!(
        html.contains("<html lang=\"nl\">") && html.contains(">Laden…</p>"),
        "{html}"
    );
    let english = get("/en-us/widgets/manage/flows", Some("nl"))
        .await
        .unwrap();
    assert!(english.text().await.unwrap().contains(">Loading…</p>"));

    let missing = get("/nl-nl/widgets/manage/nothing", None).await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(
        missing
            .text()
            .await
            .unwrap()
            .contains("Deze widgetpagina bestaat niet")
    );

    let details = get("/environments/E1/flows/F1/details", Some("nl-NL"))
        .await
        .unwrap();
    let html = details.text().await.unwrap();
    assert!(
        html.contains("<h1>Stroom F1</h1>") && html.contains("Omgeving E1"),
        "{html}"
    );
    let details = get("/environments/E1/flows/F1/details", None)
        .await
        .unwrap();
    assert!(details.text().await.unwrap().contains("<h1>Flow F1</h1>"));
}
