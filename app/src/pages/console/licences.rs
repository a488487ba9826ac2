//! Power Automate licences in the ISV console: every organisation's coverage at a glance
//! (`/admin/licences`), and one organisation's licences with, for a CSP, its Partner Center
//! customer, subscriptions and orders (`/admin/licences/{tenant}`).

use super::super::licences::{Refresh, licences_section};
use super::super::loaded;
use super::console_nav;
use crate::components::Notice;
use crate::licences::{
    CONSOLE_REFRESH_PATH, CoverageRow, LicenceDetail, console_page, get_licence_detail,
    get_licence_overview, outcome_msg,
};
use domain::licence::ReadOutcome;
use i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn LicencesPage() -> impl IntoView {
    let lang = crate::lang::use_lang();
    let rows = Resource::new(|| (), |_| get_licence_overview());
    loaded(rows, move |rows: Vec<CoverageRow>| {
        view! {
            <Title text=t!(lang, "console-licences-title")/>
            {console_nav(lang)}
            <h1>{t!(lang, "console-licences-heading")}</h1>
            <p class="hint">{t!(lang, "console-licences-intro")}</p>
            <table class="records" data-testid="coverage">
                <thead><tr>
                    <th scope="col">{t!(lang, "market-organisation")}</th>
                    <th scope="col">{t!(lang, "console-licences-coverage")}</th>
                    <th scope="col">{t!(lang, "console-licences-read")}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let coverage = r.reading.as_ref().and_then(|reading| reading.coverage()).map_or_else(
                            || t!(lang, "console-licences-unknown"),
                            |c| t!(lang, "licences-summary", covered = c.covered, people = c.people),
                        );
                        let read = match &r.reading {
                            None => t!(lang, "licences-never-read"),
                            Some(reading) if reading.outcome != ReadOutcome::Read => {
                                outcome_msg(reading.outcome).show(lang)
                            }
                            Some(reading) => reading.read_at.map(|at| i18n::date_time(lang, at)).unwrap_or_default(),
                        };
                        view! {
                            <tr data-tenant=r.tenant_id.clone()>
                                <th scope="row"><a href=console_page(&r.tenant_id)>{r.organisation}</a></th>
                                <td>{coverage}</td>
                                <td>{read}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
    })
}

#[component]
pub fn LicenceDetailPage() -> impl IntoView {
    let lang = crate::lang::use_lang();
    let params = use_params_map();
    let tenant = move || params.read().get("tenant").unwrap_or_default();
    let detail = Resource::new(tenant, get_licence_detail);
    loaded(detail, move |mut d: LicenceDetail| {
        // Every form of the page comes back here: its outcome is said once, at the top.
        let said = std::mem::take(&mut d.licences.form);
        let heading = t!(
            lang,
            "console-licences-of",
            organisation = d.organisation.as_str()
        );
        let csp = d
            .csp
            .map(|csp| super::csp::csp_section(lang, &d.tenant_id, csp, d.csrf.clone()));
        view! {
            <Title text=heading.clone()/>
            {console_nav(lang)}
            <nav class="crumbs" aria-label=t!(lang, "page-breadcrumb")><a href="/admin/licences">{t!(lang, "console-licences-heading")}</a></nav>
            <h1>{heading}</h1>
            <Notice message=said.notice.clone() error=said.refused/>
            {licences_section(lang, d.licences, Refresh {
                path: CONSOLE_REFRESH_PATH,
                tenant: Some(d.tenant_id.clone()),
                csrf: d.csrf.clone(),
            })}
            {csp}
        }
    })
}
