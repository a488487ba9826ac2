//! `/_sandbox/` on the Power Automate origin: a page, in the browser's language, that shows
//! which SDK script is served and which host the origin stands for, changes both through a
//! form, and lists the other test controls.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use html_escape::encode_quoted_attribute as escape;
use serde::Deserialize;

use super::FlowService;
use super::sdk_setting::{FlowPortal, SdkGeneration, SdkSetting, SettingError};
use crate::lang::{Lang, t};

const PAGE: &str = "/_sandbox/";

pub fn routes() -> Router<Arc<FlowService>> {
    Router::new()
        .route(PAGE, get(page).post(submit))
        .route("/_sandbox", get(|| async { Redirect::permanent(PAGE) }))
}

#[derive(Deserialize)]
struct PageQuery {
    saved: Option<String>,
}

/// What the page says above the setting: nothing, that it was saved, or why not.
enum Notice {
    None,
    Saved,
    Refused(SettingError),
}

async fn page(
    State(flow): State<Arc<FlowService>>,
    headers: HeaderMap,
    Query(query): Query<PageQuery>,
) -> Response {
    let lang = Lang::of_browser(&headers).unwrap_or_default();
    let notice = match query.saved {
        Some(_) => Notice::Saved,
        None => Notice::None,
    };
    let setting = flow.lock().sdk;
    Html(render(lang, setting, &notice)).into_response()
}

/// The form's `sdk` and `host` (urlencoded): saved and shown again (303), or refused with the
/// page saying why (400) and nothing changed.
async fn submit(State(flow): State<Arc<FlowService>>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = Lang::of_browser(&headers).unwrap_or_default();
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    match SdkSetting::from_fields(fields.iter().map(|(k, v)| (k.as_str(), Some(v.as_str())))) {
        Ok(setting) => {
            flow.lock().sdk = setting;
            let mut response = Redirect::to("/_sandbox/?saved=1").into_response();
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(refused) => {
            let setting = flow.lock().sdk;
            let html = render(lang, setting, &Notice::Refused(refused));
            (StatusCode::BAD_REQUEST, Html(html)).into_response()
        }
    }
}

fn render(lang: Lang, setting: SdkSetting, notice: &Notice) -> String {
    let notice = match notice {
        Notice::None => String::new(),
        Notice::Saved => format!(
            "<p class=\"done\" role=\"status\">{}</p>",
            escape(&t!(lang, "controls-saved"))
        ),
        Notice::Refused(refused) => format!(
            "<div class=\"failure\" role=\"alert\"><h2>{}</h2><p>{}</p></div>",
            escape(&t!(lang, "controls-refused")),
            escape(&refusal(lang, refused))
        ),
    };
    let sdk_choices: String = SdkGeneration::ALL
        .iter()
        .map(|g| {
            let (label, hint) = sdk_words(lang, *g);
            choice("sdk", g.as_str(), &label, &hint, *g == setting.sdk)
        })
        .collect();
    let host_choices: String = FlowPortal::ALL
        .iter()
        .map(|p| {
            let (label, hint) = host_words(lang, *p);
            choice("host", p.as_str(), &label, &hint, *p == setting.host)
        })
        .collect();
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/Content/widget.css\"></head>\
         <body><main class=\"widget controls\"><h1>{heading}</h1><p>{intro}</p>{notice}\
         <h2>{current}</h2><dl class=\"setting\"><dt>{sdk_term}</dt><dd>{sdk_now}</dd>\
         <dt>{host_term}</dt><dd>{host_now}</dd></dl>\
         <h2>{change}</h2><form method=\"post\" action=\"{PAGE}\">\
         <fieldset><legend>{sdk_legend}</legend>{sdk_choices}</fieldset>\
         <fieldset><legend>{host_legend}</legend>{host_choices}</fieldset>\
         <button type=\"submit\" class=\"primary\">{save}</button></form>\
         <h2>{others}</h2><ul class=\"other-controls\">{controls}</ul></main></body></html>",
        lang = lang.tag(),
        title = escape(&t!(lang, "controls-title")),
        heading = escape(&t!(lang, "controls-heading")),
        intro = escape(&t!(
            lang,
            "controls-intro",
            script = "/Content/msflowsdk-1.1.js"
        )),
        current = escape(&t!(lang, "controls-current")),
        sdk_term = escape(&t!(lang, "controls-sdk-legend")),
        sdk_now = escape(&sdk_words(lang, setting.sdk).0),
        host_term = escape(&t!(lang, "controls-host-legend")),
        host_now = escape(&host_words(lang, setting.host).0),
        change = escape(&t!(lang, "controls-change")),
        sdk_legend = escape(&t!(lang, "controls-sdk-legend")),
        host_legend = escape(&t!(lang, "controls-host-legend")),
        save = escape(&t!(lang, "controls-save")),
        others = escape(&t!(lang, "controls-others")),
        controls = other_controls(lang),
    )
}

/// A radio button with its label and the sentence that explains it.
fn choice(name: &str, value: &str, label: &str, hint: &str, checked: bool) -> String {
    let id = format!("{name}-{}", value.replace('.', "-"));
    format!(
        "<div class=\"choice\"><input type=\"radio\" id=\"{id}\" name=\"{name}\" value=\"{value}\" \
         aria-describedby=\"{id}-hint\"{checked}><label for=\"{id}\">{label}</label>\
         <p class=\"muted hint\" id=\"{id}-hint\">{hint}</p></div>",
        checked = if checked { " checked" } else { "" },
        label = escape(label),
        hint = escape(hint),
    )
}

/// A generation's label and its one-sentence explanation.
fn sdk_words(lang: Lang, sdk: SdkGeneration) -> (String, String) {
    match sdk {
        SdkGeneration::V2 => (
            t!(lang, "controls-sdk-2-2"),
            t!(lang, "controls-sdk-2-2-hint"),
        ),
        SdkGeneration::V1_1 => (
            t!(lang, "controls-sdk-1-1"),
            t!(lang, "controls-sdk-1-1-hint"),
        ),
    }
}

/// A host's label and its one-sentence explanation.
fn host_words(lang: Lang, host: FlowPortal) -> (String, String) {
    match host {
        FlowPortal::Maker => (
            t!(lang, "controls-host-maker"),
            t!(lang, "controls-host-maker-hint"),
        ),
        FlowPortal::Classic => (
            t!(lang, "controls-host-classic"),
            t!(lang, "controls-host-classic-hint"),
        ),
    }
}

fn refusal(lang: Lang, refused: &SettingError) -> String {
    match refused {
        SettingError::Sdk(value) => {
            t!(
                lang,
                "controls-bad-sdk",
                value = value.as_deref().unwrap_or_default()
            )
        }
        SettingError::Host(value) => {
            t!(
                lang,
                "controls-bad-host",
                value = value.as_deref().unwrap_or_default()
            )
        }
        SettingError::Unknown(field) => t!(lang, "controls-bad-field", field = field.as_str()),
        SettingError::NotAnObject => t!(lang, "controls-refused"),
    }
}

/// The other controls on this origin, each with what it does.
fn other_controls(lang: Lang) -> String {
    [
        ("POST /_sandbox/faults", t!(lang, "controls-faults")),
        ("POST /_sandbox/expire-token", t!(lang, "controls-expire")),
        ("GET /_sandbox/stats", t!(lang, "controls-stats")),
        ("POST /_sandbox/reset", t!(lang, "controls-reset")),
        (
            "GET, POST /_sandbox/marketplace",
            t!(lang, "controls-marketplace"),
        ),
        (
            "POST /_sandbox/marketplace/subscriptions/{id}/{action}",
            t!(lang, "controls-marketplace-actions"),
        ),
        (
            "GET, POST /_sandbox/sdk",
            t!(
                lang,
                "controls-sdk-json",
                example = "{\"sdk\": \"1.1\", \"host\": \"classic\"}"
            ),
        ),
    ]
    .iter()
    .map(|(route, what)| {
        format!(
            "<li><code>{}</code> <span>{}</span></li>",
            escape(route),
            escape(what)
        )
    })
    .collect()
}
