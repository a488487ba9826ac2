use super::{FlowActivity, PowerAutomate, WidgetSlot};
use super::{id_param, loaded};
use crate::api::get_ticket;
use crate::components::{FieldError, FirstInvalid, Notice, TextArea};
use crate::forms::FormState;
use domain::placement::PageKind;
use domain::{Comment, CommentInput, CommentVia, Priority, Status};
use i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TicketPage() -> impl IntoView {
    let lang = crate::lang::use_lang();
    let account = id_param("id");
    let ticket = id_param("ticket");
    let page = Resource::new(
        move || (account(), ticket()),
        |(account, ticket)| async move { get_ticket(account?, ticket?).await },
    );

    let power_automate = PowerAutomate::new(
        PageKind::Ticket,
        untrack(|| (account().ok(), ticket().ok())),
    );
    loaded(page, move |page| {
        let detail = page.record;
        let (account, ticket) = (detail.account, detail.ticket);
        let (comments, more_comments) = (detail.comments, detail.more_comments);
        let comment_form = CommentForm {
            action: format!("/accounts/{}/tickets/{}/comments", account.id, ticket.id),
            csrf: page.csrf.clone(),
            state: detail.comment,
        };
        let form = page.form;
        let focus = FirstInvalid::default();
        let base = format!("/accounts/{}", account.id);
        let action = format!("{base}/tickets/{}", ticket.id);
        view! {
            <Title text=format!("#{} {}", ticket.id, ticket.title)/>
            <nav class="crumbs" aria-label=t!(lang, "page-breadcrumb")><a href="/accounts">{t!(lang, "accounts-title")}</a>" / "<a href=base.clone()>{account.name}</a></nav>
            <Notice message=form.notice.clone() error=form.refused/>
            <div class="page-head">
                <h1><span class="muted">{format!("#{} ", ticket.id)}</span>{ticket.title}</h1>
            </div>
            <WidgetSlot of=power_automate at="top"/>
            <dl class="facts">
                <div><dt>{t!(lang, "field-status")}</dt><dd data-testid="ticket-status">{ticket.status.label().show(lang)}</dd></div>
                <div><dt>{t!(lang, "field-priority")}</dt><dd data-testid="ticket-priority">{ticket.priority.label().show(lang)}</dd></div>
                <div><dt>{t!(lang, "field-requester")}</dt><dd>{ticket.requester}</dd></div>
                <div><dt>{t!(lang, "field-opened")}</dt><dd>{i18n::date_time(lang, ticket.created_at)}</dd></div>
                <div><dt>{t!(lang, "field-updated")}</dt><dd>{i18n::date_time(lang, ticket.updated_at)}</dd></div>
            </dl>
            <section class="description">
                <h2>{t!(lang, "field-description")}</h2>
                {if ticket.description.is_empty() {
                    view! { <p class="empty">{t!(lang, "ticket-no-description")}</p> }.into_any()
                } else {
                    view! { <p class="prewrap">{ticket.description}</p> }.into_any()
                }}
            </section>
            <Comments comments more=more_comments form=comment_form/>
            <h2>{t!(lang, "ticket-change")}</h2>
            <form class="record-form inline" method="post" action=action>
                <input type="hidden" name="csrf_token" value=page.csrf/>
                <StatusSelect selected=form.values.status.clone() error=form.error("status")
                    autofocus=focus.autofocus(form.errors.get("status").is_some())/>
                <PrioritySelect selected=form.values.priority.clone() error=form.error("priority")
                    autofocus=focus.autofocus(form.errors.get("priority").is_some())/>
                <p class="actions"><button type="submit">{t!(lang, "ticket-save-changes")}</button></p>
            </form>
            <WidgetSlot of=power_automate at="main"/>
            <FlowActivity of=power_automate/>
        }
    })
}

/// The ticket's comments, oldest first, each with who wrote it: a person, or a flow on a
/// person's behalf.
/// Where a person adds a comment, and what the last one they sent came to.
struct CommentForm {
    action: String,
    csrf: String,
    state: FormState<CommentInput>,
}

#[component]
fn Comments(comments: Vec<Comment>, more: bool, form: CommentForm) -> impl IntoView {
    let lang = crate::lang::use_lang();
    let refused = form.state.errors.get("text").is_some();
    let empty = comments.is_empty().then(|| t!(lang, "ticket-no-comments"));
    let more = more.then(|| {
        t!(
            lang,
            "ticket-comments-more",
            count = crate::api::COMMENTS_ON_TICKET_PAGE as i64
        )
    });
    let items = comments
        .into_iter()
        .map(|c| {
            let by = match c.via {
                CommentVia::Person => c.author_name,
                CommentVia::Flow => t!(lang, "comment-by-flow", name = c.author_name.as_str()),
            };
            let when = i18n::date_time(lang, c.created_at);
            view! {
                <li data-testid="comment">
                    <p class="meta"><span class="author">{by}</span>" · "<span class="muted">{when}</span></p>
                    <p class="prewrap">{c.body}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="comments" aria-labelledby="comments-heading">
            <h2 id="comments-heading">{t!(lang, "ticket-comments")}</h2>
            {empty.map(|text| view! { <p class="empty">{text}</p> })}
            <ol class="comment-list">{items}</ol>
            {more.map(|text| view! { <p class="muted">{text}</p> })}
            <form class="comment-form" method="post" action=form.action>
                <input type="hidden" name="csrf_token" value=form.csrf/>
                <Notice message=form.state.notice.clone() error=form.state.refused/>
                <div class="field">
                    <label for="text">{t!(lang, "ticket-add-comment")}</label>
                    <TextArea id="text" rows=3 text=form.state.values.text.clone()
                        invalid=refused autofocus=refused/>
                    <FieldError id="text-error" message=form.state.error("text")/>
                </div>
                <p class="actions"><button type="submit">{t!(lang, "ticket-comment-submit")}</button></p>
            </form>
        </section>
    }
}

/// A `<select>` over a closed set of words, keeping what was submitted selected.
#[component]
fn Choice(
    name: &'static str,
    label: String,
    options: Vec<(&'static str, String)>,
    selected: String,
    error: Option<i18n::Msg>,
    autofocus: bool,
) -> impl IntoView {
    let error_id = format!("{name}-error");
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <select id=name name=name autofocus=autofocus aria-invalid=error.is_some().to_string()
                aria-describedby=error.is_some().then(|| error_id.clone())>
                {options.into_iter().map(|(value, text)| {
                    view! { <option value=value selected=value == selected>{text}</option> }
                }).collect_view()}
            </select>
            <crate::components::FieldError id=error_id message=error/>
        </div>
    }
}

#[component]
pub fn PrioritySelect(
    selected: String,
    error: Option<i18n::Msg>,
    #[prop(optional)] autofocus: bool,
) -> impl IntoView {
    let lang = crate::lang::use_lang();
    let options = Priority::ALL
        .iter()
        .map(|p| (p.as_str(), p.label().show(lang)))
        .collect();
    view! { <Choice name="priority" label=t!(lang, "field-priority") options selected error autofocus/> }
}

#[component]
pub fn StatusSelect(
    selected: String,
    error: Option<i18n::Msg>,
    #[prop(optional)] autofocus: bool,
) -> impl IntoView {
    let lang = crate::lang::use_lang();
    let options = Status::ALL
        .iter()
        .map(|s| (s.as_str(), s.label().show(lang)))
        .collect();
    view! { <Choice name="status" label=t!(lang, "field-status") options selected error autofocus/> }
}
