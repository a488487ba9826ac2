//! Text to [`Filter`]: a lexer, then a recursive-descent parser whose recursion is bounded by
//! [`MAX_DEPTH`] and whose tree is bounded by [`MAX_CONDITIONS`].

use serde_json::Value;

use crate::{Filter, FilterError, MAX_CONDITIONS, MAX_DEPTH};

pub(crate) fn parse(text: &str) -> Result<Filter, FilterError> {
    let mut parser = Parser {
        tokens: lex(text)?,
        at: 0,
        end: text.chars().count(),
        depth: 0,
        conditions: 0,
    };
    let filter = parser.or()?;
    match parser.peek() {
        None => Ok(filter),
        Some(t) => Err(t.error("unexpected text after the end of the filter")),
    }
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
        at(self.position, message)
    }
}

fn at(position: usize, message: &str) -> FilterError {
    FilterError {
        position,
        message: message.to_owned(),
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
                        None => return Err(at(start, "this text is never closed with '")),
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
            _ if guid_at(&chars, i) => {
                let guid: String = chars[i..i + GUID_LEN].iter().collect();
                i += GUID_LEN - 1;
                Kind::Text(guid.to_ascii_lowercase())
            }
            c if c.is_ascii_digit() || c == '-' => {
                let end = number_end(&chars, i);
                let raw: String = chars[i..end].iter().collect();
                let number = raw
                    .parse::<serde_json::Number>()
                    .map_err(|_| at(start, &format!("{raw:?} is not a number")))?;
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
            other => return Err(at(start, &format!("{other:?} is not allowed here"))),
        };
        tokens.push(Token {
            kind,
            position: start,
        });
        i += 1;
    }
    Ok(tokens)
}

/// A GUID literal's length: `8-4-4-4-12` hexadecimal digits.
const GUID_LEN: usize = 36;

/// Whether a GUID literal (as Dataverse writes one, unquoted: `_workflow_value eq 5f…`) starts
/// at `start` and ends before a name could go on.
fn guid_at(chars: &[char], start: usize) -> bool {
    let Some(candidate) = chars.get(start..start + GUID_LEN) else {
        return false;
    };
    let shaped = candidate.iter().enumerate().all(|(i, c)| match i {
        8 | 13 | 18 | 23 => *c == '-',
        _ => c.is_ascii_hexdigit(),
    });
    let ends = chars
        .get(start + GUID_LEN)
        .is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '_' | '.' | '-')));
    shaped && ends
}

/// Where the number starting at `start` ends: digits and dots, then an exponent (`e`, an
/// optional sign, digits) if one follows. Large numbers are written back with an exponent
/// (`1e20`), so reading one keeps the canonical form parseable.
fn number_end(chars: &[char], start: usize) -> usize {
    let digits = |from: usize| {
        (from..chars.len())
            .find(|&i| !(chars[i].is_ascii_digit() || chars[i] == '.'))
            .unwrap_or(chars.len())
    };
    let end = digits(start + 1);
    if !matches!(chars.get(end), Some('e' | 'E')) {
        return end;
    }
    let sign = usize::from(matches!(chars.get(end + 1), Some('+' | '-')));
    match chars.get(end + 1 + sign) {
        Some(c) if c.is_ascii_digit() => digits(end + 1 + sign),
        _ => end,
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// Where the text ends, for errors about what is missing.
    end: usize,
    /// How many parentheses, `any(` and `not` enclose the token at `at`.
    depth: usize,
    /// Comparisons read so far.
    conditions: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn peek_kind(&self) -> Option<&Kind> {
        self.peek().map(|t| &t.kind)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn missing(&self, what: &str) -> FilterError {
        match self.peek() {
            Some(t) => t.error(&format!("expected {what}")),
            None => at(
                self.end,
                &format!("the filter ends where {what} was expected"),
            ),
        }
    }

    fn keyword(&mut self, word: &str) -> bool {
        if matches!(self.peek_kind(), Some(Kind::Name(n)) if n == word) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, kind: Kind, what: &str) -> Result<(), FilterError> {
        if self.peek_kind() == Some(&kind) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.missing(what))
        }
    }

    /// Runs `inner` one nesting level deeper; the token at `position` opened the level.
    fn nested<T>(
        &mut self,
        position: usize,
        inner: impl FnOnce(&mut Self) -> Result<T, FilterError>,
    ) -> Result<T, FilterError> {
        if self.depth == MAX_DEPTH {
            return Err(at(
                position,
                &format!(
                    "the filter nests deeper than {MAX_DEPTH} levels of parentheses, any( and not"
                ),
            ));
        }
        self.depth += 1;
        let result = inner(self);
        self.depth -= 1;
        result
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
        let position = self.peek().map_or(self.end, |t| t.position);
        if self.keyword("not") {
            let inner = self.nested(position, Self::unary)?;
            return Ok(Filter::Not(Box::new(inner)));
        }
        if self.peek_kind() == Some(&Kind::Open) {
            self.at += 1;
            return self.nested(position, |p| {
                let inner = p.or()?;
                p.expect(Kind::Close, "')'")?;
                Ok(inner)
            });
        }
        let mut path = vec![self.name()?];
        while self.peek_kind() == Some(&Kind::Slash) {
            self.at += 1;
            let segment = self.name()?;
            if segment == "any" && self.peek_kind() == Some(&Kind::Open) {
                let open = self.next().map_or(self.end, |t| t.position);
                return self.nested(open, |p| {
                    let var = p.name()?;
                    p.expect(Kind::Colon, "':' after the lambda variable")?;
                    let body = p.or()?;
                    p.expect(Kind::Close, "')' closing any(")?;
                    Ok(Filter::Any {
                        path,
                        var,
                        body: Box::new(body),
                    })
                });
            }
            path.push(segment);
        }
        self.comparison(path)
    }

    /// The rest of `path op literal`, once the path is read.
    fn comparison(&mut self, path: Vec<String>) -> Result<Filter, FilterError> {
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
                    return Err(at(
                        position,
                        "expected a value: 'text', a number, true, false or null",
                    ));
                }
            },
            _ => {
                self.at -= 1;
                return Err(self.missing("a value: 'text', a number, true, false or null"));
            }
        };
        self.conditions += 1;
        if self.conditions > MAX_CONDITIONS {
            let position = self.tokens[self.at - 1].position;
            return Err(at(
                position,
                &format!("the filter compares more than {MAX_CONDITIONS} values"),
            ));
        }
        Ok(Filter::Compare { path, equal, value })
    }

    fn name(&mut self) -> Result<String, FilterError> {
        match self.peek_kind() {
            Some(Kind::Name(n)) if !["and", "or", "not", "eq", "ne"].contains(&n.as_str()) => {
                let n = n.clone();
                self.at += 1;
                Ok(n)
            }
            _ => Err(self.missing("a property name")),
        }
    }
}
