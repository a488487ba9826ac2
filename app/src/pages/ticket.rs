use super::{FlowActivity, PowerAutomate, WidgetSlot};
use super::{id_param, loaded};
use crate::api::get_ticket;
use crate::components::{Notice, when};
use domain::placement::PageKind;
use domain::{Priority, Status};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TicketPage() -> impl IntoView {
    let account = id_param("id");
    let ticket = id_param("ticket");
    let page = Resource::new(
        move || (account(), ticket()),
        |(account, ticket)| async move { get_ticket(account?, ticket?).await },
    );

    let power_automate =
        PowerAutomate::new(PageKind::Ticket, move || (account().ok(), ticket().ok()));
    loaded(page, move |page| {
        let (account, ticket) = (page.record.account, page.record.ticket);
        let form = page.form;
        let base = format!("/accounts/{}", account.id);
        let action = format!("{base}/tickets/{}", ticket.id);
        view! {
            <Title text=format!("#{} {}", ticket.id, ticket.title)/>
            <nav class="crumbs" aria-label="Breadcrumb"><a href="/accounts">"Accounts"</a>" / "<a href=base.clone()>{account.name}</a></nav>
            <Notice message=form.notice.clone() error=form.refused/>
            <div class="page-head">
                <h1><span class="muted">{format!("#{} ", ticket.id)}</span>{ticket.title}</h1>
            </div>
            <WidgetSlot of=power_automate at="top"/>
            <dl class="facts">
                <div><dt>"Status"</dt><dd data-testid="ticket-status">{ticket.status.label()}</dd></div>
                <div><dt>"Priority"</dt><dd data-testid="ticket-priority">{ticket.priority.label()}</dd></div>
                <div><dt>"Requester"</dt><dd>{ticket.requester}</dd></div>
                <div><dt>"Opened"</dt><dd>{when(ticket.created_at)}</dd></div>
                <div><dt>"Updated"</dt><dd>{when(ticket.updated_at)}</dd></div>
            </dl>
            <section class="description">
                <h2>"Description"</h2>
                {if ticket.description.is_empty() {
                    view! { <p class="empty">"No description."</p> }.into_any()
                } else {
                    view! { <p class="prewrap">{ticket.description}</p> }.into_any()
                }}
            </section>
            <h2>"Change"</h2>
            <form class="record-form inline" method="post" action=action>
                <input type="hidden" name="csrf_token" value=page.csrf/>
                <StatusSelect selected=form.values.status.clone() error=form.error("status")/>
                <PrioritySelect selected=form.values.priority.clone() error=form.error("priority")/>
                <p class="actions"><button type="submit">"Save changes"</button></p>
            </form>
            <WidgetSlot of=power_automate at="main"/>
            <FlowActivity of=power_automate/>
        }
    })
}

/// A `<select>` over a closed set of words, keeping what was submitted selected.
#[component]
fn Choice(
    name: &'static str,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
    selected: String,
    error: Option<String>,
) -> impl IntoView {
    let error_id = format!("{name}-error");
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <select id=name name=name aria-invalid=error.is_some().to_string() aria-describedby=error_id.clone()>
                {options.into_iter().map(|(value, text)| {
                    view! { <option value=value selected=value == selected>{text}</option> }
                }).collect_view()}
            </select>
            {error.map(|message| view! { <p class="field-error" id=error_id role="alert">{message}</p> })}
        </div>
    }
}

#[component]
pub fn PrioritySelect(selected: String, error: Option<String>) -> impl IntoView {
    let options = Priority::ALL
        .iter()
        .map(|p| (p.as_str(), p.label()))
        .collect();
    view! { <Choice name="priority" label="Priority" options selected error/> }
}

#[component]
pub fn StatusSelect(selected: String, error: Option<String>) -> impl IntoView {
    let options = Status::ALL
        .iter()
        .map(|s| (s.as_str(), s.label()))
        .collect();
    view! { <Choice name="status" label="Status" options selected error/> }
}
