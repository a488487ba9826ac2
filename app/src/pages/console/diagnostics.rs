//! The console's diagnostics page: the Flow host and resource Flowhost uses, a test widget run
//! as the staff member with the result of each step, and the widgets the SDK rejected on
//! customers' pages.

use super::super::loaded;
use super::console_nav;
use crate::diagnostics::{Diagnostics, Rejection, get_diagnostics};
use crate::widgets::{FlowWidget, Trace, WidgetPanel, WidgetState};
use i18n::{Lang, t};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DiagnosticsPage() -> impl IntoView {
    let lang = crate::lang::use_lang();
    let diagnostics = Resource::new(|| (), |_| get_diagnostics());
    loaded(diagnostics, move |d: Diagnostics| {
        let script = format!("{}/Content/msflowsdk-1.1.js", d.flow_host);
        let here = crate::components::here();
        view! {
            <Title text=t!(lang, "diagnostics-title")/>
            {console_nav(lang)}
            <h1>{t!(lang, "diagnostics-heading")}</h1>
            <section aria-labelledby="diagnostics-settings">
                <h2 id="diagnostics-settings">{t!(lang, "diagnostics-settings-heading")}</h2>
                <dl class="facts" data-testid="flow-settings">
                    <dt>{t!(lang, "diagnostics-flow-host-term")}</dt>
                    <dd><code>{d.flow_host.clone()}</code>" "{t!(lang, "diagnostics-flow-host-note")}</dd>
                    <dt>{t!(lang, "diagnostics-flow-resource-term")}</dt>
                    <dd><code>{d.flow_resource.clone()}</code>" "{t!(lang, "diagnostics-flow-resource-note")}</dd>
                    <dt>{t!(lang, "diagnostics-script-term")}</dt>
                    <dd><code>{script}</code></dd>
                </dl>
            </section>
            <section aria-labelledby="diagnostics-test">
                <h2 id="diagnostics-test">{t!(lang, "diagnostics-test-heading")}</h2>
                <p>{t!(lang, "diagnostics-test-intro")}</p>
                <TestWidget panel=d.panel here/>
            </section>
            <Rejections rejections=d.rejections lang/>
        }
    })
}

/// The test widget and its steps as they happen, hydrated in the browser on their own.
#[island]
fn TestWidget(panel: WidgetPanel, here: String) -> impl IntoView {
    let lang = crate::lang::use_lang();
    let trace = Trace::new();
    let host = panel.host.clone();
    view! {
        <Steps trace lang host=host.clone()/>
        {panel.widgets.first().cloned().map(|widget| view! {
            <div class="flow-widgets" lang=panel.lang.tag()>
                <FlowWidget host lang=panel.lang record=None widget here trace/>
            </div>
        })}
    }
}

/// How a step came out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Waiting,
    Passed,
    Failed,
    Skipped,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Waiting => "waiting",
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::Skipped => "skipped",
        }
    }

    fn word(self, lang: Lang) -> String {
        match self {
            Outcome::Waiting => t!(lang, "diagnostics-result-waiting"),
            Outcome::Passed => t!(lang, "diagnostics-result-passed"),
            Outcome::Failed => t!(lang, "diagnostics-result-failed"),
            Outcome::Skipped => t!(lang, "diagnostics-result-skipped"),
        }
    }
}

/// Whether the widget has stopped moving: ready, or a failure the page shows.
fn settled(state: &WidgetState) -> bool {
    !matches!(state, WidgetState::Idle | WidgetState::Loading)
}

fn script_step(trace: Trace, lang: Lang) -> (Outcome, String) {
    match trace.script.get() {
        None => (Outcome::Waiting, String::new()),
        Some(true) => (Outcome::Passed, t!(lang, "diagnostics-script-loaded")),
        Some(false) => (Outcome::Failed, t!(lang, "diagnostics-script-failed")),
    }
}

fn generation_step(trace: Trace, lang: Lang) -> (Outcome, String) {
    match (trace.sdk_version.get(), trace.script.get()) {
        (Some(v), _) if v == "1.1" => (
            Outcome::Passed,
            t!(lang, "diagnostics-generation-v1", version = v.as_str()),
        ),
        (Some(v), _) => (
            Outcome::Passed,
            t!(lang, "diagnostics-generation-current", version = v.as_str()),
        ),
        (None, Some(false)) => (Outcome::Skipped, t!(lang, "diagnostics-not-reached")),
        (None, _) => (Outcome::Waiting, String::new()),
    }
}

fn frame_step(trace: Trace, lang: Lang) -> (Outcome, String) {
    match (trace.state.get(), trace.sdk_version.get()) {
        (WidgetState::SdkError(why), _) => (Outcome::Failed, why),
        (_, Some(_)) => (Outcome::Passed, t!(lang, "diagnostics-frame-shown")),
        (s, None) if settled(&s) => (Outcome::Skipped, t!(lang, "diagnostics-not-reached")),
        _ => (Outcome::Waiting, String::new()),
    }
}

fn messages_step(trace: Trace, lang: Lang, host: &str) -> (Outcome, String) {
    let (requests, answered) = (trace.requests.get(), trace.answered.get());
    let state = trace.state.get();
    if answered > 0 {
        let text = t!(
            lang,
            "diagnostics-messages-passed",
            answered = answered,
            requests = requests.max(answered)
        );
        (Outcome::Passed, text)
    } else if !settled(&state) {
        (Outcome::Waiting, String::new())
    } else if trace.sdk_version.get().is_none() {
        (Outcome::Skipped, t!(lang, "diagnostics-not-reached"))
    } else if requests > 0 {
        let text = t!(
            lang,
            "diagnostics-messages-dropped",
            requests = requests,
            host = host
        );
        (Outcome::Failed, text)
    } else {
        (Outcome::Failed, t!(lang, "diagnostics-messages-silent"))
    }
}

fn token_step(trace: Trace, lang: Lang) -> (Outcome, String) {
    let state = trace.state.get();
    match trace.token.get() {
        Some(true) => (Outcome::Passed, t!(lang, "diagnostics-token-given")),
        Some(false) => (Outcome::Failed, state.message(lang).unwrap_or_default()),
        None if settled(&state) => (Outcome::Skipped, t!(lang, "diagnostics-not-reached")),
        None => (Outcome::Waiting, String::new()),
    }
}

fn ready_step(trace: Trace, lang: Lang) -> (Outcome, String) {
    match trace.state.get() {
        WidgetState::Ready => (Outcome::Passed, t!(lang, "diagnostics-ready")),
        s if settled(&s) => (Outcome::Failed, s.message(lang).unwrap_or_default()),
        _ => (Outcome::Waiting, String::new()),
    }
}

/// The test widget's steps as they happen, and what they add up to.
#[component]
fn Steps(trace: Trace, lang: Lang, host: String) -> impl IntoView {
    let step = move |key: &'static str, label: String, result: Signal<(Outcome, String)>| {
        view! {
            <li data-step=key data-result=move || result.get().0.as_str()>
                <strong>{label}</strong>" "
                <span class="step-result">{move || result.get().0.word(lang)}</span>
                {move || {
                    let (_, text) = result.get();
                    (!text.is_empty()).then(|| view! { <span>": "{text}</span> })
                }}
            </li>
        }
    };
    let verdict = move || match trace.state.get() {
        WidgetState::Idle => t!(lang, "diagnostics-verdict-no-script"),
        WidgetState::Loading => t!(lang, "diagnostics-verdict-running"),
        WidgetState::Ready => t!(lang, "diagnostics-verdict-ok"),
        _ => t!(lang, "diagnostics-verdict-failed"),
    };
    view! {
        <p class="verdict" role="status" data-testid="diagnostic-verdict">{verdict}</p>
        <ol class="steps" data-testid="diagnostic-steps" aria-label=t!(lang, "diagnostics-steps-label")>
            {step("script", t!(lang, "diagnostics-step-script"), Signal::derive(move || script_step(trace, lang)))}
            {step("generation", t!(lang, "diagnostics-step-generation"), Signal::derive(move || generation_step(trace, lang)))}
            {step("frame", t!(lang, "diagnostics-step-frame"), Signal::derive(move || frame_step(trace, lang)))}
            {step("messages", t!(lang, "diagnostics-step-messages"), Signal::derive(move || messages_step(trace, lang, &host)))}
            {step("token", t!(lang, "diagnostics-step-token"), Signal::derive(move || token_step(trace, lang)))}
            {step("ready", t!(lang, "diagnostics-step-ready"), Signal::derive(move || ready_step(trace, lang)))}
        </ol>
    }
}

#[component]
fn Rejections(rejections: Vec<Rejection>, lang: Lang) -> impl IntoView {
    view! {
        <section aria-labelledby="diagnostics-rejections">
            <h2 id="diagnostics-rejections">{t!(lang, "diagnostics-rejections-heading")}</h2>
            {if rejections.is_empty() {
                view! { <p class="muted">{t!(lang, "diagnostics-rejections-none")}</p> }.into_any()
            } else {
                view! {
                    <table class="records" data-testid="rejections">
                        <thead><tr>
                            <th>{t!(lang, "diagnostics-column-version")}</th>
                            <th class="num">{t!(lang, "diagnostics-column-reports")}</th>
                            <th>{t!(lang, "diagnostics-column-first")}</th>
                            <th>{t!(lang, "diagnostics-column-last")}</th>
                            <th>{t!(lang, "diagnostics-column-where")}</th>
                        </tr></thead>
                        <tbody>
                            {rejections.into_iter().map(|r| view! {
                                <tr>
                                    <td>{r.sdk_version.clone()}</td>
                                    <td class="num">{i18n::number(lang, r.reports)}</td>
                                    <td>{i18n::date_time(lang, r.first_at)}</td>
                                    <td>{i18n::date_time(lang, r.last_at)}</td>
                                    <td>{t!(lang, "diagnostics-where", organisation = r.organisation.as_str(), page = r.page.as_str())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
