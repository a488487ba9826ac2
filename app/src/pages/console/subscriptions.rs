//! The marketplace subscriptions in the ISV console (`/admin/subscriptions`): each
//! organisation's plan, seats, status, free trial, term and, once it ended, when its data is
//! deleted; and what happened to each, from the purchase on.

use super::super::loaded;
use super::console_nav;
use crate::subscription::{SubscriptionRow, get_subscriptions, status_name};
use i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SubscriptionsPage() -> impl IntoView {
    let lang = crate::lang::use_lang();
    let rows = Resource::new(|| (), |_| get_subscriptions());
    loaded(rows, move |rows: Vec<SubscriptionRow>| {
        let empty = rows.is_empty();
        let date = move |at: Option<time::OffsetDateTime>| {
            at.map(|at| i18n::date_time(lang, at)).unwrap_or_default()
        };
        view! {
            <Title text=t!(lang, "console-subscriptions-title")/>
            {console_nav(lang)}
            <h1>{t!(lang, "console-subscriptions-heading")}</h1>
            {empty.then(|| view! { <p>{t!(lang, "console-subscriptions-none")}</p> })}
            <table class="records" data-testid="subscriptions">
                <thead><tr>
                    <th scope="col">{t!(lang, "market-organisation")}</th>
                    <th scope="col">{t!(lang, "market-plan")}</th>
                    <th scope="col">{t!(lang, "market-seats")}</th>
                    <th scope="col">{t!(lang, "market-status")}</th>
                    <th scope="col">{t!(lang, "console-subscriptions-trial")}</th>
                    <th scope="col">{t!(lang, "console-subscriptions-term")}</th>
                    <th scope="col">{t!(lang, "console-subscriptions-deletion")}</th>
                </tr></thead>
                <tbody>
                    {rows.iter().map(|r| {
                        let s = &r.subscription;
                        let seats = s.quantity.map(|q| q.to_string()).unwrap_or_else(|| t!(lang, "market-seats-unlimited"));
                        let trial = if s.free_trial { t!(lang, "market-yes") } else { t!(lang, "market-no") };
                        let term = match (s.term_start, s.term_end) {
                            (Some(_), Some(_)) => t!(lang, "console-subscriptions-term-span", start = date(s.term_start), end = date(s.term_end)),
                            _ => String::new(),
                        };
                        let deletion = match (s.deleted_at, s.delete_after) {
                            (Some(at), _) => t!(lang, "console-subscriptions-deleted", date = date(Some(at))),
                            (None, Some(at)) => t!(lang, "console-subscriptions-deleted-after", date = date(Some(at))),
                            _ => String::new(),
                        };
                        view! {
                            <tr data-subscription=s.id.clone()>
                                <td>{s.tenant_name.clone()}</td>
                                <td>{r.plan_name.clone()}</td>
                                <td>{seats}</td>
                                <td>{status_name(lang, s.status)}</td>
                                <td>{trial}</td>
                                <td>{term}</td>
                                <td data-testid="deletion">{deletion}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {rows.into_iter().map(|r| {
                let heading = t!(lang, "console-subscriptions-history", organisation = r.subscription.tenant_name.as_str());
                view! {
                    <section class="subscription-history">
                        <h2>{heading}</h2>
                        <ol data-testid="subscription-history">
                            {r.events.into_iter().map(|e| view! {
                                <li>{i18n::date_time(lang, e.at)}" · "<strong>{e.action}</strong>" ("{e.source}"): "{e.detail}</li>
                            }).collect_view()}
                        </ol>
                    </section>
                }
            }).collect_view()}
        }
    })
}
