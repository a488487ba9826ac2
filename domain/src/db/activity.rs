use super::tenants::now;
use super::{TenantScope, with_pool};
use crate::activity::{
    ApprovalState, EventKind, LinkedFlow, RecordActivity, RecordEvent, RecordRef,
};
use time::OffsetDateTime;

/// The last entries of a timeline a record page shows.
const TIMELINE_LENGTH: i64 = 20;
/// The entries a record keeps: adding one drops the oldest beyond these.
pub const TIMELINE_KEPT: i64 = 200;
/// The flows one record may have linked to it.
pub const LINKED_FLOWS_PER_RECORD: i64 = 100;
/// The linked flows a record page lists (an account's include its tickets').
const FLOWS_LISTED: i64 = 200;

/// An entry for a record's timeline.
#[derive(Clone, Debug)]
pub struct NewEvent<'a> {
    pub kind: EventKind,
    /// The flow or approval it is about.
    pub subject: &'a str,
    /// The run's status or the approval's decision; empty for a new flow.
    pub outcome: &'a str,
    pub actor: &'a str,
    /// Flowhost confirmed it with the Flow service.
    pub confirmed: bool,
}

/// A flow to link to a record.
#[derive(Clone, Debug)]
pub struct NewLinkedFlow<'a> {
    pub flow_id: &'a str,
    pub flow_url: &'a str,
    pub template: Option<&'a str>,
    pub created_by: &'a str,
}

/// Matches the records of `$2` (account) and `$3` (one of its tickets, or NULL for all).
const OF_RECORD: &str = "tenant_id = $1 AND account_id = $2 AND ($3 IS NULL OR ticket_id = $3)";
/// Matches exactly the record `$2`/`$3`: the account itself when `$3` is NULL.
const EXACTLY: &str =
    "tenant_id = $1 AND account_id = $2 AND (ticket_id = $3 OR (ticket_id IS NULL AND $3 IS NULL))";

/// What linking a flow did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Linked {
    New,
    /// The flow was linked before (to this record or another); nothing changed.
    Already,
    /// The record has [`LINKED_FLOWS_PER_RECORD`] flows; nothing changed.
    Full,
}

impl TenantScope<'_> {
    /// Whether the record is this tenant's: an account, or a ticket of that account.
    pub async fn owns(&self, record: RecordRef) -> Result<bool, sqlx::Error> {
        const ACCOUNT: &str = "SELECT COUNT(*) FROM accounts WHERE tenant_id = $1 AND id = $2";
        const TICKET: &str =
            "SELECT COUNT(*) FROM tickets WHERE tenant_id = $1 AND account_id = $2 AND id = $3";
        let count: i64 = with_pool!(self.db, pool => match record.ticket {
            None => sqlx::query_scalar(ACCOUNT)
                .bind(self.tenant.as_str())
                .bind(record.account.0)
                .fetch_one(pool)
                .await?,
            Some(ticket) => sqlx::query_scalar(TICKET)
                .bind(self.tenant.as_str())
                .bind(record.account.0)
                .bind(ticket.0)
                .fetch_one(pool)
                .await?,
        });
        Ok(count == 1)
    }

    /// Links a flow to a record the caller has checked with [`Self::owns`]. A flow stays linked
    /// to the record it was first linked to, and a record takes at most
    /// [`LINKED_FLOWS_PER_RECORD`] flows.
    pub async fn link_flow(
        &self,
        record: RecordRef,
        flow: &NewLinkedFlow<'_>,
    ) -> Result<Linked, sqlx::Error> {
        let insert = format!(
            "INSERT INTO linked_flows (tenant_id, account_id, ticket_id, flow_id, \
             flow_url, template, created_by, created_at) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8 \
             WHERE (SELECT COUNT(*) FROM linked_flows WHERE {EXACTLY}) < {LINKED_FLOWS_PER_RECORD} \
             ON CONFLICT (tenant_id, flow_id) DO NOTHING"
        );
        const KNOWN: &str =
            "SELECT COUNT(*) FROM linked_flows WHERE tenant_id = $1 AND flow_id = $2";
        let done = with_pool!(self.db, pool => sqlx::query(&insert)
            .bind(self.tenant.as_str())
            .bind(record.account.0)
            .bind(record.ticket.map(|t| t.0))
            .bind(flow.flow_id)
            .bind(flow.flow_url)
            .bind(flow.template)
            .bind(flow.created_by)
            .bind(now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        if done == 1 {
            return Ok(Linked::New);
        }
        let known: i64 = with_pool!(self.db, pool => sqlx::query_scalar(KNOWN)
            .bind(self.tenant.as_str())
            .bind(flow.flow_id)
            .fetch_one(pool)
            .await)?;
        Ok(if known > 0 {
            Linked::Already
        } else {
            Linked::Full
        })
    }

    /// The template a linked flow was made from: `None` if the flow is not linked here.
    pub async fn linked_flow_template(&self, flow_id: &str) -> Result<Option<String>, sqlx::Error> {
        const SQL: &str = "SELECT template FROM linked_flows WHERE tenant_id = $1 AND flow_id = $2";
        let found: Option<Option<String>> = with_pool!(self.db, pool => sqlx::query_scalar(SQL)
            .bind(self.tenant.as_str())
            .bind(flow_id)
            .fetch_optional(pool)
            .await)?;
        Ok(found.flatten())
    }

    /// Adds an entry to a record's timeline (checked with [`Self::owns`]), `confirmed` if
    /// Flowhost confirmed it with the Flow service. The record keeps its newest
    /// [`TIMELINE_KEPT`] entries.
    pub async fn add_event(
        &self,
        record: RecordRef,
        event: &NewEvent<'_>,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "INSERT INTO record_events (tenant_id, account_id, ticket_id, kind, \
                           subject, outcome, actor, created_at, confirmed) \
                           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
        let prune = format!(
            "DELETE FROM record_events WHERE {EXACTLY} AND id <= (SELECT id FROM record_events \
             WHERE {EXACTLY} ORDER BY id DESC LIMIT 1 OFFSET {TIMELINE_KEPT})"
        );
        let ticket = record.ticket.map(|t| t.0);
        with_pool!(self.db, pool => {
            sqlx::query(SQL)
                .bind(self.tenant.as_str())
                .bind(record.account.0)
                .bind(ticket)
                .bind(event.kind.as_str())
                .bind(event.subject)
                .bind(event.outcome)
                .bind(event.actor)
                .bind(now())
                .bind(event.confirmed)
                .execute(pool)
                .await?;
            sqlx::query(&prune)
                .bind(self.tenant.as_str())
                .bind(record.account.0)
                .bind(ticket)
                .execute(pool)
                .await
                .map(drop)
        })
    }

    /// Records an approval's status on a ticket (checked with [`Self::owns`]). Returns the
    /// status it had before (`None` for a new approval), or [`OtherTicket`] when the approval
    /// is known on another record, which it never leaves.
    pub async fn set_approval(
        &self,
        record: RecordRef,
        approval_id: &str,
        title: &str,
        state: ApprovalState,
        confirmed: bool,
    ) -> Result<Result<Option<ApprovalState>, OtherTicket>, sqlx::Error> {
        let Some(ticket) = record.ticket else {
            return Ok(Err(OtherTicket));
        };
        const FIND: &str = "SELECT account_id, ticket_id, status FROM ticket_approvals \
                            WHERE tenant_id = $1 AND approval_id = $2";
        // The update leaves an approval known on another ticket alone.
        const UPSERT: &str = "INSERT INTO ticket_approvals (tenant_id, approval_id, account_id, \
                              ticket_id, title, status, updated_at, confirmed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                              ON CONFLICT (tenant_id, approval_id) DO UPDATE SET title = excluded.title, \
                              status = excluded.status, updated_at = excluded.updated_at, \
                              confirmed = excluded.confirmed \
                              WHERE ticket_approvals.account_id = excluded.account_id \
                              AND ticket_approvals.ticket_id = excluded.ticket_id";
        let known: Option<(i64, i64, String)> = with_pool!(self.db, pool => sqlx::query_as(FIND)
            .bind(self.tenant.as_str())
            .bind(approval_id)
            .fetch_optional(pool)
            .await)?;
        let before = match known {
            Some((a, t, _)) if a != record.account.0 || t != ticket.0 => {
                return Ok(Err(OtherTicket));
            }
            Some((_, _, status)) => ApprovalState::parse(&status),
            None => None,
        };
        let done = with_pool!(self.db, pool => sqlx::query(UPSERT)
            .bind(self.tenant.as_str())
            .bind(approval_id)
            .bind(record.account.0)
            .bind(ticket.0)
            .bind(title)
            .bind(state.as_str())
            .bind(now())
            .bind(confirmed)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(if done == 1 {
            Ok(before)
        } else {
            Err(OtherTicket)
        })
    }

    /// What Power Automate left on the record; for an account, on its tickets too.
    pub async fn activity(&self, record: RecordRef) -> Result<RecordActivity, sqlx::Error> {
        let flows_sql = format!(
            "SELECT flow_id, flow_url, template, ticket_id, created_by, created_at FROM linked_flows \
             WHERE {OF_RECORD} ORDER BY created_at DESC, flow_id LIMIT {FLOWS_LISTED}"
        );
        let events_sql = format!(
            "SELECT kind, subject, outcome, actor, created_at, confirmed FROM record_events \
             WHERE {OF_RECORD} ORDER BY id DESC LIMIT {TIMELINE_LENGTH}"
        );
        let counts_sql = format!(
            "SELECT status, COUNT(*) FROM ticket_approvals WHERE {OF_RECORD} AND confirmed \
             GROUP BY status"
        );
        type FlowRow = (
            String,
            String,
            Option<String>,
            Option<i64>,
            String,
            OffsetDateTime,
        );
        type EventRow = (String, String, String, String, OffsetDateTime, bool);
        let ticket = record.ticket.map(|t| t.0);
        let (flows, events, counts) = with_pool!(self.db, pool => {
            let flows: Vec<FlowRow> = sqlx::query_as(&flows_sql)
                .bind(self.tenant.as_str()).bind(record.account.0).bind(ticket)
                .fetch_all(pool).await?;
            let events: Vec<EventRow> = sqlx::query_as(&events_sql)
                .bind(self.tenant.as_str()).bind(record.account.0).bind(ticket)
                .fetch_all(pool).await?;
            let counts: Vec<(String, i64)> = sqlx::query_as(&counts_sql)
                .bind(self.tenant.as_str()).bind(record.account.0).bind(ticket)
                .fetch_all(pool).await?;
            (flows, events, counts)
        });
        let count = |wanted: &[ApprovalState]| {
            counts
                .iter()
                .filter(|(s, _)| ApprovalState::parse(s).is_some_and(|s| wanted.contains(&s)))
                .map(|(_, n)| n)
                .sum()
        };
        Ok(RecordActivity {
            flows: flows
                .into_iter()
                .map(
                    |(flow_id, flow_url, template, ticket, created_by, created_at)| LinkedFlow {
                        flow_id,
                        flow_url,
                        template,
                        ticket: ticket.map(crate::TicketId),
                        created_by,
                        created_at,
                    },
                )
                .collect(),
            events: events
                .into_iter()
                .filter_map(|(kind, subject, outcome, actor, at, confirmed)| {
                    Some(RecordEvent {
                        kind: EventKind::parse(&kind)?,
                        subject,
                        outcome,
                        actor,
                        at,
                        confirmed,
                    })
                })
                .collect(),
            approvals_waiting: count(&[ApprovalState::Pending]),
            approvals_decided: count(&[ApprovalState::Approved, ApprovalState::Rejected]),
        })
    }
}

/// The approval is already recorded on another ticket.
#[derive(Debug, PartialEq, Eq)]
pub struct OtherTicket;
