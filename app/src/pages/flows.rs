use super::PowerAutomate;
use domain::placement::PageKind;
use leptos::prelude::*;
use leptos_meta::Title;

/// The user's own flows, all tabs.
#[component]
pub fn FlowsPage() -> impl IntoView {
    view! {
        <Title text="My flows"/>
        <h1>"My flows"</h1>
        <p class="lead">"Every flow you have in Power Automate, wherever you made it."</p>
        <PowerAutomate page=PageKind::Flows account=None ticket=None/>
    }
}

/// Approvals sent to the user and sent by them.
#[component]
pub fn ApprovalsPage() -> impl IntoView {
    view! {
        <Title text="Approvals"/>
        <h1>"Approvals"</h1>
        <p class="lead">"Approvals waiting for you, and the ones you asked for."</p>
        <PowerAutomate page=PageKind::Approvals account=None ticket=None/>
    }
}
