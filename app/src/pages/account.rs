use super::{FlowActivity, PowerAutomate, WidgetSlot};
use super::{id_param, loaded};
use crate::api::get_account;
use crate::components::when;
use domain::placement::PageKind;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let id = id_param("id");
    let detail = Resource::new(id, |id| async move { get_account(id?).await });
    let power_automate = PowerAutomate::new(PageKind::Account, move || (id().ok(), None));

    loaded(detail, move |detail| {
        let account = detail.account;
        let base = format!("/accounts/{}", account.id);
        view! {
            <Title text=account.name.clone()/>
            <nav class="crumbs" aria-label="Breadcrumb"><a href="/accounts">"Accounts"</a></nav>
            <div class="page-head">
                <h1>{account.name.clone()}</h1>
                <a class="button" href=format!("{base}/tickets/new")>"New ticket"</a>
            </div>
            <WidgetSlot of=power_automate at="top"/>
            <dl class="facts">
                <div><dt>"Website"</dt><dd>{account.domain}</dd></div>
                <div><dt>"Tier"</dt><dd>{account.tier.label()}</dd></div>
                <div><dt>"Owner"</dt><dd>{account.owner}</dd></div>
                <div><dt>"Open tickets"</dt><dd data-testid="open-tickets">{account.open_tickets}</dd></div>
            </dl>
            <h2>"Tickets"</h2>
            {if detail.tickets.is_empty() {
                view! { <p class="empty">"No tickets yet."</p> }.into_any()
            } else {
                view! {
                    <table class="records" data-testid="tickets">
                        <thead><tr>
                            <th>"#"</th><th>"Title"</th><th>"Status"</th><th>"Priority"</th><th>"Requester"</th><th>"Updated"</th>
                        </tr></thead>
                        <tbody>
                            {detail.tickets.into_iter().map(|t| view! {
                                <tr>
                                    <td class="num">{t.id.0}</td>
                                    <td><a href=format!("{base}/tickets/{}", t.id)>{t.title}</a></td>
                                    <td><span class=format!("badge status-{}", t.status.as_str())>{t.status.label()}</span></td>
                                    <td><span class=format!("badge priority-{}", t.priority.as_str())>{t.priority.label()}</span></td>
                                    <td>{t.requester}</td>
                                    <td>{when(t.updated_at)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <WidgetSlot of=power_automate at="main"/>
            <FlowActivity of=power_automate/>
        }
    })
}
