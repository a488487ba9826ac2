use super::loaded;
use crate::components::{FieldError, Notice, when};
use crate::tenant_flows::{
    STAFF_PREVIEWS_SHOWN, SWITCH_PREFIX, StaffPreviewRow, TenantFlows, get_tenant_flows,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// An organisation's Power Automate settings, for its `Flowhost.TenantAdmin`s: the environment
/// the widgets use, which of the ISV's widgets its people see, and which of its records the
/// ISV's staff previewed.
#[component]
pub fn TenantFlowsPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| get_tenant_flows());
    loaded(settings, |s: TenantFlows| {
        let form = s.form;
        let value = |name: &str| form.values.get(name).cloned().unwrap_or_default();
        let environment = value("environment");
        view! {
            <Title text="Power Automate · Settings"/>
            <nav class="crumbs" aria-label="Breadcrumb"><a href="/settings">"Settings"</a></nav>
            <h1>{format!("Power Automate for {}", s.tenant.name)}</h1>
            <Notice message=form.notice.clone() error=form.refused/>
            <form class="record-form" method="post" action="/settings/flows">
                <input type="hidden" name="csrf_token" value=s.csrf/>
                <div class="field">
                    <label for="environment">"Environment"</label>
                    <input id="environment" name="environment" type="text" value=environment
                        aria-invalid=form.errors.get("environment").is_some().to_string()
                        aria-describedby="environment-error"/>
                    <p class="hint">"The Power Automate environment's name (its id, such as Default-… or a GUID); empty: your organisation's default environment."</p>
                    <FieldError id="environment-error" message=form.error("environment")/>
                </div>
                <fieldset>
                    <legend>"Widgets your people see"</legend>
                    <table class="records" data-testid="switches">
                        <thead><tr><th>"Shown"</th><th>"Page"</th><th>"Widget"</th><th>"Title"</th></tr></thead>
                        <tbody>
                            {s.rows.into_iter().map(|r| {
                                let name = format!("{SWITCH_PREFIX}{}", r.key);
                                let on = !value(&name).is_empty();
                                view! {
                                    <tr data-key=r.key.clone()>
                                        <td><input type="checkbox" name=name.clone() id=name.clone() checked=on
                                            aria-label=format!("Show {}", r.title)/></td>
                                        <td>{r.page.label()}</td>
                                        <td>{r.widget.label()}</td>
                                        <td><label for=name>{r.title}</label></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </fieldset>
                <p class="actions"><button type="submit">"Save"</button></p>
            </form>
            {staff_previews(s.staff_previews)}
        }
    })
}

/// The ISV staff's previews of the organisation's records, newest first.
fn staff_previews(previews: Vec<StaffPreviewRow>) -> impl IntoView {
    view! {
        <section data-testid="staff-previews">
            <h2>"Flowhost staff access to your records"</h2>
            <p class="hint">{format!(
                "Every preview of a widget that Flowhost's staff made with one of your accounts or tickets, newest first (at most {STAFF_PREVIEWS_SHOWN})."
            )}</p>
            {if previews.is_empty() {
                view! { <p class="empty">"Flowhost's staff have not previewed any of your records."</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {previews.into_iter().map(|p| view! {
                            <li>{format!("{} of Flowhost previewed {} on {}.", p.staff(), p.record(), when(p.at))}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
