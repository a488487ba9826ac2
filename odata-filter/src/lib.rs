//! The OData subset that Power Automate's widget filters are written in: `flowsFilter`
//! (`operations/any(operation: operation/flowhost.accountId eq '42')`) and `approvalsFilter`
//! (`properties/itemlink eq 'https://…'`).
//!
//! One parser serves both sides: Flowhost checks a filter before it stores or sends it, and the
//! sandbox evaluates it to decide what a widget lists. Anything outside the subset is an error
//! with its position, never a filter that quietly matches nothing.
//!
//! ```text
//! filter     = or
//! or         = and *( "or" and )
//! and        = unary *( "and" unary )
//! unary      = "not" unary / primary
//! primary    = "(" or ")" / path "/any(" name ":" or ")" / path ("eq" / "ne") literal
//! path       = name *( "/" name )          ; names may contain dots: flowhost.accountId
//! literal    = 'text' ('' for a quote) / number / true / false / null
//! ```
//!
//! Filters come from outside (a widget's request to the sandbox, an ISV's settings), so their
//! size is bounded: parentheses, `any(` and `not` nest at most [`MAX_DEPTH`] deep, and a
//! filter compares at most [`MAX_CONDITIONS`] values. Within those bounds parsing, evaluating,
//! writing and dropping a filter recurse a few hundred frames at most; beyond them the parser
//! answers with an error instead of running out of stack.

mod parse;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// How deep parentheses, `any(` and `not` may nest.
pub const MAX_DEPTH: usize = 32;

/// How many comparisons one filter may hold. `and` and `or` chains grow the tree one level per
/// comparison, so this bounds its depth together with [`MAX_DEPTH`].
pub const MAX_CONDITIONS: usize = 256;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Filter {
    Or(Box<Filter>, Box<Filter>),
    And(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    /// `path op literal`
    Compare {
        path: Vec<String>,
        equal: bool,
        value: Value,
    },
    /// `path/any(var: body)`: some element of the collection at `path` satisfies `body`, in
    /// which paths starting with `var` refer to that element.
    Any {
        path: Vec<String>,
        var: String,
        body: Box<Filter>,
    },
}

/// Why a filter was refused, with the character position (0-based) where parsing stopped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message} at character {}", .position + 1)]
pub struct FilterError {
    pub position: usize,
    pub message: String,
}

impl Filter {
    /// Reads `text`, or says where and why it is not a filter of the subset.
    pub fn parse(text: &str) -> Result<Filter, FilterError> {
        parse::parse(text)
    }

    /// Whether `record` satisfies the filter. A path that leads nowhere compares as `null`.
    pub fn matches(&self, record: &Value) -> bool {
        self.eval(record, &[])
    }

    fn eval(&self, root: &Value, scope: &[(&str, &Value)]) -> bool {
        match self {
            Filter::Or(a, b) => a.eval(root, scope) || b.eval(root, scope),
            Filter::And(a, b) => a.eval(root, scope) && b.eval(root, scope),
            Filter::Not(a) => !a.eval(root, scope),
            Filter::Compare { path, equal, value } => {
                let found = resolve(root, scope, path).unwrap_or(&Value::Null);
                same(found, value) == *equal
            }
            Filter::Any { path, var, body } => match resolve(root, scope, path) {
                Some(Value::Array(items)) => items.iter().any(|item| {
                    let mut inner = scope.to_vec();
                    inner.push((var.as_str(), item));
                    body.eval(root, &inner)
                }),
                _ => false,
            },
        }
    }
}

impl fmt::Display for Filter {
    /// The filter written back in canonical form: single spaces, quotes doubled, and
    /// parentheses only where the tree needs them. Parsed text therefore comes back nested no
    /// deeper than it was written, and the canonical form of any filter parses again.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Filter::Or(a, b) => write!(f, "{a} or {}", Grouped(b, b.binding() == OR)),
            Filter::And(a, b) => write!(
                f,
                "{} and {}",
                Grouped(a, a.binding() < AND),
                Grouped(b, b.binding() <= AND)
            ),
            Filter::Not(a) => write!(f, "not {}", Grouped(a, a.binding() < UNARY)),
            Filter::Compare { path, equal, value } => {
                let op = if *equal { "eq" } else { "ne" };
                write!(f, "{} {op} {}", path.join("/"), literal(value))
            }
            Filter::Any { path, var, body } => {
                write!(f, "{}/any({var}: {body})", path.join("/"))
            }
        }
    }
}

/// How tightly a filter's top operator binds: `or` least, then `and`, then everything else.
const OR: u8 = 0;
const AND: u8 = 1;
const UNARY: u8 = 2;

impl Filter {
    fn binding(&self) -> u8 {
        match self {
            Filter::Or(..) => OR,
            Filter::And(..) => AND,
            _ => UNARY,
        }
    }
}

/// A filter written inside parentheses when the flag says so.
struct Grouped<'a>(&'a Filter, bool);

impl fmt::Display for Grouped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.1 {
            write!(f, "({})", self.0)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

fn literal(value: &Value) -> String {
    match value {
        Value::String(s) => format!("'{}'", s.replace('\'', "''")),
        other => other.to_string(),
    }
}

/// Strings compare exactly; numbers by value, so `5 eq 5.0`.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn resolve<'v>(root: &'v Value, scope: &[(&str, &'v Value)], path: &[String]) -> Option<&'v Value> {
    let (first, rest) = path.split_first()?;
    let start = match scope.iter().rev().find(|(name, _)| name == first) {
        Some((_, value)) => *value,
        None => root.get(first.as_str())?,
    };
    rest.iter()
        .try_fold(start, |value, segment| value.get(segment.as_str()))
}

/// Writes `text` as an OData string literal.
pub fn quote(text: &str) -> String {
    literal(&Value::String(text.to_owned()))
}
