//! Pieces shared by the pages.

mod error_page;
mod field;
mod layout;
mod pager;
#[cfg(feature = "ssr")]
mod purchase_page;

#[cfg(feature = "ssr")]
pub use error_page::error_document;
pub use error_page::{ErrorAction, ErrorPage, ErrorPanel};
pub use field::{FieldError, FirstInvalid, Notice, TextArea, described_by};
pub use layout::Layout;
pub use pager::Pager;
#[cfg(feature = "ssr")]
pub use purchase_page::{PurchaseForm, PurchaseView, purchase_document};

use leptos::prelude::*;

/// The page's path and query as the server renders it: where a sign-in, a reconnect to Power
/// Automate or the language switch comes back to. Islands get it as a prop.
pub fn here() -> String {
    let location = leptos_router::hooks::use_location();
    let (path, query) = (
        location.pathname.get_untracked(),
        location.search.get_untracked(),
    );
    match query.trim_start_matches('?') {
        "" => path,
        query => format!("{path}?{query}"),
    }
}
