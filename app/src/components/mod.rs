//! Pieces shared by the pages.

mod error_page;
mod field;
mod layout;
mod pager;

#[cfg(feature = "ssr")]
pub use error_page::error_document;
pub use error_page::{ErrorAction, ErrorPage, ErrorPanel};
pub use field::{FieldError, Notice, TextArea};
pub use layout::Layout;
pub use pager::Pager;

use time::OffsetDateTime;
use time::macros::format_description;

/// A timestamp as pages show it (UTC, to the minute).
pub fn when(at: OffsetDateTime) -> String {
    at.format(format_description!(
        "[year]-[month]-[day] [hour]:[minute] UTC"
    ))
    .unwrap_or_default()
}
