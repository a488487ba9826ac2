use leptos::prelude::*;

/// Previous/next links for a paged list; `href` builds the link of a page number.
#[component]
pub fn Pager(page: u32, page_count: u32, href: impl Fn(u32) -> String + 'static) -> impl IntoView {
    let previous = (page > 1).then(|| href(page - 1));
    let next = (page < page_count).then(|| href(page + 1));
    view! {
        <nav class="pager" aria-label="Pages">
            {previous.map(|h| view! { <a rel="prev" href=h>"← Previous"</a> })}
            <span>{format!("Page {page} of {page_count}")}</span>
            {next.map(|h| view! { <a rel="next" href=h>"Next →"</a> })}
        </nav>
    }
}
