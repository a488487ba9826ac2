//! Flowhost's records and the rules they obey.
//!
//! Everything here compiles for the browser too, so pages can share the types and the
//! validation. Persistence lives in [`db`] behind the `db` feature and is reached only through
//! a [`db::TenantScope`]: no query can touch a record without naming its tenant. The demo
//! organisations (`demo`) sit behind the `demo` feature, so production builds hold none.

#[macro_use]
mod word;

pub mod account;
pub mod activity;
pub mod comment;
pub mod csp;
pub mod deployment;
pub mod encode;
pub mod licence;
pub mod page;
pub mod placeholders;
pub mod placement;
pub mod plan;
pub mod rollout;
pub mod subscription;
pub mod tenant;
pub mod ticket;
pub mod user;
pub mod validation;
pub mod widget_config;

/// The OData filter subset of the widgets' `flowsFilter` and `approvalsFilter`.
pub use odata_filter as flow_filter;

#[cfg(feature = "db")]
pub mod db;
#[cfg(feature = "demo")]
pub mod demo;
pub mod hook;
#[cfg(feature = "db")]
pub mod views;

pub use account::{Account, AccountId, AccountTier};
pub use activity::{ApprovalState, EventKind, LinkedFlow, RecordActivity, RecordEvent, RecordRef};
pub use comment::{Author, Comment, CommentId, CommentInput, CommentVia, NewComment};
pub use page::{Page, PageRequest};
pub use tenant::{Tenant, TenantId};
pub use ticket::{
    NewTicket, Priority, Status, Ticket, TicketChange, TicketFilter, TicketId, TicketInput,
    TicketPatch,
};
pub use user::{CurrentUser, Role, UserSummary};
pub use validation::FieldErrors;
