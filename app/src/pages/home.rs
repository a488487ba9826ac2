use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text=""/>
        <section class="hero">
            <h1>"Your service desk, with Power Automate where your records are"</h1>
            <p class="lead">
                "Flowhost keeps your customers' accounts and tickets. Open a record to work on it."
            </p>
            <p><a class="button" href="/accounts">"Open accounts"</a></p>
        </section>
    }
}
