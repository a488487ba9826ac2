use i18n::t;
use leptos::prelude::*;

/// Previous/next links for a paged list; `href` builds the link of a page number.
#[component]
pub fn Pager(page: u32, page_count: u32, href: impl Fn(u32) -> String + 'static) -> impl IntoView {
    let lang = crate::lang::use_lang();
    let previous = (page > 1).then(|| href(page - 1));
    let next = (page < page_count).then(|| href(page + 1));
    view! {
        <nav class="pager" aria-label=t!(lang, "pager-label")>
            {previous.map(|h| view! { <a rel="prev" href=h>{t!(lang, "pager-previous")}</a> })}
            <span>{t!(lang, "pager-status", page = i64::from(page), count = i64::from(page_count))}</span>
            {next.map(|h| view! { <a rel="next" href=h>{t!(lang, "pager-next")}</a> })}
        </nav>
    }
}
