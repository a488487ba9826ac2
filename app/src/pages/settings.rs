use super::loaded;
use crate::api::get_organisation_settings;
use crate::components::when;
use leptos::prelude::*;
use leptos_meta::Title;

/// The organisation's own page, for its Flowhost administrators.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| get_organisation_settings());
    loaded(settings, |settings| {
        view! {
            <Title text="Settings"/>
            <div class="page-head">
                <h1>{format!("{} settings", settings.tenant.name)}</h1>
                <a class="button" href="/settings/flows">"Power Automate"</a>
            </div>
            <dl class="facts">
                <div><dt>"Organisation"</dt><dd>{settings.tenant.name}</dd></div>
                <div><dt>"Tenant id"</dt><dd><code>{settings.tenant.id.to_string()}</code></dd></div>
            </dl>
            <h2>"People who have signed in"</h2>
            <table class="records" data-testid="users">
                <thead><tr><th>"Name"</th><th>"E-mail"</th><th>"Roles"</th><th>"Last seen"</th></tr></thead>
                <tbody>
                    {settings.users.into_iter().map(|u| {
                        let roles: Vec<&str> = u.roles.iter().map(|r| r.claim()).collect();
                        view! {
                            <tr>
                                <td>{u.name}</td><td>{u.email}</td>
                                <td>{if roles.is_empty() { "User".to_owned() } else { roles.join(", ") }}</td>
                                <td>{when(u.last_seen_at)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
    })
}
