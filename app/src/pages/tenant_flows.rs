use super::loaded;
use crate::components::{FieldError, Notice};
use crate::tenant_flows::{SWITCH_PREFIX, TenantFlows, get_tenant_flows};
use leptos::prelude::*;
use leptos_meta::Title;

/// An organisation's Power Automate settings, for its `Flowhost.TenantAdmin`s: the environment
/// the widgets use, and which of the ISV's widgets its people see.
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
        }
    })
}
