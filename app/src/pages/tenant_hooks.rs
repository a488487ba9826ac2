use crate::tenant_hooks::{DeliveryRow, HookRow};
use i18n::{Lang, t};
use leptos::prelude::*;

/// The flows listening to the organisation's events, each removable, and the latest
/// deliveries to them.
pub fn hooks_section(
    lang: Lang,
    hooks: Vec<HookRow>,
    deliveries: Vec<DeliveryRow>,
    csrf: String,
) -> impl IntoView {
    let flows: std::collections::HashMap<i64, String> =
        hooks.iter().map(|h| (h.id, h.flow.clone())).collect();
    let hook_rows = if hooks.is_empty() {
        view! { <p class="empty">{t!(lang, "hooks-none")}</p> }.into_any()
    } else {
        view! {
            <table class="records" data-testid="hooks">
                <thead><tr>
                    <th>{t!(lang, "hooks-flow")}</th>
                    <th>{t!(lang, "field-hook-event")}</th>
                    <th>{t!(lang, "hooks-connection")}</th>
                    <th>{t!(lang, "hooks-account")}</th>
                    <th>{t!(lang, "hooks-waiting-failed")}</th>
                    <th>{t!(lang, "hooks-since")}</th>
                    <th><span class="visually-hidden">{t!(lang, "hooks-remove")}</span></th>
                </tr></thead>
                <tbody>
                    {hooks.into_iter().map(|h| hook_row(lang, h, &csrf)).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    let delivery_rows = if deliveries.is_empty() {
        view! { <p class="empty">{t!(lang, "hooks-deliveries-none")}</p> }.into_any()
    } else {
        view! {
            <table class="records" data-testid="deliveries">
                <thead><tr>
                    <th>{t!(lang, "hooks-when")}</th>
                    <th>{t!(lang, "field-hook-event")}</th>
                    <th>{t!(lang, "hooks-flow")}</th>
                    <th>{t!(lang, "hooks-state")}</th>
                    <th>{t!(lang, "hooks-attempts")}</th>
                    <th>{t!(lang, "hooks-last-answer")}</th>
                </tr></thead>
                <tbody>
                    {deliveries.into_iter().map(|d| {
                        let flow = flows.get(&d.subscription_id).cloned().unwrap_or_default();
                        delivery_row(lang, d, flow)
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section data-testid="flow-hooks" aria-labelledby="hooks-heading">
            <h2 id="hooks-heading">{t!(lang, "hooks-heading")}</h2>
            <p class="hint">{t!(lang, "hooks-hint")}</p>
            {hook_rows}
            <h3>{t!(lang, "hooks-deliveries-heading", count = crate::tenant_hooks::DELIVERIES_SHOWN)}</h3>
            {delivery_rows}
        </section>
    }
}

fn hook_row(lang: Lang, h: HookRow, csrf: &str) -> impl IntoView + use<> {
    let action = format!("/settings/flows/hooks/{}/remove", h.id);
    let label = t!(
        lang,
        "hooks-remove-label",
        owner = h.owner.as_str(),
        flow = h.flow.as_str()
    );
    let account = match h.account_id {
        Some(id) => format!("#{id}"),
        None => t!(lang, "hooks-all-accounts"),
    };
    let counts = format!(
        "{} / {}",
        i18n::number(lang, h.pending),
        i18n::number(lang, h.failed)
    );
    view! {
        <tr data-hook=h.id>
            <td><code>{h.flow}</code></td>
            <td>{h.event.label().show(lang)}</td>
            <td>{h.owner}</td>
            <td>{account}</td>
            <td>{counts}</td>
            <td>{i18n::date_time(lang, h.since)}</td>
            <td>
                <form method="post" action=action>
                    <input type="hidden" name="csrf_token" value=csrf.to_owned()/>
                    <button type="submit" class="secondary" aria-label=label>{t!(lang, "hooks-remove")}</button>
                </form>
            </td>
        </tr>
    }
}

fn delivery_row(lang: Lang, d: DeliveryRow, flow: String) -> impl IntoView {
    let state = match d.state.as_str() {
        "delivered" => t!(lang, "hooks-delivered"),
        "failed" => t!(lang, "hooks-failed"),
        _ => t!(lang, "hooks-pending"),
    };
    view! {
        <tr data-state=d.state.clone()>
            <td>{i18n::date_time(lang, d.at)}</td>
            <td>{d.event.label().show(lang)}</td>
            <td><code>{flow}</code></td>
            <td>{state}</td>
            <td>{i18n::number(lang, d.attempts)}</td>
            <td>{d.last_error.unwrap_or_default()}</td>
        </tr>
    }
}
