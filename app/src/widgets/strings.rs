//! Flowhost's wording around the widgets, in the user's language: the widget area's
//! messages, and the texts the widgets ask for with `GET_STRINGS`.

pub use i18n::Lang;
use i18n::t;

/// The `GET_STRINGS` answer: the texts of the create and run buttons and headers, by the keys
/// the widgets read.
pub fn widget_strings(lang: Lang) -> [(&'static str, String); 4] {
    [
        (
            "FLOW_CREATION_CREATE_BUTTON",
            t!(lang, "widget-sdk-create-button"),
        ),
        ("FLOW_CREATION_HEADER", t!(lang, "widget-sdk-create-header")),
        ("INVOKE_FLOW_HEADER", t!(lang, "widget-sdk-run-header")),
        (
            "INVOKE_FLOW_RUN_FLOW_BUTTON",
            t!(lang, "widget-sdk-run-button"),
        ),
    ]
}

/// A message of the widget area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Message {
    Loading,
    NeedsJavaScript,
    Unreachable,
    NotStarted,
    SignInRefused,
    Rejected,
    Reconnect,
    NotProvisioned,
    TokenUnavailable,
    Closed,
    Retry,
    ReconnectButton,
    Open,
}

impl Message {
    /// The message in `lang`.
    pub fn text(self, lang: Lang) -> String {
        match self {
            Message::Loading => t!(lang, "widget-loading"),
            Message::NeedsJavaScript => t!(lang, "widget-needs-javascript"),
            Message::Unreachable => t!(lang, "widget-unreachable"),
            Message::NotStarted => t!(lang, "widget-not-started"),
            Message::SignInRefused => t!(lang, "widget-sign-in-refused"),
            Message::Rejected => t!(lang, "widget-rejected"),
            Message::Reconnect => t!(lang, "widget-reconnect"),
            Message::NotProvisioned => t!(lang, "widget-not-provisioned"),
            Message::TokenUnavailable => t!(lang, "widget-token-unavailable"),
            Message::Closed => t!(lang, "widget-closed"),
            Message::Retry => t!(lang, "widget-retry"),
            Message::ReconnectButton => t!(lang, "widget-reconnect-button"),
            Message::Open => t!(lang, "widget-open"),
        }
    }
}

/// The runtime widget's action was refused, for `reason` (the widget's own words, or
/// Flowhost's when it gave none).
pub fn action_failed(lang: Lang, reason: &str) -> String {
    t!(lang, "widget-action-failed", reason = reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_an_action_failed_is_part_of_the_sentence() {
        assert_eq!(
            action_failed(Lang::En, "the widget is not ready"),
            "The flow could not be started: the widget is not ready"
        );
        assert_eq!(
            action_failed(Lang::Nl, "Geen verbinding."),
            "De stroom kon niet worden gestart: Geen verbinding."
        );
        assert_eq!(
            widget_strings(Lang::Nl)[0],
            ("FLOW_CREATION_CREATE_BUTTON", "De stroom maken".to_owned())
        );
    }
}
