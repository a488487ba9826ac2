//! The Power Automate part of a page: its widgets, and on a record what they left there —
//! the flows made on it, its timeline and, on a ticket, its approvals.

use crate::activity::ActivityView;
use crate::components::here;
use crate::errors::AppError;
#[cfg(feature = "hydrate")]
use crate::widgets::RECORD_CHANGED;
use crate::widgets::strings::texts_element;
use crate::widgets::{FlowWidgets, WidgetPanel, get_record_activity, get_widget_panel};
use domain::placement::PageKind;
use i18n::t;
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
    read: Resource<Result<ActivityView, AppError>>,
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
                        // The page's widgets' texts, once: with the main slot.
                        let texts = (at == "main" && !panel.widgets.is_empty())
                            .then(|| texts_element(panel.lang));
                        panel.widgets.retain(|w| w.slot == at);
                        let note = panel.licence_note.take().filter(|_| at == "main" && !panel.widgets.is_empty());
                        let slot = (!panel.widgets.is_empty()).then(|| view! {
                            <section class=format!("power-automate slot-{at}") aria-label=t!(lang, "power-automate-label")>
                                {note.map(|note| super::licences::licence_note(lang, note))}
                                <FlowWidgets panel here/>
                            </section>
                        });
                        view! { {texts}{slot} }.into_any()
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

/// The record's activity as the server read and worded it; in the browser it is read again
/// whenever a widget's event was recorded on the record. Of reads that overlap, only the last
/// one asked for is shown, whatever order their answers come in.
#[island]
fn LiveActivity(activity: ActivityView, account: i64, ticket: Option<i64>) -> impl IntoView {
    let current = RwSignal::new(activity);
    #[cfg(not(feature = "hydrate"))]
    let _ = (account, ticket);
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
    move || view! { <Activity activity=current.get()/> }
}

#[component]
fn Activity(activity: ActivityView) -> impl IntoView {
    let ActivityView {
        flows,
        events,
        approvals_waiting,
        approvals_decided,
        heads,
    } = activity;
    view! {
        <div class="flow-activity">
            {heads.approvals.map(|(waiting, decided)| view! {
                <dl class="facts">
                    <div><dt>{waiting}</dt><dd data-testid="approvals-waiting">{approvals_waiting}</dd></div>
                    <div><dt>{decided}</dt><dd data-testid="approvals-decided">{approvals_decided}</dd></div>
                </dl>
            })}
            <section>
                <h2>{heads.flows}</h2>
                {if flows.is_empty() {
                    view! { <p class="empty">{heads.no_flows}</p> }.into_any()
                } else {
                    view! {
                        <ul class="linked-flows" data-testid="linked-flows">
                            {flows.into_iter().map(|f| view! {
                                <li data-flow=f.flow_id>
                                    <a href=f.flow_url target="_blank" rel="external noopener">{f.name}</a>
                                    <span class="muted">{f.made}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section>
                <h2>{heads.timeline}</h2>
                {if events.is_empty() {
                    view! { <p class="empty">{heads.no_events}</p> }.into_any()
                } else {
                    view! {
                        <ol class="timeline" data-testid="timeline">
                            {events.into_iter().map(|e| view! {
                                <li data-kind=e.kind.as_str() data-confirmed=e.confirmed.to_string()>
                                    <span>{e.text}</span>
                                    {e.reported.map(|r| view! { <span class="reported">{r}</span> })}
                                    <span class="muted">{e.at}</span>
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </section>
        </div>
    }
}
