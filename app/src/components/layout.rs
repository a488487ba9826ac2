use crate::api::get_viewer;
use leptos::prelude::*;

/// Header with the product, the signed-in user, their organisation and sign-out; navigation;
/// footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let viewer = Resource::new(|| (), |_| get_viewer());
    view! {
        <header class="site-header">
            <a class="brand" href="/">"Flowhost"</a>
            <nav class="site-nav" aria-label="Main">
                <a href="/accounts">"Accounts"</a>
                <a href="/flows">"My flows"</a>
                <a href="/approvals">"Approvals"</a>
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
                                    {staff.then(|| view! { <a href="/admin/widgets">"Console"</a> })}
                                    {admin.then(|| view! { <a href="/settings">"Settings"</a> })}
                                    <span class="who-name">{user.name}</span>
                                    <span class="who-tenant">{user.tenant_name}</span>
                                    // A plain form: the sign-out ends at the identity provider.
                                    <form method="post" action="/auth/logout" class="sign-out">
                                        <input type="hidden" name="csrf_token" value=viewer.csrf/>
                                        <button type="submit" class="link">"Sign out"</button>
                                    </form>
                                </div>
                            }.into_any()
                        }
                        _ => view! {
                            <div class="who"><a href="/auth/login" rel="external">"Sign in"</a></div>
                        }.into_any(),
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
