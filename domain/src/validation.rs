use i18n::Msg;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Messages for the fields of one form, keyed by the field's name, to be shown next to it in
/// the reader's language. The first message of a field is kept.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(BTreeMap<String, Msg>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: Msg) {
        self.0.entry(field.to_owned()).or_insert(message);
    }

    pub fn get(&self, field: &str) -> Option<&Msg> {
        self.0.get(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Msg)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// `Ok(value)` when no field had an error.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

/// Trims `raw` and checks its length in characters (not bytes). `label` is the message that
/// names the field.
pub fn text(
    errors: &mut FieldErrors,
    field: &str,
    label: Msg,
    raw: &str,
    min: usize,
    max: usize,
) -> String {
    let value = raw.trim();
    let len = value.chars().count();
    if len < min {
        if min == 1 {
            errors.add(field, Msg::new("field-required").with("field", label));
        } else {
            errors.add(
                field,
                Msg::new("field-too-short")
                    .with("field", label)
                    .with("min", min),
            );
        }
    } else if len > max {
        errors.add(
            field,
            Msg::new("field-too-long")
                .with("field", label)
                .with("max", max)
                .with("length", len),
        );
    }
    value.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    use i18n::Lang;

    fn shown(errors: &FieldErrors, field: &str, lang: Lang) -> Option<String> {
        errors.get(field).map(|m| m.show(lang))
    }

    #[test]
    fn text_counts_characters_not_bytes_and_trims() {
        let mut errors = FieldErrors::default();
        let title = || Msg::new("field-title");
        assert_eq!(text(&mut errors, "t", title(), "  héllo ", 1, 5), "héllo");
        assert!(errors.is_empty());
        text(&mut errors, "t", title(), "   ", 1, 5);
        assert_eq!(
            shown(&errors, "t", Lang::En).as_deref(),
            Some("Title is required.")
        );
        assert_eq!(
            shown(&errors, "t", Lang::Nl).as_deref(),
            Some("Titel is verplicht.")
        );
        let mut errors = FieldErrors::default();
        text(&mut errors, "t", title(), "héllo!", 1, 5);
        assert_eq!(
            shown(&errors, "t", Lang::Nl).as_deref(),
            Some("Titel mag hoogstens 5 tekens hebben (het zijn er 6).")
        );
    }

    #[test]
    fn first_error_of_a_field_wins() {
        let mut errors = FieldErrors::default();
        errors.add("f", Msg::new("field-required").with("field", "first"));
        errors.add("f", Msg::new("field-required").with("field", "second"));
        assert_eq!(
            shown(&errors, "f", Lang::En).as_deref(),
            Some("first is required.")
        );
    }
}
