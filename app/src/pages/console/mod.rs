//! The ISV console under `/admin/widgets` (and the pre-built flows' overview at `/admin/flows`): which widget appears where with what settings, per
//! tenant; history and restore; export and import. For `Flowhost.IsvAdmin` only.

mod csp;
mod deployments;
mod diagnostics;
mod editor;
mod history;
mod import;
mod licences;
mod list;
mod subscriptions;
mod test_widget;

pub use deployments::DeploymentsPage;
pub use diagnostics::DiagnosticsPage;
pub use editor::PlacementPage;
pub use history::HistoryPage;
pub use import::ImportPage;
pub use licences::{LicenceDetailPage, LicencesPage};
pub use list::WidgetConsolePage;
pub use subscriptions::SubscriptionsPage;

use i18n::{Lang, t};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn query(name: &'static str) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let q = use_query_map();
    move || q.read().get(name).filter(|v| !v.is_empty())
}

fn console_nav(lang: Lang) -> impl IntoView {
    view! {
        <nav class="crumbs" aria-label=t!(lang, "console-nav-label")>
            <a href="/admin/widgets">{t!(lang, "console-nav-widgets")}</a>" · "
            <a href="/admin/widgets/history">{t!(lang, "console-nav-history")}</a>" · "
            <a href="/admin/widgets/import">{t!(lang, "console-nav-import")}</a>" · "
            <a href="/admin/widgets/export" rel="external" download="flowhost-widgets.json">{t!(lang, "console-nav-export")}</a>" · "
            <a href="/admin/flows">{t!(lang, "console-nav-flows")}</a>" · "
            <a href="/admin/subscriptions">{t!(lang, "console-nav-subscriptions")}</a>" · "
            <a href="/admin/licences">{t!(lang, "console-nav-licences")}</a>" · "
            <a href="/admin/diagnostics">{t!(lang, "console-nav-diagnostics")}</a>
        </nav>
    }
}
