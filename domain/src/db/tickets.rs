use super::tenants::now;
use super::{TenantScope, with_pool};
use crate::account::AccountId;
use crate::ticket::{NewTicket, Status, Ticket, TicketChange, TicketId};

const TICKET_COLUMNS: &str =
    "id, account_id, title, description, status, priority, requester, created_at, updated_at";

impl TenantScope<'_> {
    /// An account's tickets, most recently changed first.
    pub async fn tickets(
        &self,
        account: AccountId,
        limit: i64,
    ) -> Result<Vec<Ticket>, sqlx::Error> {
        let sql = format!(
            "SELECT {TICKET_COLUMNS} FROM tickets WHERE tenant_id = $1 AND account_id = $2 \
             ORDER BY updated_at DESC, id DESC LIMIT $3"
        );
        with_pool!(self.db, pool => sqlx::query_as::<_, Ticket>(&sql)
            .bind(self.tenant.as_str())
            .bind(account.0)
            .bind(limit)
            .fetch_all(pool)
            .await)
    }

    pub async fn ticket(
        &self,
        account: AccountId,
        id: TicketId,
    ) -> Result<Option<Ticket>, sqlx::Error> {
        let sql = format!(
            "SELECT {TICKET_COLUMNS} FROM tickets WHERE tenant_id = $1 AND account_id = $2 AND id = $3"
        );
        with_pool!(self.db, pool => sqlx::query_as::<_, Ticket>(&sql)
            .bind(self.tenant.as_str())
            .bind(account.0)
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
        const SQL: &str = "UPDATE tickets SET status = $4, priority = $5, updated_at = $6 \
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
}
