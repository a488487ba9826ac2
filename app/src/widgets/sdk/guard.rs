//! The origin guard in front of the SDK's own message listener, which also counts the
//! widget's requests as they arrive, before the SDK decides whether to pass them on.

use super::{get, window};
use crate::widgets::trace::Trace;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Drops messages that carry this widget's signature but come from anywhere but the Flow host:
/// the SDK's own check would let `https://evilpowerautomate.com` through. Requests from the Flow
/// host other than the handshake's `__PING__` are counted in `trace.requests`.
pub(super) fn guard(
    host: &str,
    id: &str,
    trace: Trace,
) -> Closure<dyn FnMut(web_sys::MessageEvent)> {
    let origin = host.trim_end_matches('/').to_ascii_lowercase();
    let id = id.to_ascii_lowercase();
    let guard =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let data = event.data();
            let signed = data.is_object()
                && get(&data, "signature")
                    .as_string()
                    .is_some_and(|s| s.to_ascii_lowercase() == id);
            if !signed {
                return;
            }
            if event.origin().to_ascii_lowercase() != origin {
                event.stop_immediate_propagation();
            } else if get(&data, "method")
                .as_string()
                .is_some_and(|m| m != "__PING__")
            {
                trace.requests.update(|n| *n += 1);
            }
        });
    let _ = window().add_event_listener_with_callback_and_bool(
        "message",
        guard.as_ref().unchecked_ref(),
        true,
    );
    guard
}
