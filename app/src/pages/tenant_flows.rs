use super::loaded;
use crate::components::{FieldError, Notice, described_by};
use crate::tenant_flows::{
    STAFF_PREVIEWS_SHOWN, SWITCH_PREFIX, StaffPreviewRow, TenantFlows, get_tenant_flows,
};
use i18n::{Lang, t};
use leptos::prelude::*;
use leptos_meta::Title;

/// An organisation's Power Automate settings, for its `Flowhost.TenantAdmin`s: the environment
/// the widgets use, which of the ISV's widgets its people see, and which of its records the
/// ISV's staff previewed.
#[component]
pub fn TenantFlowsPage() -> impl IntoView {
    let lang = crate::lang::use_lang();
    let settings = Resource::new(|| (), |_| get_tenant_flows());
    loaded(settings, move |s: TenantFlows| {
        let form = s.form;
        let csrf = s.csrf;
        let value = |name: &str| form.values.get(name).cloned().unwrap_or_default();
        let environment = value("environment");
        let refused = form.errors.get("environment").is_some();
        view! {
            <Title text=t!(lang, "tenant-flows-title")/>
            <nav class="crumbs" aria-label=t!(lang, "page-breadcrumb")><a href="/settings">{t!(lang, "settings-title")}</a></nav>
            <h1>{t!(lang, "tenant-flows-heading", organisation = s.tenant.name.as_str())}</h1>
            <Notice message=form.notice.clone() error=form.refused/>
            <form class="record-form" method="post" action="/settings/flows">
                <input type="hidden" name="csrf_token" value=csrf.clone()/>
                <div class="field">
                    <label for="environment">{t!(lang, "tenant-flows-environment")}</label>
                    {match s.platform.environments.clone() {
                        Ok(listed) => {
                            let missing = (!environment.is_empty()
                                && !listed.iter().any(|e| e.name.eq_ignore_ascii_case(&environment)))
                                .then(|| environment.clone());
                            view! {
                            <select id="environment" name="environment"
                                autofocus=refused aria-invalid=refused.to_string()
                                aria-describedby=described_by("environment", true, refused)>
                                <option value="" selected=environment.is_empty()>{t!(lang, "tenant-flows-environment-default")}</option>
                                {listed.into_iter().map(|e| {
                                    let label = if e.dataverse.is_some() {
                                        t!(lang, "tenant-flows-environment-option", name = e.display_name.as_str(), id = e.name.as_str())
                                    } else {
                                        t!(lang, "tenant-flows-environment-option-bare", name = e.display_name.as_str(), id = e.name.as_str())
                                    };
                                    let selected = e.name.eq_ignore_ascii_case(&environment);
                                    view! { <option value=e.name selected=selected>{label}</option> }
                                }).collect_view()}
                                {missing.map(|name| view! {
                                    <option value=name.clone() selected=true>{t!(lang, "tenant-flows-environment-gone", id = name.as_str())}</option>
                                })}
                            </select>
                        }.into_any()
                        }
                        Err(why) => view! {
                            <input id="environment" name="environment" type="text" value=environment.clone()
                                autofocus=refused aria-invalid=refused.to_string()
                                aria-describedby=described_by("environment", true, refused)/>
                            <p class="hint">{t!(lang, "tenant-flows-environments-unavailable", reason = why.show(lang))}</p>
                        }.into_any(),
                    }}
                    <p class="hint" id="environment-hint">{t!(lang, "tenant-flows-environment-hint")}</p>
                    <FieldError id="environment-error" message=form.error("environment")/>
                </div>
                <fieldset>
                    <legend>{t!(lang, "tenant-flows-widgets")}</legend>
                    <table class="records" data-testid="switches">
                        <thead><tr>
                            <th>{t!(lang, "tenant-flows-shown")}</th>
                            <th>{t!(lang, "tenant-flows-page")}</th>
                            <th>{t!(lang, "tenant-flows-widget")}</th>
                            <th>{t!(lang, "field-title")}</th>
                        </tr></thead>
                        <tbody>
                            {s.rows.into_iter().map(|r| {
                                let name = format!("{SWITCH_PREFIX}{}", r.key);
                                let on = !value(&name).is_empty();
                                view! {
                                    <tr data-key=r.key.clone()>
                                        <td><input type="checkbox" name=name.clone() id=name.clone() checked=on
                                            aria-label=t!(lang, "tenant-flows-show", title = r.title.as_str())/></td>
                                        <td>{r.page.label().show(lang)}</td>
                                        <td>{r.widget.label().show(lang)}</td>
                                        <td><label for=name>{r.title}</label></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </fieldset>
                <p class="actions"><button type="submit">{t!(lang, "tenant-flows-save")}</button></p>
            </form>
            {if s.prebuilt_in_plan {
                super::prebuilt::prebuilt_section(lang, s.platform, s.prebuilt_form, csrf.clone()).into_any()
            } else {
                crate::subscription::not_in_plan(lang, domain::plan::Feature::PrebuiltFlows).into_any()
            }}
            {(!s.connector_in_plan).then(|| {
                crate::subscription::not_in_plan(lang, domain::plan::Feature::Connector)
            })}
            {super::licences::licences_section(lang, s.licences, super::licences::Refresh {
                path: crate::licences::SETTINGS_REFRESH_PATH,
                tenant: None,
                csrf: csrf.clone(),
            })}
            {super::tenant_hooks::hooks_section(lang, s.hooks, s.deliveries, csrf)}
            {staff_previews(lang, s.staff_previews)}
        }
    })
}

/// The ISV staff's previews of the organisation's records, newest first.
fn staff_previews(lang: Lang, previews: Vec<StaffPreviewRow>) -> impl IntoView {
    view! {
        <section data-testid="staff-previews">
            <h2>{t!(lang, "tenant-flows-staff-heading")}</h2>
            <p class="hint">{t!(lang, "tenant-flows-staff-hint", max = STAFF_PREVIEWS_SHOWN)}</p>
            {if previews.is_empty() {
                view! { <p class="empty">{t!(lang, "tenant-flows-staff-none")}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {previews.into_iter().map(|p| view! {
                            <li>{t!(
                                lang,
                                "tenant-flows-staff-entry",
                                staff = p.staff(),
                                record = p.record(lang),
                                at = i18n::date_time(lang, p.at)
                            )}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
