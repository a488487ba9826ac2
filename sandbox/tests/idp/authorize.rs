use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, LOCATION};

use crate::support::*;

async fn error_page(sb: &Sandbox, flow: &Flow) -> String {
    let response = sb.authorize(&flow.tenant, &flow.params()).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.headers().get(LOCATION).is_none());
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    response.text().await.unwrap()
}

#[tokio::test]
async fn unknown_client_gets_a_page_not_a_redirect() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("organizations").with("client_id", "00000000-0000-4000-8000-000000000000");
    assert!(error_page(&sb, &flow).await.contains("AADSTS700016"));
}

#[tokio::test]
async fn unregistered_redirect_uri_gets_a_page_not_a_redirect() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("organizations").with("redirect_uri", "https://evil.example/callback");
    assert!(error_page(&sb, &flow).await.contains("AADSTS50011"));
}

#[tokio::test]
async fn request_errors_are_redirected_to_the_app() {
    let sb = Sandbox::start().await;
    let cases = [
        (
            "response_type",
            "id_token",
            "unsupported_response_type",
            "AADSTS700054",
        ),
        ("scope", "profile email", "invalid_request", "AADSTS70011"),
        (
            "code_challenge_method",
            "S512",
            "invalid_request",
            "AADSTS50149",
        ),
        ("nonce", "", "invalid_request", "AADSTS900144"),
        ("prompt", "none", "login_required", "AADSTS50058"),
        (
            "scope",
            "openid https://nowhere.example/.default",
            "invalid_resource",
            "AADSTS500011",
        ),
    ];
    for (name, value, error, code) in cases {
        let flow = Flow::new("organizations").with(name, value);
        let response = sb.authorize("organizations", &flow.params()).await;
        assert_eq!(response.status(), StatusCode::FOUND, "{name}={value}");
        assert!(location(&response).starts_with(REDIRECT));
        let query = redirect_query(&response);
        assert_eq!(query["error"], error, "{name}={value}");
        assert!(
            query["error_description"].starts_with(code),
            "{name}={value}"
        );
        assert!(query["error_description"].contains("\r\nTrace ID: "));
        assert_eq!(query["state"], flow.state);
    }
}

#[tokio::test]
async fn picker_lists_every_work_account_for_organizations() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("organizations");
    let response = sb.authorize("organizations", &flow.params()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("Pick an account"));
    assert!(html.contains("Flowhost"));
    assert!(html.contains("action=\"/organizations/oauth2/v2.0/authorize\""));
    for (name, upn) in [
        ("Alex Wilber", "alex@contoso.example"),
        ("Bianca Pisani", "bianca@fabrikam.example"),
        ("Iris Novak", "iris@flowhost.example"),
        ("Tom Baker", "tom@tailspin.example"),
    ] {
        assert!(
            html.contains(&format!(
                "<button name=\"upn\" value=\"{upn}\">{name}<br>{upn}</button>"
            )),
            "{upn}"
        );
    }
    assert!(html.contains(&format!("name=\"nonce\" value=\"{}\"", flow.nonce)));
    assert!(html.contains("name=\"cancel\" value=\"1\""));
}

#[tokio::test]
async fn tenant_picker_lists_only_that_tenant() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("fabrikam.example");
    let html = sb
        .authorize("fabrikam.example", &flow.params())
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("bianca@fabrikam.example"));
    assert!(!html.contains("alex@contoso.example"));
}

#[tokio::test]
async fn login_hint_comes_first() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("contoso.example").with("login_hint", "adele@contoso.example");
    let html = sb
        .authorize("contoso.example", &flow.params())
        .await
        .text()
        .await
        .unwrap();
    assert!(html.find("adele@contoso.example") < html.find("alex@contoso.example"));
}

#[tokio::test]
async fn cancel_is_access_denied() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("organizations");
    let path = "/organizations/oauth2/v2.0/authorize";
    let response = sb.press(path, &flow.params(), ("cancel", "1")).await;
    let query = redirect_query(&response);
    assert_eq!(query["error"], "access_denied");
    assert!(
        query["error_description"]
            .starts_with("AADSTS65004: User declined to consent to access the app.\r\n")
    );
}

#[tokio::test]
async fn hidden_fields_are_validated_again() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("organizations").with("redirect_uri", "https://evil.example/cb");
    let path = "/organizations/oauth2/v2.0/authorize";
    let response = sb
        .press(path, &flow.params(), ("upn", "alex@contoso.example"))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("AADSTS50011"));
}

#[tokio::test]
async fn user_of_another_tenant_is_refused() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("fabrikam.example");
    let path = "/fabrikam.example/oauth2/v2.0/authorize";
    let response = sb
        .press(path, &flow.params(), ("upn", "alex@contoso.example"))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("AADSTS50020"));
}

#[tokio::test]
async fn form_post_posts_the_code_to_the_app() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("organizations").with("response_mode", "form_post");
    let path = "/organizations/oauth2/v2.0/authorize";
    let response = sb
        .press(path, &flow.params(), ("upn", "alex@contoso.example"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains(&format!(
        "<form method=\"POST\" name=\"hiddenform\" action=\"{REDIRECT}\">"
    )));
    assert!(html.contains("name=\"code\" value=\""));
    assert!(html.contains(&format!("name=\"state\" value=\"{}\"", flow.state)));
    assert!(html.contains("document.forms[0].submit()"));
}

#[tokio::test]
async fn fragment_mode_puts_the_code_in_the_fragment() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("organizations").with("response_mode", "fragment");
    let path = "/organizations/oauth2/v2.0/authorize";
    let response = sb
        .press(path, &flow.params(), ("upn", "alex@contoso.example"))
        .await;
    assert!(location(&response).starts_with(&format!("{REDIRECT}#code=")));
}

#[tokio::test]
async fn logout_redirects_only_to_registered_uris() {
    let sb = Sandbox::start().await;
    let logout = sb.url("/organizations/oauth2/v2.0/logout");
    let registered = sb
        .http
        .get(&logout)
        .query(&[("post_logout_redirect_uri", SIGNED_OUT), ("state", "s1")])
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), StatusCode::FOUND);
    assert_eq!(location(&registered), format!("{SIGNED_OUT}?state=s1"));

    let posted = sb
        .http
        .post(&logout)
        .form(&[("post_logout_redirect_uri", SIGNED_OUT)])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&posted), SIGNED_OUT);

    for query in [
        vec![("post_logout_redirect_uri", "https://evil.example/")],
        vec![],
    ] {
        let page = sb.http.get(&logout).query(&query).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert!(
            page.text()
                .await
                .unwrap()
                .contains("You signed out of your account")
        );
    }
}
