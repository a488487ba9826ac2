//! The functions of the expression subset that compute on values (the references to the run's
//! trigger and actions are in `expression`).

use super::expression::{Result, as_text, invalid};
use serde_json::Value;

pub(super) fn function(
    name: &str,
    v: &[Value],
    arity: impl Fn(usize) -> Result<()>,
) -> Result<Value> {
    let number = |value: &Value| value.as_f64();
    Ok(match name {
        "equals" => {
            arity(2)?;
            Value::Bool(loose_eq(&v[0], &v[1]))
        }
        "and" => Value::Bool(v.iter().all(truthy)),
        "or" => Value::Bool(v.iter().any(truthy)),
        "not" => {
            arity(1)?;
            Value::Bool(!truthy(&v[0]))
        }
        "greater" | "less" => {
            arity(2)?;
            let (a, b) = (number(&v[0]), number(&v[1]));
            let ordered = match (a, b) {
                (Some(a), Some(b)) => a.partial_cmp(&b),
                _ => Some(as_text(&v[0]).cmp(&as_text(&v[1]))),
            };
            let want = if name == "greater" {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Less
            };
            Value::Bool(ordered == Some(want))
        }
        "concat" => Value::String(v.iter().map(as_text).collect()),
        "coalesce" => v
            .iter()
            .find(|x| !x.is_null())
            .cloned()
            .unwrap_or(Value::Null),
        "empty" => {
            arity(1)?;
            Value::Bool(match &v[0] {
                Value::Null => true,
                Value::String(s) => s.is_empty(),
                Value::Array(a) => a.is_empty(),
                Value::Object(o) => o.is_empty(),
                _ => false,
            })
        }
        "string" => {
            arity(1)?;
            Value::String(as_text(&v[0]))
        }
        "int" => {
            arity(1)?;
            match as_text(&v[0]).trim().parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => {
                    return invalid(
                        "The template language function 'int' was invoked with a parameter that is not valid. The value cannot be converted to the target type 'Integer'.",
                    );
                }
            }
        }
        "json" => {
            arity(1)?;
            match &v[0] {
                Value::String(text) => match serde_json::from_str(text) {
                    Ok(parsed) => parsed,
                    Err(_) => {
                        return invalid(
                            "The template language function 'json' parameter is not valid. The provided value cannot be parsed.",
                        );
                    }
                },
                _ => {
                    return invalid(
                        "The template language function 'json' expects its parameter to be a string or an XML.",
                    );
                }
            }
        }
        "length" => {
            arity(1)?;
            Value::from(match &v[0] {
                Value::String(s) => s.chars().count(),
                Value::Array(a) => a.len(),
                Value::Object(o) => o.len(),
                _ => {
                    return invalid(
                        "The template language function 'length' expects its parameter to be an array or a string.",
                    );
                }
            })
        }
        "contains" => {
            arity(2)?;
            Value::Bool(match &v[0] {
                Value::String(s) => s.contains(&as_text(&v[1])),
                Value::Array(a) => a.iter().any(|x| loose_eq(x, &v[1])),
                Value::Object(o) => o.contains_key(&as_text(&v[1])),
                _ => false,
            })
        }
        "first" => {
            arity(1)?;
            match &v[0] {
                Value::Array(a) => a.first().cloned().unwrap_or(Value::Null),
                Value::String(s) => s
                    .chars()
                    .next()
                    .map_or(Value::String(String::new()), |c| Value::String(c.into())),
                Value::Null => Value::Null,
                _ => {
                    return invalid(
                        "The template language function 'first' expects its parameter be an array or a string.",
                    );
                }
            }
        }
        "toLower" | "toUpper" => {
            arity(1)?;
            let text = as_text(&v[0]);
            Value::String(if name == "toLower" {
                text.to_lowercase()
            } else {
                text.to_uppercase()
            })
        }
        other => {
            return invalid(format!(
                "The template function '{other}' is not defined or not valid."
            ));
        }
    })
}

/// `equals`: numbers by value (1 equals 1.0), text case-sensitively, the rest as JSON.
fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

pub(super) fn truthy(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}
