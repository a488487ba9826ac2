//! The widget area of a page: one panel per widget, with its title, its action button, and a
//! designed message for every way it can fail. The server renders the panels; in the browser
//! the island hydrates them, and each one mounts its widget (see `sdk`). After a widget's event
//! is recorded on the record, the window gets [`RECORD_CHANGED`], which the record's activity
//! listens for.

use super::WidgetPanel;
use super::strings::{Lang, Message, Words};
use super::trace::Trace;
use domain::RecordRef;
use domain::placement::ResolvedWidget;
use leptos::prelude::*;

/// Where a widget panel stands. Only the browser moves it on from `Idle`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub enum WidgetState {
    /// Rendered on the server, not (yet) started: without JavaScript it stays so.
    Idle,
    Loading,
    Ready,
    /// The SDK script did not load in time.
    Unreachable,
    /// The widget never said it was ready and never asked for a token.
    NotStarted,
    /// The widget was given a token and still did not start.
    SignInRefused,
    /// The widget's requests came from the Flow host and the SDK passed none of them on: the
    /// SDK served by the Flow host does not accept its own widgets here.
    Rejected,
    Reconnect,
    NotProvisioned,
    TokenUnavailable,
    Closed,
    /// The SDK refused the widget's options (its own words).
    SdkError(String),
}

impl WidgetState {
    pub fn as_str(&self) -> &'static str {
        match self {
            WidgetState::Idle => "idle",
            WidgetState::Loading => "loading",
            WidgetState::Ready => "ready",
            WidgetState::Unreachable => "unreachable",
            WidgetState::NotStarted => "not-started",
            WidgetState::SignInRefused => "sign-in-refused",
            WidgetState::Rejected => "rejected",
            WidgetState::Reconnect => "reconnect",
            WidgetState::NotProvisioned => "not-provisioned",
            WidgetState::TokenUnavailable => "token-unavailable",
            WidgetState::Closed => "closed",
            WidgetState::SdkError(_) => "sdk-error",
        }
    }

    pub fn message(&self, words: Words) -> Option<String> {
        let text = |m: Message| Some(words.text(m));
        match self {
            WidgetState::Idle => text(Message::NeedsJavaScript),
            WidgetState::Loading => text(Message::Loading),
            WidgetState::Ready => None,
            WidgetState::Unreachable => text(Message::Unreachable),
            WidgetState::NotStarted => text(Message::NotStarted),
            WidgetState::SignInRefused => text(Message::SignInRefused),
            WidgetState::Rejected => text(Message::Rejected),
            WidgetState::Reconnect => text(Message::Reconnect),
            WidgetState::NotProvisioned => text(Message::NotProvisioned),
            WidgetState::TokenUnavailable => text(Message::TokenUnavailable),
            WidgetState::Closed => text(Message::Closed),
            WidgetState::SdkError(why) => Some(why.clone()),
        }
    }

    /// Whether the widget's frame is worth showing: while it works, and when the widget itself
    /// says what went wrong ("Authentication failed.").
    fn shows_frame(&self) -> bool {
        matches!(
            self,
            WidgetState::Loading | WidgetState::Ready | WidgetState::SignInRefused
        )
    }
}

/// The event the window gets after a widget's event was recorded on the page's record.
pub const RECORD_CHANGED: &str = "flowhost:record-changed";

/// The widgets of a page, hydrated in the browser from `panel` on their own. `here` is the
/// page's path and query, where a reconnect comes back to.
#[island]
pub fn FlowWidgets(panel: WidgetPanel, here: String) -> impl IntoView {
    let WidgetPanel {
        host,
        lang,
        record,
        widgets,
        ..
    } = panel;
    let words = Words::new(lang);
    view! {
        <div class="flow-widgets" lang=lang.tag()>
            {widgets
                .into_iter()
                .map(|widget| view! { <FlowWidget host=host.clone() lang words record widget here=here.clone()/> })
                .collect_view()}
        </div>
    }
}

/// One widget's panel, in `lang` with `words`. `trace` follows its steps, for a page that
/// shows them.
#[component]
pub fn FlowWidget(
    host: String,
    lang: Lang,
    words: Words,
    record: Option<RecordRef>,
    widget: ResolvedWidget,
    here: String,
    #[prop(optional)] trace: Option<Trace>,
) -> impl IntoView {
    let trace = trace.unwrap_or_default();
    let state = trace.state;
    let attempt = RwSignal::new(0u32);
    let action_error = RwSignal::new(None::<String>);
    let frame = NodeRef::<leptos::html::Div>::new();
    let kind = widget.widget_type.as_str();
    let title = widget.title.clone();
    let button = widget
        .action
        .as_ref()
        .filter(|a| !a.label.is_empty())
        .map(|a| a.label.clone());
    let reconnect = super::reconnect_href(&here);

    #[cfg(feature = "hydrate")]
    let run = browser::start(
        host,
        (lang, words),
        widget,
        record,
        frame,
        trace,
        attempt,
        action_error,
    );
    #[cfg(not(feature = "hydrate"))]
    let run = {
        let _ = (host, lang, record, trace);
        move |_: leptos::ev::MouseEvent| {}
    };

    let retry = move |_| attempt.update(|n| *n += 1);
    let actions = move |s: &WidgetState| {
        let reconnect_link = matches!(s, WidgetState::Reconnect | WidgetState::SignInRefused)
            .then(|| view! { <a class="button" href=reconnect.clone() rel="external">{words.text(Message::ReconnectButton)}</a> });
        let retry_button = matches!(
            s,
            WidgetState::Unreachable
                | WidgetState::NotStarted
                | WidgetState::SignInRefused
                | WidgetState::NotProvisioned
                | WidgetState::TokenUnavailable
                | WidgetState::SdkError(_)
        )
        .then(|| view! { <button type="button" class="button secondary" on:click=retry>{words.text(Message::Retry)}</button> });
        let open_button = (*s == WidgetState::Closed)
            .then(|| view! { <button type="button" class="button secondary" on:click=retry>{words.text(Message::Open)}</button> });
        view! { <p class="actions">{reconnect_link}{retry_button}{open_button}</p> }
    };
    view! {
        <section class="flow-widget" data-widget=kind data-testid=format!("widget-{kind}") data-state=move || state.get().as_str()>
            <header class="widget-head">
                <h2>{title}</h2>
                {button.map(|label| view! {
                    <button type="button" class="button" data-testid="widget-action" on:click=run
                        disabled=move || state.get() != WidgetState::Ready>{label}</button>
                })}
            </header>
            {move || {
                let s = state.get();
                let quiet = matches!(s, WidgetState::Idle | WidgetState::Loading);
                s.message(words).map(|text| {
                    let class = if quiet { "widget-note" } else { "widget-message" };
                    let role = if quiet { None } else { Some("alert") };
                    view! {
                        <div class=class role=role data-testid="widget-message">
                            <p>{text}</p>
                            {(!quiet).then(|| actions(&s))}
                        </div>
                    }
                })
            }}
            {move || action_error.get().map(|e| view! {
                <p class="widget-message" role="alert">{words.action_failed(&e)}</p>
            })}
            <div class="widget-frame" class:hidden=move || !state.get().shows_frame() node_ref=frame></div>
        </section>
    }
    .into_any()
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::sdk::{self, Hooks, Mounted, WidgetEvent};
    use super::super::{link_flow, record_approval, record_run};
    use super::{Trace, WidgetState};
    use crate::widgets::strings::{Lang, Words};
    use domain::RecordRef;
    use domain::placement::ResolvedWidget;
    use leptos::prelude::*;
    use std::rc::Rc;
    use wasm_bindgen::JsCast;

    /// Mounts the widget whenever its frame appears or `attempt` changes, takes it down when
    /// it closes or the panel goes away, and returns the action button's handler.
    #[allow(clippy::too_many_arguments)]
    pub fn start(
        host: String,
        (lang, words): (Lang, Words),
        widget: ResolvedWidget,
        record: Option<RecordRef>,
        frame: NodeRef<leptos::html::Div>,
        trace: Trace,
        attempt: RwSignal<u32>,
        action_error: RwSignal<Option<String>>,
    ) -> impl Fn(leptos::ev::MouseEvent) + 'static {
        let state = trace.state;
        let mounted: StoredValue<Option<Rc<Mounted>>, LocalStorage> = StoredValue::new_local(None);
        let action = widget.action.clone().filter(|a| !a.label.is_empty());
        Effect::new(move |_| {
            attempt.track();
            let Some(element) = frame.get() else {
                return;
            };
            // The previous widget goes first, with its listeners.
            mounted.set_value(None);
            action_error.set(None);
            let hooks = Hooks {
                trace,
                on_event: Rc::new(move |event| record_event(event, record)),
            };
            let element: web_sys::HtmlElement = element.unchecked_into();
            let started = sdk::mount(host.clone(), (lang, words), widget.clone(), element, hooks);
            mounted.set_value(Some(Rc::new(started)));
        });
        Effect::new(move |_| {
            if state.get() == WidgetState::Closed {
                mounted.set_value(None);
            }
        });
        on_cleanup(move || {
            mounted.try_update_value(|m| *m = None);
        });
        move |_| {
            let (Some(widget), Some(action)) = (mounted.get_value(), action.clone()) else {
                return;
            };
            action_error.set(None);
            leptos::task::spawn_local(async move {
                if let Err(why) = widget
                    .send(&action.action_name, &action.action_data, words)
                    .await
                {
                    action_error.try_set(Some(why));
                }
            });
        }
    }

    /// Records the widget's event on the page's record, then tells the page (`RECORD_CHANGED`).
    fn record_event(event: WidgetEvent, record: Option<RecordRef>) {
        let Some(record) = record else {
            return;
        };
        let (account, ticket) = (record.account.0, record.ticket.map(|t| t.0));
        leptos::task::spawn_local(async move {
            let recorded = match event {
                WidgetEvent::FlowCreated {
                    flow_id,
                    flow_url,
                    template,
                } => link_flow(account, ticket, flow_id, flow_url, template).await,
                WidgetEvent::RunCompleted {
                    flow_name,
                    run_id,
                    status,
                } => record_run(account, ticket, flow_name, run_id, status).await,
                WidgetEvent::ApprovalChanged {
                    approval_id,
                    title,
                    status,
                    item_link,
                } => match ticket {
                    Some(ticket) => {
                        record_approval(account, ticket, approval_id, title, status, item_link)
                            .await
                    }
                    None => Ok(()),
                },
            };
            match recorded {
                Ok(()) => {
                    let changed = web_sys::Event::new(super::RECORD_CHANGED);
                    if let Ok(changed) = changed {
                        let _ = window().dispatch_event(&changed);
                    }
                }
                Err(e) => leptos::logging::warn!("a widget event was not recorded: {e}"),
            }
        });
    }
}
