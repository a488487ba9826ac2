//! What a form shows after it was submitted: the values as typed, the errors next to their
//! fields, or a notice that it worked.

use domain::{FieldErrors, TicketInput};
use i18n::Msg;
use serde::{Deserialize, Serialize};

/// The notice of a form sent with a stale or missing CSRF token.
pub fn expired() -> Msg {
    Msg::new("form-expired")
}

/// The notice of a form refused for its fields.
pub fn correct() -> Msg {
    Msg::new("form-correct")
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormState<V = TicketInput> {
    pub values: V,
    pub errors: FieldErrors,
    /// A message about the whole form (it expired, it was saved), in the reader's language
    /// when it is shown.
    pub notice: Option<Msg>,
    /// The submission was refused; `values` hold what was typed.
    pub refused: bool,
}

impl<V: Default> FormState<V> {
    pub fn refused(values: V, errors: FieldErrors, notice: Msg) -> Self {
        FormState {
            values,
            errors,
            notice: Some(notice),
            refused: true,
        }
    }

    pub fn done(notice: Msg) -> Self {
        FormState {
            notice: Some(notice),
            ..Default::default()
        }
    }

    /// The form as shown next: a refused submission as typed, otherwise `current` values with
    /// the notice, if any.
    pub fn shown(kept: Option<FormState<V>>, current: V) -> Self {
        match kept {
            Some(kept) if kept.refused => kept,
            kept => FormState {
                values: current,
                notice: kept.and_then(|k| k.notice),
                ..Default::default()
            },
        }
    }

    pub fn error(&self, field: &str) -> Option<Msg> {
        self.errors.get(field).cloned()
    }
}

/// The session key of the new-ticket form of an account, and of a ticket's edit form.
pub fn new_ticket_form(account: i64) -> String {
    format!("new-ticket:{account}")
}

pub fn edit_ticket_form(ticket: i64) -> String {
    format!("edit-ticket:{ticket}")
}

/// The session key of a ticket's comment form.
pub fn comment_form(ticket: i64) -> String {
    format!("comment:{ticket}")
}
