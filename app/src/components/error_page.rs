use crate::errors::AppError;
use i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;

/// A way on from an error page: a link shown as a button.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorAction {
    pub label: String,
    pub href: String,
    /// Drawn as a full button; the others as secondary ones.
    pub primary: bool,
    /// A server route (sign-in) rather than one of the app's pages: marked `rel="external"`.
    pub external: bool,
}

/// The designed page for every error, which also sets the response's status on the server.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(error.status());
    let lang = crate::lang::use_lang();
    let mut actions = Vec::new();
    if error == AppError::Unauthorized {
        let back = super::here();
        actions.push(ErrorAction {
            label: t!(lang, "error-sign-in"),
            href: format!(
                "/auth/login?return_to={}",
                domain::encode::uri_component(&back)
            ),
            primary: true,
            external: true,
        });
    }
    if matches!(
        error,
        AppError::Unavailable | AppError::Internal | AppError::Transport(_)
    ) {
        actions.push(ErrorAction {
            label: t!(lang, "error-try-again"),
            href: String::new(),
            primary: true,
            external: false,
        });
    }
    actions.push(ErrorAction {
        label: t!(lang, "error-to-accounts"),
        href: "/accounts".into(),
        primary: false,
        external: false,
    });
    view! {
        <Title text=error.title(lang)/>
        <ErrorPanel
            status=error.status()
            title=error.title(lang)
            lead=error.message(lang)
            advice=error.advice(lang)
            actions
        />
    }
}

/// The error itself, as every error page shows it: the status, a title, what happened, what
/// to do about it, and the ways on.
#[component]
pub fn ErrorPanel(
    status: u16,
    #[prop(into)] title: String,
    #[prop(into)] lead: String,
    #[prop(optional, into)] advice: Option<String>,
    actions: Vec<ErrorAction>,
) -> impl IntoView {
    let actions = actions
        .into_iter()
        .map(|a| {
            let class = if a.primary {
                "button"
            } else {
                "button secondary"
            };
            let rel = a.external.then_some("external");
            view! { <a class=class href=a.href rel=rel>{a.label}</a> }
        })
        .collect_view();
    view! {
        <section class="error-page" data-status=status>
            <p class="error-code">{status}</p>
            <h1>{title}</h1>
            <p class="lead">{lead}</p>
            {advice.map(|advice| view! { <p>{advice}</p> })}
            <p class="actions">{actions}</p>
        </section>
    }
}

/// The product's name, the same in every language.
#[cfg(feature = "ssr")]
pub(super) const BRAND: &str = "Flowhost";

/// A whole HTML document around [`ErrorPanel`], for answers the server gives outside the app
/// (a refused cross-site request, a form that could not be saved, a sign-in outcome): the
/// stylesheet and the site's header, no scripts. `title`, `message` and the actions' labels
/// are already in `lang`, which the document is marked with. The first action is the primary
/// one.
#[cfg(feature = "ssr")]
pub fn error_document(
    lang: i18n::Lang,
    status: u16,
    title: &str,
    message: &str,
    actions: &[(&str, &str)],
) -> String {
    let actions: Vec<ErrorAction> = actions
        .iter()
        .enumerate()
        .map(|(i, (label, href))| ErrorAction {
            label: (*label).to_owned(),
            href: (*href).to_owned(),
            primary: i == 0,
            external: false,
        })
        .collect();
    let body = view! {
        <header class="site-header">
            <a class="brand" href="/">{BRAND}</a>
        </header>
        <main class="content">
            <ErrorPanel status title=title.to_owned() lead=message.to_owned() actions/>
        </main>
    }
    .to_html();
    // The head is written out: Leptos marks text it renders with `<!>` comments, which inside
    // `<title>` would show as text.
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · {BRAND}</title><link rel=\"stylesheet\" href=\"/pkg/flowhost.css\">\
         </head><body>{body}</body></html>",
        lang.tag(),
        domain::encode::html(title)
    )
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::error_document;
    use i18n::Lang;

    #[test]
    fn the_server_error_document_escapes_what_it_is_given() {
        let html = error_document(
            Lang::En,
            403,
            "Request <refused>",
            "Tom & \"Jerry\" <script>",
            &[
                ("Sign in", "/auth/login?return_to=%2Fa&x=\"y\""),
                ("Home", "/"),
            ],
        );
        assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
        assert!(
            html.contains("<title>Request &lt;refused&gt; · Flowhost</title>"),
            "{html}"
        );
        assert!(html.contains("<h1>Request &lt;refused&gt;"), "{html}");
        assert!(
            html.contains("Tom &amp; \"Jerry\" &lt;script&gt;"),
            "{html}"
        );
        for (i, (label, href, class)) in [
            (
                "Sign in",
                "/auth/login?return_to=%2Fa&amp;x=&quot;y&quot;",
                "button",
            ),
            ("Home", "/", "button secondary"),
        ]
        .into_iter()
        .enumerate()
        {
            let link = html.split("<a ").nth(i + 2).unwrap();
            assert!(link.contains(&format!(r#"href="{href}""#)), "{link}");
            assert!(link.contains(&format!(r#"class="{class}""#)), "{link}");
            assert!(link.contains(&format!(">{label}")), "{link}");
        }
        assert!(html.contains(r#"data-status="403""#), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains(r#"<html lang="en">"#), "{html}");
    }

    #[test]
    fn the_server_error_document_is_marked_with_its_language() {
        let html = error_document(Lang::Nl, 503, "Bezet", "Probeer het zo opnieuw.", &[]);
        assert!(
            html.starts_with(r#"<!DOCTYPE html><html lang="nl">"#),
            "{html}"
        );
        assert!(html.contains("<title>Bezet · Flowhost</title>"), "{html}");
    }
}
