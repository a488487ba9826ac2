//! The languages the sandbox's pages speak, English and Dutch, as Microsoft's sign-in pages
//! choose theirs: the language the app asks for on the request (`ui_locales`, else `mkt`), else
//! the browser's `Accept-Language`, else English. The words are in `locales/`, one folder per
//! language; API answers (JSON error descriptions) stay English, as Azure AD's do.

use std::borrow::Cow;
use std::collections::HashMap;

use axum::http::{HeaderMap, header};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Placeables are not wrapped in Unicode isolation marks: the pages are left to right.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Nl,
}

impl Lang {
    /// `en`, `nl`, or either with a region (`nl-BE`, `en_US`).
    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag
            .split(['-', '_'])
            .next()?
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "en" => Some(Lang::En),
            "nl" => Some(Lang::Nl),
            _ => None,
        }
    }

    /// The first language of a space-separated `ui_locales` list the sandbox speaks.
    pub fn from_ui_locales(list: &str) -> Option<Lang> {
        list.split_whitespace().find_map(Lang::from_tag)
    }

    /// The first language of an `Accept-Language` header the sandbox speaks, by weight.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        accept_language::parse_with_quality(header)
            .into_iter()
            .filter(|(_, quality)| *quality > 0.0)
            .find_map(|(tag, _)| Lang::from_tag(&tag))
    }

    /// The language of a page: what the request asks for (`ui_locales`, then `mkt`), else
    /// the browser's, else English.
    pub fn choose(ui_locales: Option<&str>, mkt: Option<&str>, headers: &HeaderMap) -> Lang {
        ui_locales
            .and_then(Lang::from_ui_locales)
            .or_else(|| mkt.and_then(Lang::from_tag))
            .or_else(|| Lang::of_browser(headers))
            .unwrap_or_default()
    }

    /// The browser's language, from `Accept-Language`.
    pub fn of_browser(headers: &HeaderMap) -> Option<Lang> {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Lang::from_accept_language)
    }

    /// The tag of `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Lang::En => fluent_templates::langid!("en"),
            Lang::Nl => fluent_templates::langid!("nl"),
        }
    }
}

/// The message `id` in `lang`; a missing id comes back as itself.
pub fn text(lang: Lang, id: &str) -> String {
    LOCALES
        .try_lookup(&lang.id(), id)
        .unwrap_or_else(|| id.to_owned())
}

/// The message `id` in `lang`, with its arguments.
pub fn text_with(lang: Lang, id: &str, args: Vec<(&'static str, FluentValue<'_>)>) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .into_iter()
        .map(|(name, value)| (Cow::Borrowed(name), value))
        .collect();
    LOCALES
        .try_lookup_with_args(&lang.id(), id, &args)
        .unwrap_or_else(|| id.to_owned())
}

/// `t!(lang, "id")` or `t!(lang, "id", name = value, …)`: the message in that language.
macro_rules! t {
    ($lang:expr, $id:literal $(,)?) => {
        $crate::lang::text($lang, $id)
    };
    ($lang:expr, $id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::lang::text_with(
            $lang,
            $id,
            vec![$((
                stringify!($name),
                fluent_templates::fluent_bundle::FluentValue::from($value),
            )),+],
        )
    };
}
pub(crate) use t;

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn browser(accept: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_str(accept).unwrap(),
        );
        headers
    }

    #[test]
    fn the_request_comes_before_the_browser_and_english_comes_last() {
        let dutch = browser("nl-NL,nl;q=0.9,en;q=0.8");
        assert_eq!(Lang::choose(Some("en"), None, &dutch), Lang::En);
        assert_eq!(
            Lang::choose(Some("fr-FR nl"), None, &browser("en")),
            Lang::Nl
        );
        assert_eq!(Lang::choose(None, Some("nl-NL"), &browser("en")), Lang::Nl);
        assert_eq!(Lang::choose(Some("fr"), Some("fr-FR"), &dutch), Lang::Nl);
        assert_eq!(
            Lang::choose(None, None, &browser("de-DE,nl;q=0.5")),
            Lang::Nl
        );
        assert_eq!(Lang::choose(None, None, &browser("fr")), Lang::En);
        assert_eq!(Lang::choose(None, None, &HeaderMap::new()), Lang::En);
    }

    #[test]
    fn the_words_come_from_the_language_files() {
        assert_eq!(text(Lang::Nl, "idp-pick-account"), "Een account kiezen");
        assert_eq!(text(Lang::En, "idp-pick-account"), "Pick an account");
    }
}
