//! Loading the SDK script from the Flow host, once per page.

use super::{PATIENCE_MS, window};
use js_sys::Promise;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// The SDK script's load, shared by every widget of the page; forgotten when it fails, so
    /// that a retry loads it again.
    static SDK: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Loads `{host}/Content/msflowsdk-1.1.js` once; rejects on an error or after `PATIENCE_MS`.
pub(super) fn load_sdk(host: &str) -> Promise {
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
