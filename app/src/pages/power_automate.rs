//! The Power Automate part of a page: its widgets, and on a record what they left there —
//! the flows made on it, its timeline and, on a ticket, its approvals.

use crate::components::when;
use crate::errors::AppError;
use crate::widgets::{FlowWidgets, WidgetPanel, get_record_activity, get_widget_panel};
use domain::placement::PageKind;
use domain::{EventKind, RecordActivity, RecordEvent};
use leptos::prelude::*;

/// The Power Automate part of one page: its widgets and, on a record, what they left there.
/// Pages place its slots and its activity where they belong.
#[derive(Clone, Copy)]
pub struct PowerAutomate {
    panel: Resource<Result<WidgetPanel, AppError>>,
    activity: Option<Resource<Result<RecordActivity, AppError>>>,
    /// Bumped after a widget's event is recorded, so the record's lists load again.
    version: RwSignal<u32>,
    ticket: bool,
}

impl PowerAutomate {
    /// The page's widgets and activity for the record `record` names (account, ticket). Made
    /// once per page, outside any view that renders again, so that the server and the browser
    /// create the same resources in the same order and hydration reads each one's own data.
    pub fn new(
        page: PageKind,
        record: impl Fn() -> (Option<i64>, Option<i64>) + Copy + Send + Sync + 'static,
    ) -> PowerAutomate {
        let version = RwSignal::new(0u32);
        let on_record = matches!(page, PageKind::Account | PageKind::Ticket);
        PowerAutomate {
            panel: Resource::new(record, move |(account, ticket)| {
                get_widget_panel(page, account, ticket)
            }),
            activity: on_record.then(|| {
                Resource::new(
                    move || (record(), version.get()),
                    move |((account, ticket), _)| async move {
                        match account {
                            Some(account) => get_record_activity(account, ticket).await,
                            None => Err(AppError::NotFound),
                        }
                    },
                )
            }),
            version,
            ticket: page == PageKind::Ticket,
        }
    }
}

/// The widgets of one slot, `at` `top` or `main`. Only `main` says when the widgets cannot be shown.
#[component]
pub fn WidgetSlot(of: PowerAutomate, at: &'static str) -> impl IntoView {
    let changed = Callback::new(move |_| of.version.update(|v| *v += 1));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match of.panel.await {
                    Ok(mut panel) => {
                        panel.widgets.retain(|w| w.slot == at);
                        (!panel.widgets.is_empty()).then(|| view! {
                            <section class=format!("power-automate slot-{at}") aria-label="Power Automate">
                                <FlowWidgets panel on_change=changed/>
                            </section>
                        }).into_any()
                    }
                    Err(e) => (at == "main").then(|| view! {
                        <p class="widget-message" role="alert">
                            {format!("The Power Automate widgets cannot be shown: {e}")}
                        </p>
                    }).into_any(),
                }
            })}
        </Suspense>
    }
}

/// The flows made on the record, its timeline and, on a ticket, its approvals.
#[component]
pub fn FlowActivity(of: PowerAutomate) -> impl IntoView {
    of.activity.map(|activity| {
        let ticket = of.ticket;
        view! {
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    activity.await.map(|a| view! { <Activity activity=a ticket/> }.into_any())
                        .unwrap_or_else(|_| view! { <p class="muted">"The record's flow activity cannot be shown right now."</p> }.into_any())
                })}
            </Transition>
        }
    })
}

#[component]
fn Activity(activity: RecordActivity, ticket: bool) -> impl IntoView {
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
                    <div><dt>"Approvals waiting"</dt><dd data-testid="approvals-waiting">{approvals_waiting}</dd></div>
                    <div><dt>"Approvals decided"</dt><dd data-testid="approvals-decided">{approvals_decided}</dd></div>
                </dl>
            })}
            <section>
                <h2>{if ticket { "Flows made on this ticket" } else { "Flows made on this account" }}</h2>
                {if flows.is_empty() {
                    view! { <p class="empty">"No flows yet. Create one with the widgets above."</p> }.into_any()
                } else {
                    view! {
                        <ul class="linked-flows" data-testid="linked-flows">
                            {flows.into_iter().map(|f| {
                                let name = f.template.as_deref()
                                    .and_then(domain::placement::templates::name)
                                    .unwrap_or("Flow")
                                    .to_owned();
                                view! {
                                    <li data-flow=f.flow_id.clone()>
                                        <a href=f.flow_url target="_blank" rel="external noopener">{name}</a>
                                        <span class="muted">{format!(" — {} · {}", f.created_by, when(f.created_at))}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section>
                <h2>"Activity"</h2>
                {if events.is_empty() {
                    view! { <p class="empty">"Nothing has happened here in Power Automate yet."</p> }.into_any()
                } else {
                    view! {
                        <ol class="timeline" data-testid="timeline">
                            {events.iter().map(|e| view! {
                                <li data-kind=e.kind.as_str() data-confirmed=e.confirmed.to_string()>
                                    <span>{describe(e)}</span>
                                    {(!e.confirmed).then(|| view! {
                                        <span class="reported">{format!(" ({})", reported_by(e.kind))}</span>
                                    })}
                                    <span class="muted">{format!(" · {}", when(e.at))}</span>
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
fn reported_by(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Approval => "reported by the approvals widget",
        EventKind::FlowLinked | EventKind::RunCompleted => "reported by a widget",
    }
}

fn describe(e: &RecordEvent) -> String {
    match e.kind {
        EventKind::FlowLinked => format!("{} created the flow “{}”", e.actor, e.subject),
        EventKind::RunCompleted => format!("{} ran “{}”: {}", e.actor, e.subject, e.outcome),
        EventKind::Approval if e.outcome == "waiting" => {
            format!("Approval “{}” is waiting", e.subject)
        }
        EventKind::Approval => format!("Approval “{}” {} by {}", e.subject, e.outcome, e.actor),
    }
}
