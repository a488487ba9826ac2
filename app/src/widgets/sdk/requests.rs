//! What the widget asks of the page (`GET_ACCESS_TOKEN`, `GET_STRINGS`) and what it tells it
//! (ready, closed, flows created, runs completed, approvals changed), each answered so that the
//! widget never waits.

use super::render::notify;
use super::{Hooks, WidgetEvent, get, text, window};
use crate::errors::AppError;
use crate::widgets::component::WidgetState;
use crate::widgets::strings::{Message, Words};
use crate::widgets::{TokenAnswer, get_flow_token};
use domain::placement::ResolvedWidget;
use js_sys::{Function, Object, Reflect};
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// A callback the SDK calls with `(requestParam, done)`.
type Callback = Closure<dyn FnMut(JsValue, JsValue)>;
/// Callbacks the SDK holds; they must outlive the widget.
pub(super) type Callbacks = Rc<RefCell<Vec<Callback>>>;

/// The widget's done callback, answered with a result.
fn answer(done: &JsValue, result: &JsValue) {
    if let Some(done) = done.dyn_ref::<Function>() {
        done.call2(&JsValue::NULL, &JsValue::NULL, result).ok();
    }
}

/// The widget's done callback, answered with an error in the shape the widget reads:
/// `{value: {name, message}}` (the SDK reads only `value`, and hangs on an error without it).
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

pub(super) fn listen_all(
    sdk_widget: &JsValue,
    widget: &ResolvedWidget,
    words: Words,
    hooks: &Hooks,
    callbacks: &Callbacks,
    timer: &Rc<RefCell<Option<i32>>>,
) {
    let Ok(listen) = get(sdk_widget, "listen").dyn_into::<Function>() else {
        return;
    };
    let trace = hooks.trace;
    let state = trace.state;
    // Every request the SDK passes on is counted: none at all, while requests arrive from the
    // Flow host, means the SDK rejects them.
    let on = |event: &str, mut handler: Box<dyn FnMut(JsValue, JsValue)>| {
        let closure = Callback::wrap(Box::new(move |param: JsValue, done: JsValue| {
            trace.answered.update(|n| *n += 1);
            handler(param, done);
        }));
        listen
            .call2(sdk_widget, &event.into(), closure.as_ref())
            .ok();
        callbacks.borrow_mut().push(closure);
    };

    on(
        "GET_ACCESS_TOKEN",
        Box::new(move |param: JsValue, done: JsValue| {
            let resource = text(&get(&param, "data"), "resource");
            leptos::task::spawn_local(async move {
                let failure = match get_flow_token(resource).await {
                    Ok(TokenAnswer::Token { token, .. }) => {
                        trace.token.try_set(Some(true));
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
                trace.token.try_set(Some(false));
                state.try_set(failure);
                refuse(
                    &done,
                    "TokenUnavailable",
                    &words.text(Message::TokenRefused),
                );
            });
        }),
    );

    let strings = Object::new();
    for (key, value) in words.widget_strings() {
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
                let _ = notify(
                    &ready_widget,
                    &action.action_name,
                    &action.action_data,
                    words,
                );
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
                run_id: text(&data, "runId"),
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
}
