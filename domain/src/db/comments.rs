use super::hooks::record_event;
use super::tenants::now;
use super::{TenantScope, with_pool};
use crate::account::AccountId;
use crate::comment::{Comment, NewComment};
use crate::hook::HookEvent;
use crate::ticket::TicketId;
use crate::views::CommentEventView;

const COMMENT_COLUMNS: &str = "id, ticket_id, body, author_name, author_object_id, via, created_at";

impl TenantScope<'_> {
    /// Adds a comment to a ticket, with its `comment_added` event in the same transaction;
    /// `None` when the tenant has no such ticket.
    pub async fn add_comment(
        &self,
        ticket: TicketId,
        comment: &NewComment,
    ) -> Result<Option<Comment>, sqlx::Error> {
        // The SELECT finds nothing for another tenant's ticket, so nothing is inserted.
        let insert = format!(
            "INSERT INTO ticket_comments (tenant_id, ticket_id, body, author_name, \
             author_object_id, via, created_at) \
             SELECT $1, t.id, $3, $4, $5, $6, $7 FROM tickets t WHERE t.tenant_id = $1 AND t.id = $2 \
             RETURNING {COMMENT_COLUMNS}"
        );
        const ACCOUNT: &str = "SELECT account_id FROM tickets WHERE tenant_id = $1 AND id = $2";
        with_pool!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let added: Option<Comment> = sqlx::query_as(&insert)
                .bind(self.tenant.as_str())
                .bind(ticket.0)
                .bind(&comment.body)
                .bind(&comment.author.name)
                .bind(&comment.author.object_id)
                .bind(comment.author.via.as_str())
                .bind(now())
                .fetch_optional(&mut *tx)
                .await?;
            let Some(added) = added else {
                return Ok(None);
            };
            let account: i64 = sqlx::query_scalar(ACCOUNT)
                .bind(self.tenant.as_str())
                .bind(ticket.0)
                .fetch_one(&mut *tx)
                .await?;
            let account = AccountId(account);
            let payload = super::tickets::json(&CommentEventView::new(added.clone(), account));
            record_event!(tx, self.tenant, HookEvent::CommentAdded, account, payload);
            tx.commit().await?;
            Ok(Some(added))
        })
    }

    /// A ticket's comments, oldest first, from `offset`.
    pub async fn comments(
        &self,
        ticket: TicketId,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Comment>, sqlx::Error> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM ticket_comments WHERE tenant_id = $1 AND ticket_id = $2 \
             ORDER BY id LIMIT $3 OFFSET $4"
        );
        with_pool!(self.db, pool => sqlx::query_as::<_, Comment>(&sql)
            .bind(self.tenant.as_str())
            .bind(ticket.0)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await)
    }
}
