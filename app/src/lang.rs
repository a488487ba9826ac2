//! The reader's language. The server chooses it once per request (the switch's cookie, else
//! `Accept-Language`, else English) and writes it into `<html lang>`; an island hydrated in the
//! browser reads it back from there, so the server and the browser render the same words.

pub use i18n::{Lang, Msg, t};
use leptos::prelude::*;

/// The language of the page being rendered. An island hydrated in the browser has no context
/// from the page around it, and reads the page's `<html lang>`.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_else(page_lang)
}

/// Chooses the page's language and provides it to every component below.
pub fn provide_lang() -> Lang {
    let lang = page_lang();
    provide_context(lang);
    lang
}

#[cfg(feature = "ssr")]
fn page_lang() -> Lang {
    crate::ssr::lang()
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn page_lang() -> Lang {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or_default()
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
fn page_lang() -> Lang {
    Lang::default()
}
