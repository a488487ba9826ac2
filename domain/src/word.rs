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

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
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

            /// The message shown when a submitted value is not one of [`Self::ALL`].
            pub fn unknown_message() -> String {
                let words: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                format!(concat!($what, " must be one of: {}."), words.join(", "))
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value).ok_or_else(Self::unknown_message)
            }
        }
    };
}
