use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Messages for the fields of one form, keyed by the field's name, ready to be shown next to it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_insert_with(|| message.into());
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
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

/// Trims `raw` and checks its length in characters (not bytes).
pub fn text(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    raw: &str,
    min: usize,
    max: usize,
) -> String {
    let value = raw.trim();
    let len = value.chars().count();
    if len < min {
        if min == 1 {
            errors.add(field, format!("{label} is required."));
        } else {
            errors.add(field, format!("{label} must be at least {min} characters."));
        }
    } else if len > max {
        errors.add(
            field,
            format!("{label} must be at most {max} characters (it has {len})."),
        );
    }
    value.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_counts_characters_not_bytes_and_trims() {
        let mut errors = FieldErrors::default();
        assert_eq!(text(&mut errors, "t", "Title", "  héllo ", 1, 5), "héllo");
        assert!(errors.is_empty());
        text(&mut errors, "t", "Title", "   ", 1, 5);
        assert_eq!(errors.get("t"), Some("Title is required."));
    }

    #[test]
    fn first_error_of_a_field_wins() {
        let mut errors = FieldErrors::default();
        errors.add("f", "first");
        errors.add("f", "second");
        assert_eq!(errors.get("f"), Some("first"));
    }
}
