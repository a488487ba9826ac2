//! Pieces shared by the pages.

mod error_page;
mod field;
mod layout;
mod pager;

#[cfg(feature = "ssr")]
pub use error_page::error_document;
pub use error_page::{ErrorAction, ErrorPage, ErrorPanel};
pub use field::{FieldError, FirstInvalid, Notice, TextArea, described_by};
pub use layout::Layout;
pub use pager::Pager;
