//! Record placeholders in widget settings (`{account.id}`, `{ticket.url}`, …), filled on the
//! server from the record being shown.

use crate::tenant::TenantId;
use serde::{Deserialize, Serialize};

/// Every placeholder, and the record it needs.
pub const PLACEHOLDERS: [(&str, Needs); 8] = [
    ("tenant.id", Needs::Nothing),
    ("account.id", Needs::Account),
    ("account.name", Needs::Account),
    ("account.domain", Needs::Account),
    ("account.url", Needs::Account),
    ("ticket.id", Needs::Ticket),
    ("ticket.title", Needs::Ticket),
    ("ticket.url", Needs::Ticket),
];

/// What a placeholder needs the page to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Needs {
    Nothing,
    Account,
    Ticket,
}

/// The record a page shows, as placeholders see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordContext {
    pub tenant: TenantId,
    pub account: Option<AccountFacts>,
    pub ticket: Option<TicketFacts>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountFacts {
    pub id: i64,
    pub name: String,
    pub domain: String,
    /// The account's page, `{PUBLIC_URL}/accounts/{a}`; its tickets' pages are below it.
    pub url: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketFacts {
    pub id: i64,
    pub title: String,
    /// The ticket's page, `{PUBLIC_URL}/accounts/{a}/tickets/{t}`: approvals link back to it.
    pub url: String,
}

/// How a value is written into the text around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Escape {
    None,
    /// Inside an OData string literal: quotes doubled.
    OData,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PlaceholderError {
    #[error("{{{0}}} is not a placeholder; use one of {list}", list = known_list())]
    Unknown(String),
    #[error("{{{0}}} is never closed with }}")]
    Unclosed(String),
}

impl PlaceholderError {
    /// What the console says about it, in the reader's language.
    pub fn message(&self) -> i18n::Msg {
        match self {
            PlaceholderError::Unknown(name) => i18n::Msg::new("rule-placeholder-unknown")
                .with("placeholder", format!("{{{name}}}"))
                .with("known", known_list()),
            PlaceholderError::Unclosed(text) => {
                i18n::Msg::new("rule-placeholder-unclosed").with("placeholder", format!("{{{text}"))
            }
        }
    }
}

fn known_list() -> String {
    PLACEHOLDERS
        .iter()
        .map(|(name, _)| format!("{{{name}}}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The placeholders `text` uses, in order; an error names the first unknown or unclosed one.
pub fn used(text: &str) -> Result<Vec<(&'static str, Needs)>, PlaceholderError> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            return Err(PlaceholderError::Unclosed(after.chars().take(20).collect()));
        };
        let name = &after[..end];
        let known = PLACEHOLDERS
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| PlaceholderError::Unknown(name.to_owned()))?;
        found.push(*known);
        rest = &after[end + 1..];
    }
    Ok(found)
}

impl RecordContext {
    fn value(&self, name: &str) -> String {
        let account = self.account.as_ref();
        let ticket = self.ticket.as_ref();
        match name {
            "tenant.id" => Some(self.tenant.to_string()),
            "account.id" => account.map(|a| a.id.to_string()),
            "account.name" => account.map(|a| a.name.clone()),
            "account.domain" => account.map(|a| a.domain.clone()),
            "account.url" => account.map(|a| a.url.clone()),
            "ticket.id" => ticket.map(|t| t.id.to_string()),
            "ticket.title" => ticket.map(|t| t.title.clone()),
            "ticket.url" => ticket.map(|t| t.url.clone()),
            _ => None,
        }
        .unwrap_or_default()
    }

    /// `text` with each placeholder replaced by the record's value (empty where the page has
    /// no such record).
    pub fn fill(&self, text: &str, escape: Escape) -> Result<String, PlaceholderError> {
        used(text)?;
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let end = after.find('}').expect("checked by used()");
            let value = self.value(&after[..end]);
            match escape {
                Escape::None => out.push_str(&value),
                Escape::OData => out.push_str(&value.replace('\'', "''")),
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket_page() -> RecordContext {
        RecordContext {
            tenant: TenantId::parse("c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70").unwrap(),
            account: Some(AccountFacts {
                id: 42,
                name: "Margie's Travel".into(),
                domain: "margies-travel.example".into(),
                url: "https://desk.example/accounts/42".into(),
            }),
            ticket: Some(TicketFacts {
                id: 7,
                title: "Cannot sign in".into(),
                url: "https://desk.example/accounts/42/tickets/7".into(),
            }),
        }
    }

    #[test]
    fn placeholders_are_filled_from_the_record() {
        let page = ticket_page();
        assert_eq!(
            page.fill(
                "{account.name} ({account.domain}) #{ticket.id}",
                Escape::None
            )
            .unwrap(),
            "Margie's Travel (margies-travel.example) #7"
        );
        assert_eq!(
            page.fill("x/y eq '{account.name}'", Escape::OData).unwrap(),
            "x/y eq 'Margie''s Travel'"
        );
        assert_eq!(
            page.fill("{tenant.id}", Escape::None).unwrap(),
            "c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70"
        );
    }

    #[test]
    fn a_page_without_the_record_fills_nothing() {
        let mut page = ticket_page();
        page.ticket = None;
        assert_eq!(page.fill("[{ticket.url}]", Escape::None).unwrap(), "[]");
    }

    #[test]
    fn unknown_and_unclosed_placeholders_are_errors() {
        assert_eq!(
            used("{account.owner}"),
            Err(PlaceholderError::Unknown("account.owner".into()))
        );
        assert!(matches!(
            used("eq '{ticket.id"),
            Err(PlaceholderError::Unclosed(_))
        ));
        let message = PlaceholderError::Unknown("x".into()).to_string();
        assert!(message.starts_with("{x} is not a placeholder; use one of {tenant.id}"));
        assert_eq!(
            used("{ticket.url} {account.id}").unwrap(),
            [
                ("ticket.url", Needs::Ticket),
                ("account.id", Needs::Account)
            ]
        );
    }
}
