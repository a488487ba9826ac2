//! Who is calling: the bearer token check, and the environment the caller named.

use axum::http::{HeaderMap, header};

use super::error::ApiError;
use crate::flow::FlowService;
use crate::flow::catalog::default_environment;
use crate::flow::token::{self, Caller};

/// The caller, after the token check (and the fault that makes one token expire early).
pub(super) fn caller(flow: &FlowService, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let checked = token::check(flow, authorization);
    let mut st = flow.lock();
    st.stats.tokens_checked += 1;
    let checked = checked.and_then(|caller| {
        if st.faults.reject_tokens {
            Err(ApiError::unauthorized(
                "InvalidAuthenticationToken",
                "The access token is invalid: it has been revoked.",
            ))
        } else if std::mem::take(&mut st.expire_next_token) {
            Err(ApiError::unauthorized(
                "ExpiredAuthenticationToken",
                "The access token has expired. Get a new token and try again.",
            ))
        } else {
            Ok(caller)
        }
    });
    if checked.is_err() {
        st.stats.tokens_refused += 1;
    }
    checked
}

/// The caller and the environment they named (`~default` is their default), which must be one
/// of their tenant's.
pub(super) fn in_environment(
    flow: &FlowService,
    headers: &HeaderMap,
    env: &str,
) -> Result<(Caller, String), ApiError> {
    let caller = caller(flow, headers)?;
    let name = environment(flow, &caller, env)?;
    Ok((caller, name))
}

/// The name of the environment `env` (`~default` is the caller's default), which must be one of
/// the caller's tenant's: `403 EnvironmentAccessDenied` otherwise, also when there is no such
/// environment.
pub(super) fn environment(
    flow: &FlowService,
    caller: &Caller,
    env: &str,
) -> Result<String, ApiError> {
    let name = if env.eq_ignore_ascii_case("~default") {
        default_environment(&caller.tenant)
    } else {
        env.to_owned()
    };
    flow.catalog
        .environments(&caller.tenant, &caller.tenant_name)
        .into_iter()
        .find(|e| e.name.eq_ignore_ascii_case(&name))
        .map(|known| known.name)
        .ok_or_else(|| {
            ApiError::forbidden(
                "EnvironmentAccessDenied",
                &format!("Access to the environment '{env}' is denied."),
            )
        })
}
