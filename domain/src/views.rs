//! The records as the REST API and its webhooks show them: JSON, fields in camelCase, times in
//! RFC 3339 (UTC).

use crate::ticket::Status;
use crate::{Account, Comment, Ticket};
use serde::Serialize;
use time::OffsetDateTime;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    id: i64,
    name: String,
    domain: String,
    tier: &'static str,
    owner: String,
    open_tickets: i64,
}

impl From<Account> for AccountView {
    fn from(a: Account) -> Self {
        AccountView {
            id: a.id.0,
            name: a.name,
            domain: a.domain,
            tier: a.tier.as_str(),
            owner: a.owner,
            open_tickets: a.open_tickets,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketView {
    id: i64,
    account_id: i64,
    title: String,
    description: String,
    status: &'static str,
    priority: &'static str,
    requester: String,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    updated_at: OffsetDateTime,
    /// What the `ETag` names; goes up by one with every change.
    version: i64,
}

impl From<Ticket> for TicketView {
    fn from(t: Ticket) -> Self {
        TicketView {
            id: t.id.0,
            account_id: t.account_id.0,
            title: t.title,
            description: t.description,
            status: t.status.as_str(),
            priority: t.priority.as_str(),
            requester: t.requester,
            created_at: t.created_at,
            updated_at: t.updated_at,
            version: t.version,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommentView {
    id: i64,
    ticket_id: i64,
    text: String,
    author_name: String,
    author_id: String,
    /// `person` (on the ticket page) or `flow` (through this API, on the author's behalf).
    via: &'static str,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
}

impl From<Comment> for CommentView {
    fn from(c: Comment) -> Self {
        CommentView {
            id: c.id.0,
            ticket_id: c.ticket_id.0,
            text: c.body,
            author_name: c.author_name,
            author_id: c.author_object_id,
            via: c.via.as_str(),
            created_at: c.created_at,
        }
    }
}

/// What a webhook posts for a ticket whose status changed: the ticket as it is now, and the
/// status it had before.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusChangeView {
    #[serde(flatten)]
    ticket: TicketView,
    previous_status: &'static str,
}

impl StatusChangeView {
    pub fn new(ticket: Ticket, previous: Status) -> Self {
        StatusChangeView {
            ticket: ticket.into(),
            previous_status: previous.as_str(),
        }
    }
}

/// What a webhook posts for a new comment: the comment, and the account of its ticket.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommentEventView {
    #[serde(flatten)]
    comment: CommentView,
    account_id: i64,
}

impl CommentEventView {
    pub fn new(comment: Comment, account: crate::AccountId) -> Self {
        CommentEventView {
            comment: comment.into(),
            account_id: account.0,
        }
    }
}
