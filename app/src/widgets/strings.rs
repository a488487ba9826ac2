//! Flowhost's wording around the widgets: the widget area's messages, the titles of the
//! widgets' frames, why a widget could not act, and the texts the widgets ask for with
//! `GET_STRINGS`. The server puts them in the page's language once; a page with widgets
//! carries them once, as JSON in a `<script>` element ([`TEXTS_ID`]), where the browser's code
//! reads them. The browser has no translations of its own.

pub use i18n::Lang;
use i18n::Template;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The id of the element that carries the texts of a page with widgets.
pub const TEXTS_ID: &str = "flowhost-widget-texts";

macro_rules! messages {
    ($($name:ident => $id:literal),+ $(,)?) => {
        /// A text of the widget area.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Message { $($name),+ }

        impl Message {
            pub const ALL: &[Message] = &[$(Message::$name),+];

            /// The id of its message in the translations.
            pub fn id(self) -> &'static str {
                match self { $(Message::$name => $id),+ }
            }

            /// The message in `lang`.
            #[cfg(feature = "ssr")]
            fn text(self, lang: Lang) -> String {
                match self { $(Message::$name => i18n::t!(lang, $id)),+ }
            }
        }
    };
}

messages! {
    Loading => "widget-loading",
    NeedsJavaScript => "widget-needs-javascript",
    Unreachable => "widget-unreachable",
    NotStarted => "widget-not-started",
    SignInRefused => "widget-sign-in-refused",
    Rejected => "widget-rejected",
    Reconnect => "widget-reconnect",
    NotProvisioned => "widget-not-provisioned",
    TokenUnavailable => "widget-token-unavailable",
    Closed => "widget-closed",
    Retry => "widget-retry",
    ReconnectButton => "widget-reconnect-button",
    Open => "widget-open",
    TokenRefused => "widget-token-refused",
    SdkNotLoaded => "widget-sdk-not-loaded",
    SdkCannotRender => "widget-sdk-cannot-render",
    NotShown => "widget-not-shown",
    CannotAct => "widget-cannot-act",
    NoAnswer => "widget-no-answer",
    NotReady => "widget-not-ready",
    FrameTemplates => "widget-frame-templates",
    FrameFlows => "widget-frame-flows",
    FrameFlowCreation => "widget-frame-flow-creation",
    FrameRuntime => "widget-frame-runtime",
    FrameApprovals => "widget-frame-approvals",
    SdkCreateButton => "widget-sdk-create-button",
    SdkCreateHeader => "widget-sdk-create-header",
    SdkRunHeader => "widget-sdk-run-header",
    SdkRunButton => "widget-sdk-run-button",
}

/// The widget area's texts in one language.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WidgetTexts {
    /// By [`Message`], in the order of [`Message::ALL`].
    texts: Vec<String>,
    /// "The flow could not be started: …", with the widget's reason to fill in.
    action_failed: Template,
}

impl WidgetTexts {
    /// Every text in `lang`, put in words once per language.
    #[cfg(feature = "ssr")]
    pub fn of(lang: Lang) -> Arc<WidgetTexts> {
        static BOTH: std::sync::OnceLock<[Arc<WidgetTexts>; 2]> = std::sync::OnceLock::new();
        let both = BOTH.get_or_init(|| {
            Lang::ALL.map(|lang| {
                Arc::new(WidgetTexts {
                    texts: Message::ALL.iter().map(|m| m.text(lang)).collect(),
                    action_failed: Template::new(i18n::t!(
                        lang,
                        "widget-action-failed",
                        reason = i18n::slot("reason")
                    )),
                })
            })
        });
        both[Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)].clone()
    }

    /// The texts as the element with [`TEXTS_ID`] carries them, made once per language.
    #[cfg(feature = "ssr")]
    pub fn json(lang: Lang) -> Arc<str> {
        static BOTH: std::sync::OnceLock<[Arc<str>; 2]> = std::sync::OnceLock::new();
        let both = BOTH.get_or_init(|| {
            Lang::ALL.map(|lang| {
                let json = serde_json::to_string(&*WidgetTexts::of(lang)).unwrap_or_default();
                // Inside <script>, "</" would end the element.
                Arc::from(json.replace("</", "<\\/"))
            })
        });
        both[Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)].clone()
    }

    /// The texts the page carries (see [`TEXTS_ID`]); none when it carries none.
    #[cfg(feature = "hydrate")]
    fn from_page() -> Arc<WidgetTexts> {
        thread_local! {
            static READ: std::cell::OnceCell<Arc<WidgetTexts>> = const { std::cell::OnceCell::new() };
        }
        READ.with(|read| {
            read.get_or_init(|| {
                let carried = document()
                    .get_element_by_id(TEXTS_ID)
                    .and_then(|e| e.text_content())
                    .and_then(|json| serde_json::from_str(&json).ok());
                if carried.is_none() {
                    leptos::logging::warn!("the page carries no widget texts");
                }
                Arc::new(carried.unwrap_or_default())
            })
            .clone()
        })
    }

    fn get(&self, m: Message) -> &str {
        let at = Message::ALL
            .iter()
            .position(|x| *x == m)
            .unwrap_or(usize::MAX);
        self.texts.get(at).map_or("", String::as_str)
    }
}

/// The texts of the page's language, as cheap to pass around as the language itself: on the
/// server those of `lang`, in the browser those the page carries.
#[derive(Clone, Copy)]
pub struct Words(StoredValue<Arc<WidgetTexts>>);

impl Words {
    #[cfg_attr(feature = "hydrate", allow(unused_variables))]
    pub fn new(lang: Lang) -> Words {
        #[cfg(feature = "hydrate")]
        let texts = WidgetTexts::from_page();
        #[cfg(not(feature = "hydrate"))]
        let texts = {
            #[cfg(feature = "ssr")]
            let texts = WidgetTexts::of(lang);
            #[cfg(not(feature = "ssr"))]
            let texts = Arc::default();
            texts
        };
        Words(StoredValue::new(texts))
    }

    /// The message's text; empty once the widget area is gone.
    pub fn text(self, m: Message) -> String {
        self.0
            .try_with_value(|t| t.get(m).to_owned())
            .unwrap_or_default()
    }

    /// The runtime widget's action was refused, for `reason` (the widget's own words, or
    /// Flowhost's when it gave none).
    pub fn action_failed(self, reason: &str) -> String {
        self.0
            .try_with_value(|t| t.action_failed.fill(&[("reason", reason)]))
            .unwrap_or_default()
    }

    /// The `GET_STRINGS` answer: the texts of the create and run buttons and headers, by the
    /// keys the widgets read.
    pub fn widget_strings(self) -> [(&'static str, String); 4] {
        [
            (
                "FLOW_CREATION_CREATE_BUTTON",
                self.text(Message::SdkCreateButton),
            ),
            ("FLOW_CREATION_HEADER", self.text(Message::SdkCreateHeader)),
            ("INVOKE_FLOW_HEADER", self.text(Message::SdkRunHeader)),
            (
                "INVOKE_FLOW_RUN_FLOW_BUTTON",
                self.text(Message::SdkRunButton),
            ),
        ]
    }
}

/// The element that carries the texts of a page with widgets, in `lang`: wherever a page
/// shows [`super::FlowWidgets`] or [`super::FlowWidget`]. Only the server renders it.
#[cfg(feature = "ssr")]
pub fn texts_element(lang: Lang) -> impl IntoView {
    view! {
        <script type="application/json" id=TEXTS_ID inner_html=WidgetTexts::json(lang).to_string()></script>
    }
}

/// In the browser the page already carries them.
#[cfg(not(feature = "ssr"))]
pub fn texts_element(_lang: Lang) -> impl IntoView {}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn the_texts_read_back_from_the_page_as_the_server_wrote_them() {
        for lang in Lang::ALL {
            let json = WidgetTexts::json(lang);
            let read: WidgetTexts = serde_json::from_str(&json.replace("<\\/", "</")).unwrap();
            assert_eq!(read, *WidgetTexts::of(lang));
            assert_eq!(read.texts.len(), Message::ALL.len());
            for m in Message::ALL {
                assert!(i18n::exists(lang, m.id()), "{} in {lang:?}", m.id());
            }
        }
    }

    #[test]
    fn the_reason_an_action_failed_is_part_of_the_sentence() {
        let owner = Owner::new();
        owner.set();
        assert_eq!(
            Words::new(Lang::En).action_failed("the widget is not ready"),
            "The flow could not be started: the widget is not ready"
        );
        assert_eq!(
            Words::new(Lang::Nl).action_failed("Geen verbinding."),
            "De stroom kon niet worden gestart: Geen verbinding."
        );
        assert_eq!(
            Words::new(Lang::Nl).widget_strings()[0],
            ("FLOW_CREATION_CREATE_BUTTON", "De stroom maken".to_owned())
        );
        assert_eq!(Words::new(Lang::En).text(Message::Retry), "Try again");
    }
}
