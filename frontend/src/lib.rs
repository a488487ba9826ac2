//! The browser's entry point: the page comes whole from the server, and only its islands (the
//! parts marked `#[island]`) are hydrated, each from its own props.

// The islands' hydration functions are exported from `app`, which is linked only when named.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Tests wait for this: the wasm has started, and the islands are hydrated next.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "");
    }
}
