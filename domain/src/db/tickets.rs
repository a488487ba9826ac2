use super::hooks::record_event;
use super::tenants::now;
use super::{TenantScope, with_pool};
use crate::account::AccountId;
use crate::hook::HookEvent;
use crate::ticket::{NewTicket, Status, Ticket, TicketChange, TicketFilter, TicketId, TicketPatch};
use crate::views::{StatusChangeView, TicketView};

const TICKET_COLUMNS: &str = "id, account_id, title, description, status, priority, requester, \
     created_at, updated_at, version";

/// The outcome of a conditional change.
#[derive(Clone, Debug, PartialEq)]
pub enum Written {
    Done(Ticket),
    /// The tenant has no such ticket.
    Missing,
    /// The ticket changed since the version the writer had; it is as given.
    Stale(Ticket),
}

impl TenantScope<'_> {
    /// An account's tickets, most recently changed first.
    pub async fn tickets(
        &self,
        account: AccountId,
        limit: i64,
    ) -> Result<Vec<Ticket>, sqlx::Error> {
        self.filtered_tickets(account, &TicketFilter::default(), limit, 0)
            .await
    }

    /// An account's tickets that pass `filter`, most recently changed first, from `offset`.
    pub async fn filtered_tickets(
        &self,
        account: AccountId,
        filter: &TicketFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Ticket>, sqlx::Error> {
        let sql = format!(
            "SELECT {TICKET_COLUMNS} FROM tickets WHERE tenant_id = $1 AND account_id = $2 \
             AND ($3 IS NULL OR status = $3) AND ($4 IS NULL OR priority = $4) \
             AND ($5 IS NULL OR updated_at >= $5) \
             ORDER BY updated_at DESC, id DESC LIMIT $6 OFFSET $7"
        );
        with_pool!(self.db, pool => sqlx::query_as::<_, Ticket>(&sql)
            .bind(self.tenant.as_str())
            .bind(account.0)
            .bind(filter.status.map(Status::as_str))
            .bind(filter.priority.map(|p| p.as_str()))
            .bind(filter.updated_since)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await)
    }

    pub async fn ticket(
        &self,
        account: AccountId,
        id: TicketId,
    ) -> Result<Option<Ticket>, sqlx::Error> {
        Ok(self
            .ticket_by_id(id)
            .await?
            .filter(|t| t.account_id == account))
    }

    /// A ticket by its id alone.
    pub async fn ticket_by_id(&self, id: TicketId) -> Result<Option<Ticket>, sqlx::Error> {
        let sql = format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE tenant_id = $1 AND id = $2");
        with_pool!(self.db, pool => sqlx::query_as::<_, Ticket>(&sql)
            .bind(self.tenant.as_str())
            .bind(id.0)
            .fetch_optional(pool)
            .await)
    }

    /// Opens a ticket on `account`, with its `ticket_created` event in the same transaction;
    /// `None` when the tenant has no such account.
    pub async fn create_ticket(
        &self,
        account: AccountId,
        ticket: &NewTicket,
    ) -> Result<Option<TicketId>, sqlx::Error> {
        // The SELECT finds nothing for another tenant's account, so nothing is inserted.
        let insert = format!(
            "INSERT INTO tickets (tenant_id, account_id, title, description, status, \
             priority, requester, created_at, updated_at) \
             SELECT $1, a.id, $3, $4, $5, $6, $7, $8, $8 FROM accounts a \
             WHERE a.tenant_id = $1 AND a.id = $2 RETURNING {TICKET_COLUMNS}"
        );
        with_pool!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let created: Option<Ticket> = sqlx::query_as(&insert)
                .bind(self.tenant.as_str())
                .bind(account.0)
                .bind(&ticket.title)
                .bind(&ticket.description)
                .bind(Status::Open.as_str())
                .bind(ticket.priority.as_str())
                .bind(&ticket.requester)
                .bind(now())
                .fetch_optional(&mut *tx)
                .await?;
            let Some(created) = created else {
                return Ok(None);
            };
            let id = created.id;
            let payload = json(&TicketView::from(created));
            record_event!(tx, self.tenant, HookEvent::TicketCreated, account, payload);
            tx.commit().await?;
            Ok(Some(id))
        })
    }

    /// Changes a ticket's status and priority; `false` when the tenant has no such ticket.
    pub async fn update_ticket(
        &self,
        account: AccountId,
        id: TicketId,
        change: TicketChange,
    ) -> Result<bool, sqlx::Error> {
        let patch = TicketPatch {
            status: Some(change.status),
            priority: Some(change.priority),
        };
        Ok(!matches!(
            self.write_ticket(id, Some(account), patch, None).await?,
            Written::Missing
        ))
    }

    /// Changes the fields `patch` sets, if the ticket is still at `if_version` (any version
    /// when `None`). A change of status writes a `ticket_status_changed` event, naming the
    /// status before, in the same transaction. The change is made only to the version read
    /// just before, so of two writers at once one reads again and the event names the status
    /// it really replaced.
    pub async fn patch_ticket(
        &self,
        id: TicketId,
        patch: TicketPatch,
        if_version: Option<i64>,
    ) -> Result<Written, sqlx::Error> {
        self.write_ticket(id, None, patch, if_version).await
    }

    /// [`Self::patch_ticket`], for a ticket of `account` only when one is given.
    async fn write_ticket(
        &self,
        id: TicketId,
        account: Option<AccountId>,
        patch: TicketPatch,
        if_version: Option<i64>,
    ) -> Result<Written, sqlx::Error> {
        let update = format!(
            "UPDATE tickets SET status = COALESCE($3, status), priority = COALESCE($4, priority), \
             updated_at = $5, version = version + 1 \
             WHERE tenant_id = $1 AND id = $2 AND version = $6 RETURNING {TICKET_COLUMNS}"
        );
        loop {
            let Some(before) = self
                .ticket_by_id(id)
                .await?
                .filter(|t| account.is_none_or(|a| t.account_id == a))
            else {
                return Ok(Written::Missing);
            };
            if if_version.is_some_and(|v| v != before.version) {
                return Ok(Written::Stale(before));
            }
            let written: Option<Ticket> = with_pool!(self.db, pool => {
                let mut tx = pool.begin().await?;
                let changed: Option<Ticket> = sqlx::query_as(&update)
                    .bind(self.tenant.as_str())
                    .bind(id.0)
                    .bind(patch.status.map(Status::as_str))
                    .bind(patch.priority.map(|p| p.as_str()))
                    .bind(now())
                    .bind(before.version)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(changed) = &changed
                    && changed.status != before.status
                {
                    let account = changed.account_id;
                    let payload = json(&StatusChangeView::new(changed.clone(), before.status));
                    record_event!(tx, self.tenant, HookEvent::TicketStatusChanged, account, payload);
                }
                tx.commit().await?;
                changed
            });
            if let Some(ticket) = written {
                return Ok(Written::Done(ticket));
            }
            // Changed since it was read: read it again.
        }
    }
}

/// A view as the JSON text an event keeps.
pub(super) fn json(view: &impl serde::Serialize) -> String {
    serde_json::to_string(view).expect("a view serialises")
}
