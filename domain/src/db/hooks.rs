//! The connector's webhook subscriptions, the outbox of events and their deliveries.

use super::tenants::now;
use super::{Db, TenantScope, with_pool};
use crate::account::AccountId;
use crate::hook::{DeliveryRecord, Due, HookEvent, Subscription};
use std::time::Duration;
use time::OffsetDateTime;

/// Writes an event in the transaction `$tx` and a pending delivery for each of the tenant's
/// subscriptions to it (all of the tenant's, or those on the event's account).
macro_rules! record_event {
    ($tx:expr, $tenant:expr, $event:expr, $account:expr, $payload:expr) => {{
        let at = $crate::db::tenants::now();
        let event_id: i64 = sqlx::query_scalar(
            "INSERT INTO hook_events (tenant_id, event, account_id, payload, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind($tenant.as_str())
        .bind($event.as_str())
        .bind($account.0)
        .bind($payload)
        .bind(at)
        .fetch_one(&mut *$tx)
        .await?;
        sqlx::query(
            "INSERT INTO hook_deliveries (subscription_id, event_id, tenant_id, state, attempts, \
             next_attempt_at) SELECT s.id, $1, s.tenant_id, 'pending', 0, $2 \
             FROM hook_subscriptions s WHERE s.tenant_id = $3 AND s.event = $4 \
             AND (s.account_id IS NULL OR s.account_id = $5)",
        )
        .bind(event_id)
        .bind(at)
        .bind($tenant.as_str())
        .bind($event.as_str())
        .bind($account.0)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use record_event;

/// The outcome of a subscribe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subscribed {
    Made(i64),
    /// The user holds as many subscriptions as one may.
    TooMany,
    /// The tenant has no such account.
    NoSuchAccount,
}

/// A new subscription.
pub struct NewSubscription<'a> {
    pub owner_object_id: &'a str,
    pub owner_name: &'a str,
    pub event: HookEvent,
    pub account: Option<AccountId>,
    pub callback_url: &'a str,
}

impl TenantScope<'_> {
    /// Subscribes unless the owner already holds `limit` subscriptions.
    pub async fn subscribe(
        &self,
        new: &NewSubscription<'_>,
        limit: i64,
    ) -> Result<Subscribed, sqlx::Error> {
        if let Some(account) = new.account
            && self.account(account).await?.is_none()
        {
            return Ok(Subscribed::NoSuchAccount);
        }
        const SQL: &str = "INSERT INTO hook_subscriptions (tenant_id, owner_object_id, owner_name, \
             event, account_id, callback_url, created_at) SELECT $1, $2, $3, $4, $5, $6, $7 \
             WHERE (SELECT COUNT(*) FROM hook_subscriptions \
                    WHERE tenant_id = $1 AND owner_object_id = $2) < $8 RETURNING id";
        let id: Option<i64> = with_pool!(self.db, pool => sqlx::query_scalar(SQL)
            .bind(self.tenant.as_str())
            .bind(new.owner_object_id)
            .bind(new.owner_name)
            .bind(new.event.as_str())
            .bind(new.account.map(|a| a.0))
            .bind(new.callback_url)
            .bind(now())
            .bind(limit)
            .fetch_optional(pool)
            .await)?;
        Ok(id.map_or(Subscribed::TooMany, Subscribed::Made))
    }

    /// Removes subscription `id` if `owner` holds it (or, with `None`, whoever does);
    /// `false` when there is none.
    pub async fn unsubscribe(&self, id: i64, owner: Option<&str>) -> Result<bool, sqlx::Error> {
        const SQL: &str = "DELETE FROM hook_subscriptions WHERE tenant_id = $1 AND id = $2 \
                           AND ($3 IS NULL OR owner_object_id = $3)";
        let removed = with_pool!(self.db, pool => sqlx::query(SQL)
            .bind(self.tenant.as_str())
            .bind(id)
            .bind(owner)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(removed == 1)
    }

    /// The organisation's subscriptions, newest first.
    pub async fn subscriptions(&self) -> Result<Vec<Subscription>, sqlx::Error> {
        const SQL: &str = "SELECT s.id, s.owner_object_id, s.owner_name, s.event, s.account_id, \
             s.callback_url, s.created_at, \
             (SELECT COUNT(*) FROM hook_deliveries d WHERE d.subscription_id = s.id \
              AND d.state = 'pending') AS pending, \
             (SELECT COUNT(*) FROM hook_deliveries d WHERE d.subscription_id = s.id \
              AND d.state = 'failed') AS failed \
             FROM hook_subscriptions s WHERE s.tenant_id = $1 ORDER BY s.id DESC";
        with_pool!(self.db, pool => sqlx::query_as::<_, Subscription>(SQL)
            .bind(self.tenant.as_str())
            .fetch_all(pool)
            .await)
    }

    /// The organisation's latest deliveries, newest event first.
    pub async fn recent_deliveries(&self, limit: i64) -> Result<Vec<DeliveryRecord>, sqlx::Error> {
        const SQL: &str = "SELECT d.subscription_id, d.event_id, e.event, d.state, d.attempts, \
             d.last_status, d.last_error, e.created_at, d.finished_at \
             FROM hook_deliveries d JOIN hook_events e ON e.id = d.event_id \
             WHERE d.tenant_id = $1 ORDER BY d.event_id DESC, d.subscription_id LIMIT $2";
        with_pool!(self.db, pool => sqlx::query_as::<_, DeliveryRecord>(SQL)
            .bind(self.tenant.as_str())
            .bind(limit)
            .fetch_all(pool)
            .await)
    }
}

/// The delivery worker's side: across organisations, as it serves them all.
impl Db {
    /// Claims up to `limit` due deliveries, each the oldest waiting one of its subscription
    /// (so each subscription's events go in order), for `lease`: a worker that stops before it
    /// reports back leaves them due again once the lease ends. On PostgreSQL several workers
    /// claim side by side, each skipping rows another is claiming.
    pub async fn claim_deliveries(
        &self,
        lease: Duration,
        limit: i64,
    ) -> Result<Vec<Due>, sqlx::Error> {
        let now = now();
        let until = now + lease;
        let lock = match self {
            Db::Postgres(_) => "FOR UPDATE SKIP LOCKED",
            Db::Sqlite(_) => "",
        };
        let claim = format!(
            "UPDATE hook_deliveries SET next_attempt_at = $2, attempts = attempts + 1 \
             WHERE (subscription_id, event_id) IN ( \
               SELECT d.subscription_id, d.event_id FROM hook_deliveries d \
               WHERE d.state = 'pending' AND d.next_attempt_at <= $1 \
               AND NOT EXISTS (SELECT 1 FROM hook_deliveries e \
                 WHERE e.subscription_id = d.subscription_id AND e.state = 'pending' \
                 AND e.event_id < d.event_id) \
               ORDER BY d.event_id LIMIT $3 {lock}) \
             RETURNING subscription_id, event_id, attempts"
        );
        const DETAILS: &str = "SELECT s.tenant_id, s.callback_url, e.event, e.payload \
             FROM hook_subscriptions s, hook_events e WHERE s.id = $1 AND e.id = $2";
        with_pool!(self, pool => {
            let claimed: Vec<(i64, i64, i64)> = sqlx::query_as(&claim)
                .bind(now)
                .bind(until)
                .bind(limit)
                .fetch_all(pool)
                .await?;
            let mut due = Vec::with_capacity(claimed.len());
            for (subscription_id, event_id, attempt) in claimed {
                let found: Option<(String, String, String, String)> = sqlx::query_as(DETAILS)
                    .bind(subscription_id)
                    .bind(event_id)
                    .fetch_optional(pool)
                    .await?;
                // Gone meanwhile: the subscription was removed.
                if let Some((tenant_id, callback_url, event, payload)) = found {
                    due.push(Due { subscription_id, tenant_id, event_id, event, callback_url, payload, attempt });
                }
            }
            Ok(due)
        })
    }

    /// The callback took the delivery (`status`).
    pub async fn delivered(&self, due: &Due, status: u16) -> Result<(), sqlx::Error> {
        self.finish(due, "delivered", Some(status), None).await
    }

    /// The last attempt failed too: the delivery is kept as failed.
    pub async fn gave_up(
        &self,
        due: &Due,
        status: Option<u16>,
        error: &str,
    ) -> Result<(), sqlx::Error> {
        self.finish(due, "failed", status, Some(error)).await
    }

    async fn finish(
        &self,
        due: &Due,
        state: &str,
        status: Option<u16>,
        error: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "UPDATE hook_deliveries SET state = $3, last_status = $4, \
             last_error = $5, finished_at = $6 WHERE subscription_id = $1 AND event_id = $2";
        with_pool!(self, pool => sqlx::query(SQL)
            .bind(due.subscription_id)
            .bind(due.event_id)
            .bind(state)
            .bind(status.map(i64::from))
            .bind(error)
            .bind(now())
            .execute(pool)
            .await
            .map(drop))
    }

    /// The attempt failed; the next is due after `wait`.
    pub async fn retry_later(
        &self,
        due: &Due,
        wait: Duration,
        status: Option<u16>,
        error: &str,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "UPDATE hook_deliveries SET next_attempt_at = $3, last_status = $4, \
             last_error = $5 WHERE subscription_id = $1 AND event_id = $2";
        with_pool!(self, pool => sqlx::query(SQL)
            .bind(due.subscription_id)
            .bind(due.event_id)
            .bind(now() + wait)
            .bind(status.map(i64::from))
            .bind(error)
            .execute(pool)
            .await
            .map(drop))
    }

    /// The delivery was not attempted (its organisation's subscription is suspended): it is due
    /// again after `wait`, and the attempt it was claimed for does not count.
    pub async fn hold(&self, due: &Due, wait: Duration, why: &str) -> Result<(), sqlx::Error> {
        const SQL: &str = "UPDATE hook_deliveries SET next_attempt_at = $3, attempts = attempts - 1, \
             last_error = $4 WHERE subscription_id = $1 AND event_id = $2";
        with_pool!(self, pool => sqlx::query(SQL)
            .bind(due.subscription_id)
            .bind(due.event_id)
            .bind(now() + wait)
            .bind(why)
            .execute(pool)
            .await
            .map(drop))
    }

    /// The callback is gone (404 or 410): the subscription and its deliveries are removed.
    pub async fn drop_subscription(&self, id: i64) -> Result<(), sqlx::Error> {
        with_pool!(self, pool => sqlx::query("DELETE FROM hook_subscriptions WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await
            .map(drop))
    }

    /// Forgets events older than `before` that no delivery waits for any more.
    pub async fn prune_events(&self, before: OffsetDateTime) -> Result<u64, sqlx::Error> {
        const DELIVERIES: &str = "DELETE FROM hook_deliveries WHERE state <> 'pending' \
             AND event_id IN (SELECT id FROM hook_events WHERE created_at < $1)";
        const EVENTS: &str = "DELETE FROM hook_events WHERE created_at < $1 AND NOT EXISTS \
             (SELECT 1 FROM hook_deliveries d WHERE d.event_id = hook_events.id)";
        with_pool!(self, pool => {
            sqlx::query(DELIVERIES).bind(before).execute(pool).await?;
            sqlx::query(EVENTS)
                .bind(before)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })
    }
}
