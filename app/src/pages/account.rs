use super::{FlowActivity, PowerAutomate, WidgetSlot};
use super::{id_param, loaded};
use crate::api::get_account;
use domain::placement::PageKind;
use i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = crate::lang::use_lang();
    let id = id_param("id");
    let detail = Resource::new(id, |id| async move { get_account(id?).await });
    let power_automate = PowerAutomate::new(PageKind::Account, untrack(|| (id().ok(), None)));

    loaded(detail, move |detail| {
        let account = detail.account;
        let base = format!("/accounts/{}", account.id);
        view! {
            <Title text=account.name.clone()/>
            <nav class="crumbs" aria-label=t!(lang, "page-breadcrumb")><a href="/accounts">{t!(lang, "accounts-title")}</a></nav>
            <div class="page-head">
                <h1>{account.name.clone()}</h1>
                <a class="button" href=format!("{base}/tickets/new")>{t!(lang, "account-new-ticket")}</a>
            </div>
            <WidgetSlot of=power_automate at="top"/>
            <dl class="facts">
                <div><dt>{t!(lang, "field-website")}</dt><dd>{account.domain}</dd></div>
                <div><dt>{t!(lang, "field-tier")}</dt><dd>{account.tier.label().show(lang)}</dd></div>
                <div><dt>{t!(lang, "field-owner")}</dt><dd>{account.owner}</dd></div>
                <div><dt>{t!(lang, "field-open-tickets")}</dt><dd data-testid="open-tickets">{account.open_tickets}</dd></div>
            </dl>
            <h2>{t!(lang, "account-tickets")}</h2>
            {if detail.tickets.is_empty() {
                view! { <p class="empty">{t!(lang, "account-no-tickets")}</p> }.into_any()
            } else {
                view! {
                    <table class="records" data-testid="tickets">
                        <thead><tr>
                            <th>"#"</th>
                            <th>{t!(lang, "field-title")}</th>
                            <th>{t!(lang, "field-status")}</th>
                            <th>{t!(lang, "field-priority")}</th>
                            <th>{t!(lang, "field-requester")}</th>
                            <th>{t!(lang, "field-updated")}</th>
                        </tr></thead>
                        <tbody>
                            {detail.tickets.into_iter().map(|t| view! {
                                <tr>
                                    <td class="num">{t.id.0}</td>
                                    <td><a href=format!("{base}/tickets/{}", t.id)>{t.title}</a></td>
                                    <td><span class=format!("badge status-{}", t.status.as_str())>{t.status.label().show(lang)}</span></td>
                                    <td><span class=format!("badge priority-{}", t.priority.as_str())>{t.priority.label().show(lang)}</span></td>
                                    <td>{t.requester}</td>
                                    <td>{i18n::date_time(lang, t.updated_at)}</td>
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
