//! The ISV's overview of pre-built flows across organisations (`/admin/flows`): which
//! organisation runs which flow at which version, what did not finish, and why.

use super::super::loaded;
use super::console_nav;
use crate::deployments::{DeploymentOverview, get_deployment_overview};
use domain::deployment::DeploymentState;
use i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DeploymentsPage() -> impl IntoView {
    let lang = crate::lang::use_lang();
    let overview = Resource::new(|| (), |_| get_deployment_overview());
    loaded(overview, move |o: DeploymentOverview| {
        let title_of = |id: &str| {
            o.catalog
                .iter()
                .find(|c| c.id.eq_ignore_ascii_case(id))
                .map(|c| (c.title.clone(), c.version))
        };
        let summary = o
            .catalog
            .iter()
            .map(|c| {
                let of: Vec<_> = o
                    .rows
                    .iter()
                    .filter(|r| r.flow_id.eq_ignore_ascii_case(&c.id))
                    .collect();
                let behind = of.iter().filter(|r| r.version < c.version).count();
                let unfinished = of
                    .iter()
                    .filter(|r| r.state != DeploymentState::Installed || r.error.is_some())
                    .count();
                view! {
                    <li>{t!(
                        lang,
                        "deployments-summary",
                        title = c.title.as_str(),
                        version = c.version,
                        count = of.len(),
                        behind = behind,
                        trouble = unfinished
                    )}</li>
                }
            })
            .collect_view();
        let rows = o
            .rows
            .iter()
            .map(|r| {
                let (title, latest) =
                    title_of(&r.flow_id).unwrap_or((r.flow_id.clone(), r.version));
                let state = match r.state {
                    DeploymentState::Installed if r.version < latest => {
                        t!(lang, "deployments-state-behind", version = latest)
                    }
                    DeploymentState::Installed => t!(lang, "deployments-state-installed"),
                    DeploymentState::Installing => t!(lang, "deployments-state-installing"),
                    DeploymentState::Upgrading => t!(lang, "deployments-state-upgrading"),
                    DeploymentState::Removing => t!(lang, "deployments-state-removing"),
                };
                view! {
                    <tr>
                        <td>{r.organisation.clone()}</td>
                        <td>{title}</td>
                        <td>{r.version}</td>
                        <td>{state}</td>
                        <td>{r.error.as_ref().map(|e| e.show(lang)).unwrap_or_default()}</td>
                        <td>{t!(
                            lang,
                            "deployments-changed",
                            who = r.changed_by.as_str(),
                            at = i18n::date_time(lang, r.changed_at)
                        )}</td>
                    </tr>
                }
            })
            .collect_view();
        let empty = o.rows.is_empty();
        view! {
            <Title text=t!(lang, "deployments-title")/>
            {console_nav(lang)}
            <h1>{t!(lang, "deployments-heading")}</h1>
            <p class="hint">{t!(lang, "deployments-intro")}</p>
            <ul data-testid="deployment-summary">{summary}</ul>
            {if empty {
                view! { <p class="empty">{t!(lang, "deployments-none")}</p> }.into_any()
            } else {
                view! {
                    <table class="records" data-testid="deployments">
                        <thead><tr>
                            <th>{t!(lang, "deployments-organisation")}</th>
                            <th>{t!(lang, "deployments-flow")}</th>
                            <th>{t!(lang, "deployments-version")}</th>
                            <th>{t!(lang, "deployments-state")}</th>
                            <th>{t!(lang, "deployments-error")}</th>
                            <th>{t!(lang, "deployments-last-change")}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            }}
        }
    })
}
