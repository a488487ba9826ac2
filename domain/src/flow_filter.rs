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

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

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
    pub fn parse(text: &str) -> Result<Filter, FilterError> {
        let tokens = lex(text)?;
        let mut parser = Parser {
            tokens,
            at: 0,
            end: text.chars().count(),
        };
        let filter = parser.or()?;
        match parser.peek() {
            None => Ok(filter),
            Some(t) => Err(t.error("unexpected text after the end of the filter")),
        }
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
    /// The filter written back in canonical form (single spaces, quotes doubled).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Filter::Or(a, b) => write!(f, "({a} or {b})"),
            Filter::And(a, b) => write!(f, "({a} and {b})"),
            Filter::Not(a) => write!(f, "not {a}"),
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

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Name(String),
    Text(String),
    Number(serde_json::Number),
    Slash,
    Colon,
    Open,
    Close,
}

#[derive(Clone, Debug)]
struct Token {
    kind: Kind,
    position: usize,
}

impl Token {
    fn error(&self, message: &str) -> FilterError {
        FilterError {
            position: self.position,
            message: message.to_owned(),
        }
    }
}

fn lex(text: &str) -> Result<Vec<Token>, FilterError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let kind = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '/' => Kind::Slash,
            ':' => Kind::Colon,
            '(' => Kind::Open,
            ')' => Kind::Close,
            '\'' => {
                let mut value = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => {
                            return Err(FilterError {
                                position: start,
                                message: "this text is never closed with '".into(),
                            });
                        }
                        Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                            value.push('\'');
                            i += 2;
                        }
                        Some('\'') => break,
                        Some(&other) => {
                            value.push(other);
                            i += 1;
                        }
                    }
                }
                Kind::Text(value)
            }
            c if c.is_ascii_digit() || c == '-' => {
                let mut end = i + 1;
                while end < chars.len() && (chars[end].is_ascii_digit() || chars[end] == '.') {
                    end += 1;
                }
                let raw: String = chars[i..end].iter().collect();
                let number = raw.parse::<serde_json::Number>().map_err(|_| FilterError {
                    position: start,
                    message: format!("{raw:?} is not a number"),
                })?;
                i = end - 1;
                Kind::Number(number)
            }
            c if c.is_alphabetic() || c == '_' || c == '$' || c == '@' => {
                let mut end = i + 1;
                while end < chars.len()
                    && (chars[end].is_alphanumeric() || matches!(chars[end], '_' | '.' | '$' | '@'))
                {
                    end += 1;
                }
                let name: String = chars[i..end].iter().collect();
                i = end - 1;
                Kind::Name(name)
            }
            other => {
                return Err(FilterError {
                    position: start,
                    message: format!("{other:?} is not allowed here"),
                });
            }
        };
        tokens.push(Token {
            kind,
            position: start,
        });
        i += 1;
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// Where the text ends, for errors about what is missing.
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn missing(&self, what: &str) -> FilterError {
        match self.peek() {
            Some(t) => t.error(&format!("expected {what}")),
            None => FilterError {
                position: self.end,
                message: format!("the filter ends where {what} was expected"),
            },
        }
    }

    fn keyword(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Token { kind: Kind::Name(n), .. }) if n == word) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, kind: Kind, what: &str) -> Result<(), FilterError> {
        if self.peek().map(|t| &t.kind) == Some(&kind) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.missing(what))
        }
    }

    fn or(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.and()?;
        while self.keyword("or") {
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            left = Filter::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, FilterError> {
        if self.keyword("not") {
            return Ok(Filter::Not(Box::new(self.unary()?)));
        }
        if self.peek().map(|t| &t.kind) == Some(&Kind::Open) {
            self.at += 1;
            let inner = self.or()?;
            self.expect(Kind::Close, "')'")?;
            return Ok(inner);
        }
        let mut path = vec![self.name()?];
        while self.peek().map(|t| &t.kind) == Some(&Kind::Slash) {
            self.at += 1;
            let segment = self.name()?;
            if segment == "any" && self.peek().map(|t| &t.kind) == Some(&Kind::Open) {
                self.at += 1;
                let var = self.name()?;
                self.expect(Kind::Colon, "':' after the lambda variable")?;
                let body = self.or()?;
                self.expect(Kind::Close, "')' closing any(")?;
                return Ok(Filter::Any {
                    path,
                    var,
                    body: Box::new(body),
                });
            }
            path.push(segment);
        }
        let equal = if self.keyword("eq") {
            true
        } else if self.keyword("ne") {
            false
        } else {
            return Err(self.missing("'eq' or 'ne'"));
        };
        let value = match self.next() {
            Some(Token {
                kind: Kind::Text(s),
                ..
            }) => Value::String(s),
            Some(Token {
                kind: Kind::Number(n),
                ..
            }) => Value::Number(n),
            Some(Token {
                kind: Kind::Name(n),
                position,
            }) => match n.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                _ => {
                    return Err(FilterError {
                        position,
                        message: "expected a value: 'text', a number, true, false or null".into(),
                    });
                }
            },
            _ => {
                self.at -= 1;
                return Err(self.missing("a value: 'text', a number, true, false or null"));
            }
        };
        Ok(Filter::Compare { path, equal, value })
    }

    fn name(&mut self) -> Result<String, FilterError> {
        match self.peek() {
            Some(Token {
                kind: Kind::Name(n),
                ..
            }) if !["and", "or", "not", "eq", "ne"].contains(&n.as_str()) => {
                let n = n.clone();
                self.at += 1;
                Ok(n)
            }
            _ => Err(self.missing("a property name")),
        }
    }
}

/// Writes `text` as an OData string literal.
pub fn quote(text: &str) -> String {
    literal(&Value::String(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn flow(account: &str) -> Value {
        json!({"operations": [
            {"swaggerOperationId": "GetAccount", "flowhost.accountId": account},
            {"swaggerOperationId": "SendEmail"}
        ]})
    }

    #[test]
    fn the_flows_filter_finds_operations_on_the_account() {
        let f = Filter::parse("operations/any(operation: operation/flowhost.accountId eq '42')")
            .unwrap();
        assert!(f.matches(&flow("42")));
        assert!(!f.matches(&flow("420")));
        assert!(!f.matches(&json!({"operations": []})));
        assert!(!f.matches(&json!({})), "no collection matches nothing");
    }

    #[test]
    fn the_approvals_filter_compares_the_item_link() {
        let link = "https://desk.example/accounts/1/tickets/7";
        let f = Filter::parse(&format!("properties/itemlink eq {}", quote(link))).unwrap();
        assert!(f.matches(&json!({"properties": {"itemlink": link}})));
        assert!(!f.matches(&json!({"properties": {"itemlink": format!("{link}0")}})));
    }

    #[test]
    fn and_or_not_and_parentheses_combine() {
        let f = Filter::parse("(a eq 1 or a eq 2) and not b eq 'x'").unwrap();
        assert!(f.matches(&json!({"a": 2, "b": "y"})));
        assert!(!f.matches(&json!({"a": 2, "b": "x"})));
        assert!(!f.matches(&json!({"a": 3, "b": "y"})));
        let f = Filter::parse("a eq null and c ne true").unwrap();
        assert!(f.matches(&json!({"c": false})));
    }

    #[test]
    fn quotes_are_doubled_inside_text() {
        let f = Filter::parse("name eq 'O''Brien'").unwrap();
        assert!(f.matches(&json!({"name": "O'Brien"})));
        assert_eq!(quote("O'Brien"), "'O''Brien'");
        assert_eq!(f.to_string(), "name eq 'O''Brien'");
    }

    #[test]
    fn what_it_cannot_parse_is_an_error_with_its_position() {
        for (text, position, says) in [
            ("", 0, "the filter ends where a property name was expected"),
            (
                "properties/itemlink eq",
                22,
                "the filter ends where a value",
            ),
            ("properties/itemlink = 'x'", 20, "'=' is not allowed here"),
            ("properties/itemlink eq 'x", 23, "never closed"),
            ("a eq 'x' b eq 'y'", 9, "unexpected text after the end"),
            ("operations/any(o o/x eq 1)", 17, "expected ':'"),
            ("operations/any(o: o/x eq 1", 26, "')' closing any("),
            ("contains(a, 'x')", 10, "',' is not allowed here"),
            ("startswith(a)", 10, "expected 'eq' or 'ne'"),
            ("a eq b", 5, "expected a value"),
        ] {
            let e = Filter::parse(text).unwrap_err();
            assert_eq!(e.position, position, "{text}: {e}");
            assert!(e.message.contains(says), "{text}: {e}");
        }
    }

    #[test]
    fn canonical_form_parses_back_to_the_same_filter() {
        for text in [
            "operations/any(operation: operation/flowhost.accountId eq '42')",
            "(a eq 1 or b ne 'x') and not c eq true",
        ] {
            let f = Filter::parse(text).unwrap();
            assert_eq!(Filter::parse(&f.to_string()).unwrap(), f);
        }
    }
}
