use crate::api::get_current_user;
use leptos::prelude::*;

/// Header with the product, the signed-in user and their organisation, navigation; footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let user = Resource::new(|| (), |_| get_current_user());
    view! {
        <header class="site-header">
            <a class="brand" href="/">"Flowhost"</a>
            <nav class="site-nav" aria-label="Main">
                <a href="/accounts">"Accounts"</a>
            </nav>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(Some(user)) => {
                            let admin = user.has_role(domain::Role::TenantAdmin);
                            view! {
                                <div class="who" data-testid="signed-in-user">
                                    {admin.then(|| view! { <a href="/settings">"Settings"</a> })}
                                    <span class="who-name">{user.name}</span>
                                    <span class="who-tenant">{user.tenant_name}</span>
                                </div>
                            }.into_any()
                        }
                        _ => view! { <div class="who">"Not signed in"</div> }.into_any(),
                    }
                })}
            </Suspense>
        </header>
        <main class="content">{children()}</main>
        <footer class="site-footer">
            <p>"Flowhost — your service desk, with Power Automate where your records are."</p>
        </footer>
    }
}
