use super::{PowerAutomate, WidgetSlot};
use domain::placement::PageKind;
use leptos::prelude::*;
use leptos_meta::Title;

/// The user's own flows, all tabs.
#[component]
pub fn FlowsPage() -> impl IntoView {
    let power_automate = PowerAutomate::new(PageKind::Flows, || (None, None));
    view! {
        <Title text="My flows"/>
        <h1>"My flows"</h1>
        <p class="lead">"Every flow you have in Power Automate, wherever you made it."</p>
        <WidgetSlot of=power_automate at="top"/>
        <WidgetSlot of=power_automate at="main"/>
    }
}

/// Approvals sent to the user and sent by them.
#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let power_automate = PowerAutomate::new(PageKind::Approvals, || (None, None));
    view! {
        <Title text="Approvals"/>
        <h1>"Approvals"</h1>
        <p class="lead">"Approvals waiting for you, and the ones you asked for."</p>
        <WidgetSlot of=power_automate at="top"/>
        <WidgetSlot of=power_automate at="main"/>
    }
}
