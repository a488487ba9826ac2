//! Flowhost's words in English and Dutch. Every text a person reads comes from the Fluent
//! files under `locales/` (one folder per language, the same message ids in each), looked up
//! through `fluent-templates`. Code names a message by its id: `t!(lang, "accounts-title")`,
//! or `t!(lang, "accounts-count", count = 3)` with arguments. Values that must be put in words
//! later, such as a refused field kept in the session, travel as a [`Msg`].
//!
//! Words are put together on the server only. The browser's code (the islands) shows texts
//! the server sent it, so neither Fluent nor the messages are part of the WebAssembly: there
//! a message is its id, which no island shows.

mod format;
mod lang;
mod msg;
mod template;
#[cfg(not(target_arch = "wasm32"))]
mod words;

pub use format::{date_time, number};
pub use lang::{COOKIE, Lang};
pub use msg::{Arg, Msg};
pub use template::{Counted, Template, slot};
#[cfg(not(target_arch = "wasm32"))]
pub(crate) use words::lookup;
#[cfg(not(target_arch = "wasm32"))]
pub use words::{FluentValue, exists, text, text_with};

/// In the browser: the id. Islands show texts the server put in words.
#[cfg(target_arch = "wasm32")]
pub fn text(_lang: Lang, id: &str) -> String {
    id.to_owned()
}

/// `t!(lang, "id")` or `t!(lang, "id", name = value, …)`: the message in that language.
/// A value is anything a [`FluentValue`] is made from: text, or a number that chooses a
/// plural form.
#[cfg(not(target_arch = "wasm32"))]
#[macro_export]
macro_rules! t {
    ($lang:expr, $id:literal $(,)?) => {
        $crate::text($lang, $id)
    };
    ($lang:expr, $id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::text_with($lang, $id, vec![$((stringify!($name), $crate::FluentValue::from($value))),+])
    };
}

/// In the browser, `t!` gives the message's id (see the crate's documentation).
#[cfg(target_arch = "wasm32")]
#[macro_export]
macro_rules! t {
    ($lang:expr, $id:literal $(,)?) => {
        $crate::text($lang, $id)
    };
    ($lang:expr, $id:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        $(let _ = &$value;)+
        $crate::text($lang, $id)
    }};
}
