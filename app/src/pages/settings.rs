use super::loaded;
use crate::api::get_organisation_settings;
use i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;

/// The organisation's own page, for its Flowhost administrators.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let lang = crate::lang::use_lang();
    let settings = Resource::new(|| (), |_| get_organisation_settings());
    loaded(settings, move |settings| {
        view! {
            <Title text=t!(lang, "settings-title")/>
            <div class="page-head">
                <h1>{t!(lang, "settings-heading", organisation = settings.tenant.name.as_str())}</h1>
                <a class="button" href="/settings/flows">{t!(lang, "settings-power-automate")}</a>
            </div>
            {settings.subscription.map(|sub| {
                crate::subscription::subscription_section(lang, sub, settings.csrf.clone())
            })}
            <dl class="facts">
                <div><dt>{t!(lang, "settings-organisation")}</dt><dd>{settings.tenant.name}</dd></div>
                <div><dt>{t!(lang, "settings-tenant-id")}</dt><dd><code>{settings.tenant.id.to_string()}</code></dd></div>
            </dl>
            <h2>{t!(lang, "settings-people")}</h2>
            <table class="records" data-testid="users">
                <thead><tr>
                    <th>{t!(lang, "field-name")}</th>
                    <th>{t!(lang, "settings-email")}</th>
                    <th>{t!(lang, "settings-roles")}</th>
                    <th>{t!(lang, "settings-last-seen")}</th>
                </tr></thead>
                <tbody>
                    {settings.users.into_iter().map(|u| {
                        let roles: Vec<&str> = u.roles.iter().map(|r| r.claim()).collect();
                        view! {
                            <tr>
                                <td>{u.name}</td><td>{u.email}</td>
                                <td>{if roles.is_empty() { t!(lang, "settings-no-roles") } else { roles.join(", ") }}</td>
                                <td>{i18n::date_time(lang, u.last_seen_at)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
    })
}
