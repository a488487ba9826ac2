//! Request bodies as the service reads them: JSON whose property names match in any case
//! (`CompanyProfile` or `companyProfile`), where a null counts as missing.

use axum::body::Bytes;
use serde_json::Value;

use super::call::{PcError, Result};

/// The body as JSON; an empty body is refused when `required`, else it is null.
pub fn parse(bytes: &Bytes, required: bool) -> Result<Value> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return if required {
            Err(PcError::invalid("the request body is empty."))
        } else {
            Ok(Value::Null)
        };
    }
    serde_json::from_slice(bytes)
        .map_err(|e| PcError::invalid(format!("the request body is not valid JSON ({e}).")))
}

/// The property `name` of `object`, matched in any case; none when absent or null.
pub fn field<'a>(object: &'a Value, name: &str) -> Option<&'a Value> {
    object
        .as_object()?
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
        .filter(|value| !value.is_null())
}

/// A non-empty text property, trimmed.
pub fn text<'a>(object: &'a Value, name: &str) -> Option<&'a str> {
    field(object, name)?
        .as_str()
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// A whole number, given as a number or as digits.
pub fn integer(object: &Value, name: &str) -> Option<i64> {
    let value = field(object, name)?;
    value
        .as_i64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
}

/// Collects the names of required text properties that are missing, as `Parent.Name`.
pub struct Missing(Vec<String>);

impl Missing {
    pub fn new() -> Missing {
        Missing(Vec::new())
    }

    /// The text of `name` in `object`, noting `prefix.name` when it is missing.
    pub fn text<'a>(&mut self, object: &'a Value, prefix: &str, name: &str) -> &'a str {
        match text(object, name) {
            Some(t) => t,
            None => {
                self.note(prefix, name);
                ""
            }
        }
    }

    pub fn note(&mut self, prefix: &str, name: &str) {
        self.0.push(if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}.{name}")
        });
    }

    /// A refusal naming every missing property, if any is.
    pub fn check(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(PcError::invalid(format!(
                "the following required fields are missing: {}.",
                self.0.join(", ")
            )))
        }
    }
}
