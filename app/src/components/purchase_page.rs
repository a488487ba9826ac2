//! The marketplace's landing page, drawn by the server outside the app: what was bought, as a
//! list of facts, and the form that confirms it (or the ways on once it is fulfilled). No
//! scripts; the words are already in the page's language.

use leptos::prelude::*;

/// The confirmation form: posted back to the landing page with the purchase's token.
pub struct PurchaseForm {
    pub token: String,
    pub csrf_token: String,
    pub button: String,
}

/// What the landing page shows.
pub struct PurchaseView {
    pub title: String,
    pub lead: String,
    /// Each fact as label and value, under the heading "What was bought".
    pub facts: Vec<(String, String)>,
    pub form: Option<PurchaseForm>,
    /// Ways on, as links; the first drawn as the main one when there is no form.
    pub actions: Vec<(String, String)>,
}

/// The whole HTML document.
pub fn purchase_document(lang: i18n::Lang, page: PurchaseView) -> String {
    let PurchaseView {
        title,
        lead,
        facts,
        form,
        actions,
    } = page;
    let has_form = form.is_some();
    let facts = facts
        .into_iter()
        .map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> })
        .collect_view();
    let form = form.map(|f| {
        view! {
            <form method="post" action="/marketplace/landing" class="purchase-confirm">
                <input type="hidden" name="token" value=f.token/>
                <input type="hidden" name="csrf_token" value=f.csrf_token/>
                <button type="submit" class="button">{f.button}</button>
            </form>
        }
    });
    let actions = actions
        .into_iter()
        .enumerate()
        .map(|(i, (label, href))| {
            let class = if i == 0 && !has_form {
                "button"
            } else {
                "button secondary"
            };
            view! { <a class=class href=href rel="external">{label}</a> }
        })
        .collect_view();
    let body = view! {
        <header class="site-header">
            <a class="brand" href="/">{super::error_page::BRAND}</a>
        </header>
        <main class="content">
            <section class="purchase" aria-labelledby="purchase-title">
                <h1 id="purchase-title">{title.clone()}</h1>
                <p class="lead">{lead}</p>
                <h2 class="visually-hidden" id="purchase-facts">{i18n::t!(lang, "market-facts")}</h2>
                <dl class="facts" aria-labelledby="purchase-facts">{facts}</dl>
                {form}
                <p class="actions">{actions}</p>
            </section>
        </main>
    }
    .to_html();
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · {}</title><link rel=\"stylesheet\" href=\"/pkg/flowhost.css\">\
         </head><body>{body}</body></html>",
        lang.tag(),
        domain::encode::html(&title),
        super::error_page::BRAND,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purchase_page_escapes_what_it_shows_and_carries_the_token() {
        let html = purchase_document(
            i18n::Lang::En,
            PurchaseView {
                title: "Confirm <purchase>".into(),
                lead: "Tom & Jerry".into(),
                facts: vec![("Plan".into(), "<b>Standard</b>".into())],
                form: Some(PurchaseForm {
                    token: "ab+cd/ef==".into(),
                    csrf_token: "c\"s".into(),
                    button: "Confirm".into(),
                }),
                actions: vec![("Sign out".into(), "/auth/logout".into())],
            },
        );
        assert!(
            html.contains("<title>Confirm &lt;purchase&gt; · Flowhost</title>"),
            "{html}"
        );
        assert!(html.contains("&lt;b&gt;Standard&lt;/b&gt;"), "{html}");
        assert!(html.contains("value=\"ab+cd/ef==\""), "{html}");
        assert!(!html.contains("c\"s"), "{html}");
        assert!(html.contains("<html lang=\"en\">"), "{html}");
        assert!(html.contains("What was bought"), "{html}");
    }
}
