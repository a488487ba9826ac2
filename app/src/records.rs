//! The records one request has read. A record page's resources (the record itself, its widget
//! panel, its activity) run concurrently and each needs the same account or ticket; they read
//! it once between them. The page's own read brings what it shows in one query (an account
//! with its tickets, a ticket with its account), and the others find the record there. A new
//! set is made for every request, so nothing outlives it.

use domain::db::{DbError, TenantScope};
use domain::licence::PersonRights;
use domain::{Account, AccountId, RecordActivity, RecordRef, Ticket, TicketId};
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::OnceCell;

type Read<T> = Arc<OnceCell<Option<T>>>;
type Seen = Arc<OnceCell<(RecordActivity, Option<PersonRights>)>>;

/// Accounts and tickets read in this request, by id; `None` where none was found. Each id is
/// read at most once even when several readers ask at the same moment.
#[derive(Clone, Default)]
pub struct RequestRecords(Arc<Inner>);

#[derive(Default)]
struct Inner {
    accounts: Mutex<HashMap<AccountId, Read<Account>>>,
    tickets: Mutex<HashMap<(AccountId, TicketId), Read<Ticket>>>,
    /// Each record's activity with the visitor's rights (the widget panel's licence note).
    activities: Mutex<HashMap<(AccountId, Option<TicketId>), Seen>>,
}

fn slot<K: std::hash::Hash + Eq, T>(map: &Mutex<HashMap<K, Read<T>>>, key: K) -> Read<T> {
    map.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(key)
        .or_default()
        .clone()
}

impl RequestRecords {
    /// The account `id` as `scope` sees it. A request has one visitor, so one scope.
    pub async fn account(
        &self,
        scope: &TenantScope<'_>,
        id: AccountId,
    ) -> Result<Option<Account>, DbError> {
        let read = slot(&self.0.accounts, id);
        read.get_or_try_init(|| scope.account(id)).await.cloned()
    }

    /// The ticket `id` of the account `account` as `scope` sees it.
    pub async fn ticket(
        &self,
        scope: &TenantScope<'_>,
        account: AccountId,
        id: TicketId,
    ) -> Result<Option<Ticket>, DbError> {
        let read = slot(&self.0.tickets, (account, id));
        read.get_or_try_init(|| scope.ticket(account, id))
            .await
            .cloned()
    }

    /// The account `id` with its `limit` most recently changed tickets: one query when this
    /// request has not read the account yet.
    pub async fn account_with_tickets(
        &self,
        scope: &TenantScope<'_>,
        id: AccountId,
        limit: i64,
    ) -> Result<Option<(Account, Vec<Ticket>)>, DbError> {
        let mut tickets = None;
        let account = first_or(&slot(&self.0.accounts, id), async {
            let both = scope.account_with_tickets(id, limit).await?;
            Ok(both.map(|(account, read)| {
                tickets = Some(read);
                account
            }))
        })
        .await?;
        let Some(account) = account else {
            return Ok(None);
        };
        let tickets = match tickets {
            Some(read) => read,
            None => scope.tickets(id, limit).await?,
        };
        Ok(Some((account, tickets)))
    }

    /// The ticket `id` of the account `account`, with that account: one query when this
    /// request has read neither yet.
    pub async fn ticket_with_account(
        &self,
        scope: &TenantScope<'_>,
        account: AccountId,
        id: TicketId,
    ) -> Result<Option<(Account, Ticket)>, DbError> {
        let mut ticket = None;
        let read_account = first_or(&slot(&self.0.accounts, account), async {
            match scope.ticket_with_account(account, id).await? {
                Some((read, with)) => {
                    ticket = Some(with);
                    Ok(Some(read))
                }
                // No such ticket: whether the account exists is read on its own.
                None => scope.account(account).await,
            }
        })
        .await?;
        let Some(read_account) = read_account else {
            return Ok(None);
        };
        let ticket_slot = slot(&self.0.tickets, (account, id));
        let ticket = match ticket {
            Some(read) => {
                // Whoever else reads it in this request finds it; one that got there first
                // read the same ticket.
                let _ = ticket_slot.set(Some(read.clone()));
                Some(read)
            }
            None => self.ticket(scope, account, id).await?,
        };
        Ok(ticket.map(|t| (read_account, t)))
    }
}

impl RequestRecords {
    /// The activity of `record` and the rights of `viewer` (the request's visitor), read once
    /// between the page's activity and its widget panel, in one query.
    pub async fn activity_seen_by(
        &self,
        scope: &TenantScope<'_>,
        record: RecordRef,
        viewer: &str,
    ) -> Result<(RecordActivity, Option<PersonRights>), DbError> {
        let read = self
            .0
            .activities
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry((record.account, record.ticket))
            .or_default()
            .clone();
        read.get_or_try_init(|| scope.activity_seen_by(record, Some(viewer)))
            .await
            .cloned()
    }
}

/// What `read` holds, filled by `fill` if nothing filled it yet.
async fn first_or<T: Clone>(
    read: &Read<T>,
    fill: impl Future<Output = Result<Option<T>, DbError>>,
) -> Result<Option<T>, DbError> {
    read.get_or_try_init(|| fill).await.cloned()
}
