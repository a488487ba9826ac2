//! One module per page. Each page loads its data through a server function and shows the
//! designed error page when that fails.

mod account;
mod accounts;
mod console;
mod flows;
mod home;
mod licences;
mod new_ticket;
mod power_automate;
mod prebuilt;
mod settings;
mod staff_previews;
mod tenant_flows;
mod tenant_hooks;
mod ticket;

pub use account::AccountPage;
pub use accounts::AccountsPage;
pub use console::{
    DeploymentsPage, DiagnosticsPage, HistoryPage, ImportPage, LicenceDetailPage, LicencesPage,
    PlacementPage, SubscriptionsPage, WidgetConsolePage,
};
pub use flows::{ApprovalsPage, FlowsPage};
pub use home::HomePage;
pub use new_ticket::NewTicketPage;
pub use settings::SettingsPage;
pub use tenant_flows::TenantFlowsPage;
pub use ticket::TicketPage;

use power_automate::{FlowActivity, PowerAutomate, WidgetSlot};

use crate::components::ErrorPage;
use crate::errors::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Serialize, de::DeserializeOwned};

/// Shows `render(data)` once `resource` has loaded, or the error page.
fn loaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    let lang = crate::lang::use_lang();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{i18n::t!(lang, "page-loading")}</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(data) => render(data).into_any(),
                        Err(error) => view! { <ErrorPage error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// A numeric route parameter; anything else makes the page a 404.
fn id_param(
    name: &'static str,
) -> impl Fn() -> Result<i64, AppError> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .read()
            .get(name)
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|v| *v > 0)
            .ok_or(AppError::NotFound)
    }
}
