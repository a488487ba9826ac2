//! The query the list endpoints share: a tab and an OData `filter`.

use odata_filter::Filter;
use serde::Deserialize;

use super::error::ApiError;

#[derive(Deserialize)]
pub(super) struct ListQuery {
    pub tab: Option<String>,
    pub filter: Option<String>,
}

/// The filter, if one was given; a `400 InvalidFilter` if it does not parse.
pub(super) fn parse_filter(text: Option<&str>) -> Result<Option<Filter>, ApiError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => Filter::parse(text).map(Some).map_err(|e| {
            ApiError::bad_request(
                "InvalidFilter",
                &format!("The filter '{text}' is not valid: {e}."),
            )
        }),
    }
}
