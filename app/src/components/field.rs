use crate::lang::use_lang;
use i18n::Msg;
use leptos::prelude::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The message shown under a field that was refused.
#[component]
pub fn FieldError(#[prop(into)] id: String, message: Option<Msg>) -> impl IntoView {
    let lang = use_lang();
    message.map(|message| {
        view! { <p class="field-error" id=id role="alert">{message.show(lang)}</p> }
    })
}

/// A message about a whole form or page.
#[component]
pub fn Notice(message: Option<Msg>, #[prop(optional)] error: bool) -> impl IntoView {
    let lang = use_lang();
    message.map(|message| {
        let class = if error {
            "notice notice-error"
        } else {
            "notice"
        };
        view! { <p class=class role="status">{message.show(lang)}</p> }
    })
}

/// Gives `autofocus` to the first refused field of a form, so that a refused form opens with
/// the focus on it. Asked field by field in the order the form shows them, it answers `true`
/// once: for the first field that has an error.
#[derive(Clone, Debug, Default)]
pub struct FirstInvalid(Arc<AtomicBool>);

impl FirstInvalid {
    pub fn autofocus(&self, invalid: bool) -> bool {
        invalid && !self.0.swap(true, Ordering::Relaxed)
    }
}

/// A `<textarea>` holding `text`. Leptos writes a textarea's children into server HTML without
/// escaping them, so the server escapes them here.
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    rows: u32,
    text: String,
    invalid: bool,
    #[prop(optional)] autofocus: bool,
    /// Whether a hint with the id `{id}-hint` describes the field.
    #[prop(optional)]
    hint: bool,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let text = domain::encode::html(&text).into_owned();
    view! {
        <textarea id=id.clone() name=id.clone() rows=rows autofocus=autofocus
            aria-invalid=invalid.to_string() aria-describedby=described_by(&id, hint, invalid)>
            {text}
        </textarea>
    }
}

/// The `aria-describedby` of the field `id`: its hint (`{id}-hint`) when it has one, then its
/// error (`{id}-error`) when it was refused; none when neither.
pub fn described_by(id: &str, hint: bool, invalid: bool) -> Option<String> {
    let ids: Vec<String> = [(hint, "hint"), (invalid, "error")]
        .into_iter()
        .filter(|(shown, _)| *shown)
        .map(|(_, part)| format!("{id}-{part}"))
        .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}
