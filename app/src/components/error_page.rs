use crate::errors::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// The designed page for every error, which also sets the response's status on the server.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(error.status());
    let advice = match &error {
        AppError::Unauthorized => "Sign in with your organisation's Microsoft account to continue.",
        AppError::Forbidden => {
            "Your account does not have the role this page needs. Ask your organisation's Flowhost administrator."
        }
        AppError::NotFound => {
            "The page or record does not exist, or it belongs to another organisation."
        }
        AppError::Unavailable => "Your data is safe. Please try again in a minute.",
        AppError::Internal | AppError::Transport(_) => {
            "Please try again. If it keeps happening, contact support."
        }
    };
    // Sign-in is a server route, so the link leaves the client-side router.
    let sign_in = (error == AppError::Unauthorized).then(|| {
        let here = leptos_router::hooks::use_location();
        let (path, query) = (here.pathname.get_untracked(), here.search.get_untracked());
        let back = if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        };
        let href = format!("/auth/login?return_to={}", encode_component(&back));
        view! { <a class="button" href=href rel="external">"Sign in"</a> }
    });
    let retry = matches!(
        error,
        AppError::Unavailable | AppError::Internal | AppError::Transport(_)
    );
    view! {
        <Title text=error.title()/>
        <section class="error-page" data-status=error.status()>
            <p class="error-code">{error.status()}</p>
            <h1>{error.title()}</h1>
            <p class="lead">{error.to_string()}</p>
            <p>{advice}</p>
            <p class="actions">
                {sign_in}
                {retry.then(|| view! { <a class="button" href="">"Try again"</a> })}
                <a class="button secondary" href="/accounts">"Go to accounts"</a>
            </p>
        </section>
    }
}

/// Percent-encodes everything but unreserved characters, for a URL query value.
fn encode_component(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
