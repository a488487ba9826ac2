use super::loaded;
use crate::api::list_accounts;
use crate::components::Pager;
use i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccountsPage() -> impl IntoView {
    let lang = crate::lang::use_lang();
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default().trim().to_owned();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
    };
    let accounts = Resource::new(move || (search(), page()), |(s, p)| list_accounts(s, p));

    view! {
        <Title text=t!(lang, "accounts-title")/>
        <div class="page-head">
            <h1>{t!(lang, "accounts-title")}</h1>
            <form class="search" method="get" action="/accounts" role="search">
                <label for="q" class="visually-hidden">{t!(lang, "accounts-search-label")}</label>
                <input id="q" type="search" name="q" placeholder=t!(lang, "accounts-search-placeholder") value=search()/>
                <button type="submit">{t!(lang, "accounts-search")}</button>
            </form>
        </div>
        {loaded(accounts, move |page| {
            let search = search();
            if page.items.is_empty() {
                let message = if search.is_empty() {
                    t!(lang, "accounts-none")
                } else {
                    t!(lang, "accounts-none-match", search = search.as_str())
                };
                return view! { <p class="empty">{message}</p> }.into_any();
            }
            let summary = t!(lang, "accounts-count", count = page.total);
            let (current, count) = (page.request.page, page.page_count());
            let q = domain::encode::uri_component(&search);
            view! {
                <p class="summary">{summary}</p>
                <table class="records" data-testid="accounts">
                    <thead><tr>
                        <th>{t!(lang, "field-name")}</th>
                        <th>{t!(lang, "field-website")}</th>
                        <th>{t!(lang, "field-tier")}</th>
                        <th>{t!(lang, "field-owner")}</th>
                        <th class="num">{t!(lang, "field-open-tickets")}</th>
                    </tr></thead>
                    <tbody>
                        {page.items.into_iter().map(|a| view! {
                            <tr>
                                <td><a href=format!("/accounts/{}", a.id)>{a.name}</a></td>
                                <td>{a.domain}</td>
                                <td><span class=format!("tier tier-{}", a.tier.as_str())>{a.tier.label().show(lang)}</span></td>
                                <td>{a.owner}</td>
                                <td class="num">{a.open_tickets}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <Pager page=current page_count=count href=move |p| format!("/accounts?q={q}&page={p}")/>
            }.into_any()
        })}
    }
}
