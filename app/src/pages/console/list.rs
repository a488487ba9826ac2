//! The console's list of placements, as every organisation or one of them sees them.

use super::super::loaded;
use super::{console_nav, query};
use crate::components::Notice;
use crate::console::{Console, get_console};
use i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn WidgetConsolePage() -> impl IntoView {
    let lang = crate::lang::use_lang();
    let tenant = query("tenant");
    let console = Resource::new(tenant, get_console);
    loaded(console, move |c: Console| {
        let selected = c.tenant.clone();
        let tenant_q = selected
            .as_ref()
            .map(|t| format!("?tenant={t}"))
            .unwrap_or_default();
        view! {
            <Title text=t!(lang, "console-list-title")/>
            {console_nav(lang)}
            <div class="page-head">
                <h1>{t!(lang, "console-list-heading")}</h1>
                <a class="button" href="/admin/widgets/new">{t!(lang, "console-add-placement")}</a>
            </div>
            <Notice message=c.failure.clone() error=true/>
            {c.rejected.clone().map(|r| view! {
                <div class="notice notice-error" data-testid="rejected-notice">
                    <p>{t!(
                        lang,
                        "console-rejected-notice",
                        reports = r.reports,
                        at = i18n::date_time(lang, r.last_at),
                        version = r.sdk_version.as_str(),
                        host = c.flow_host.as_str()
                    )}</p>
                    <p><a href="/admin/diagnostics">{t!(lang, "console-rejected-link")}</a></p>
                </div>
            })}
            <Notice message=c.notice.clone()/>
            <p class="summary" data-testid="config-version">
                {t!(
                    lang,
                    "console-version",
                    version = c.version,
                    author = c.saved_by.as_str(),
                    at = i18n::date_time(lang, c.saved_at)
                )}
            </p>
            <form class="search" method="get" action="/admin/widgets">
                <label for="tenant">{t!(lang, "console-seen-by")}</label>
                <select id="tenant" name="tenant">
                    <option value="" selected=selected.is_none()>{t!(lang, "console-every-organisation")}</option>
                    {c.tenants.iter().map(|t| {
                        let on = selected.as_ref() == Some(&t.id);
                        view! { <option value=t.id.to_string() selected=on>{t.name.clone()}</option> }
                    }).collect_view()}
                </select>
                <button type="submit">{t!(lang, "console-show")}</button>
            </form>
            <table class="records" data-testid="placements">
                <thead><tr>
                    <th>{t!(lang, "console-field-page")}</th>
                    <th>{t!(lang, "console-field-slot")}</th>
                    <th>{t!(lang, "console-field-widget")}</th>
                    <th>{t!(lang, "console-field-title")}</th>
                    <th class="num">{t!(lang, "console-field-order")}</th>
                    <th>{t!(lang, "console-field-shown")}</th>
                    {selected.is_some().then(|| view! { <th>{t!(lang, "console-column-organisation")}</th> })}
                    <th><span class="visually-hidden">{t!(lang, "console-column-actions")}</span></th>
                </tr></thead>
                <tbody>
                    {c.rows.into_iter().map(|r| {
                        let href = format!("/admin/widgets/{}{tenant_q}", r.key);
                        let state = if r.overridden.is_empty() {
                            t!(lang, "console-inherited")
                        } else {
                            t!(lang, "console-overridden-fields", fields = r.overridden.join(", "))
                        };
                        let shown = if r.enabled {
                            t!(lang, "console-shown-yes")
                        } else {
                            t!(lang, "console-shown-no")
                        };
                        view! {
                            <tr data-key=r.key.clone()>
                                <td>{r.page.label().show(lang)}</td>
                                <td>{r.slot}</td>
                                <td>{r.widget.label().show(lang)}</td>
                                <td>{r.title}</td>
                                <td class="num">{r.order}</td>
                                <td>{shown}</td>
                                {selected.is_some().then(|| view! { <td class="muted" data-testid="override-state">{state}</td> })}
                                <td><a href=href>{t!(lang, "console-edit")}</a></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
    })
}
