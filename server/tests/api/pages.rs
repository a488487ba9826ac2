use crate::support::*;
use domain::demo::{CONTOSO, FABRIKAM};
use reqwest::StatusCode;

#[tokio::test]
async fn anonymous_visitors_are_asked_to_sign_in() {
    let app = spawn().await;
    for path in [
        "/accounts",
        "/accounts/1",
        "/accounts/1/tickets/new",
        "/accounts/1/tickets/1",
        "/settings",
    ] {
        let response = app.get(path, None).await;
        assert_eq!(location(&response), login_redirect(path), "{path}");
    }
}

#[tokio::test]
async fn the_header_names_the_user_and_their_organisation() {
    let app = spawn().await;
    let html = app
        .get("/accounts", Some(&app.sign_in(BIANCA).await))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Bianca Pisani"));
    assert!(html.contains("Fabrikam"));
}

#[tokio::test]
async fn accounts_are_searched_by_name_and_paged() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let html = app
        .get("/accounts", Some(&alex))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("30 accounts"));
    assert!(html.contains("Page 1 of 2"));
    assert_eq!(
        html.matches("<tr>").count(),
        21,
        "a header row and 20 accounts"
    );

    let html = app
        .get("/accounts?page=2", Some(&alex))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Page 2 of 2"));
    assert_eq!(html.matches("<tr>").count(), 11);

    let html = app
        .get("/accounts?q=COHO", Some(&alex))
        .await
        .text()
        .await
        .unwrap();
    let rows = html.matches("<tr>").count() - 1;
    assert!(rows > 0);
    assert_eq!(html.matches(">Coho ").count(), rows, "only Coho accounts");
    assert!(
        tag_of(&html, "q").contains("value=\"COHO\""),
        "the search box shows the search"
    );

    let html = app
        .get("/accounts?q=%25%25nothing", Some(&alex))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("No accounts match “%%nothing”."));
}

#[tokio::test]
async fn an_account_page_shows_its_details_and_tickets() {
    let app = spawn().await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    let response = app
        .get(
            &format!("/accounts/{account}"),
            Some(&app.sign_in(ALEX).await),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("data-testid=\"tickets\""));
    assert!(html.contains(&format!("href=\"/accounts/{account}/tickets/{ticket}\"")));
}

/// A record page sends its data once: nothing is serialised for hydrating the whole page; the
/// widgets and the activity travel only as the props of the islands that use them, the
/// activity already in words, and the widgets' texts once for the page, in its language.
#[tokio::test]
async fn a_record_page_sends_its_widgets_and_activity_once_as_island_props() {
    let app = spawn().await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    let alex = app.sign_in(ALEX).await;
    for (path, widgets) in [
        (
            format!("/accounts/{account}"),
            ["account-templates", "account-flows"],
        ),
        (
            format!("/accounts/{account}/tickets/{ticket}"),
            ["ticket-runtime", "ticket-approvals"],
        ),
    ] {
        let response = app.get(&path, Some(&alex)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let html = response.text().await.unwrap();
        let count = |text: &str| html.matches(text).count();
        assert_eq!(
            count("__RESOLVED_RESOURCES["),
            0,
            "{path}: no hydration data"
        );
        assert_eq!(
            count("data-component=\"FlowWidgets_"),
            1,
            "{path}: one slot"
        );
        assert_eq!(
            count("data-component=\"LiveActivity_"),
            1,
            "{path}: one activity"
        );
        for key in widgets {
            let prop = format!("&quot;key&quot;:&quot;{key}&quot;");
            assert_eq!(count(&prop), 1, "{path}: {key} once");
        }
        assert_eq!(
            count("id=\"flowhost-widget-texts\""),
            1,
            "{path}: texts once"
        );
        assert_eq!(count("Loading Power Automate…"), 1, "{path}: {html}");
        assert!(
            html.contains("&quot;timeline&quot;:&quot;Activity&quot;"),
            "{path}: worded activity"
        );
    }
    let dutch = format!("{alex}; {}=nl", i18n::COOKIE);
    let dutch = app.get(&format!("/accounts/{account}"), Some(&dutch)).await;
    let html = dutch.text().await.unwrap();
    assert!(html.contains("Power Automate wordt geladen…"), "{html}");
}

#[tokio::test]
async fn records_of_another_organisation_are_not_found() {
    let app = spawn().await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    let name = app
        .db
        .scope(&domain::TenantId::parse(CONTOSO).unwrap())
        .account(account)
        .await
        .unwrap()
        .unwrap()
        .name;
    let bianca = app.sign_in(BIANCA).await;
    for path in [
        format!("/accounts/{account}"),
        format!("/accounts/{account}/tickets/new"),
        format!("/accounts/{account}/tickets/{ticket}"),
    ] {
        let response = app.get(&path, Some(&bianca)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains("Page not found"), "{path}");
        assert!(!html.contains(&name), "{path} leaks the account's name");
    }
    // Her own records are there.
    let (own, _) = app.first_records(FABRIKAM).await;
    assert_eq!(
        app.get(&format!("/accounts/{own}"), Some(&bianca))
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn unknown_pages_and_malformed_ids_are_not_found() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let (account, _) = app.first_records(CONTOSO).await;
    for path in [
        "/no-such-page".to_owned(),
        "/accounts/abc".to_owned(),
        "/accounts/0".to_owned(),
        "/accounts/999999".to_owned(),
        format!("/accounts/{account}/tickets/abc"),
        format!("/accounts/{account}/tickets/999999"),
    ] {
        let response = app.get(&path, Some(&alex)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(
            response.text().await.unwrap().contains("Page not found"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn organisation_settings_need_the_tenant_admin_role() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let response = app.get("/settings", Some(&alex)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.unwrap().contains("Access denied"));

    app.sign_in(BIANCA).await;
    let response = app.get("/settings", Some(&app.sign_in(ADELE).await)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("Contoso settings"));
    assert!(html.contains("Adele Vance") && html.contains("Alex Wilber"));
    assert!(
        !html.contains("Bianca"),
        "another organisation's people are not listed"
    );
}

#[tokio::test]
async fn server_functions_check_the_session_and_the_tenant() {
    use server_fn::ServerFn;
    let app = spawn().await;
    let (account, _) = app.first_records(CONTOSO).await;
    let path = <app::api::GetAccount as ServerFn>::PATH;
    let id = account.to_string();

    let call = |cookie: String| {
        let (path, id, base) = (path, id.clone(), app.base.clone());
        async move {
            let response = reqwest::Client::new()
                .post(format!("{base}{path}"))
                .header("cookie", cookie)
                .header("origin", &base)
                .form(&[("id", id.as_str())])
                .send()
                .await
                .unwrap();
            (response.status(), response.text().await.unwrap())
        }
    };
    let (status, body) = call(app.sign_in(ALEX).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("\"tickets\""));
    let (status, body) = call(app.sign_in(BIANCA).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("NotFound"), "{body}");
    let (status, body) = call(String::new()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("Unauthorized"), "{body}");
}
