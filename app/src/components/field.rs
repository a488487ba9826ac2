use leptos::prelude::*;

/// The message shown under a field that was refused.
#[component]
pub fn FieldError(#[prop(into)] id: String, message: Option<String>) -> impl IntoView {
    message.map(|message| view! { <p class="field-error" id=id role="alert">{message}</p> })
}

/// A message about a whole form or page.
#[component]
pub fn Notice(message: Option<String>, #[prop(optional)] error: bool) -> impl IntoView {
    message.map(|message| {
        view! { <p class=if error { "notice notice-error" } else { "notice" } role="status">{message}</p> }
    })
}

/// A `<textarea>` holding `text`. Leptos writes a textarea's children into server HTML without
/// escaping them, so the server escapes them here; in the browser the text is set as it is.
#[component]
pub fn TextArea(#[prop(into)] id: String, rows: u32, text: String, invalid: bool) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let text = domain::encode::html(&text).into_owned();
    view! {
        <textarea id=id.clone() name=id.clone() rows=rows aria-invalid=invalid.to_string() aria-describedby=format!("{id}-error")>
            {text}
        </textarea>
    }
}
