//! Flowhost's words in English and Dutch. Every text a person reads comes from the Fluent
//! files under `locales/` (one folder per language, the same message ids in each), looked up
//! through `fluent-templates`. Code names a message by its id: `t!(lang, "accounts-title")`,
//! or `t!(lang, "accounts-count", count = 3)` with arguments. Values that must be put in words
//! later, such as a refused field kept in the session, travel as a [`Msg`].

mod format;
mod lang;
mod msg;

pub use fluent_templates::fluent_bundle::FluentValue;
pub use format::{date_time, number};
pub use lang::{COOKIE, Lang};
pub use msg::{Arg, Msg};

use fluent_templates::Loader;
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Placeables are not wrapped in Unicode isolation marks: every text is left to right,
        // and the marks would show up in titles, attributes and logs.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The message `id` in `lang`. An id missing from the files comes back as itself, which the
/// tests in `tests/` refuse.
pub fn text(lang: Lang, id: &str) -> String {
    LOCALES
        .try_lookup(&lang.id(), id)
        .unwrap_or_else(|| id.to_owned())
}

/// Whether `id` is a message in `lang`; for tests of ids made at run time.
pub fn exists(lang: Lang, id: &str) -> bool {
    LOCALES
        .lookup_no_default_fallback::<&str>(&lang.id(), id, None)
        .is_some()
}

/// The message `id` in `lang`, with its arguments.
pub fn text_with(lang: Lang, id: &str, args: Vec<(&'static str, FluentValue<'_>)>) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .into_iter()
        .map(|(name, value)| (Cow::Borrowed(name), value))
        .collect();
    lookup(lang, id, &args)
}

fn lookup(lang: Lang, id: &str, args: &HashMap<Cow<'static, str>, FluentValue<'_>>) -> String {
    LOCALES
        .try_lookup_with_args(&lang.id(), id, args)
        .unwrap_or_else(|| id.to_owned())
}

/// `t!(lang, "id")` or `t!(lang, "id", name = value, …)`: the message in that language.
/// A value is anything a [`FluentValue`] is made from: text, or a number that chooses a
/// plural form.
#[macro_export]
macro_rules! t {
    ($lang:expr, $id:literal $(,)?) => {
        $crate::text($lang, $id)
    };
    ($lang:expr, $id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::text_with($lang, $id, vec![$((stringify!($name), $crate::FluentValue::from($value))),+])
    };
}
