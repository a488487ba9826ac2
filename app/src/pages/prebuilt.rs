//! The ISV's pre-built flows on `/settings/flows`: each with what the organisation has of it,
//! and one form whose buttons install, turn on, upgrade, restore, finish or uninstall it.

use crate::components::{FieldError, Notice, described_by};
use crate::deployments::{
    ConnectionChoice, DeployedRow, LeaveView, Live, PARAMETER_PREFIX, PREBUILT_PATH, PlatformView,
    PrebuiltRow, ROLLOUT_LEAVE_PATH,
};
use crate::forms::FormState;
use domain::deployment::DeploymentState;
use domain::widget_config::FormValues;
use i18n::{Lang, t};
use leptos::prelude::*;

pub fn prebuilt_section(
    lang: Lang,
    platform: PlatformView,
    form: FormState<FormValues>,
    csrf: String,
) -> impl IntoView {
    let connections = platform.connections.clone().unwrap_or_default();
    let unlisted = platform.connections.clone().err();
    let ready = platform.dataverse.is_some();
    view! {
        <section data-testid="prebuilt" aria-labelledby="prebuilt-heading">
            <h2 id="prebuilt-heading">{t!(lang, "prebuilt-heading")}</h2>
            <p class="hint">{t!(lang, "prebuilt-hint")}</p>
            <Notice message=form.notice.clone() error=form.refused/>
            {(!ready).then(|| view! { <p class="empty">{t!(lang, "prebuilt-no-dataverse-hint")}</p> })}
            {unlisted.map(|why| view! {
                <p class="hint">{t!(lang, "prebuilt-connections-unavailable", reason = why.show(lang))}</p>
            })}
            {platform.prebuilt.into_iter().map(|row| {
                flow_row(lang, row, ready, &connections, platform.connections_page.as_deref(), &form, &csrf)
            }).collect_view()}
            {ready.then(|| leave_form(lang, platform.leave, &csrf))}
        </section>
    }
}

/// Whether the ISV may roll new versions out into the environment, and the button that gives
/// or withdraws that leave.
fn leave_form(lang: Lang, leave: Option<LeaveView>, csrf: &str) -> impl IntoView + use<> {
    let here = leave.as_ref().is_some_and(|l| l.here);
    let state = match &leave {
        Some(l) => {
            let (at, who) = (i18n::date_time(lang, l.at), l.by.as_str());
            match here {
                true => t!(lang, "rollout-leave-current", at = at, who = who),
                false => t!(lang, "rollout-leave-elsewhere", at = at, who = who),
            }
        }
        None => t!(lang, "rollout-leave-none"),
    };
    // Leave for this environment can be withdrawn; otherwise it can be given.
    let (intent, button) = match here {
        true => ("withdraw", t!(lang, "rollout-leave-withdraw")),
        false => ("allow", t!(lang, "rollout-leave-allow")),
    };
    view! {
        <article class="prebuilt" data-testid="rollout-leave" aria-labelledby="rollout-leave-heading">
            <h3 id="rollout-leave-heading">{t!(lang, "rollout-leave-heading")}</h3>
            <p class="hint">{t!(lang, "rollout-leave-hint")}</p>
            <p class="status" data-testid="rollout-leave-state">{state}</p>
            <form method="post" action=ROLLOUT_LEAVE_PATH>
                <input type="hidden" name="csrf_token" value=csrf.to_owned()/>
                <button type="submit" name="intent" value=intent>{button}</button>
            </form>
        </article>
    }
}

fn flow_row(
    lang: Lang,
    row: PrebuiltRow,
    ready: bool,
    connections: &[ConnectionChoice],
    connections_page: Option<&str>,
    form: &FormState<FormValues>,
    csrf: &str,
) -> AnyView {
    let ours = form.values.get("flow") == Some(&row.id);
    let heading = format!("prebuilt-{}", row.id);
    let action = format!("{PREBUILT_PATH}/{}", row.id);
    let status = status(lang, &row);
    let error = row
        .deployed
        .as_ref()
        .and_then(|d| d.error.clone())
        .map(|e| t!(lang, "prebuilt-last-error", reason = e.show(lang)));
    let buttons = buttons(lang, &row, ready);
    let wants_connection = match &row.deployed {
        None => ready,
        Some(d) => d.live.wants_connection(),
    };
    let fields = if row.deployed.is_none() && ready {
        row.parameters
            .iter()
            .map(|p| {
                let name = format!("{PARAMETER_PREFIX}{}", p.name);
                let id = format!("{}-{}", row.id, p.name);
                let error = ours.then(|| form.error(&name)).flatten();
                let invalid = error.is_some();
                let value = ours
                    .then(|| form.values.get(&name).cloned())
                    .flatten()
                    .unwrap_or_else(|| p.value.clone());
                view! {
                    <div class="field">
                        <label for=id.clone()>{p.name.clone()}</label>
                        <input id=id.clone() name=name type="text" value=value
                            autofocus=invalid aria-invalid=invalid.to_string()
                            aria-describedby=described_by(&id, true, invalid)/>
                        <p class="hint" id=format!("{id}-hint")>{p.description.clone()}</p>
                        <FieldError id=format!("{id}-error") message=error/>
                    </div>
                }
            })
            .collect_view()
            .into_any()
    } else {
        ().into_any()
    };
    let connection = wants_connection.then(|| {
        let id = format!("{}-connection", row.id);
        let error = ours.then(|| form.error("connection")).flatten();
        let invalid = error.is_some();
        view! {
            <div class="field">
                <label for=id.clone()>{t!(lang, "prebuilt-connection")}</label>
                <select id=id.clone() name="connection" aria-invalid=invalid.to_string()
                    aria-describedby=described_by(&id, true, invalid)>
                    <option value="">{t!(lang, "prebuilt-connection-none")}</option>
                    {connections.iter().map(|c| view! {
                        <option value=c.name.clone()>{c.account.clone()}</option>
                    }).collect_view()}
                </select>
                <p class="hint" id=format!("{id}-hint")>{t!(lang, "prebuilt-connection-hint")}</p>
                {connections_page.map(|href| view! {
                    <p><a href=href.to_owned() target="_blank" rel="noopener" data-testid="make-connection">
                        {t!(lang, "prebuilt-connection-make")}
                    </a></p>
                })}
                <FieldError id=format!("{id}-error") message=error/>
            </div>
        }
    });
    view! {
        <article class="prebuilt" data-flow=row.id.clone() aria-labelledby=heading.clone()>
            <h3 id=heading.clone()>{row.title.clone()}</h3>
            <p>{row.description.clone()}</p>
            <p class="status" data-testid="prebuilt-status">{status}</p>
            {error.map(|e| view! { <p class="error" data-testid="prebuilt-error">{e}</p> })}
            <form class="record-form" method="post" action=action>
                <input type="hidden" name="csrf_token" value=csrf.to_owned()/>
                {fields}
                {connection}
                <p class="actions">{buttons}</p>
            </form>
        </article>
    }
    .into_any()
}

/// Where the flow stands, in words.
fn status(lang: Lang, row: &PrebuiltRow) -> String {
    let Some(d) = &row.deployed else {
        return t!(lang, "prebuilt-not-installed-status", version = row.version);
    };
    let version = d.version;
    let now = match d.state {
        DeploymentState::Installing => t!(lang, "prebuilt-state-installing", version = version),
        DeploymentState::Upgrading => t!(lang, "prebuilt-state-upgrading", version = version),
        DeploymentState::Removing => t!(lang, "prebuilt-state-removing"),
        DeploymentState::Installed => live(lang, d),
    };
    let run = match (&d.last_run, d.state) {
        (Some(run), _) if run.succeeded => t!(
            lang,
            "prebuilt-last-run-succeeded",
            at = i18n::date_time(lang, run.at)
        ),
        (Some(run), _) => t!(
            lang,
            "prebuilt-last-run-failed",
            at = i18n::date_time(lang, run.at),
            error = run.error.clone().unwrap_or_default()
        ),
        (None, DeploymentState::Installed) => t!(lang, "prebuilt-no-run"),
        (None, _) => String::new(),
    };
    let by = t!(
        lang,
        "prebuilt-changed",
        who = d.changed_by.as_str(),
        at = i18n::date_time(lang, d.changed_at)
    );
    [now, run, by]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn live(lang: Lang, d: &DeployedRow) -> String {
    let version = d.version;
    match &d.live {
        Live::On => t!(lang, "prebuilt-live-on", version = version),
        Live::Off => t!(lang, "prebuilt-live-off", version = version),
        Live::NeedsConnection => t!(lang, "prebuilt-live-needs-connection", version = version),
        Live::Deleted => t!(lang, "prebuilt-live-deleted", version = version),
        Live::Changed => t!(lang, "prebuilt-live-changed", version = version),
        Live::Unknown(why) => t!(
            lang,
            "prebuilt-live-unknown",
            version = version,
            reason = why.show(lang)
        ),
    }
}

/// The buttons that fit where the flow stands.
fn buttons(lang: Lang, row: &PrebuiltRow, ready: bool) -> impl IntoView + use<> {
    let button = |intent: &'static str, label: String| {
        view! { <button type="submit" name="intent" value=intent>{label}</button> }
    };
    let mut shown = Vec::new();
    match &row.deployed {
        None if ready => shown.push(button("install", t!(lang, "prebuilt-install"))),
        None => {}
        Some(d) => {
            let current = d.version >= row.version;
            if d.state != DeploymentState::Installed {
                shown.push(button("retry", t!(lang, "prebuilt-retry")));
            } else {
                if d.live.wants_connection() {
                    shown.push(button("bind", t!(lang, "prebuilt-turn-on")));
                }
                if !current {
                    shown.push(button(
                        "upgrade",
                        t!(lang, "prebuilt-upgrade", version = row.version),
                    ));
                } else if matches!(d.live, Live::Deleted | Live::Changed) {
                    shown.push(button("restore", t!(lang, "prebuilt-restore")));
                }
            }
            shown.push(button("uninstall", t!(lang, "prebuilt-uninstall")));
        }
    }
    shown
}
