use i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = crate::lang::use_lang();
    view! {
        <Title text=""/>
        <section class="hero">
            <h1>{t!(lang, "home-heading")}</h1>
            <p class="lead">{t!(lang, "home-lead")}</p>
            <p><a class="button" href="/accounts">{t!(lang, "home-open-accounts")}</a></p>
        </section>
    }
}
