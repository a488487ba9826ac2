//! The browser side of one widget: loads the SDK from the Flow host once per page, renders the
//! widget with the options the server resolved, answers its requests and passes its events on,
//! and takes everything down again when the page goes away.
//!
//! Only the SDK's documented API is used (`MsFlowSdk`, `renderWidget`, `listen`, `notify`,
//! `dispose`). Two of its gaps are closed here: `dispose` leaves the SDK's message listener
//! attached (it adds the listener in capture mode and removes it without), and its origin check
//! is a plain suffix test with no dot boundary (`https://evilpowerautomate.com` passes).
//!
//! `script` loads the SDK, `render` mounts a widget and takes it down, `guard` drops messages
//! from the wrong origin, and `requests` answers what the widget asks and passes its events on.

mod guard;
mod render;
mod requests;
mod script;

pub use render::{Mounted, mount};

use super::trace::Trace;
use js_sys::Reflect;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

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
        run_id: String,
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
    pub trace: Trace,
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
