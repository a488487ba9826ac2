//! The marketplace's operations Flowhost was told of, by their id: a webhook call delivered
//! again finds its operation known and changes nothing, and each is carried out from this
//! queue by one instance at a time, tried again with growing waits when it fails.

use super::tenants::now;
use super::{Db, with_pool};
use std::time::Duration;
use time::OffsetDateTime;

/// Attempts at one operation before it is kept as failed.
pub const OPERATION_ATTEMPTS: i64 = 6;

/// An operation claimed by this instance until `until`.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimedOperation {
    pub id: String,
    pub subscription_id: String,
    pub action: String,
    /// Attempts before this one.
    pub attempts: i64,
    pub until: OffsetDateTime,
}

impl Db {
    /// Queues the operation `id`; `false` when it was known already (a repeated delivery).
    pub async fn receive_operation(
        &self,
        id: &str,
        subscription_id: &str,
        action: &str,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "INSERT INTO marketplace_operations (id, subscription_id, action, state, received_at) \
             VALUES ($1, $2, $3, 'waiting', $4) ON CONFLICT (id) DO NOTHING";
        let added = with_pool!(self, pool => sqlx::query(SQL)
            .bind(id).bind(subscription_id).bind(action).bind(now())
            .execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(added == 1)
    }

    /// Claims one waiting operation, or one whose claim (or wait before its next attempt)
    /// is over, for `lease`.
    pub async fn claim_operation(
        &self,
        lease: Duration,
    ) -> Result<Option<ClaimedOperation>, sqlx::Error> {
        const NEXT: &str = "SELECT id, subscription_id, action, attempts FROM marketplace_operations \
             WHERE state = 'waiting' OR (state = 'working' AND claimed_until < $1) \
             ORDER BY received_at, id LIMIT 1";
        const CLAIM: &str = "UPDATE marketplace_operations SET state = 'working', claimed_until = $3 \
             WHERE id = $1 AND (state = 'waiting' OR (state = 'working' AND claimed_until < $2))";
        let now = now();
        let until = now + lease;
        with_pool!(self, pool => {
            for _ in 0..8 {
                let next: Option<(String, String, String, i64)> =
                    sqlx::query_as(NEXT).bind(now).fetch_optional(pool).await?;
                let Some((id, subscription_id, action, attempts)) = next else {
                    return Ok(None);
                };
                let claimed = sqlx::query(CLAIM).bind(&id).bind(now).bind(until)
                    .execute(pool).await?.rows_affected();
                if claimed == 1 {
                    return Ok(Some(ClaimedOperation { id, subscription_id, action, attempts, until }));
                }
            }
            Ok(None)
        })
    }

    /// Records that `claimed` was carried out (`Ok`), or failed (`Err(wait)`): then it is tried
    /// again after `wait`, unless it has had all its attempts. Only while the claim holds.
    pub async fn finish_operation(
        &self,
        claimed: &ClaimedOperation,
        outcome: Result<(), Duration>,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE marketplace_operations SET state = $2, attempts = attempts + 1, \
             claimed_until = $3, finished_at = $4 \
             WHERE id = $1 AND state = 'working' AND claimed_until = $5";
        let at = now();
        let (state, until, finished) = match outcome {
            Ok(()) => ("done", None, Some(at)),
            Err(_) if claimed.attempts + 1 >= OPERATION_ATTEMPTS => ("failed", None, Some(at)),
            Err(wait) => ("working", Some(at + wait), None),
        };
        let done = with_pool!(self, pool => sqlx::query(SQL)
            .bind(&claimed.id).bind(state).bind(until).bind(finished).bind(claimed.until)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    /// Where the operation `id` stands: `waiting`, `working`, `done` or `failed`.
    pub async fn operation_state(&self, id: &str) -> Result<Option<String>, sqlx::Error> {
        const SQL: &str = "SELECT state FROM marketplace_operations WHERE id = $1";
        with_pool!(self, pool => sqlx::query_scalar(SQL).bind(id).fetch_optional(pool).await)
    }
}
