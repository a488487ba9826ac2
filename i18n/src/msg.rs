use crate::Lang;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A message to be put in words later, in the language of whoever reads it: a refused field,
/// a notice kept across a redirect, a rule the console refused. It is stored as its id and
/// arguments, never as text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Msg {
    pub id: Cow<'static, str>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(Cow<'static, str>, Arg)>,
}

/// An argument of a [`Msg`]: text as it is, a number (which chooses plural forms), or another
/// message put in the same language first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Arg {
    Text(String),
    Number(i64),
    Msg(Box<Msg>),
}

impl Msg {
    pub fn new(id: &'static str) -> Msg {
        Msg {
            id: Cow::Borrowed(id),
            args: Vec::new(),
        }
    }

    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Msg {
        self.args.push((Cow::Borrowed(name), value.into()));
        self
    }

    /// The message in `lang`.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn show(&self, lang: Lang) -> String {
        use crate::FluentValue;
        if self.args.is_empty() {
            return crate::text(lang, &self.id);
        }
        let args: std::collections::HashMap<Cow<'static, str>, FluentValue<'_>> = self
            .args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Text(text) => FluentValue::from(text.as_str()),
                    Arg::Number(n) => FluentValue::from(*n),
                    Arg::Msg(msg) => FluentValue::from(msg.show(lang)),
                };
                (name.clone(), value)
            })
            .collect();
        crate::lookup(lang, &self.id, &args)
    }

    /// In the browser: the id (see the crate's documentation).
    #[cfg(target_arch = "wasm32")]
    pub fn show(&self, lang: Lang) -> String {
        crate::text(lang, &self.id)
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Arg {
        Arg::Text(text)
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Arg {
        Arg::Text(text.to_owned())
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Number(n)
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Number(n as i64)
    }
}

impl From<Msg> for Arg {
    fn from(msg: Msg) -> Arg {
        Arg::Msg(Box::new(msg))
    }
}
