use super::{PowerAutomate, WidgetSlot};
use domain::placement::PageKind;
use i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;

/// The user's own flows, all tabs.
#[component]
pub fn FlowsPage() -> impl IntoView {
    let lang = crate::lang::use_lang();
    let power_automate = PowerAutomate::new(PageKind::Flows, (None, None));
    view! {
        <Title text=t!(lang, "flows-title")/>
        <h1>{t!(lang, "flows-title")}</h1>
        <p class="lead">{t!(lang, "flows-lead")}</p>
        <WidgetSlot of=power_automate at="top"/>
        <WidgetSlot of=power_automate at="main"/>
    }
}

/// Approvals sent to the user and sent by them.
#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let lang = crate::lang::use_lang();
    let power_automate = PowerAutomate::new(PageKind::Approvals, (None, None));
    view! {
        <Title text=t!(lang, "approvals-title")/>
        <h1>{t!(lang, "approvals-title")}</h1>
        <p class="lead">{t!(lang, "approvals-lead")}</p>
        <WidgetSlot of=power_automate at="top"/>
        <WidgetSlot of=power_automate at="main"/>
    }
}
