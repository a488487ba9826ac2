use serde::{Deserialize, Serialize};

/// The cookie that remembers the language a person chose with the switch in the header.
pub const COOKIE: &str = "flowhost_lang";

/// A language Flowhost speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Nl,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Nl];

    /// The language of a request: the one chosen with the switch (its cookie), else the first
    /// of `Accept-Language` that Flowhost speaks, else English.
    pub fn choose(chosen: Option<&str>, accept_language: Option<&str>) -> Lang {
        chosen
            .and_then(Lang::from_tag)
            .or_else(|| accept_language.and_then(Lang::from_accept_language))
            .unwrap_or_default()
    }

    /// The first language of an `Accept-Language` header that Flowhost speaks, by weight.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        accept_language::parse_with_quality(header)
            .into_iter()
            .filter(|(_, quality)| *quality > 0.0)
            .find_map(|(tag, _)| Lang::from_tag(&tag))
    }

    /// `en`, `nl`, or a tag of either with a region (`nl-BE`); nothing else.
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

    /// The tag of `<html lang>`, of the cookie and of the switch's form.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }

    /// The locale the Power Automate widget SDK is created with.
    pub fn locale(self) -> &'static str {
        match self {
            Lang::En => "en-us",
            Lang::Nl => "nl-nl",
        }
    }

    /// The language's own name, as the switch offers it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Nl => "Nederlands",
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn id(self) -> fluent_templates::LanguageIdentifier {
        match self {
            Lang::En => fluent_templates::langid!("en"),
            Lang::Nl => fluent_templates::langid!("nl"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_choice_comes_before_the_browser_and_english_comes_last() {
        assert_eq!(Lang::choose(Some("nl"), Some("en-GB")), Lang::Nl);
        assert_eq!(Lang::choose(Some("en"), Some("nl-NL")), Lang::En);
        assert_eq!(Lang::choose(Some("fr"), Some("nl-NL")), Lang::Nl);
        assert_eq!(
            Lang::choose(None, Some("nl-NL,nl;q=0.9,en;q=0.8")),
            Lang::Nl
        );
        assert_eq!(
            Lang::choose(None, Some("de-DE,nl;q=0.5,en;q=0.7")),
            Lang::En
        );
        assert_eq!(Lang::choose(None, Some("de-DE,nl;q=0.5")), Lang::Nl);
        assert_eq!(Lang::choose(None, Some("nl;q=0,en;q=0.1")), Lang::En);
        assert_eq!(Lang::choose(None, Some("fr")), Lang::En);
        assert_eq!(Lang::choose(None, None), Lang::En);
        assert_eq!(Lang::Nl.locale(), "nl-nl");
    }
}
