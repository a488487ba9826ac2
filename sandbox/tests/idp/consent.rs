use reqwest::StatusCode;

use crate::support::*;

fn consent_params(state: &str) -> Vec<(String, String)> {
    [
        ("client_id", sandbox::CLIENT_ID),
        ("scope", "https://graph.microsoft.com/.default"),
        ("redirect_uri", REDIRECT),
        ("state", state),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

#[tokio::test]
async fn unconsented_tenant_gets_consent_required() {
    let sb = Sandbox::start().await;
    let flow = Flow::new("organizations");
    let query = sb.pick(&flow, "tom@tailspin.example").await;
    assert_eq!(query["error"], "consent_required");
    assert_eq!(query["state"], flow.state);
    let expected = format!(
        "AADSTS65001: The user or administrator has not consented to use the application with ID '{}' named 'Flowhost'. Send an interactive authorization request for this user and resource.\r\nTrace ID: ",
        sandbox::CLIENT_ID
    );
    assert!(query["error_description"].starts_with(&expected));
    assert!(query["error_description"].contains("\r\nCorrelation ID: "));
    assert!(query["error_description"].contains("\r\nTimestamp: "));
}

#[tokio::test]
async fn admin_consent_lets_the_tenant_sign_in() {
    let sb = Sandbox::start().await;
    let path = "/tailspin.example/v2.0/adminconsent";
    let params = consent_params("c1");
    let page = sb
        .http
        .get(sb.url(path))
        .query(&params)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("value=\"tara@tailspin.example\""));
    assert!(!html.contains("value=\"tom@tailspin.example\""));
    assert!(!html.contains("adele@contoso.example"));

    let refused = sb
        .press(path, &params, ("admin", "tom@tailspin.example"))
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(refused.text().await.unwrap().contains("AADSTS90094"));

    let accepted = sb
        .press(path, &params, ("admin", "tara@tailspin.example"))
        .await;
    assert_eq!(accepted.status(), StatusCode::FOUND);
    assert_eq!(
        location(&accepted),
        format!(
            "{REDIRECT}?admin_consent=True&tenant={TAILSPIN}&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&state=c1"
        )
    );

    let (_, tokens) = sb.sign_in("tom@tailspin.example").await;
    let (_, claims) = decode(tokens["id_token"].as_str().unwrap());
    assert_eq!(claims["tid"], TAILSPIN);
}

#[tokio::test]
async fn admin_consent_cancel_reports_65004() {
    let sb = Sandbox::start().await;
    let params = consent_params("c2");
    let response = sb
        .press("/organizations/adminconsent", &params, ("cancel", "1"))
        .await;
    let query = redirect_query(&response);
    assert_eq!(query["admin_consent"], "True");
    assert_eq!(query["error"], "consent_required");
    assert!(query["error_description"].starts_with("AADSTS65004: "));
    assert_eq!(query["state"], "c2");
}

#[tokio::test]
async fn admin_consent_refuses_common() {
    let sb = Sandbox::start().await;
    let url = sb.url("/common/v2.0/adminconsent");
    let page = sb
        .http
        .get(url)
        .query(&consent_params("c3"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert!(page.text().await.unwrap().contains("AADSTS90130"));
}
