//! The Power Automate part of a page: its widgets, and on a record what they left there —
//! the flows made on it, its timeline and, on a ticket, its approvals.

use crate::components::here;
use crate::errors::AppError;
#[cfg(feature = "hydrate")]
use crate::widgets::RECORD_CHANGED;
use crate::widgets::{FlowWidgets, WidgetPanel, get_record_activity, get_widget_panel};
use domain::placement::PageKind;
use domain::{ApprovalState, EventKind, RecordActivity, RecordEvent};
use i18n::{Lang, Msg, t};
use leptos::prelude::*;

/// The Power Automate part of one page: its widgets and, on a record, what they left there.
/// Pages place its slots and its activity where they belong. Both are loaded on the server
/// once per page; in the browser, each slot's widgets and the activity are islands.
#[derive(Clone, Copy)]
pub struct PowerAutomate {
    panel: Resource<Result<WidgetPanel, AppError>>,
    activity: Option<OnRecord>,
}

/// On a record page: the record's activity, and the record (account, ticket) it is read for.
#[derive(Clone, Copy)]
struct OnRecord {
    read: Resource<Result<RecordActivity, AppError>>,
    account: i64,
    ticket: Option<i64>,
}

impl PowerAutomate {
    /// The page's widgets and activity for the record `record` names (account, ticket).
    pub fn new(page: PageKind, record: (Option<i64>, Option<i64>)) -> PowerAutomate {
        let on_record = matches!(page, PageKind::Account | PageKind::Ticket);
        let (account, ticket) = record;
        PowerAutomate {
            panel: Resource::new(move || (), move |_| get_widget_panel(page, account, ticket)),
            activity: account.filter(|_| on_record).map(|account| OnRecord {
                read: Resource::new(move || (), move |_| get_record_activity(account, ticket)),
                account,
                ticket,
            }),
        }
    }
}

/// The widgets of one slot, `at` `top` or `main`. Only `main` says when the widgets cannot be shown.
#[component]
pub fn WidgetSlot(of: PowerAutomate, at: &'static str) -> impl IntoView {
    let lang = crate::lang::use_lang();
    let here = here();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let here = here.clone();
                Suspend::new(async move {
                match of.panel.await {
                    Ok(mut panel) => {
                        panel.widgets.retain(|w| w.slot == at);
                        let note = panel.licence_note.take().filter(|_| at == "main" && !panel.widgets.is_empty());
                        (!panel.widgets.is_empty()).then(|| view! {
                            <section class=format!("power-automate slot-{at}") aria-label=t!(lang, "power-automate-label")>
                                {note.map(|note| super::licences::licence_note(lang, note))}
                                <FlowWidgets panel here/>
                            </section>
                        }).into_any()
                    }
                    Err(e) => (at == "main").then(|| view! {
                        <p class="widget-message" role="alert">
                            {t!(lang, "power-automate-unavailable", reason = e.message(lang))}
                        </p>
                    }).into_any(),
                }
            })}}
        </Suspense>
    }
}

/// The flows made on the record, its timeline and, on a ticket, its approvals.
#[component]
pub fn FlowActivity(of: PowerAutomate) -> impl IntoView {
    let lang = crate::lang::use_lang();
    of.activity.map(|OnRecord { read, account, ticket }| {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    read.await.map(|a| view! { <LiveActivity activity=a account ticket/> }.into_any())
                        .unwrap_or_else(|_| view! { <p class="muted">{t!(lang, "activity-unavailable")}</p> }.into_any())
                })}
            </Suspense>
        }
    })
}

/// The record's activity as the server read it; in the browser it is read again whenever a
/// widget's event was recorded on the record. Of reads that overlap, only the last one asked
/// for is shown, whatever order their answers come in.
#[island]
fn LiveActivity(activity: RecordActivity, account: i64, ticket: Option<i64>) -> impl IntoView {
    let current = RwSignal::new(activity);
    #[cfg(not(feature = "hydrate"))]
    let _ = account;
    #[cfg(feature = "hydrate")]
    {
        let asked = StoredValue::new(0u64);
        let listening = window_event_listener_untyped(RECORD_CHANGED, move |_| {
            asked.update_value(|n| *n += 1);
            let this = asked.get_value();
            leptos::task::spawn_local(async move {
                let read = get_record_activity(account, ticket).await;
                if let Ok(read) = read
                    && asked.get_value() == this
                {
                    current.set(read);
                }
            });
        });
        on_cleanup(move || listening.remove());
    }
    move || view! { <Activity activity=current.get() ticket=ticket.is_some()/> }
}

#[component]
fn Activity(activity: RecordActivity, ticket: bool) -> impl IntoView {
    let lang = crate::lang::use_lang();
    let RecordActivity {
        flows,
        events,
        approvals_waiting,
        approvals_decided,
    } = activity;
    view! {
        <div class="flow-activity">
            {ticket.then(|| view! {
                <dl class="facts">
                    <div><dt>{t!(lang, "activity-approvals-waiting")}</dt><dd data-testid="approvals-waiting">{approvals_waiting}</dd></div>
                    <div><dt>{t!(lang, "activity-approvals-decided")}</dt><dd data-testid="approvals-decided">{approvals_decided}</dd></div>
                </dl>
            })}
            <section>
                <h2>{if ticket { t!(lang, "activity-flows-on-ticket") } else { t!(lang, "activity-flows-on-account") }}</h2>
                {if flows.is_empty() {
                    view! { <p class="empty">{t!(lang, "activity-no-flows")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="linked-flows" data-testid="linked-flows">
                            {flows.into_iter().map(|f| {
                                let name = f.template.as_deref()
                                    .and_then(domain::placement::templates::name)
                                    .map_or_else(|| t!(lang, "activity-unnamed-flow"), str::to_owned);
                                view! {
                                    <li data-flow=f.flow_id.clone()>
                                        <a href=f.flow_url target="_blank" rel="external noopener">{name}</a>
                                        <span class="muted">{format!(" — {} · {}", f.created_by, i18n::date_time(lang, f.created_at))}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section>
                <h2>{t!(lang, "activity-heading")}</h2>
                {if events.is_empty() {
                    view! { <p class="empty">{t!(lang, "activity-none")}</p> }.into_any()
                } else {
                    view! {
                        <ol class="timeline" data-testid="timeline">
                            {events.iter().map(|e| view! {
                                <li data-kind=e.kind.as_str() data-confirmed=e.confirmed.to_string()>
                                    <span>{describe(lang, e)}</span>
                                    {(!e.confirmed).then(|| view! {
                                        <span class="reported">{format!(" ({})", reported_by(lang, e.kind))}</span>
                                    })}
                                    <span class="muted">{format!(" · {}", i18n::date_time(lang, e.at))}</span>
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </section>
        </div>
    }
}

/// Who Flowhost has an entry from when the Flow service did not confirm it.
fn reported_by(lang: Lang, kind: EventKind) -> String {
    match kind {
        EventKind::Approval => t!(lang, "activity-reported-by-approvals"),
        EventKind::FlowLinked | EventKind::RunCompleted => t!(lang, "activity-reported-by-widget"),
    }
}

/// A timeline entry in words. A flow Flowhost cannot name has an empty subject (`a flow` in
/// older entries).
fn describe(lang: Lang, e: &RecordEvent) -> String {
    let actor = e.actor.as_str();
    let unnamed = e.subject.is_empty() || e.subject == "a flow";
    let flow = e.subject.as_str();
    match e.kind {
        EventKind::FlowLinked if unnamed => t!(lang, "activity-flow-linked-unnamed", actor = actor),
        EventKind::FlowLinked => t!(lang, "activity-flow-linked", actor = actor, flow = flow),
        EventKind::RunCompleted => {
            let outcome =
                run_outcome(&e.outcome).map_or_else(|| e.outcome.clone(), |m| m.show(lang));
            if unnamed {
                t!(
                    lang,
                    "activity-run-unnamed",
                    actor = actor,
                    outcome = outcome
                )
            } else {
                t!(
                    lang,
                    "activity-run",
                    actor = actor,
                    flow = flow,
                    outcome = outcome
                )
            }
        }
        EventKind::Approval => {
            let state = ApprovalState::from_outcome(&e.outcome);
            let shown = state.map_or_else(|| e.outcome.clone(), |s| s.label().show(lang));
            if state == Some(ApprovalState::Pending) {
                t!(
                    lang,
                    "activity-approval-waiting",
                    subject = flow,
                    state = shown
                )
            } else {
                t!(
                    lang,
                    "activity-approval-decided",
                    subject = flow,
                    state = shown,
                    actor = actor
                )
            }
        }
    }
}

/// The name of a run's status as Power Automate reports it (`Succeeded`, `Failed`, …), in any
/// case; `None` for a status Flowhost has no name for.
fn run_outcome(status: &str) -> Option<Msg> {
    let name = match status.to_ascii_lowercase().as_str() {
        "succeeded" => Msg::new("run-status-succeeded"),
        "failed" => Msg::new("run-status-failed"),
        "cancelled" | "canceled" => Msg::new("run-status-cancelled"),
        "running" => Msg::new("run-status-running"),
        "waiting" => Msg::new("run-status-waiting"),
        "skipped" => Msg::new("run-status-skipped"),
        "suspended" => Msg::new("run-status-suspended"),
        "timedout" => Msg::new("run-status-timed-out"),
        "aborted" => Msg::new("run-status-aborted"),
        "faulted" => Msg::new("run-status-faulted"),
        _ => return None,
    };
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn event(kind: EventKind, subject: &str, outcome: &str) -> RecordEvent {
        RecordEvent {
            kind,
            subject: subject.into(),
            outcome: outcome.into(),
            actor: "Alex Wilber".into(),
            at: datetime!(2026-03-01 09:30 UTC),
            confirmed: true,
        }
    }

    #[test]
    fn the_timeline_keeps_its_english_wording() {
        let en = |kind, subject, outcome| describe(Lang::En, &event(kind, subject, outcome));
        assert_eq!(
            en(EventKind::FlowLinked, "Escalate a ticket to Teams", ""),
            "Alex Wilber created the flow “Escalate a ticket to Teams”"
        );
        assert_eq!(
            en(EventKind::FlowLinked, "", ""),
            "Alex Wilber created a flow"
        );
        assert_eq!(
            en(
                EventKind::RunCompleted,
                "Request approval for a ticket",
                "succeeded"
            ),
            "Alex Wilber ran “Request approval for a ticket”: succeeded"
        );
        assert_eq!(
            en(EventKind::RunCompleted, "a flow", "TimedOut"),
            "Alex Wilber ran a flow: timed out"
        );
        assert_eq!(
            en(EventKind::RunCompleted, "Digest", "Exploded"),
            "Alex Wilber ran “Digest”: Exploded",
            "an unknown status is shown as it came"
        );
        for pending in ["pending", "waiting"] {
            assert_eq!(
                en(EventKind::Approval, "Approve: Printer", pending),
                "Approval “Approve: Printer” is waiting"
            );
        }
        assert_eq!(
            en(EventKind::Approval, "Approve: Printer", "approved"),
            "Approval “Approve: Printer” approved by Alex Wilber"
        );
    }

    #[test]
    fn the_timeline_speaks_dutch() {
        let nl = |kind, subject, outcome| describe(Lang::Nl, &event(kind, subject, outcome));
        assert_eq!(
            nl(EventKind::RunCompleted, "Digest", "Failed"),
            "Alex Wilber heeft “Digest” uitgevoerd: mislukt"
        );
        for pending in ["pending", "waiting"] {
            assert_eq!(
                nl(EventKind::Approval, "Approve: Printer", pending),
                "Goedkeuring “Approve: Printer” is in afwachting"
            );
        }
        assert_eq!(
            nl(EventKind::Approval, "Approve: Printer", "rejected"),
            "Goedkeuring “Approve: Printer” afgewezen door Alex Wilber"
        );
        assert_eq!(
            reported_by(Lang::Nl, EventKind::Approval),
            "gemeld door de goedkeuringswidget"
        );
    }
}
