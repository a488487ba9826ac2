//! Flowhost's user interface: the routes, their pages and the server functions behind them.
//! Rendered on the server; only the interactive parts (islands: the Power Automate widgets, a
//! record's activity, the title counter, the console's test widget) are hydrated in the
//! browser, and links load whole pages. Every form also works without JavaScript.

// Release builds keep every view's full type, which nests deeper than the default allows.
#![recursion_limit = "256"]

pub mod activity;
pub mod api;
pub mod components;
pub mod console;
pub mod csp;
pub mod deployments;
pub mod diagnostics;
pub mod errors;
pub mod forms;
pub mod lang;
pub mod licences;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod records;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod subscription;
pub mod tenant_flows;
pub mod tenant_hooks;
pub mod widgets;

use leptos::prelude::*;
use leptos_meta::{Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document around the app, rendered on the server in the request's language.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = ssr::lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
                <leptos_meta::MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    lang::provide_lang();
    use pages::*;
    view! {
        <Stylesheet id="leptos" href="/pkg/flowhost.css"/>
        <Title formatter=|text: String| if text.is_empty() { "Flowhost".to_owned() } else { format!("{text} · Flowhost") }/>
        <Router>
            <components::Layout>
                // Pages wait for their data before the first byte, so a missing record is a real 404.
                <Routes fallback=|| view! { <components::ErrorPage error=errors::AppError::NotFound/> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/accounts") view=AccountsPage ssr=SsrMode::Async/>
                    <Route path=path!("/accounts/:id") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/accounts/:id/tickets/new") view=NewTicketPage ssr=SsrMode::Async/>
                    <Route path=path!("/accounts/:id/tickets/:ticket") view=TicketPage ssr=SsrMode::Async/>
                    <Route path=path!("/flows") view=FlowsPage ssr=SsrMode::Async/>
                    <Route path=path!("/approvals") view=ApprovalsPage ssr=SsrMode::Async/>
                    <Route path=path!("/settings") view=SettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/settings/flows") view=TenantFlowsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/widgets") view=WidgetConsolePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/widgets/new") view=PlacementPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/widgets/history") view=HistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/widgets/import") view=ImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/widgets/:key") view=PlacementPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/diagnostics") view=DiagnosticsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/flows") view=DeploymentsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/subscriptions") view=SubscriptionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/licences") view=LicencesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/licences/:tenant") view=LicenceDetailPage ssr=SsrMode::Async/>
                </Routes>
            </components::Layout>
        </Router>
    }
}
