//! How much one request may take: time, body size, and a share of the requests served at once.

use super::{ConfigError, error};
use std::ops::RangeInclusive;
use std::time::Duration;

/// What a client may hold. The timeouts and the concurrency cap are settings; the body sizes
/// are not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// How long a client may take to send a request's headers, counted from when the server
    /// starts reading them; a connection idle between requests is closed after it too.
    pub header_read_timeout: Duration,
    /// How long a request may take until its answer starts, reading its body included.
    pub request_timeout: Duration,
    /// Requests served at once; one more is refused with 503 instead of waiting.
    pub max_concurrent_requests: usize,
    /// The largest body of a form post or a server function call.
    pub form_body: usize,
    /// The largest body of the console's import (`POST /admin/widgets/import`).
    pub import_body: usize,
    /// REST API calls one user may make a minute (all at once, or spread out).
    pub api_requests_per_minute: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_concurrent_requests: 512,
            form_body: 64 * 1024,
            import_body: 1024 * 1024,
            api_requests_per_minute: 600,
        }
    }
}

/// The limits from `HEADER_READ_TIMEOUT_SECONDS`, `REQUEST_TIMEOUT_SECONDS`,
/// `MAX_CONCURRENT_REQUESTS` and `API_REQUESTS_PER_MINUTE`.
pub(super) fn limits(value: &impl Fn(&str) -> Option<String>) -> Result<Limits, ConfigError> {
    let defaults = Limits::default();
    let seconds = |name: &str, range: RangeInclusive<u64>, default: Duration| {
        number(value, name, "seconds", range, default.as_secs()).map(Duration::from_secs)
    };
    Ok(Limits {
        header_read_timeout: seconds(
            "HEADER_READ_TIMEOUT_SECONDS",
            1..=300,
            defaults.header_read_timeout,
        )?,
        request_timeout: seconds("REQUEST_TIMEOUT_SECONDS", 1..=600, defaults.request_timeout)?,
        max_concurrent_requests: number(
            value,
            "MAX_CONCURRENT_REQUESTS",
            "requests",
            1..=100_000,
            defaults.max_concurrent_requests as u64,
        )? as usize,
        api_requests_per_minute: number(
            value,
            "API_REQUESTS_PER_MINUTE",
            "requests",
            1..=1_000_000,
            u64::from(defaults.api_requests_per_minute),
        )? as u32,
        ..defaults
    })
}

fn number(
    value: &impl Fn(&str) -> Option<String>,
    name: &str,
    unit: &str,
    range: RangeInclusive<u64>,
    default: u64,
) -> Result<u64, ConfigError> {
    let Some(raw) = value(name) else {
        return Ok(default);
    };
    raw.parse::<u64>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            error(
                name,
                format!(
                    "{raw:?} is not a number of {unit} from {} to {}",
                    range.start(),
                    range.end()
                ),
            )
        })
}
