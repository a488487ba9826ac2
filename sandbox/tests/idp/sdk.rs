//! Power Automate's SDK setting: which generation of the SDK script it serves and which host
//! its origin stands for, through the JSON control and through the `/_sandbox/` page.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, LOCATION};
use sandbox::{FlowPortal, SdkGeneration, SdkSetting};
use serde_json::{Value, json};

use crate::support::*;

async fn script(sandbox: &Sandbox) -> String {
    let response = sandbox.flow_get("/Content/msflowsdk-1.1.js").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

/// The line the sandbox fills in when it serves the script.
fn injected(sandbox: &Sandbox, sdk: &str, host: &str) -> String {
    format!(
        "var SANDBOX = {{ origin: '{}', sdk: '{sdk}', host: '{host}' }};",
        sandbox.flow
    )
}

async fn post_sdk(sandbox: &Sandbox, body: &str) -> (StatusCode, Value) {
    let response = sandbox
        .http
        .post(format!("{}/_sandbox/sdk", sandbox.flow))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

async fn current(sandbox: &Sandbox) -> Value {
    let response = sandbox.flow_get("/_sandbox/sdk").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn page(sandbox: &Sandbox, path: &str, accept_language: &str) -> (StatusCode, String) {
    let response = sandbox
        .http
        .get(format!("{}{path}", sandbox.flow))
        .header(ACCEPT_LANGUAGE, accept_language)
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn submit(
    sandbox: &Sandbox,
    form: &[(&str, &str)],
    accept_language: &str,
) -> reqwest::Response {
    sandbox
        .http
        .post(format!("{}/_sandbox/", sandbox.flow))
        .header(ACCEPT_LANGUAGE, accept_language)
        .form(form)
        .send()
        .await
        .unwrap()
}

/// The radio button of `name`/`value`, and whether it is the one checked.
fn radio_checked(html: &str, name: &str, value: &str) -> bool {
    let id = format!("{name}-{}", value.replace('.', "-"));
    let start = html
        .find(&format!(
            "<input type=\"radio\" id=\"{id}\" name=\"{name}\" value=\"{value}\""
        ))
        .unwrap_or_else(|| panic!("no radio {id}"));
    let tag = &html[start..start + html[start..].find('>').unwrap()];
    assert!(
        html.contains(&format!("<label for=\"{id}\">")),
        "{id} has a label"
    );
    tag.ends_with(" checked")
}

#[tokio::test]
async fn the_script_declares_the_generation_and_host_it_was_served_for() {
    let sandbox = Sandbox::start().await;
    let served = script(&sandbox).await;
    assert!(served.contains(&injected(&sandbox, "2.2", "maker")));
    assert!(
        !served.contains("__SANDBOX_"),
        "every placeholder is filled"
    );
    // Both generations' facts are in the one script; the injected line picks one.
    assert!(served.contains("version: '2.2.0'") && served.contains("version: '1.1'"));
    assert!(served.contains("templatesPath: '/templates/'"));
    assert!(served.contains("templatesPath: '/templates'"));

    post_sdk(&sandbox, r#"{"sdk": "1.1", "host": "classic"}"#).await;
    let served = script(&sandbox).await;
    assert!(served.contains(&injected(&sandbox, "1.1", "classic")));
    // 1.1 takes messages from the sandbox's origin only when it stands for flow.microsoft.com.
    assert!(served.contains(
        "allowedDomains: ['flow.microsoft.com', 'flow.microsoft.us'].concat(SANDBOX.host === 'classic' ? [SANDBOX.origin] : [])"
    ));

    post_sdk(&sandbox, r#"{"sdk": "1.1"}"#).await;
    assert!(
        script(&sandbox)
            .await
            .contains(&injected(&sandbox, "1.1", "maker"))
    );
}

#[tokio::test]
async fn the_setting_given_at_start_is_served_from_the_first_request() {
    let sandbox = Sandbox::start_with(SdkSetting {
        sdk: SdkGeneration::V1_1,
        host: FlowPortal::Classic,
    })
    .await;
    assert_eq!(
        current(&sandbox).await,
        json!({"sdk": "1.1", "host": "classic"})
    );
    assert!(
        script(&sandbox)
            .await
            .contains(&injected(&sandbox, "1.1", "classic"))
    );
    assert_eq!(sandbox::Options::default().sdk, SdkSetting::default());
    assert_eq!("1.1".parse::<SdkGeneration>().unwrap().as_str(), "1.1");
    assert_eq!("classic".parse::<FlowPortal>().unwrap().as_str(), "classic");
    assert!("3".parse::<SdkGeneration>().is_err());
}

#[tokio::test]
async fn the_sdk_control_refuses_what_it_does_not_know_and_reset_keeps_it() {
    let sandbox = Sandbox::start().await;
    assert_eq!(
        current(&sandbox).await,
        json!({"sdk": "2.2", "host": "maker"})
    );
    for (body, field) in [
        (r#"{"sdk": "3"}"#, json!("sdk")),
        (r#"{"sdk": "2.2.0"}"#, json!("sdk")),
        (r#"{"host": "make.powerautomate.com"}"#, json!("host")),
        (r#"{"host": 1}"#, json!("host")),
        (r#"{"sdk": "1.1", "portal": "classic"}"#, json!("portal")),
        (r#"["1.1"]"#, Value::Null),
        ("sdk=1.1", Value::Null),
    ] {
        let (status, answer) = post_sdk(&sandbox, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(answer["field"], field, "{body}: {answer}");
        assert!(answer["error"].is_string(), "{answer}");
    }
    assert_eq!(
        current(&sandbox).await,
        json!({"sdk": "2.2", "host": "maker"})
    );

    let (status, answer) = post_sdk(&sandbox, r#"{"sdk": "1.1", "host": "classic"}"#).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer, json!({"sdk": "1.1", "host": "classic"}));
    sandbox
        .flow_post("/_sandbox/faults", &json!({"script": "fail"}))
        .await;
    let reset = sandbox.flow_post("/_sandbox/reset", &json!({})).await;
    assert_eq!(reset.status(), StatusCode::OK);
    assert_eq!(
        current(&sandbox).await,
        json!({"sdk": "1.1", "host": "classic"})
    );
    // Reset still puts the faults back to normal.
    assert!(script(&sandbox).await.contains("sdk: '1.1'"));

    let (_, answer) = post_sdk(&sandbox, r#"{"host": "classic"}"#).await;
    assert_eq!(
        answer,
        json!({"sdk": "2.2", "host": "classic"}),
        "left out is default"
    );
    let (_, answer) = post_sdk(&sandbox, "{}").await;
    assert_eq!(answer, json!({"sdk": "2.2", "host": "maker"}));
}

#[tokio::test]
async fn the_settings_page_shows_the_setting_in_english_and_dutch() {
    let sandbox = Sandbox::start().await;
    let (status, english) = page(&sandbox, "/_sandbox/", "en-GB,en;q=0.9").await;
    assert_eq!(status, StatusCode::OK);
    assert!(english.starts_with("<!DOCTYPE html><html lang=\"en\">"));
    assert!(english.contains("<h1>Power Automate sandbox</h1>"));
    assert!(english.contains("<legend>SDK generation</legend>"));
    assert!(english.contains("<legend>Host this origin stands for</legend>"));
    assert!(english.contains("<dd>SDK 2.2</dd>"));
    assert!(english.contains("<dd>Maker portal (make.powerautomate.com)</dd>"));
    assert!(english.contains("<button type=\"submit\" class=\"primary\">Save</button>"));
    assert!(english.contains("<form method=\"post\" action=\"/_sandbox/\">"));
    assert!(english.contains("href=\"/Content/widget.css\""));
    for control in [
        "/_sandbox/faults",
        "/_sandbox/expire-token",
        "/_sandbox/stats",
        "/_sandbox/reset",
    ] {
        assert!(english.contains(control), "{control} is listed");
    }
    assert!(radio_checked(&english, "sdk", "2.2"));
    assert!(!radio_checked(&english, "sdk", "1.1"));
    assert!(radio_checked(&english, "host", "maker"));
    assert!(!radio_checked(&english, "host", "classic"));
    assert!(!english.contains("role=\"status\""), "nothing saved yet");

    let (status, dutch) = page(&sandbox, "/_sandbox/", "nl-NL,nl;q=0.9,en;q=0.8").await;
    assert_eq!(status, StatusCode::OK);
    assert!(dutch.starts_with("<!DOCTYPE html><html lang=\"nl\">"));
    assert!(dutch.contains("<legend>SDK-generatie</legend>"));
    assert!(dutch.contains("<dd>Makerportal (make.powerautomate.com)</dd>"));
    assert!(dutch.contains(">Opslaan</button>"));

    let bare = sandbox.flow_get("/_sandbox").await;
    assert_eq!(bare.headers()[LOCATION], "/_sandbox/");
}

#[tokio::test]
async fn the_form_saves_the_setting_and_comes_back_with_a_confirmation() {
    let sandbox = Sandbox::start().await;
    let response = submit(&sandbox, &[("sdk", "1.1"), ("host", "classic")], "en").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/_sandbox/?saved=1");
    assert_eq!(
        current(&sandbox).await,
        json!({"sdk": "1.1", "host": "classic"})
    );
    assert!(
        script(&sandbox)
            .await
            .contains(&injected(&sandbox, "1.1", "classic"))
    );

    let (_, html) = page(&sandbox, "/_sandbox/?saved=1", "en").await;
    assert!(html.contains("<p class=\"done\" role=\"status\">Saved."));
    assert!(html.contains("<dd>SDK 1.1</dd>"));
    assert!(html.contains("<dd>Classic portal (flow.microsoft.com)</dd>"));
    assert!(radio_checked(&html, "sdk", "1.1"));
    assert!(radio_checked(&html, "host", "classic"));

    let (_, dutch) = page(&sandbox, "/_sandbox/?saved=1", "nl").await;
    assert!(dutch.contains("role=\"status\">Opgeslagen."));
}

#[tokio::test]
async fn a_bad_form_value_is_refused_and_changes_nothing() {
    let sandbox = Sandbox::start().await;
    submit(&sandbox, &[("sdk", "1.1"), ("host", "classic")], "en").await;
    for (form, said) in [
        (
            vec![("sdk", "3"), ("host", "maker")],
            "“3” is not an SDK generation",
        ),
        (
            vec![("sdk", "2.2"), ("host", "make")],
            "“make” is not a host",
        ),
        (
            vec![("sdk", "2.2"), ("portal", "maker")],
            "a field “portal”",
        ),
    ] {
        let response = submit(&sandbox, &form, "en").await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{form:?}");
        let html = response.text().await.unwrap();
        assert!(html.contains("role=\"alert\""), "{html}");
        assert!(html.contains(said), "{html}");
        assert!(html.contains("Nothing was changed."));
        assert!(
            radio_checked(&html, "sdk", "1.1"),
            "the form shows what is kept"
        );
    }
    let response = submit(&sandbox, &[("sdk", "3")], "nl").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let dutch = response.text().await.unwrap();
    assert!(dutch.contains("lang=\"nl\"") && dutch.contains("Er is niets gewijzigd."));
    assert_eq!(
        current(&sandbox).await,
        json!({"sdk": "1.1", "host": "classic"})
    );
}
