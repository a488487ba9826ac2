//! Closed sets of values written as words.

/// Declares a closed set of values stored, submitted and serialised as fixed words.
macro_rules! word_enum {
    ($name:ident, $what:literal, { $($variant:ident => $word:literal, $label:literal),+ $(,)? }) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "&'static str")]
        pub enum $name { $($variant),+ }

        impl From<$name> for &'static str {
            fn from(value: $name) -> Self {
                value.as_str()
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// The value's name, to be put in the reader's language.
            pub fn label(self) -> i18n::Msg {
                match self { $($name::$variant => i18n::Msg::new($label)),+ }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == raw.trim())
            }

            /// The submitted `raw` value of `field`, or `None` with the field's error added.
            pub fn from_field(errors: &mut $crate::validation::FieldErrors, field: &str, raw: &str) -> Option<Self> {
                let value = Self::parse(raw);
                if value.is_none() {
                    errors.add(field, Self::unknown_message());
                }
                value
            }

            /// The ids of the messages that name the set and each value.
            #[cfg(test)]
            pub fn message_ids() -> Vec<&'static str> {
                vec![$what, $($label),+]
            }

            /// The message shown when a submitted value is not one of [`Self::ALL`].
            pub fn unknown_message() -> i18n::Msg {
                let words: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                i18n::Msg::new("field-one-of")
                    .with("field", i18n::Msg::new($what))
                    .with("choices", words.join(", "))
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value).ok_or_else(|| {
                    let words: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    format!("{value:?} is not one of {}", words.join(", "))
                })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::placement::{PageKind, WidgetType};
    use crate::{ApprovalState, EventKind, Priority, Status};
    use i18n::Lang;

    #[test]
    fn every_set_and_value_is_named_in_both_languages() {
        let ids = [
            Status::message_ids(),
            Priority::message_ids(),
            EventKind::message_ids(),
            ApprovalState::message_ids(),
            PageKind::message_ids(),
            WidgetType::message_ids(),
            crate::comment::CommentVia::message_ids(),
            crate::hook::HookEvent::message_ids(),
        ];
        for id in ids.concat() {
            for lang in Lang::ALL {
                assert!(i18n::exists(lang, id), "{id} is not a message in {lang:?}");
            }
        }
    }

    #[test]
    fn a_refused_value_is_named_in_the_readers_language() {
        let message = Status::unknown_message();
        assert_eq!(
            message.show(Lang::En),
            "Status must be one of: open, pending, resolved, closed."
        );
        assert_eq!(
            message.show(Lang::Nl),
            "Status moet een van deze zijn: open, pending, resolved, closed."
        );
        assert_eq!(Priority::Urgent.label().show(Lang::Nl), "Dringend");
    }
}
