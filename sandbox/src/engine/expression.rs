//! Workflow definition language expressions, the subset flows made in Power Automate use:
//!
//! - a string that starts with `@` is one expression and keeps its value's JSON type; `@{…}`
//!   inside a string interpolates (always text, `null` as ""); `@@` is a literal `@`;
//! - literals: `'text'` (a quote doubled inside), numbers, `true`, `false`, `null`;
//! - references: `trigger()`, `triggerBody()`, `triggerOutputs()`, `actions('A')`,
//!   `outputs('A')`, `body('A')`, `actionBody('A')`, `parameters('p')`;
//! - property access `x['p']`, `x.p`, `x[0]`, null-safe with `?`; a key holding `/`
//!   (`['body/outcome']`, as the designer writes it) is a path;
//! - functions: `equals`, `and`, `or`, `not`, `if`, `greater`, `less`, `concat`, `coalesce`,
//!   `empty`, `string`, `int`, `length`, `contains`, `toLower`, `toUpper`.
//!
//! Anything else is refused with the construct named, as Azure Logic Apps words it.

use serde_json::{Map, Value};

/// What a run's expressions can see.
pub trait Scope {
    /// The trigger's record: `{"outputs": {"headers", "body"}}`.
    fn trigger(&self) -> Value;
    /// An action's record (`{"inputs", "outputs", "status"}`), if it ran.
    fn action(&self, name: &str) -> Option<Value>;
    fn parameter(&self, name: &str) -> Option<Value>;
}

const FUNCTIONS: [&str; 26] = [
    "trigger",
    "triggerBody",
    "triggerOutputs",
    "actions",
    "outputs",
    "body",
    "actionBody",
    "parameters",
    "equals",
    "and",
    "or",
    "not",
    "if",
    "greater",
    "less",
    "concat",
    "coalesce",
    "empty",
    "string",
    "int",
    "json",
    "length",
    "first",
    "contains",
    "toLower",
    "toUpper",
];

#[derive(Clone, Debug, PartialEq)]
enum Expr {
    Literal(Value),
    Call(String, Vec<Expr>),
    /// `target[key]` or `target.key`; `safe` for `?`.
    Index {
        target: Box<Expr>,
        key: Box<Expr>,
        safe: bool,
    },
}

/// The error text Logic Apps gives, e.g. `The template function 'foo' is not defined or not
/// valid.`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidTemplate(pub String);

pub(super) type Result<T> = std::result::Result<T, InvalidTemplate>;

pub(super) fn invalid<T>(text: impl Into<String>) -> Result<T> {
    Err(InvalidTemplate(text.into()))
}

/// Evaluates `value`: its strings as templates, arrays and objects member by member.
pub fn evaluate(value: &Value, scope: &dyn Scope) -> Result<Value> {
    match value {
        Value::String(text) => template(text, scope),
        Value::Array(items) => items.iter().map(|v| evaluate(v, scope)).collect(),
        Value::Object(members) => members
            .iter()
            .map(|(k, v)| Ok((k.clone(), evaluate(v, scope)?)))
            .collect::<Result<Map<String, Value>>>()
            .map(Value::Object),
        other => Ok(other.clone()),
    }
}

/// Checks that every expression in `value` parses and names only functions of the subset.
pub fn check(value: &Value) -> Result<()> {
    match value {
        Value::String(text) => pieces(text).map(drop),
        Value::Array(items) => items.iter().try_for_each(check),
        Value::Object(members) => members.values().try_for_each(check),
        _ => Ok(()),
    }
}

enum Piece {
    Text(String),
    Expr(Expr),
}

/// A string as one expression (`@…`), or as text with interpolations.
fn pieces(text: &str) -> Result<(bool, Vec<Piece>)> {
    if let Some(rest) = text.strip_prefix('@')
        && !rest.starts_with('@')
        && !rest.starts_with('{')
    {
        return Ok((true, vec![Piece::Expr(parse(rest)?)]));
    }
    // A leading `@@` is a literal `@`; `@@{` anywhere is the literal text `@{`.
    let (prefix, body) = match text.strip_prefix("@@") {
        Some(rest) if !rest.starts_with('{') => ("@", rest),
        _ => ("", text),
    };
    let mut out = vec![Piece::Text(prefix.to_owned())];
    let mut rest = body;
    while let Some(at) = rest.find("@{") {
        if rest[..at].ends_with('@') {
            out.push(Piece::Text(format!("{}{{", &rest[..at])));
            rest = &rest[at + 2..];
            continue;
        }
        out.push(Piece::Text(rest[..at].to_owned()));
        let inner = &rest[at + 2..];
        let end = closing_brace(inner).ok_or_else(|| {
            InvalidTemplate(format!(
                "The template language expression '{text}' is not valid: the '@{{' is not closed."
            ))
        })?;
        out.push(Piece::Expr(parse(&inner[..end])?));
        rest = &inner[end + 1..];
    }
    out.push(Piece::Text(rest.to_owned()));
    Ok((false, out))
}

/// Where the `}` closing an interpolation is, past quoted text.
fn closing_brace(text: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '}' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

fn template(text: &str, scope: &dyn Scope) -> Result<Value> {
    let (whole, pieces) = pieces(text)?;
    if whole && let [Piece::Expr(expr)] = pieces.as_slice() {
        return eval(expr, scope);
    }
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(&text),
            Piece::Expr(expr) => out.push_str(&as_text(&eval(&expr, scope)?)),
        }
    }
    Ok(Value::String(out))
}

/// A value as interpolation writes it: text as is, `null` as nothing, the rest as JSON.
pub(super) fn as_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

// ---- parsing ----

fn parse(source: &str) -> Result<Expr> {
    let mut parser = Parser {
        chars: source.chars().collect(),
        at: 0,
        source,
    };
    let expr = parser.expr()?;
    parser.space();
    if parser.at < parser.chars.len() {
        return parser.fail();
    }
    Ok(expr)
}

struct Parser<'s> {
    chars: Vec<char>,
    at: usize,
    source: &'s str,
}

impl Parser<'_> {
    fn fail<T>(&self) -> Result<T> {
        invalid(format!(
            "The template language expression '{}' is not valid: the string character '{}' at position '{}' is not expected.",
            self.source,
            self.chars.get(self.at).copied().unwrap_or(' '),
            self.at
        ))
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.space();
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> Result<Expr> {
        let mut expr = self.primary()?;
        loop {
            let at = self.at;
            let safe = self.eat('?');
            if self.eat('[') {
                let key = self.expr()?;
                if !self.eat(']') {
                    return self.fail();
                }
                expr = Expr::Index {
                    target: Box::new(expr),
                    key: Box::new(key),
                    safe,
                };
            } else if self.eat('.') {
                let name = self.name();
                if name.is_empty() {
                    return self.fail();
                }
                let key = Box::new(Expr::Literal(Value::String(name)));
                expr = Expr::Index {
                    target: Box::new(expr),
                    key,
                    safe,
                };
            } else {
                self.at = at;
                return Ok(expr);
            }
        }
    }

    fn name(&mut self) -> String {
        self.space();
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
        {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }

    fn primary(&mut self) -> Result<Expr> {
        self.space();
        match self.peek() {
            Some('\'') => self.string(),
            Some(c) if c.is_ascii_digit() || c == '-' => self.number(),
            Some(c) if c.is_alphabetic() => {
                let name = self.name();
                match name.as_str() {
                    "true" => return Ok(Expr::Literal(Value::Bool(true))),
                    "false" => return Ok(Expr::Literal(Value::Bool(false))),
                    "null" => return Ok(Expr::Literal(Value::Null)),
                    _ => {}
                }
                if !self.eat('(') {
                    return self.fail();
                }
                if !FUNCTIONS.contains(&name.as_str()) {
                    return invalid(format!(
                        "The template function '{name}' is not defined or not valid."
                    ));
                }
                let mut args = Vec::new();
                if !self.eat(')') {
                    loop {
                        args.push(self.expr()?);
                        if self.eat(')') {
                            break;
                        }
                        if !self.eat(',') {
                            return self.fail();
                        }
                    }
                }
                Ok(Expr::Call(name, args))
            }
            _ => self.fail(),
        }
    }

    fn string(&mut self) -> Result<Expr> {
        self.at += 1;
        let mut text = String::new();
        loop {
            match self.peek() {
                None => return self.fail(),
                Some('\'') if self.chars.get(self.at + 1) == Some(&'\'') => {
                    text.push('\'');
                    self.at += 2;
                }
                Some('\'') => {
                    self.at += 1;
                    return Ok(Expr::Literal(Value::String(text)));
                }
                Some(c) => {
                    text.push(c);
                    self.at += 1;
                }
            }
        }
    }

    fn number(&mut self) -> Result<Expr> {
        let start = self.at;
        self.at += 1;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
            self.at += 1;
        }
        let text: String = self.chars[start..self.at].iter().collect();
        match serde_json::from_str::<serde_json::Number>(&text) {
            Ok(n) => Ok(Expr::Literal(Value::Number(n))),
            Err(_) => self.fail(),
        }
    }
}

// ---- evaluation ----

fn eval(expr: &Expr, scope: &dyn Scope) -> Result<Value> {
    match expr {
        Expr::Literal(value) => Ok(value.clone()),
        Expr::Index { target, key, safe } => {
            let target = eval(target, scope)?;
            let key = eval(key, scope)?;
            index(&target, &key, *safe)
        }
        Expr::Call(name, args) => call(name, args, scope),
    }
}

/// `target[key]`: a key with `/` is a path, each step as null-safe as the access.
fn index(target: &Value, key: &Value, safe: bool) -> Result<Value> {
    match key {
        Value::String(path) => path.split('/').try_fold(target.clone(), |at, name| {
            match &at {
                Value::Object(members) => match members.get(name) {
                    Some(v) => Ok(v.clone()),
                    None if safe => Ok(Value::Null),
                    None => {
                        let available: Vec<&str> = members.keys().map(String::as_str).collect();
                        invalid(format!(
                            "The template language expression cannot be evaluated because property '{name}' doesn't exist, available properties are '{}'.",
                            available.join(", ")
                        ))
                    }
                },
                Value::Null if safe => Ok(Value::Null),
                _ => invalid(format!(
                    "The template language expression cannot be evaluated because property '{name}' cannot be selected."
                )),
            }
        }),
        Value::Number(n) => {
            let items = match target {
                Value::Array(items) => items,
                Value::Null if safe => return Ok(Value::Null),
                _ => return invalid("The template language expression cannot be evaluated because an index can only select from an array."),
            };
            let i = n.as_u64().unwrap_or(u64::MAX) as usize;
            match items.get(i) {
                Some(v) => Ok(v.clone()),
                None if safe => Ok(Value::Null),
                None => invalid(format!(
                    "The template language expression cannot be evaluated because array index '{n}' is outside bounds (0 - {}) of array.",
                    items.len().saturating_sub(1)
                )),
            }
        }
        _ => invalid("The template language expression cannot be evaluated because a property name must be text or a number."),
    }
}

fn call(name: &str, args: &[Expr], scope: &dyn Scope) -> Result<Value> {
    let arity = |n: usize| {
        if args.len() == n {
            Ok(())
        } else {
            invalid(format!(
                "The template language function '{name}' expects {n} parameter(s); it was given {}.",
                args.len()
            ))
        }
    };
    let values = || {
        args.iter()
            .map(|a| eval(a, scope))
            .collect::<Result<Vec<Value>>>()
    };
    let action = |field: Option<&str>| -> Result<Value> {
        arity(1)?;
        let name = as_text(&eval(&args[0], scope)?);
        let Some(record) = scope.action(&name) else {
            return invalid(format!(
                "The template language expression cannot be evaluated because the action '{name}' is not defined in the template or has not run."
            ));
        };
        match field {
            None => Ok(record),
            Some(path) => index(&record, &Value::String(path.into()), true),
        }
    };
    match name {
        "trigger" => arity(0).map(|()| scope.trigger()),
        "triggerOutputs" => {
            arity(0).and_then(|()| index(&scope.trigger(), &"outputs".into(), true))
        }
        "triggerBody" => {
            arity(0).and_then(|()| index(&scope.trigger(), &"outputs/body".into(), true))
        }
        "actions" => action(None),
        "outputs" => action(Some("outputs")),
        "body" | "actionBody" => action(Some("outputs/body")),
        "parameters" => {
            arity(1)?;
            let name = as_text(&eval(&args[0], scope)?);
            scope.parameter(&name).map_or_else(
                || invalid(format!("The workflow parameter '{name}' is not found.")),
                Ok,
            )
        }
        "if" => {
            arity(3)?;
            let branch = if super::functions::truthy(&eval(&args[0], scope)?) {
                &args[1]
            } else {
                &args[2]
            };
            eval(branch, scope)
        }
        _ => super::functions::function(name, &values()?, arity),
    }
}

#[cfg(test)]
#[path = "expression_tests.rs"]
mod tests;
