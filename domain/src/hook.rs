//! Webhook triggers: what a subscription listens for, and how a delivery that failed is tried
//! again.

use std::time::Duration;

word_enum!(HookEvent, "field-hook-event", {
    TicketCreated => "ticket_created", "hook-event-ticket-created",
    TicketStatusChanged => "ticket_status_changed", "hook-event-ticket-status-changed",
    CommentAdded => "comment_added", "hook-event-comment-added",
});

/// How many subscriptions one user may hold in an organisation.
pub const SUBSCRIPTIONS_PER_USER: i64 = 50;

/// The first wait after a failed delivery; each next one doubles, up to 180 times this.
pub const RETRY_BASE: Duration = Duration::from_secs(5);

/// How long a delivery waits after its `attempt`-th failure (1-based): `base`, doubling, at
/// most 180 × `base`; `None` after the last one. With [`RETRY_BASE`] that is 5 s to 15 minutes,
/// and the waits add up to more than an hour.
pub fn retry_after(attempt: i64, base: Duration) -> Option<Duration> {
    const LAST_ATTEMPT: i64 = 12;
    if attempt >= LAST_ATTEMPT {
        return None;
    }
    let doubling = 1u32 << attempt.clamp(1, 20).saturating_sub(1);
    Some(base.saturating_mul(doubling).min(base.saturating_mul(180)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_for_more_than_an_hour_then_stop() {
        let wait = |attempt| retry_after(attempt, RETRY_BASE);
        assert_eq!(wait(1), Some(Duration::from_secs(5)));
        assert_eq!(wait(2), Some(Duration::from_secs(10)));
        assert_eq!(wait(9), Some(Duration::from_secs(900)));
        let total: Duration = (1..12).filter_map(wait).sum();
        assert!(total > Duration::from_secs(3600), "{total:?}");
        assert_eq!(wait(12), None);
    }
}

/// A subscription as the organisation's administrator sees it.
#[cfg(feature = "db")]
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct Subscription {
    pub id: i64,
    pub owner_object_id: String,
    pub owner_name: String,
    #[sqlx(try_from = "String")]
    pub event: HookEvent,
    pub account_id: Option<i64>,
    pub callback_url: String,
    pub created_at: time::OffsetDateTime,
    /// Deliveries waiting, and those given up on.
    pub pending: i64,
    pub failed: i64,
}

/// One delivery of an event to a subscription, for the administrator's list.
#[cfg(feature = "db")]
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct DeliveryRecord {
    pub subscription_id: i64,
    pub event_id: i64,
    #[sqlx(try_from = "String")]
    pub event: HookEvent,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: time::OffsetDateTime,
    pub finished_at: Option<time::OffsetDateTime>,
}

/// A delivery claimed for sending.
#[cfg(feature = "db")]
#[derive(Clone, Debug, PartialEq)]
pub struct Due {
    pub subscription_id: i64,
    /// The organisation whose event it is.
    pub tenant_id: String,
    pub event_id: i64,
    pub event: String,
    pub callback_url: String,
    /// The event's JSON object, without its id.
    pub payload: String,
    /// This attempt's number, from 1.
    pub attempt: i64,
}
