//! Messages for the browser whose arguments are only known there (a widget's own reason, the
//! SDK's version): put in words on the server with a slot for each such argument, and filled
//! in by the browser's code, which has no Fluent.

use serde::{Deserialize, Serialize};

const OPEN: char = '\u{2}';
const CLOSE: char = '\u{3}';

/// What stands for the argument `name` while a message is put in words: `t!(lang, "id",
/// reason = slot("reason"))`. Characters no message or argument holds mark it.
pub fn slot(name: &str) -> String {
    format!("{OPEN}{name}{CLOSE}")
}

/// A message in words with slots for arguments the browser fills in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template(String);

impl Template {
    /// `text` as `t!` gave it, with [`slot`]s for arguments.
    pub fn new(text: String) -> Template {
        Template(text)
    }

    /// The message with each `(name, value)` in its slot.
    pub fn fill(&self, args: &[(&str, &str)]) -> String {
        args.iter().fold(self.0.clone(), |text, (name, value)| {
            text.replace(&slot(name), value)
        })
    }
}

/// A message whose form depends on a count: English and Dutch both have a form for one and
/// one for every other count, so the server puts both in words.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counted {
    /// Put in words with the count 1.
    pub one: Template,
    /// Put in words with the count's slot (a selector on it takes its other form).
    pub other: Template,
}

impl Counted {
    /// The form for `count`, with `count` and each of `args` in their slots.
    pub fn fill(&self, count_name: &str, count: u64, args: &[(&str, &str)]) -> String {
        let template = if count == 1 { &self.one } else { &self.other };
        let count = count.to_string();
        let mut all = vec![(count_name, count.as_str())];
        all.extend_from_slice(args);
        template.fill(&all)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::{Lang, t};

    #[test]
    fn a_template_fills_its_slots_in_either_language() {
        for (lang, expected) in [
            (Lang::En, "The flow could not be started: no answer"),
            (Lang::Nl, "De stroom kon niet worden gestart: no answer"),
        ] {
            let template = Template::new(t!(lang, "widget-action-failed", reason = slot("reason")));
            assert_eq!(template.fill(&[("reason", "no answer")]), expected);
        }
    }

    #[test]
    fn a_counted_message_takes_the_form_of_its_count() {
        let counted = Counted {
            one: Template::new(format!("one, to {}", slot("host"))),
            other: Template::new(format!("{} of them, to {}", slot("n"), slot("host"))),
        };
        assert_eq!(counted.fill("n", 1, &[("host", "h")]), "one, to h");
        assert_eq!(counted.fill("n", 3, &[("host", "h")]), "3 of them, to h");
        assert_eq!(counted.fill("n", 0, &[("host", "h")]), "0 of them, to h");
    }
}
