use crate::account::AccountId;
use crate::validation::{self, FieldErrors};
use i18n::Msg;
use serde::{Deserialize, Serialize};
use std::fmt;
use time::OffsetDateTime;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TicketId(pub i64);

impl fmt::Display for TicketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<i64> for TicketId {
    fn from(value: i64) -> Self {
        Self(value)
    }
}

word_enum!(Status, "field-status", {
    Open => "open", "status-open",
    Pending => "pending", "status-pending",
    Resolved => "resolved", "status-resolved",
    Closed => "closed", "status-closed",
});

word_enum!(Priority, "field-priority", {
    Low => "low", "priority-low",
    Normal => "normal", "priority-normal",
    High => "high", "priority-high",
    Urgent => "urgent", "priority-urgent",
});

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "db", derive(sqlx::FromRow))]
pub struct Ticket {
    #[cfg_attr(feature = "db", sqlx(try_from = "i64"))]
    pub id: TicketId,
    #[cfg_attr(feature = "db", sqlx(try_from = "i64"))]
    pub account_id: AccountId,
    pub title: String,
    pub description: String,
    #[cfg_attr(feature = "db", sqlx(try_from = "String"))]
    pub status: Status,
    #[cfg_attr(feature = "db", sqlx(try_from = "String"))]
    pub priority: Priority,
    /// Who asked: a name or an e-mail address.
    pub requester: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// Goes up by one with every change: what an `ETag` names.
    pub version: i64,
}

/// Which of an account's tickets a list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TicketFilter {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    /// Only tickets changed at or after this time.
    pub updated_since: Option<OffsetDateTime>,
}

/// A change of some of a ticket's fields (the REST API's `PATCH`); at least one is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TicketPatch {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
}

/// A ticket form as submitted: raw text, so that it can be shown again when it is refused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub priority: String,
    #[serde(default)]
    pub requester: String,
    #[serde(default)]
    pub status: String,
}

pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 10_000;
pub const REQUESTER_MAX: usize = 200;

/// A new ticket that passed validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTicket {
    pub title: String,
    pub description: String,
    pub priority: Priority,
    pub requester: String,
}

impl NewTicket {
    pub fn parse(input: &TicketInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = validation::text(
            &mut errors,
            "title",
            Msg::new("field-title"),
            &input.title,
            1,
            TITLE_MAX,
        );
        let description = validation::text(
            &mut errors,
            "description",
            Msg::new("field-description"),
            &input.description,
            0,
            DESCRIPTION_MAX,
        );
        let requester = validation::text(
            &mut errors,
            "requester",
            Msg::new("field-requester"),
            &input.requester,
            1,
            REQUESTER_MAX,
        );
        let priority = Priority::from_field(&mut errors, "priority", &input.priority);
        errors.into_result(|| NewTicket {
            title,
            description,
            priority: priority.unwrap_or(Priority::Normal),
            requester,
        })
    }
}

/// A change of a ticket's status and priority that passed validation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TicketChange {
    pub status: Status,
    pub priority: Priority,
}

impl TicketChange {
    pub fn parse(input: &TicketInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let status = Status::from_field(&mut errors, "status", &input.status);
        let priority = Priority::from_field(&mut errors, "priority", &input.priority);
        errors.into_result(|| TicketChange {
            status: status.unwrap_or(Status::Open),
            priority: priority.unwrap_or(Priority::Normal),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use i18n::Lang;

    fn input(title: &str, priority: &str) -> TicketInput {
        TicketInput {
            title: title.into(),
            description: "It broke.".into(),
            priority: priority.into(),
            requester: "pat@adventure-works.example".into(),
            status: String::new(),
        }
    }

    #[test]
    fn a_valid_ticket_is_trimmed_and_typed() {
        let ticket = NewTicket::parse(&input("  Printer on fire ", "urgent")).unwrap();
        assert_eq!(ticket.title, "Printer on fire");
        assert_eq!(ticket.priority, Priority::Urgent);
    }

    fn shown(errors: &FieldErrors, field: &str, lang: Lang) -> Option<String> {
        errors.get(field).map(|m| m.show(lang))
    }

    #[test]
    fn title_must_have_1_to_200_characters() {
        let errors = NewTicket::parse(&input(" ", "low")).unwrap_err();
        assert_eq!(
            shown(&errors, "title", Lang::En).as_deref(),
            Some("Title is required.")
        );
        assert!(NewTicket::parse(&input(&"é".repeat(200), "low")).is_ok());
        let errors = NewTicket::parse(&input(&"x".repeat(201), "low")).unwrap_err();
        assert_eq!(
            shown(&errors, "title", Lang::En).as_deref(),
            Some("Title must be at most 200 characters (it has 201).")
        );
        assert_eq!(
            shown(&errors, "title", Lang::Nl).as_deref(),
            Some("Titel mag hoogstens 200 tekens hebben (het zijn er 201).")
        );
    }

    #[test]
    fn unknown_priority_and_status_are_named() {
        let errors = NewTicket::parse(&input("ok", "asap")).unwrap_err();
        assert_eq!(
            shown(&errors, "priority", Lang::En).as_deref(),
            Some("Priority must be one of: low, normal, high, urgent.")
        );
        assert_eq!(
            shown(&errors, "priority", Lang::Nl).as_deref(),
            Some("Prioriteit moet een van deze zijn: low, normal, high, urgent.")
        );
        let change = TicketInput {
            status: "done".into(),
            priority: "high".into(),
            ..Default::default()
        };
        let errors = TicketChange::parse(&change).unwrap_err();
        assert_eq!(
            shown(&errors, "status", Lang::En).as_deref(),
            Some("Status must be one of: open, pending, resolved, closed.")
        );
        assert_eq!(errors.get("priority"), None);
    }

    #[test]
    fn all_errors_are_reported_at_once() {
        let bad = TicketInput {
            title: String::new(),
            priority: "?".into(),
            ..Default::default()
        };
        let errors = NewTicket::parse(&bad).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["priority", "requester", "title"]);
    }
}
