use super::licences::PersonRow;
use super::tenants::now;
use super::{TenantScope, with_pool};
use crate::activity::{
    ApprovalState, EventKind, LinkedFlow, RecordActivity, RecordEvent, RecordRef,
};
use crate::licence::PersonRights;
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
    /// Links a flow to a record the caller has found among this tenant's. A flow stays linked
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

    /// Adds an entry to the timeline of a record the caller has found among this tenant's,
    /// `confirmed` if Flowhost confirmed it with the Flow service. The record keeps its newest
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

    /// Records an approval's status on a ticket the caller has found among this tenant's.
    /// Returns the status it had before (`None` for a new approval), or [`OtherTicket`] when
    /// the approval is known on another record, which it never leaves.
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
        Ok(self.activity_seen_by(record, None).await?.0)
    }

    /// The record's activity and, with `viewer` (a person's object id), that person's
    /// licence rights if Flowhost read them: what a record page shows, in one round trip.
    pub async fn activity_seen_by(
        &self,
        record: RecordRef,
        viewer: Option<&str>,
    ) -> Result<(RecordActivity, Option<PersonRights>), sqlx::Error> {
        // The linked flows (part 0), the timeline (1), the confirmed approvals counted by
        // status (2) and the viewer's rights (3) are the parts of one UNION ALL, each in the
        // columns (a, b, c, d, n, at, flag). A NULL is cast so that both engines give it one
        // type.
        let sql = format!(
            "SELECT * FROM (SELECT 0 AS part, flow_id AS a, flow_url AS b, template AS c, \
             created_by AS d, ticket_id AS n, created_at AS at, CAST(NULL AS BOOLEAN) AS flag \
             FROM linked_flows WHERE {OF_RECORD} \
             ORDER BY created_at DESC, flow_id LIMIT {FLOWS_LISTED}) AS flows \
             UNION ALL SELECT * FROM (SELECT 1, kind, subject, outcome, actor, id, created_at, \
             confirmed FROM record_events WHERE {OF_RECORD} \
             ORDER BY id DESC LIMIT {TIMELINE_LENGTH}) AS events \
             UNION ALL SELECT 2, status, CAST(NULL AS TEXT), CAST(NULL AS TEXT), \
             CAST(NULL AS TEXT), COUNT(*), CAST(NULL AS TIMESTAMPTZ), CAST(NULL AS BOOLEAN) \
             FROM ticket_approvals WHERE {OF_RECORD} AND confirmed GROUP BY status \
             UNION ALL SELECT 3, rights, name, email, source, CAST(NULL AS BIGINT), read_at, \
             pending FROM person_licences WHERE tenant_id = $1 AND object_id = $4"
        );
        let ticket = record.ticket.map(|t| t.0);
        let rows: Vec<ActivityRow> = with_pool!(self.db, pool => sqlx::query_as(&sql)
            .bind(self.tenant.as_str())
            .bind(record.account.0)
            .bind(ticket)
            .bind(viewer)
            .fetch_all(pool)
            .await)?;
        Ok(activity_of(rows, viewer))
    }
}

/// A row of [`TenantScope::activity`]'s query: `(part, a, b, c, d, n, at, flag)`.
type ActivityRow = (
    i32,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<OffsetDateTime>,
    Option<bool>,
);

/// The activity the rows of [`TenantScope::activity_seen_by`]'s query describe, and the
/// rights of `viewer`; rows of no known shape are left out.
fn activity_of(
    rows: Vec<ActivityRow>,
    viewer: Option<&str>,
) -> (RecordActivity, Option<PersonRights>) {
    let mut rights = None;
    let mut activity = RecordActivity {
        flows: Vec::new(),
        events: Vec::new(),
        approvals_waiting: 0,
        approvals_decided: 0,
    };
    let mut events = Vec::new();
    for row in rows {
        match row {
            (0, Some(flow_id), Some(flow_url), template, Some(created_by), ticket, Some(at), _) => {
                activity.flows.push(LinkedFlow {
                    flow_id,
                    flow_url,
                    template,
                    ticket: ticket.map(crate::TicketId),
                    created_by,
                    created_at: at,
                });
            }
            (
                1,
                Some(kind),
                Some(subject),
                Some(outcome),
                Some(actor),
                Some(id),
                Some(at),
                flag,
            ) => {
                if let Some(kind) = EventKind::parse(&kind) {
                    events.push((
                        id,
                        RecordEvent {
                            kind,
                            subject,
                            outcome,
                            actor,
                            at,
                            confirmed: flag.unwrap_or(false),
                        },
                    ));
                }
            }
            (2, Some(status), _, _, _, Some(count), _, _) => match ApprovalState::parse(&status) {
                Some(ApprovalState::Pending) => activity.approvals_waiting += count,
                Some(ApprovalState::Approved | ApprovalState::Rejected) => {
                    activity.approvals_decided += count;
                }
                _ => {}
            },
            (3, Some(read), Some(name), Some(email), Some(source), _, Some(at), pending) => {
                rights = viewer.map(|object_id| {
                    PersonRow {
                        object_id: object_id.to_owned(),
                        name,
                        email,
                        rights: read,
                        pending: pending.unwrap_or(false),
                        source,
                        read_at: at,
                    }
                    .read()
                });
            }
            _ => {}
        }
    }
    // A UNION keeps no order of its own: each part is put back in its query's order.
    activity.flows.sort_by(|x, y| {
        y.created_at
            .cmp(&x.created_at)
            .then_with(|| x.flow_id.cmp(&y.flow_id))
    });
    events.sort_by_key(|(id, _)| std::cmp::Reverse(*id));
    activity.events = events.into_iter().map(|(_, event)| event).collect();
    (activity, rights)
}

/// The approval is already recorded on another ticket.
#[derive(Debug, PartialEq, Eq)]
pub struct OtherTicket;
