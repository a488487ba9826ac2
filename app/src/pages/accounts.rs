use super::loaded;
use crate::api::list_accounts;
use crate::components::Pager;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccountsPage() -> impl IntoView {
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
        <Title text="Accounts"/>
        <div class="page-head">
            <h1>"Accounts"</h1>
            <form class="search" method="get" action="/accounts" role="search">
                <label for="q" class="visually-hidden">"Search accounts by name"</label>
                <input id="q" type="search" name="q" placeholder="Search by name" prop:value=search/>
                <button type="submit">"Search"</button>
            </form>
        </div>
        {loaded(accounts, move |page| {
            let search = search();
            if page.items.is_empty() {
                let message = if search.is_empty() {
                    "No accounts yet.".to_owned()
                } else {
                    format!("No accounts match “{search}”.")
                };
                return view! { <p class="empty">{message}</p> }.into_any();
            }
            let summary = format!("{} account{}", page.total, if page.total == 1 { "" } else { "s" });
            let (current, count) = (page.request.page, page.page_count());
            let q = domain::encode::uri_component(&search);
            view! {
                <p class="summary">{summary}</p>
                <table class="records" data-testid="accounts">
                    <thead><tr>
                        <th>"Name"</th><th>"Website"</th><th>"Tier"</th><th>"Owner"</th><th class="num">"Open tickets"</th>
                    </tr></thead>
                    <tbody>
                        {page.items.into_iter().map(|a| view! {
                            <tr>
                                <td><a href=format!("/accounts/{}", a.id)>{a.name}</a></td>
                                <td>{a.domain}</td>
                                <td><span class=format!("tier tier-{}", a.tier.as_str())>{a.tier.label()}</span></td>
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
