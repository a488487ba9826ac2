use crate::api::get_viewer;
use crate::lang::use_lang;
use i18n::{Lang, t};
use leptos::prelude::*;

/// Header with the product, the signed-in user, their organisation, sign-out and the language
/// switch; navigation; footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let lang = use_lang();
    let viewer = Resource::new(|| (), |_| get_viewer());
    view! {
        // The first tab stop of every page: past the header to the page's own content.
        <a class="skip-link" href="#content">{t!(lang, "skip-to-content")}</a>
        <header class="site-header">
            <a class="brand" href="/">{t!(lang, "brand")}</a>
            <nav class="site-nav" aria-label=t!(lang, "nav-main")>
                <a href="/accounts">{t!(lang, "nav-accounts")}</a>
                <a href="/flows">{t!(lang, "nav-flows")}</a>
                <a href="/approvals">{t!(lang, "nav-approvals")}</a>
            </nav>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match viewer.await {
                        Ok(Some(viewer)) => {
                            let user = viewer.user;
                            let admin = user.has_role(domain::Role::TenantAdmin);
                            let staff = user.has_role(domain::Role::IsvAdmin);
                            view! {
                                <div class="who" data-testid="signed-in-user">
                                    {staff.then(|| view! { <a href="/admin/widgets">{t!(lang, "nav-console")}</a> })}
                                    {admin.then(|| view! { <a href="/settings">{t!(lang, "nav-settings")}</a> })}
                                    <span class="who-name">{user.name}</span>
                                    <span class="who-tenant">{user.tenant_name}</span>
                                    // A plain form: the sign-out ends at the identity provider.
                                    <form method="post" action="/auth/logout" class="sign-out">
                                        <input type="hidden" name="csrf_token" value=viewer.csrf/>
                                        <button type="submit" class="link">{t!(lang, "sign-out")}</button>
                                    </form>
                                </div>
                            }.into_any()
                        }
                        _ => view! {
                            <div class="who"><a href="/auth/login" rel="external">{t!(lang, "sign-in")}</a></div>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <LanguageSwitch lang/>
        </header>
        <main class="content" id="content" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>{t!(lang, "footer-tagline")}</p>
        </footer>
    }
}

/// One button per language, each named in its own language; the current one is pressed. A
/// plain form, so it works before and without JavaScript, and comes back to this page.
#[component]
fn LanguageSwitch(lang: Lang) -> impl IntoView {
    let here = super::here();
    view! {
        <form method="post" action="/language" class="language-switch" aria-label=t!(lang, "language-switch")>
            <input type="hidden" name="return_to" value=here/>
            {Lang::ALL.into_iter().map(|option| view! {
                <button type="submit" name="lang" value=option.tag() lang=option.tag()
                    class="link" aria-pressed=(option == lang).to_string()>
                    {option.own_name()}
                </button>
            }).collect_view()}
        </form>
    }
}
