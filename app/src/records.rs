//! The records one request has read. A record page's resources (the record itself, its widget
//! panel, its activity) run concurrently and each needs the same account or ticket; they read
//! it once between them. A new set is made for every request, so nothing outlives it.

use domain::db::{DbError, TenantScope};
use domain::{Account, AccountId, Ticket, TicketId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::OnceCell;

type Read<T> = Arc<OnceCell<Option<T>>>;

/// Accounts and tickets read in this request, by id; `None` where none was found. Each id is
/// read at most once even when several readers ask at the same moment.
#[derive(Clone, Default)]
pub struct RequestRecords(Arc<Inner>);

#[derive(Default)]
struct Inner {
    accounts: Mutex<HashMap<AccountId, Read<Account>>>,
    tickets: Mutex<HashMap<(AccountId, TicketId), Read<Ticket>>>,
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
}
