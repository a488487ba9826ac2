//! The browser side of one widget: loads the SDK from the Flow host once per page, renders the
//! widget with the options the server resolved, answers its requests and passes its events on,
//! and takes everything down again when the page goes away.
//!
//! Only the SDK's documented API is used (`MsFlowSdk`, `renderWidget`, `listen`, `notify`,
//! `dispose`; flow-widget-protocol.md §1). Two of its gaps are closed here: `dispose` leaves the
//! SDK's message listener attached (§1.7), and its origin check is a plain suffix test (§3.7).

use super::component::WidgetState;
use super::strings::Lang;
use super::{TokenAnswer, get_flow_token};
use crate::errors::AppError;
use domain::placement::ResolvedWidget;
use js_sys::{Array, Function, Object, Promise, Reflect};
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// How long the SDK script, and then the widget's `WIDGET_READY`, may take.
const PATIENCE_MS: i32 = 10_000;

/// What the widget tells the page, for the record.
#[derive(Clone, Debug)]
pub enum WidgetEvent {
    FlowCreated {
        flow_id: String,
        flow_url: String,
        template: Option<String>,
    },
    RunCompleted {
        flow_name: String,
        status: String,
    },
    ApprovalChanged {
        approval_id: String,
        title: String,
        status: String,
        item_link: String,
    },
}

pub struct Hooks {
    pub state: RwSignal<WidgetState>,
    pub on_event: Rc<dyn Fn(WidgetEvent)>,
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn text(target: &JsValue, key: &str) -> String {
    get(target, key).as_string().unwrap_or_default()
}

fn window() -> web_sys::Window {
    web_sys::window().expect("a browser window")
}

thread_local! {
    /// The SDK script's load, shared by every widget of the page; forgotten when it fails, so
    /// that a retry loads it again.
    static SDK: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Loads `{host}/Content/msflowsdk-1.1.js` once; rejects on an error or after `PATIENCE_MS`.
fn load_sdk(host: &str) -> Promise {
    if let Some(loading) = SDK.with(|s| s.borrow().clone()) {
        return loading;
    }
    let src = format!("{host}/Content/msflowsdk-1.1.js");
    let promise = Promise::new(&mut |resolve, reject| {
        let document = window().document().expect("a document");
        let script: web_sys::HtmlScriptElement = document
            .create_element("script")
            .expect("a script element")
            .unchecked_into();
        script.set_src(&src);
        script.set_async(true);
        script.set_attribute("data-flow-sdk", "").ok();
        let reject_timeout = reject.clone();
        let timer = Closure::once_into_js(move || {
            reject_timeout.call1(&JsValue::NULL, &"timeout".into()).ok();
        });
        let id = window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                timer.unchecked_ref(),
                PATIENCE_MS,
            )
            .unwrap_or(0);
        let on_load = Closure::once_into_js(move || {
            window().clear_timeout_with_handle(id);
            resolve.call0(&JsValue::NULL).ok();
        });
        let failed_script = script.clone();
        let on_error = Closure::once_into_js(move || {
            window().clear_timeout_with_handle(id);
            failed_script.remove();
            reject.call1(&JsValue::NULL, &"error".into()).ok();
        });
        script.set_onload(Some(on_load.unchecked_ref()));
        script.set_onerror(Some(on_error.unchecked_ref()));
        document.head().expect("a head").append_child(&script).ok();
    });
    // A failed load is forgotten so that "Try again" fetches the script again.
    let watched = promise.clone();
    leptos::task::spawn_local(async move {
        if JsFuture::from(watched).await.is_err() {
            SDK.with(|s| *s.borrow_mut() = None);
        }
    });
    SDK.with(|s| *s.borrow_mut() = Some(promise.clone()));
    promise
}

/// A callback the SDK calls with `(requestParam, done)`.
type Callback = Closure<dyn FnMut(JsValue, JsValue)>;
/// Callbacks the SDK holds; they must outlive the widget.
type Callbacks = Rc<RefCell<Vec<Callback>>>;
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

/// A widget id in the SDK's own shape (8-4-4-4-4-8 lower-case hex).
fn widget_id() -> String {
    let hex = |n: usize| -> String {
        (0..n)
            .map(|_| format!("{:x}", (js_sys::Math::random() * 16.0) as u8))
            .collect()
    };
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
    lang: Lang,
    widget: ResolvedWidget,
    container: web_sys::HtmlElement,
    hooks: Hooks,
) -> Mounted {
    let id = widget_id();
    let mounted = Mounted {
        widget: Rc::default(),
        sdk_listeners: Rc::default(),
        guard: Some(guard(&host, &id)),
        timer: Rc::default(),
        _callbacks: Rc::default(),
        alive: Rc::new(RefCell::new(true)),
    };
    hooks.state.set(WidgetState::Loading);

    let handles = (
        mounted.widget.clone(),
        mounted.sdk_listeners.clone(),
        mounted.timer.clone(),
        mounted._callbacks.clone(),
        mounted.alive.clone(),
    );
    let state = hooks.state;
    let loading = JsFuture::from(load_sdk(&host));
    leptos::task::spawn_local(async move {
        let loaded = loading.await.is_ok();
        let (widget_slot, listeners, timer, callbacks, alive) = handles;
        // Taken down (or retried) while the script loaded: nothing to show any more.
        if !*alive.borrow() {
            return;
        }
        if !loaded {
            state.try_set(WidgetState::Unreachable);
            return;
        }
        match render(&host, lang, &widget, &id, &container, &listeners) {
            Ok(rendered) => {
                let token_given = listen_all(&rendered, &widget, lang, &hooks, &callbacks, &timer);
                *widget_slot.borrow_mut() = Some(rendered);
                *timer.borrow_mut() = Some(not_ready_timer(state, token_given));
            }
            Err(message) => {
                state.try_set(WidgetState::SdkError(message));
            }
        }
    });
    mounted
}

/// Drops messages that carry this widget's signature but come from anywhere but the Flow host:
/// the SDK's own check would let `https://evilpowerautomate.com` through.
fn guard(host: &str, id: &str) -> Closure<dyn FnMut(web_sys::MessageEvent)> {
    let origin = host.trim_end_matches('/').to_ascii_lowercase();
    let id = id.to_ascii_lowercase();
    let guard =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let data = event.data();
            let signed = data.is_object()
                && get(&data, "signature")
                    .as_string()
                    .is_some_and(|s| s.to_ascii_lowercase() == id);
            if signed && event.origin().to_ascii_lowercase() != origin {
                event.stop_immediate_propagation();
            }
        });
    let _ = window().add_event_listener_with_callback_and_bool(
        "message",
        guard.as_ref().unchecked_ref(),
        true,
    );
    guard
}

/// `new MsFlowSdk(…)` and `renderWidget(…)`, recording the window listeners the SDK adds.
fn render(
    host: &str,
    lang: Lang,
    widget: &ResolvedWidget,
    id: &str,
    container: &web_sys::HtmlElement,
    listeners: &Listeners,
) -> Result<JsValue, String> {
    let window = window();
    let constructor: Function = get(&window, "MsFlowSdk")
        .dyn_into()
        .map_err(|_| "the Power Automate SDK did not load".to_owned())?;
    let sdk_options = Object::new();
    Reflect::set(&sdk_options, &"hostName".into(), &host.into()).ok();
    Reflect::set(&sdk_options, &"locale".into(), &lang.locale().into()).ok();
    let sdk = Reflect::construct(&constructor, &Array::of1(&sdk_options)).map_err(message)?;
    let options = js_sys::JSON::parse(&widget.options.to_string()).map_err(message)?;
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
        .map_err(|_| "the Power Automate SDK has no renderWidget".to_owned())
        .and_then(|render| {
            render
                .call2(&sdk, &widget.widget_type.as_str().into(), &options)
                .map_err(message)
        });
    Reflect::set(&window, &"addEventListener".into(), &original).ok();
    rendered
}

fn message(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "the widget could not be shown".to_owned())
}

/// After `PATIENCE_MS` without `WIDGET_READY`: the widget refused the token it was given, or
/// (never having asked for one) could not start at all, as when third-party cookies are blocked.
fn not_ready_timer(state: RwSignal<WidgetState>, token_given: Rc<RefCell<bool>>) -> i32 {
    let check = Closure::once_into_js(move || {
        if state.try_get_untracked() == Some(WidgetState::Loading) {
            state.try_set(if *token_given.borrow() {
                WidgetState::SignInRefused
            } else {
                WidgetState::NotStarted
            });
        }
    });
    window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(check.unchecked_ref(), PATIENCE_MS)
        .unwrap_or(0)
}

/// The widget's done callback, answered with a result.
fn answer(done: &JsValue, result: &JsValue) {
    if let Some(done) = done.dyn_ref::<Function>() {
        done.call2(&JsValue::NULL, &JsValue::NULL, result).ok();
    }
}

/// The widget's done callback, answered with an error in the shape the widget reads (§11.3).
fn refuse(done: &JsValue, name: &str, text: &str) {
    let value = Object::new();
    Reflect::set(&value, &"name".into(), &name.into()).ok();
    Reflect::set(&value, &"message".into(), &text.into()).ok();
    let error = Object::new();
    Reflect::set(&error, &"value".into(), &value).ok();
    if let Some(done) = done.dyn_ref::<Function>() {
        done.call2(&JsValue::NULL, &error, &JsValue::UNDEFINED).ok();
    }
}

fn listen_all(
    sdk_widget: &JsValue,
    widget: &ResolvedWidget,
    lang: Lang,
    hooks: &Hooks,
    callbacks: &Callbacks,
    timer: &Rc<RefCell<Option<i32>>>,
) -> Rc<RefCell<bool>> {
    let token_given = Rc::new(RefCell::new(false));
    let Ok(listen) = get(sdk_widget, "listen").dyn_into::<Function>() else {
        return token_given;
    };
    let state = hooks.state;
    let on = |event: &str, handler: Box<dyn FnMut(JsValue, JsValue)>| {
        let closure = Callback::wrap(handler);
        listen
            .call2(sdk_widget, &event.into(), closure.as_ref())
            .ok();
        callbacks.borrow_mut().push(closure);
    };

    let given = token_given.clone();
    on(
        "GET_ACCESS_TOKEN",
        Box::new(move |param: JsValue, done: JsValue| {
            let resource = text(&get(&param, "data"), "resource");
            let given = given.clone();
            leptos::task::spawn_local(async move {
                let failure = match get_flow_token(resource).await {
                    Ok(TokenAnswer::Token { token, .. }) => {
                        *given.borrow_mut() = true;
                        let reply = Object::new();
                        Reflect::set(&reply, &"token".into(), &token.into()).ok();
                        answer(&done, &reply);
                        return;
                    }
                    Ok(TokenAnswer::Reconnect) | Err(AppError::Unauthorized) => {
                        WidgetState::Reconnect
                    }
                    Ok(TokenAnswer::NotProvisioned) => WidgetState::NotProvisioned,
                    Ok(TokenAnswer::NotAllowed) => WidgetState::SignInRefused,
                    Ok(TokenAnswer::Unavailable) | Err(_) => WidgetState::TokenUnavailable,
                };
                state.try_set(failure);
                refuse(
                    &done,
                    "TokenUnavailable",
                    "Flowhost could not get a Power Automate token.",
                );
            });
        }),
    );

    let strings = Object::new();
    for (key, value) in lang.widget_strings() {
        Reflect::set(&strings, &key.into(), &value.into()).ok();
    }
    on(
        "GET_STRINGS",
        Box::new(move |_param: JsValue, done: JsValue| answer(&done, &strings)),
    );

    let kind = widget.widget_type.as_str().to_owned();
    let on_ready = widget
        .action
        .as_ref()
        .filter(|a| a.label.is_empty())
        .cloned();
    let ready_widget = sdk_widget.clone();
    let ready_timer = timer.clone();
    on(
        "WIDGET_READY",
        Box::new(move |_param: JsValue, done: JsValue| {
            if let Some(id) = ready_timer.borrow_mut().take() {
                window().clear_timeout_with_handle(id);
            }
            if let Some(performance) = window().performance() {
                performance
                    .mark(&format!("flowhost:widget-ready:{kind}"))
                    .ok();
            }
            state.try_set(WidgetState::Ready);
            if let Some(action) = &on_ready {
                let _ = notify(&ready_widget, &action.action_name, &action.action_data);
            }
            answer(&done, &JsValue::UNDEFINED);
        }),
    );

    let events = hooks.on_event.clone();
    on(
        "FLOW_CREATION_SUCCEEDED",
        Box::new(move |param: JsValue, done: JsValue| {
            let data = get(&param, "data");
            let template = text(&data, "fromTemplate");
            events(WidgetEvent::FlowCreated {
                flow_id: text(&data, "flowId"),
                flow_url: text(&data, "flowUrl"),
                template: (!template.is_empty()).then_some(template),
            });
            answer(&done, &JsValue::UNDEFINED);
        }),
    );
    let events = hooks.on_event.clone();
    on(
        "RUN_FLOW_COMPLETED",
        Box::new(move |param: JsValue, done: JsValue| {
            let data = get(&param, "data");
            events(WidgetEvent::RunCompleted {
                flow_name: text(&data, "flowName"),
                status: text(&data, "status"),
            });
            answer(&done, &JsValue::UNDEFINED);
        }),
    );
    for event in [
        "RECEIVED_APPROVAL_STATUS_CHANGED",
        "SENT_APPROVAL_STATUS_CHANGED",
    ] {
        let events = hooks.on_event.clone();
        on(
            event,
            Box::new(move |param: JsValue, done: JsValue| {
                let data = get(&param, "data");
                events(WidgetEvent::ApprovalChanged {
                    approval_id: text(&data, "approvalId"),
                    title: text(&data, "title"),
                    status: text(&data, "status"),
                    item_link: text(&data, "itemLink"),
                });
                answer(&done, &JsValue::UNDEFINED);
            }),
        );
    }
    on(
        "WIDGET_CLOSE",
        Box::new(move |_param: JsValue, done: JsValue| {
            answer(&done, &JsValue::UNDEFINED);
            state.try_set(WidgetState::Closed);
        }),
    );
    // Events the page has nothing to do with are still answered, so the widget never waits.
    for event in [
        "WIDGET_RENDERED",
        "RUN_FLOW_STARTED",
        "RUN_FLOW_DONE_BUTTON_CLICKED",
        "RUN_FLOW_CANCEL_BUTTON_CLICKED",
        "FLOW_CREATION_FAILED",
        "TEMPLATE_LOAD_FAILED",
    ] {
        on(
            event,
            Box::new(|_param: JsValue, done: JsValue| answer(&done, &JsValue::UNDEFINED)),
        );
    }
    token_given
}

/// `widget.notify(actionName, actionData)`.
pub fn notify(widget: &JsValue, action: &str, data: &serde_json::Value) -> Result<Promise, String> {
    let notify: Function = get(widget, "notify")
        .dyn_into()
        .map_err(|_| "the widget cannot be told anything".to_owned())?;
    let data = js_sys::JSON::parse(&data.to_string()).map_err(message)?;
    notify
        .call2(widget, &action.into(), &data)
        .map_err(message)?
        .dyn_into::<Promise>()
        .map_err(|_| "the widget gave no answer".to_owned())
}

impl Mounted {
    /// Sends the widget an action (the runtime widget's button); the error text on refusal.
    pub async fn send(&self, action: &str, data: &serde_json::Value) -> Result<(), String> {
        let Some(widget) = self.widget.borrow().clone() else {
            return Err("the widget is not ready".to_owned());
        };
        let promise = notify(&widget, action, data)?;
        JsFuture::from(promise).await.map(drop).map_err(|e| {
            let m = text(&e, "message");
            if m.is_empty() { message(e) } else { m }
        })
    }
}
