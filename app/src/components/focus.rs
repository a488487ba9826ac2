//! Where the keyboard focus goes when the router changes the page in the browser.

use leptos::prelude::*;

/// After a client-side navigation to another page, puts the focus on the page's `<main>`
/// (`#content`), as a page load starts from the top of the document. The link that was followed
/// is usually gone with the old page, and the focus would be lost with it.
#[component]
pub fn FocusOnNavigation() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let location = leptos_router::hooks::use_location();
        Effect::new(move |previous: Option<(String, String)>| {
            let page = (location.pathname.get(), location.search.get());
            if previous.is_some_and(|before| before != page)
                && let Some(main) = document().get_element_by_id("content")
            {
                main.unchecked_into::<web_sys::HtmlElement>().focus().ok();
            }
            page
        });
    }
}
