//! Who calls: the bearer token in `Authorization`, checked once per request and handed to the
//! handler as a [`Caller`], and each user's share of the API under the per-minute limit.
//! Sessions and cookies play no part: a request with a session cookie and no token is refused
//! like any other without a token.

use super::ApiState;
use super::error::ApiError;
use crate::auth::{ApiCaller, ApiRefusal};
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use domain::TenantId;
use domain::db::TenantScope;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// Calls per user: (tenant, object id).
pub type Calls = Arc<DefaultKeyedRateLimiter<(TenantId, String)>>;

/// How often users who made no call for a while are forgotten.
const FORGET_EVERY: Duration = Duration::from_secs(60);

/// `per_minute` calls for each user, all at once or spread over the minute.
pub fn calls(per_minute: u32) -> Calls {
    let quota = Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN));
    let calls = Arc::new(RateLimiter::keyed(quota));
    let kept = Arc::downgrade(&calls);
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(FORGET_EVERY);
        interval.tick().await;
        loop {
            interval.tick().await;
            let Some(calls) = kept.upgrade() else {
                break;
            };
            calls.retain_recent();
            calls.shrink_to_fit();
        }
    });
    calls
}

/// The user a request's valid bearer token was issued to, admitted and within their limit.
pub struct Caller(pub ApiCaller);

impl Caller {
    /// Refuses with 403 unless the token grants `scope`.
    pub fn require(&self, scope: &'static str) -> Result<(), ApiError> {
        if self.0.may(scope) {
            Ok(())
        } else {
            Err(ApiError::InsufficientScope(scope))
        }
    }

    /// The caller's organisation's records.
    pub fn scope<'a>(&'a self, state: &'a ApiState) -> TenantScope<'a> {
        state.db.scope(&self.0.tenant)
    }
}

impl FromRequestParts<ApiState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, ApiError> {
        let raw = bearer(parts)?;
        let caller =
            state
                .auth
                .api_caller(&state.db, raw)
                .await
                .map_err(|refusal| match refusal {
                    ApiRefusal::Invalid(why) => ApiError::InvalidToken(why),
                    ApiRefusal::NotAdmitted => ApiError::NotAdmitted,
                    ApiRefusal::Suspended => ApiError::Suspended,
                    ApiRefusal::NotInPlan => ApiError::NotInPlan,
                    ApiRefusal::Unavailable(why) => ApiError::Unavailable(why),
                })?;
        let key = (caller.tenant.clone(), caller.object_id.clone());
        if let Err(not_until) = state.calls.check_key(&key) {
            return Err(ApiError::TooMany(
                not_until.wait_time_from(DefaultClock::default().now()),
            ));
        }
        Ok(Caller(caller))
    }
}

/// The token of `Authorization: Bearer …` (the scheme in any case).
fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::NoToken);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::InvalidToken("the Authorization header is not text".into()))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim())
        }
        _ => Err(ApiError::InvalidToken(
            "the Authorization header is not a bearer token".into(),
        )),
    }
}
