//! The ISV's overview of pre-built flows across organisations (`/admin/flows`): which
//! organisation runs which flow at which version, what did not finish, and why; and "roll out
//! version N" to every organisation behind, with each roll-out's progress and every
//! organisation's result, read again every few seconds while one is under way.

use super::super::loaded;
use super::console_nav;
use crate::components::Notice;
use crate::deployments::{
    CatalogEntry, DeploymentOverview, ROLLOUT_PATH, RolloutShown, get_deployment_overview,
};
use domain::deployment::DeploymentState;
use i18n::{Lang, t};
use leptos::prelude::*;
use leptos_meta::Title;

/// How soon the page reads a roll-out under way again.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const PROGRESS_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

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
                    )}
                    {(behind > 0).then(|| rollout_form(lang, c, &o.csrf))}</li>
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
            <Notice message=o.notice.notice.clone() error=o.notice.refused/>
            <ul data-testid="deployment-summary">{summary}</ul>
            {(!o.rollouts.is_empty()).then(|| view! {
                <section data-testid="rollouts" aria-labelledby="rollouts-heading">
                    <h2 id="rollouts-heading">{t!(lang, "rollouts-heading")}</h2>
                    <LiveRollouts rollouts=o.rollouts.clone()/>
                </section>
            })}
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

/// "Roll out version N" of the catalog entry `c` to every organisation behind it.
fn rollout_form(lang: Lang, c: &CatalogEntry, csrf: &str) -> impl IntoView + use<> {
    let action = format!("{ROLLOUT_PATH}/{}", c.id);
    view! {
        <form method="post" action=action class="inline">
            <input type="hidden" name="csrf_token" value=csrf.to_owned()/>
            <button type="submit" data-testid=format!("rollout-{}", c.id)>
                {t!(lang, "rollout-button", title = c.title.as_str(), version = c.version)}
            </button>
        </form>
    }
}

/// The roll-outs as the server read and worded them; in the browser they are read again every
/// few seconds while one is under way.
#[island]
fn LiveRollouts(rollouts: Vec<RolloutShown>) -> impl IntoView {
    let current = RwSignal::new(rollouts);
    #[cfg(feature = "hydrate")]
    {
        let reading = StoredValue::new(false);
        let every = set_interval_with_handle(
            move || {
                let under_way = current.with_untracked(|r| r.iter().any(|r| !r.finished));
                if !under_way || reading.get_value() {
                    return;
                }
                reading.set_value(true);
                leptos::task::spawn_local(async move {
                    if let Ok(read) = crate::deployments::get_rollouts().await {
                        current.set(read);
                    }
                    reading.set_value(false);
                });
            },
            PROGRESS_EVERY,
        );
        if let Ok(every) = every {
            on_cleanup(move || every.clear());
        }
    }
    move || current.get().into_iter().map(rollout_view).collect_view()
}

/// One roll-out: its progress, then every organisation's result.
fn rollout_view(r: RolloutShown) -> impl IntoView {
    let [organisation, state, result] = r.columns;
    view! {
        <article class="rollout" data-testid=format!("rollout-of-{}", r.flow_id)>
            <h3>{r.heading}</h3>
            <p role="status" aria-live="polite" data-testid="rollout-progress">{r.progress}</p>
            <table class="records">
                <thead><tr>
                    <th>{organisation}</th>
                    <th>{state}</th>
                    <th>{result}</th>
                </tr></thead>
                <tbody>
                    {r.rows.into_iter().map(|[who, state, result]| view! {
                        <tr><td>{who}</td><td>{state}</td><td>{result}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </article>
    }
}
