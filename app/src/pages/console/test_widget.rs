//! The console's test widget, run as the staff member in the browser, and the result of each
//! of its steps as they happen. The steps' words come from the server with the widget.

use crate::widgets::strings::Words;
use crate::widgets::{FlowWidget, Trace, WidgetPanel, WidgetState};
use i18n::{Counted, Lang, Template, slot, t};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The words of the steps, in the page's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepWords {
    /// Waiting, passed, failed, skipped.
    results: [String; 4],
    /// The steps' names: script, generation, frame, messages, token, ready.
    steps: [String; 6],
    steps_label: String,
    /// The verdict: no script, running, ready, failed.
    verdicts: [String; 4],
    script_loaded: String,
    script_failed: String,
    generation_v1: Template,
    generation_current: Template,
    not_reached: String,
    frame_shown: String,
    messages_passed: Template,
    messages_dropped: Counted,
    messages_silent: String,
    token_given: String,
    ready: String,
}

impl StepWords {
    pub fn new(lang: Lang) -> StepWords {
        StepWords {
            results: [
                t!(lang, "diagnostics-result-waiting"),
                t!(lang, "diagnostics-result-passed"),
                t!(lang, "diagnostics-result-failed"),
                t!(lang, "diagnostics-result-skipped"),
            ],
            steps: [
                t!(lang, "diagnostics-step-script"),
                t!(lang, "diagnostics-step-generation"),
                t!(lang, "diagnostics-step-frame"),
                t!(lang, "diagnostics-step-messages"),
                t!(lang, "diagnostics-step-token"),
                t!(lang, "diagnostics-step-ready"),
            ],
            steps_label: t!(lang, "diagnostics-steps-label"),
            verdicts: [
                t!(lang, "diagnostics-verdict-no-script"),
                t!(lang, "diagnostics-verdict-running"),
                t!(lang, "diagnostics-verdict-ok"),
                t!(lang, "diagnostics-verdict-failed"),
            ],
            script_loaded: t!(lang, "diagnostics-script-loaded"),
            script_failed: t!(lang, "diagnostics-script-failed"),
            generation_v1: Template::new(t!(
                lang,
                "diagnostics-generation-v1",
                version = slot("version")
            )),
            generation_current: Template::new(t!(
                lang,
                "diagnostics-generation-current",
                version = slot("version")
            )),
            not_reached: t!(lang, "diagnostics-not-reached"),
            frame_shown: t!(lang, "diagnostics-frame-shown"),
            messages_passed: Template::new(t!(
                lang,
                "diagnostics-messages-passed",
                answered = slot("answered"),
                requests = slot("requests")
            )),
            messages_dropped: Counted {
                one: Template::new(t!(
                    lang,
                    "diagnostics-messages-dropped",
                    requests = 1,
                    host = slot("host")
                )),
                other: Template::new(t!(
                    lang,
                    "diagnostics-messages-dropped",
                    requests = slot("requests"),
                    host = slot("host")
                )),
            },
            messages_silent: t!(lang, "diagnostics-messages-silent"),
            token_given: t!(lang, "diagnostics-token-given"),
            ready: t!(lang, "diagnostics-ready"),
        }
    }
}

/// The test widget and its steps as they happen, hydrated in the browser on their own.
#[island]
pub fn TestWidget(panel: WidgetPanel, here: String, words: StepWords) -> impl IntoView {
    let trace = Trace::new();
    let host = panel.host.clone();
    let widget_words = Words::new(panel.lang);
    let words = StoredValue::new(words);
    view! {
        <Steps trace words widget_words host=host.clone()/>
        {panel.widgets.first().cloned().map(|widget| view! {
            <div class="flow-widgets" lang=panel.lang.tag()>
                <FlowWidget host lang=panel.lang words=widget_words record=None widget here trace/>
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

    fn word(self, words: &StepWords) -> String {
        let at = match self {
            Outcome::Waiting => 0,
            Outcome::Passed => 1,
            Outcome::Failed => 2,
            Outcome::Skipped => 3,
        };
        words.results[at].clone()
    }
}

/// Whether the widget has stopped moving: ready, or a failure the page shows.
fn settled(state: &WidgetState) -> bool {
    !matches!(state, WidgetState::Idle | WidgetState::Loading)
}

type Step = (Outcome, String);

fn script_step(trace: Trace, w: &StepWords) -> Step {
    match trace.script.get() {
        None => (Outcome::Waiting, String::new()),
        Some(true) => (Outcome::Passed, w.script_loaded.clone()),
        Some(false) => (Outcome::Failed, w.script_failed.clone()),
    }
}

fn generation_step(trace: Trace, w: &StepWords) -> Step {
    match (trace.sdk_version.get(), trace.script.get()) {
        (Some(v), _) if v == "1.1" => (Outcome::Passed, w.generation_v1.fill(&[("version", &v)])),
        (Some(v), _) => (
            Outcome::Passed,
            w.generation_current.fill(&[("version", &v)]),
        ),
        (None, Some(false)) => (Outcome::Skipped, w.not_reached.clone()),
        (None, _) => (Outcome::Waiting, String::new()),
    }
}

fn frame_step(trace: Trace, w: &StepWords) -> Step {
    match (trace.state.get(), trace.sdk_version.get()) {
        (WidgetState::SdkError(why), _) => (Outcome::Failed, why),
        (_, Some(_)) => (Outcome::Passed, w.frame_shown.clone()),
        (s, None) if settled(&s) => (Outcome::Skipped, w.not_reached.clone()),
        _ => (Outcome::Waiting, String::new()),
    }
}

fn messages_step(trace: Trace, w: &StepWords, host: &str) -> Step {
    let (requests, answered) = (trace.requests.get(), trace.answered.get());
    let state = trace.state.get();
    if answered > 0 {
        let (answered, requests) = (answered.to_string(), requests.max(answered).to_string());
        let text = w
            .messages_passed
            .fill(&[("answered", &answered), ("requests", &requests)]);
        (Outcome::Passed, text)
    } else if !settled(&state) {
        (Outcome::Waiting, String::new())
    } else if trace.sdk_version.get().is_none() {
        (Outcome::Skipped, w.not_reached.clone())
    } else if requests > 0 {
        let text = w
            .messages_dropped
            .fill("requests", u64::from(requests), &[("host", host)]);
        (Outcome::Failed, text)
    } else {
        (Outcome::Failed, w.messages_silent.clone())
    }
}

fn token_step(trace: Trace, w: &StepWords, widget: Words) -> Step {
    let state = trace.state.get();
    match trace.token.get() {
        Some(true) => (Outcome::Passed, w.token_given.clone()),
        Some(false) => (Outcome::Failed, state.message(widget).unwrap_or_default()),
        None if settled(&state) => (Outcome::Skipped, w.not_reached.clone()),
        None => (Outcome::Waiting, String::new()),
    }
}

fn ready_step(trace: Trace, w: &StepWords, widget: Words) -> Step {
    match trace.state.get() {
        WidgetState::Ready => (Outcome::Passed, w.ready.clone()),
        s if settled(&s) => (Outcome::Failed, s.message(widget).unwrap_or_default()),
        _ => (Outcome::Waiting, String::new()),
    }
}

/// The test widget's steps as they happen, and what they add up to.
#[component]
fn Steps(
    trace: Trace,
    words: StoredValue<StepWords>,
    widget_words: Words,
    host: String,
) -> impl IntoView {
    let step = move |key: &'static str, at: usize, result: Signal<Step>| {
        view! {
            <li data-step=key data-result=move || result.get().0.as_str()>
                <strong>{words.with_value(|w| w.steps[at].clone())}</strong>" "
                <span class="step-result">{move || words.with_value(|w| result.get().0.word(w))}</span>
                {move || {
                    let (_, text) = result.get();
                    (!text.is_empty()).then(|| view! { <span>": "{text}</span> })
                }}
            </li>
        }
    };
    let verdict = move || {
        let at = match trace.state.get() {
            WidgetState::Idle => 0,
            WidgetState::Loading => 1,
            WidgetState::Ready => 2,
            _ => 3,
        };
        words.with_value(|w| w.verdicts[at].clone())
    };
    let of = move |read: fn(Trace, &StepWords) -> Step| {
        Signal::derive(move || words.with_value(|w| read(trace, w)))
    };
    let messages = Signal::derive(move || words.with_value(|w| messages_step(trace, w, &host)));
    let token = Signal::derive(move || words.with_value(|w| token_step(trace, w, widget_words)));
    let ready = Signal::derive(move || words.with_value(|w| ready_step(trace, w, widget_words)));
    view! {
        <p class="verdict" role="status" data-testid="diagnostic-verdict">{verdict}</p>
        <ol class="steps" data-testid="diagnostic-steps" aria-label=words.with_value(|w| w.steps_label.clone())>
            {step("script", 0, of(script_step))}
            {step("generation", 1, of(generation_step))}
            {step("frame", 2, of(frame_step))}
            {step("messages", 3, messages)}
            {step("token", 4, token)}
            {step("ready", 5, ready)}
        </ol>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn the_dropped_requests_take_the_form_of_their_count_in_either_language() {
        let host = [("host", "https://flow.example")];
        let en = StepWords::new(Lang::En).messages_dropped;
        let one = en.fill("requests", 1, &host);
        assert!(
            one.starts_with("the SDK dropped the widget's request: it does not accept widgets from https://flow.example."),
            "{one}"
        );
        let three = en.fill("requests", 3, &host);
        assert!(
            three.starts_with("the SDK dropped all 3 of the widget's requests:"),
            "{three}"
        );
        let nl = StepWords::new(Lang::Nl)
            .messages_dropped
            .fill("requests", 2, &host);
        assert!(
            nl.starts_with("de SDK heeft alle 2 verzoeken van de widget laten vallen"),
            "{nl}"
        );
        let version = StepWords::new(Lang::En)
            .generation_current
            .fill(&[("version", "2.2.0")]);
        assert_eq!(version, "2.2.0, the current generation.");
    }
}
