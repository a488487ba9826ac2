use super::tenants::now;
use super::{TenantScope, with_pool};
use crate::account::AccountId;
use crate::ticket::{NewTicket, Status, Ticket, TicketChange, TicketFilter, TicketId, TicketPatch};

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

    /// Opens a ticket on `account`; `None` when the tenant has no such account.
    pub async fn create_ticket(
        &self,
        account: AccountId,
        ticket: &NewTicket,
    ) -> Result<Option<TicketId>, sqlx::Error> {
        // The SELECT finds nothing for another tenant's account, so nothing is inserted.
        const SQL: &str = "INSERT INTO tickets (tenant_id, account_id, title, description, status, \
                           priority, requester, created_at, updated_at) \
                           SELECT $1, a.id, $3, $4, $5, $6, $7, $8, $8 FROM accounts a \
                           WHERE a.tenant_id = $1 AND a.id = $2 RETURNING id";
        let id: Option<i64> = with_pool!(self.db, pool => sqlx::query_scalar(SQL)
            .bind(self.tenant.as_str())
            .bind(account.0)
            .bind(&ticket.title)
            .bind(&ticket.description)
            .bind(Status::Open.as_str())
            .bind(ticket.priority.as_str())
            .bind(&ticket.requester)
            .bind(now())
            .fetch_optional(pool)
            .await)?;
        Ok(id.map(TicketId))
    }

    /// Changes a ticket's status and priority; `false` when the tenant has no such ticket.
    pub async fn update_ticket(
        &self,
        account: AccountId,
        id: TicketId,
        change: TicketChange,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE tickets SET status = $4, priority = $5, updated_at = $6, \
                           version = version + 1 \
                           WHERE tenant_id = $1 AND account_id = $2 AND id = $3";
        let done = with_pool!(self.db, pool => sqlx::query(SQL)
            .bind(self.tenant.as_str())
            .bind(account.0)
            .bind(id.0)
            .bind(change.status.as_str())
            .bind(change.priority.as_str())
            .bind(now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    /// Changes the fields `patch` sets, if the ticket is still at `if_version` (any version
    /// when `None`), in one statement: two writers holding the same version cannot both win.
    pub async fn patch_ticket(
        &self,
        id: TicketId,
        patch: TicketPatch,
        if_version: Option<i64>,
    ) -> Result<Written, sqlx::Error> {
        let sql = format!(
            "UPDATE tickets SET status = COALESCE($3, status), priority = COALESCE($4, priority), \
             updated_at = $5, version = version + 1 \
             WHERE tenant_id = $1 AND id = $2 AND ($6 IS NULL OR version = $6) \
             RETURNING {TICKET_COLUMNS}"
        );
        let written = with_pool!(self.db, pool => sqlx::query_as::<_, Ticket>(&sql)
            .bind(self.tenant.as_str())
            .bind(id.0)
            .bind(patch.status.map(Status::as_str))
            .bind(patch.priority.map(|p| p.as_str()))
            .bind(now())
            .bind(if_version)
            .fetch_optional(pool)
            .await)?;
        Ok(match written {
            Some(ticket) => Written::Done(ticket),
            None => match self.ticket_by_id(id).await? {
                Some(current) => Written::Stale(current),
                None => Written::Missing,
            },
        })
    }
}
