//! The ISV console and the organisations' Power Automate settings over real HTTP: who may use
//! them, versions, validation, stale edits, import and export, and what record pages then show.

use crate::support::*;
use app::console::GetConsole;
use app::tenant_flows::GetTenantFlows;
use app::widgets::GetWidgetPanel;
use domain::demo::{CONTOSO, FABRIKAM};
use domain::widget_config::{Export, FormValues, WidgetConfig, to_form};
use i18n::Lang;
use reqwest::StatusCode;
use serde_json::Value;

pub(crate) async fn config(app: &TestApp) -> (i64, WidgetConfig) {
    let v = app.db.widget_config().await.unwrap();
    (v.version, v.config)
}

/// Posts a placement form as the editor sends it: the placement's fields with `changes`.
pub(crate) async fn post_placement(
    browser: &Browser,
    key: &str,
    changes: &[(&str, &str)],
    revision: u32,
    intent: &str,
    csrf: &str,
) -> reqwest::Response {
    let p = browser_config_placement(key).await;
    let mut values: FormValues = to_form(&p);
    for (k, v) in changes {
        values.insert((*k).into(), (*v).into());
    }
    let revision = revision.to_string();
    let mut fields: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.extend([
        ("csrf_token", csrf),
        ("revision", revision.as_str()),
        ("intent", intent),
    ]);
    browser
        .post_form(&format!("/admin/widgets/{key}"), &fields)
        .await
}

async fn browser_config_placement(key: &str) -> domain::placement::Placement {
    WidgetConfig::seeded().placement(key).unwrap().clone()
}

/// The widget panel alex's account page gets.
pub(crate) async fn alex_panel(app: &TestApp, page: &str) -> Value {
    let alex = app.browser_with(&app.sign_in(ALEX).await);
    let (account, ticket) = app.first_records(CONTOSO).await;
    let (a, t) = (account.to_string(), ticket.to_string());
    let mut args = vec![("page", page), ("account", a.as_str())];
    if page == "ticket" {
        args.push(("ticket", t.as_str()));
    }
    let (status, panel) = alex.call::<GetWidgetPanel>(&args).await;
    assert_eq!(status, StatusCode::OK, "{panel}");
    panel
}

/// What the override form says under `field`: inherited, or overridden and from what.
fn origin(html: &str, field: &str) -> String {
    let at = html
        .find(&format!("data-origin=\"{field}\""))
        .expect("the field says where it comes from");
    let text = &html[at..];
    let text = &text[text.find('>').unwrap() + 1..];
    text[..text.find('<').unwrap()].to_owned()
}

pub(crate) fn search_term(panel: &Value) -> Value {
    panel["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["key"] == "account-templates")
        .map(|w| w["options"]["templatesSettings"]["searchTerm"].clone())
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn only_isv_staff_reach_the_console() {
    let app = spawn().await;
    for user in [ALEX, ADELE] {
        let browser = app.browser_with(&app.sign_in(user).await);
        for path in [
            "/admin/widgets",
            "/admin/widgets/history",
            "/admin/widgets/account-flows",
        ] {
            assert_eq!(
                browser.get(path).await.status(),
                StatusCode::FORBIDDEN,
                "{user} {path}"
            );
        }
        assert_eq!(
            browser.get("/admin/widgets/export").await.status(),
            StatusCode::FORBIDDEN
        );
        let (status, body) = browser.call::<GetConsole>(&[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let refused = browser
            .post_form(
                "/admin/widgets/account-flows",
                &[("intent", "delete"), ("csrf_token", "x")],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(
        config(&app).await.1.placements.len(),
        6,
        "nothing was removed"
    );
    let anonymous = app.get("/admin/widgets", None).await;
    assert_eq!(location(&anonymous), login_redirect("/admin/widgets"));
    let iris = signed_in(&app, IRIS).await;
    assert_eq!(iris.get("/admin/widgets").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_save_is_a_new_version_that_record_pages_show_at_once_and_a_restore_undoes_it() {
    let app = spawn().await;
    assert_eq!(
        search_term(&alex_panel(&app, "account").await),
        "flowhost%20account"
    );
    let iris = signed_in(&app, IRIS).await;
    let csrf = iris.csrf("/admin/widgets/account-templates").await;
    let saved = post_placement(
        &iris,
        "account-templates",
        &[("searchTerm", "flowhost digest")],
        0,
        "save",
        &csrf,
    )
    .await;
    assert_eq!(location(&saved), "/admin/widgets/account-templates");
    assert!(
        iris.page("/admin/widgets/account-templates")
            .await
            .contains("Saved as version 2.")
    );
    let (version, now) = config(&app).await;
    assert_eq!(version, 2);
    assert_eq!(now.placement("account-templates").unwrap().revision, 1);
    assert_eq!(
        search_term(&alex_panel(&app, "account").await),
        "flowhost%20digest"
    );

    let history = app.db.widget_config_history(10).await.unwrap();
    assert!(history[0].author.starts_with("Iris Novak"));
    let said: Vec<String> = history[0]
        .changes
        .iter()
        .map(|m| m.show(Lang::En))
        .collect();
    assert_eq!(
        said,
        [
            "account-templates: searchTerm \u{201c}flowhost account\u{201d} \u{2192} \u{201c}flowhost digest\u{201d}"
        ]
    );
    assert!(
        iris.page("/admin/widgets/history")
            .await
            .contains("flowhost digest")
    );

    let restored = iris
        .post_form(
            "/admin/widgets/history/1",
            &[("csrf_token", &csrf), ("base", "2")],
        )
        .await;
    assert_eq!(location(&restored), "/admin/widgets/history");
    assert_eq!(config(&app).await.0, 3);
    let history = app.db.widget_config_history(10).await.unwrap();
    assert_eq!(history[0].changes[0].show(Lang::En), "Restored version 1");
    assert_eq!(
        search_term(&alex_panel(&app, "account").await),
        "flowhost%20account"
    );
    // The editor that still holds revision 1 is refused: the restore counted as a change.
    let stale = post_placement(
        &iris,
        "account-templates",
        &[("searchTerm", "again")],
        1,
        "save",
        &csrf,
    )
    .await;
    assert_eq!(location(&stale), "/admin/widgets/account-templates");
    assert_eq!(config(&app).await.0, 3);
}

#[tokio::test]
async fn invalid_settings_are_refused_next_to_their_field_and_nothing_is_stored() {
    let app = spawn().await;
    let iris = signed_in(&app, IRIS).await;
    let csrf = iris.csrf("/admin/widgets/account-flows").await;
    for (key, field, value, says) in [
        (
            "account-flows",
            "flowsFilter",
            "operations/any(o: o/flowhost.accountId = '1')",
            "is not allowed here",
        ),
        (
            "account-templates",
            "searchTerm",
            "{account.owner}",
            "{account.owner} is not a placeholder",
        ),
        (
            "account-templates",
            "pageSize",
            "500",
            "A number of templates from 1 to 50.",
        ),
    ] {
        let refused = post_placement(&iris, key, &[(field, value)], 0, "save", &csrf).await;
        assert_eq!(location(&refused), format!("/admin/widgets/{key}"));
        let html = iris.page(&format!("/admin/widgets/{key}")).await;
        let error = field_error(&html, field).unwrap_or_default();
        assert!(error.contains(says), "{field}: {error}");
        // Filters and texts show a hint, which describes the field before its error does.
        let described = (
            vec![format!("{field}-hint"), format!("{field}-error")],
            true,
        );
        if field != "pageSize" {
            assert_eq!(described_by(&html, field), described);
        }
        let kept = [
            value.to_owned(),
            value.replace('\'', "&#39;"),
            value.replace('\'', "&#x27;"),
        ];
        assert!(
            kept.iter()
                .any(|v| html.contains(&format!("value=\"{v}\""))),
            "the input is kept: {value}"
        );
    }
    assert_eq!(config(&app).await.0, 1);
}

#[tokio::test]
async fn the_second_of_two_edits_of_one_placement_is_refused_with_its_input_kept() {
    let app = spawn().await;
    let first = signed_in(&app, IRIS).await;
    let second = signed_in(&app, IRIS).await;
    let (a, b) = (
        first.csrf("/admin/widgets/account-flows").await,
        second.csrf("/admin/widgets/account-flows").await,
    );
    post_placement(
        &first,
        "account-flows",
        &[("title", "First")],
        0,
        "save",
        &a,
    )
    .await;
    let refused = post_placement(
        &second,
        "account-flows",
        &[("title", "Second")],
        0,
        "save",
        &b,
    )
    .await;
    assert_eq!(location(&refused), "/admin/widgets/account-flows");
    let html = second.page("/admin/widgets/account-flows").await;
    assert!(html.contains("Someone else saved a change first"), "{html}");
    assert!(html.contains("value=\"Second\""), "the input is kept");
    assert_eq!(
        config(&app)
            .await
            .1
            .placement("account-flows")
            .unwrap()
            .title,
        "First"
    );
}

#[tokio::test]
async fn an_override_changes_one_tenant_only_and_shows_what_it_inherits() {
    let app = spawn().await;
    let iris = signed_in(&app, IRIS).await;
    let csrf = iris.csrf("/admin/widgets/account-templates").await;
    let p = browser_config_placement("account-templates").await;
    let mut values = to_form(&p);
    values.insert("searchTerm".into(), "contoso only".into());
    let mut fields: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.extend([
        ("csrf_token", csrf.as_str()),
        ("revision", "0"),
        ("intent", "save"),
        ("tenant", CONTOSO),
    ]);
    let saved = iris
        .post_form("/admin/widgets/account-templates", &fields)
        .await;
    assert_eq!(
        location(&saved),
        format!("/admin/widgets/account-templates?tenant={CONTOSO}")
    );
    assert_eq!(
        search_term(&alex_panel(&app, "account").await),
        "contoso%20only"
    );
    let bianca = app.browser_with(&app.sign_in(BIANCA).await);
    let (fabrikam, _) = app.first_records(FABRIKAM).await;
    let (_, theirs) = bianca
        .call::<GetWidgetPanel>(&[("page", "account"), ("account", &fabrikam.to_string())])
        .await;
    assert_eq!(search_term(&theirs), "flowhost%20account");
    let html = iris
        .page(&format!(
            "/admin/widgets/account-templates?tenant={CONTOSO}"
        ))
        .await;
    assert_eq!(origin(&html, "title"), "inherited");
    assert_eq!(
        origin(&html, "searchTerm"),
        "overridden (the default is \u{201c}flowhost account\u{201d})"
    );
    let (_, console) = iris.call::<GetConsole>(&[("tenant", CONTOSO)]).await;
    let row = console["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "account-templates")
        .unwrap()
        .clone();
    assert_eq!(row["overridden"], serde_json::json!(["searchTerm"]));
}

#[tokio::test]
async fn an_import_with_one_bad_placement_changes_nothing_and_a_good_one_applies_whole() {
    let app = spawn().await;
    let iris = signed_in(&app, IRIS).await;
    let exported = iris.get("/admin/widgets/export").await;
    assert_eq!(exported.status(), StatusCode::OK);
    assert!(
        exported.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("flowhost-widgets-v1.json")
    );
    let text = exported.text().await.unwrap();
    assert_eq!(Export::read(&text).unwrap(), WidgetConfig::seeded());

    let csrf = iris.csrf("/admin/widgets/import").await;
    let edited = text
        .replace(
            "\"title\": \"My flows\"",
            "\"title\": \"Everything I automate\"",
        )
        .replace("\"pageSize\": 6", "\"pageSize\": 99");
    for intent in ["check", "apply"] {
        let refused = iris
            .post_form(
                "/admin/widgets/import",
                &[
                    ("csrf_token", &csrf),
                    ("document", &edited),
                    ("intent", intent),
                    ("base", "1"),
                ],
            )
            .await;
        assert_eq!(location(&refused), "/admin/widgets/import");
        let html = iris.page("/admin/widgets/import").await;
        assert!(
            html.contains("account-templates: pageSize: A number of templates from 1 to 50."),
            "{intent}"
        );
    }
    assert_eq!(config(&app).await.0, 1, "nothing was applied");

    let good = text.replace(
        "\"title\": \"My flows\"",
        "\"title\": \"Everything I automate\"",
    );
    iris.post_form(
        "/admin/widgets/import",
        &[
            ("csrf_token", &csrf),
            ("document", &good),
            ("intent", "check"),
        ],
    )
    .await;
    let html = iris.page("/admin/widgets/import").await;
    assert!(
        html.contains(
            "flows: title \u{201c}My flows\u{201d} \u{2192} \u{201c}Everything I automate\u{201d}"
        ),
        "{html}"
    );
    let applied = iris
        .post_form(
            "/admin/widgets/import",
            &[
                ("csrf_token", &csrf),
                ("document", &good),
                ("intent", "apply"),
                ("base", "1"),
            ],
        )
        .await;
    assert_eq!(location(&applied), "/admin/widgets/history");
    let (version, now) = config(&app).await;
    assert_eq!(version, 2);
    assert_eq!(
        now.placement("flows").unwrap().title,
        "Everything I automate"
    );
}

#[tokio::test]
async fn a_tenant_admin_sets_the_environment_and_turns_widgets_off_for_their_own_tenant_only() {
    let app = spawn().await;
    let adele = app.browser_with(&app.sign_in(ADELE).await);
    let csrf = adele.csrf("/settings/flows").await;
    let refused = adele
        .post_form(
            "/settings/flows",
            &[
                ("csrf_token", &csrf),
                ("environment", "not an env"),
                ("on.account-flows", "on"),
            ],
        )
        .await;
    assert_eq!(location(&refused), "/settings/flows");
    let html = adele.page("/settings/flows").await;
    assert!(field_error(&html, "environment").is_some(), "{html}");
    let described = (
        vec!["environment-hint".into(), "environment-error".into()],
        true,
    );
    assert_eq!(described_by(&html, "environment"), described);
    let env = "6f2c1a9e-3b7d-4c8e-9a1f-0d2e3c4b5a60";
    // Every widget but the account's templates stays on.
    let switches: Vec<String> = [
        "account-flows",
        "ticket-runtime",
        "ticket-approvals",
        "flows",
        "approvals",
    ]
    .iter()
    .map(|key| format!("on.{key}"))
    .collect();
    let mut fields = vec![("csrf_token", csrf.as_str()), ("environment", env)];
    fields.extend(switches.iter().map(|name| (name.as_str(), "on")));
    let saved = adele.post_form("/settings/flows", &fields).await;
    assert_eq!(location(&saved), "/settings/flows");
    let panel = alex_panel(&app, "account").await;
    let keys: Vec<&str> = panel["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["account-flows"]);
    assert_eq!(panel["widgets"][0]["options"]["environmentId"], env);

    let bianca = app.browser_with(&app.sign_in(BIANCA).await);
    let (fabrikam, _) = app.first_records(FABRIKAM).await;
    let (_, theirs) = bianca
        .call::<GetWidgetPanel>(&[("page", "account"), ("account", &fabrikam.to_string())])
        .await;
    assert_eq!(
        theirs["widgets"].as_array().unwrap().len(),
        2,
        "Fabrikam keeps both"
    );
    assert!(
        theirs["widgets"][0]["options"]
            .get("environmentId")
            .is_none()
    );

    // Bianca is no admin: neither the page, its server function nor the form is hers.
    assert_eq!(
        bianca.get("/settings/flows").await.status(),
        StatusCode::FORBIDDEN
    );
    let (status, _) = bianca.call::<GetTenantFlows>(&[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let attempt = bianca
        .post_form(
            "/settings/flows",
            &[("csrf_token", "any"), ("environment", "")],
        )
        .await;
    assert_eq!(attempt.status(), StatusCode::FORBIDDEN);
    let contoso = domain::TenantId::parse(CONTOSO).unwrap();
    assert_eq!(
        app.db
            .scope(&contoso)
            .flow_settings()
            .await
            .unwrap()
            .environment
            .as_deref(),
        Some(env)
    );
}
