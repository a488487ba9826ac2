//! Mounting a widget (`new MsFlowSdk(…)`, `renderWidget(…)`) and taking it down again with
//! every window listener it added, plus telling a mounted widget to do something.

use super::guard::guard;
use super::requests::{Callbacks, listen_all};
use super::script::load_sdk;
use super::{Hooks, PATIENCE_MS, get, text, window};
use crate::widgets::component::WidgetState;
use crate::widgets::strings::{Lang, Message, Words};
use crate::widgets::trace::Trace;
use domain::placement::{ResolvedWidget, WidgetType};
use js_sys::{Array, Function, Object, Promise, Reflect};
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// `(type, listener, options)` of window listeners, to remove them again.
type Listeners = Rc<RefCell<Vec<(JsValue, JsValue, JsValue)>>>;

/// A rendered widget. Dropping it disposes the widget and removes every listener it added.
pub struct Mounted {
    widget: Rc<RefCell<Option<JsValue>>>,
    /// Every window listener the SDK added while rendering.
    sdk_listeners: Listeners,
    guard: Option<Closure<dyn FnMut(web_sys::MessageEvent)>>,
    timer: Rc<RefCell<Option<i32>>>,
    _callbacks: Callbacks,
    alive: Rc<RefCell<bool>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        *self.alive.borrow_mut() = false;
        if let Some(id) = self.timer.borrow_mut().take() {
            window().clear_timeout_with_handle(id);
        }
        if let Some(widget) = self.widget.borrow_mut().take()
            && let Ok(dispose) = get(&widget, "dispose").dyn_into::<Function>()
        {
            dispose.call0(&widget).ok();
        }
        let window = window();
        let remove: Function = get(&window, "removeEventListener").unchecked_into();
        for (kind, listener, options) in self.sdk_listeners.borrow_mut().drain(..) {
            remove.call3(&window, &kind, &listener, &options).ok();
        }
        if let Some(guard) = self.guard.take() {
            let _ = window.remove_event_listener_with_callback_and_bool(
                "message",
                guard.as_ref().unchecked_ref(),
                true,
            );
        }
    }
}

/// A widget id in the SDK's own shape (8-4-4-4-4-8 lower-case hex), from the browser's CSPRNG
/// (`crypto.getRandomValues`): another frame cannot guess it.
fn widget_id() -> String {
    let random = js_sys::Uint8Array::new_with_length(16);
    let crypto = get(&window(), "crypto");
    get(&crypto, "getRandomValues")
        .dyn_into::<Function>()
        .and_then(|fill| fill.call1(&crypto, &random))
        .expect("crypto.getRandomValues");
    let mut nibbles = random.to_vec().into_iter().flat_map(|b| [b >> 4, b & 0xf]);
    let mut hex =
        |n: usize| -> String { (&mut nibbles).take(n).map(|d| format!("{d:x}")).collect() };
    format!(
        "{}-{}-{}-{}-{}-{}",
        hex(8),
        hex(4),
        hex(4),
        hex(4),
        hex(4),
        hex(8)
    )
}

/// Starts the widget in `container`. Failures show in `hooks.state`.
pub fn mount(
    host: String,
    (lang, words): (Lang, Words),
    widget: ResolvedWidget,
    container: web_sys::HtmlElement,
    hooks: Hooks,
) -> Mounted {
    let id = widget_id();
    let mounted = Mounted {
        widget: Rc::default(),
        sdk_listeners: Rc::default(),
        guard: Some(guard(&host, &id, hooks.trace)),
        timer: Rc::default(),
        _callbacks: Rc::default(),
        alive: Rc::new(RefCell::new(true)),
    };
    let trace = hooks.trace;
    trace.restart();

    let handles = (
        mounted.widget.clone(),
        mounted.sdk_listeners.clone(),
        mounted.timer.clone(),
        mounted._callbacks.clone(),
        mounted.alive.clone(),
    );
    let state = trace.state;
    let loading = JsFuture::from(load_sdk(&host));
    leptos::task::spawn_local(async move {
        let loaded = loading.await.is_ok();
        let (widget_slot, listeners, timer, callbacks, alive) = handles;
        // Taken down (or retried) while the script loaded: nothing to show any more.
        if !*alive.borrow() {
            return;
        }
        trace.script.try_set(Some(loaded));
        if !loaded {
            state.try_set(WidgetState::Unreachable);
            return;
        }
        match render(&host, (lang, words), &widget, &id, &container, &listeners) {
            Ok(rendered) => {
                name_frame(&container, widget.widget_type, words);
                trace
                    .sdk_version
                    .try_set(sdk_version(&rendered, &container));
                listen_all(&rendered, &widget, words, &hooks, &callbacks, &timer);
                *widget_slot.borrow_mut() = Some(rendered);
                *timer.borrow_mut() = Some(not_ready_timer(trace));
            }
            Err(message) => {
                state.try_set(WidgetState::SdkError(message));
            }
        }
    });
    mounted
}

/// `new MsFlowSdk(…)` and `renderWidget(…)`, recording the window listeners the SDK adds.
fn render(
    host: &str,
    (lang, words): (Lang, Words),
    widget: &ResolvedWidget,
    id: &str,
    container: &web_sys::HtmlElement,
    listeners: &Listeners,
) -> Result<JsValue, String> {
    let window = window();
    let constructor: Function = get(&window, "MsFlowSdk")
        .dyn_into()
        .map_err(|_| words.text(Message::SdkNotLoaded))?;
    let sdk_options = Object::new();
    Reflect::set(&sdk_options, &"hostName".into(), &host.into()).ok();
    Reflect::set(&sdk_options, &"locale".into(), &lang.locale().into()).ok();
    let sdk = Reflect::construct(&constructor, &Array::of1(&sdk_options))
        .map_err(|e| message(e, words))?;
    let options =
        js_sys::JSON::parse(&widget.options.to_string()).map_err(|e| message(e, words))?;
    Reflect::set(&options, &"container".into(), container).ok();
    Reflect::set(&options, &"widgetId".into(), &id.into()).ok();

    let original = get(&window, "addEventListener");
    let recorded = listeners.clone();
    let forward = original.clone();
    let target = window.clone();
    let recorder = Closure::<dyn FnMut(JsValue, JsValue, JsValue)>::new(
        move |kind: JsValue, listener: JsValue, options: JsValue| {
            recorded
                .borrow_mut()
                .push((kind.clone(), listener.clone(), options.clone()));
            if let Some(add) = forward.dyn_ref::<Function>() {
                add.call3(&target, &kind, &listener, &options).ok();
            }
        },
    );
    Reflect::set(&window, &"addEventListener".into(), recorder.as_ref()).ok();
    let render: Result<Function, _> = get(&sdk, "renderWidget").dyn_into();
    let rendered = render
        .map_err(|_| words.text(Message::SdkCannotRender))
        .and_then(|render| {
            render
                .call2(&sdk, &widget.widget_type.as_str().into(), &options)
                .map_err(|e| message(e, words))
        });
    Reflect::set(&window, &"addEventListener".into(), &original).ok();
    rendered
}

/// Names the widget's frame for assistive technology. The SDK titles every frame alike
/// ("Microsoft Power Automate") and marks it `role="presentation"`, which hides even that title.
fn name_frame(container: &web_sys::HtmlElement, widget: WidgetType, words: Words) {
    let Ok(Some(frame)) = container.query_selector("iframe") else {
        return;
    };
    let title = words.text(match widget {
        WidgetType::Templates => Message::FrameTemplates,
        WidgetType::Flows => Message::FrameFlows,
        WidgetType::FlowCreation => Message::FrameFlowCreation,
        WidgetType::FlowsRuntime => Message::FrameRuntime,
        WidgetType::ApprovalCenter => Message::FrameApprovals,
    });
    frame.set_attribute("title", &title).ok();
    frame.remove_attribute("role").ok();
}

/// The SDK's own words for `error`, or Flowhost's when it has none.
fn message(error: JsValue, words: Words) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| words.text(Message::NotShown))
}

/// The `sdkVersion` the SDK wrote into the widget's URL (its `url`, else the frame's `src`):
/// which generation of the SDK the Flow host served.
fn sdk_version(rendered: &JsValue, container: &web_sys::HtmlElement) -> Option<String> {
    let url = text(rendered, "url");
    let url = if url.is_empty() {
        container
            .query_selector("iframe")
            .ok()
            .flatten()
            .and_then(|frame| frame.get_attribute("src"))?
    } else {
        url
    };
    let query = url.split_once('?')?.1;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("sdkVersion="))
        .filter(|v| !v.is_empty() && v.len() <= 16)
        .map(str::to_owned)
}

/// After `PATIENCE_MS` without `WIDGET_READY`, the trace says why (`Trace::verdict`). A widget
/// the SDK rejects is reported, so that the ISV's staff learn of it.
fn not_ready_timer(trace: Trace) -> i32 {
    let check = Closure::once_into_js(move || {
        if trace.state.try_get_untracked() != Some(WidgetState::Loading) {
            return;
        }
        let verdict = trace.verdict();
        if verdict == WidgetState::Rejected {
            let version = trace.sdk_version.get_untracked().unwrap_or_default();
            let path = window().location().pathname().unwrap_or_default();
            leptos::task::spawn_local(async move {
                if let Err(e) = crate::widgets::report_rejected_widget(version, path).await {
                    leptos::logging::warn!("the rejected widget was not reported: {e}");
                }
            });
        }
        trace.state.try_set(verdict);
    });
    window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(check.unchecked_ref(), PATIENCE_MS)
        .unwrap_or(0)
}

/// `widget.notify(actionName, actionData)`.
pub fn notify(
    widget: &JsValue,
    action: &str,
    data: &serde_json::Value,
    words: Words,
) -> Result<Promise, String> {
    let notify: Function = get(widget, "notify")
        .dyn_into()
        .map_err(|_| words.text(Message::CannotAct))?;
    let data = js_sys::JSON::parse(&data.to_string()).map_err(|e| message(e, words))?;
    notify
        .call2(widget, &action.into(), &data)
        .map_err(|e| message(e, words))?
        .dyn_into::<Promise>()
        .map_err(|_| words.text(Message::NoAnswer))
}

impl Mounted {
    /// Sends the widget an action (the runtime widget's button); the error text on refusal,
    /// the widget's own or Flowhost's.
    pub async fn send(
        &self,
        action: &str,
        data: &serde_json::Value,
        words: Words,
    ) -> Result<(), String> {
        let Some(widget) = self.widget.borrow().clone() else {
            return Err(words.text(Message::NotReady));
        };
        let promise = notify(&widget, action, data, words)?;
        JsFuture::from(promise).await.map(drop).map_err(|e| {
            let m = text(&e, "message");
            if m.is_empty() { message(e, words) } else { m }
        })
    }
}
