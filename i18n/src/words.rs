//! The Fluent files, read once, and the lookup of a message in them.

use crate::Lang;
use fluent_templates::Loader;
pub use fluent_templates::fluent_bundle::FluentValue;
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

pub(crate) fn lookup(
    lang: Lang,
    id: &str,
    args: &HashMap<Cow<'static, str>, FluentValue<'_>>,
) -> String {
    LOCALES
        .try_lookup_with_args(&lang.id(), id, args)
        .unwrap_or_else(|| id.to_owned())
}
