use super::{id_param, loaded};
use crate::api::get_new_ticket_form;
use crate::components::{FieldError, FirstInvalid, Notice, TextArea};
use crate::pages::ticket::PrioritySelect;
use domain::ticket::TITLE_MAX;
use i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewTicketPage() -> impl IntoView {
    let lang = crate::lang::use_lang();
    let id = id_param("id");
    let page = Resource::new(id, |id| async move { get_new_ticket_form(id?).await });

    loaded(page, move |page| {
        let account = page.record;
        let form = page.form;
        let base = format!("/accounts/{}", account.id);
        let action = format!("{base}/tickets/new");
        let invalid = |field: &str| form.errors.get(field).is_some().to_string();
        let focus = FirstInvalid::default();
        let first = |field: &str| focus.autofocus(form.errors.get(field).is_some());
        view! {
            <Title text=t!(lang, "new-ticket-title", account = account.name.as_str())/>
            <nav class="crumbs" aria-label=t!(lang, "page-breadcrumb")><a href="/accounts">{t!(lang, "accounts-title")}</a>" / "<a href=base.clone()>{account.name.clone()}</a></nav>
            <h1>{t!(lang, "new-ticket-heading")}</h1>
            <Notice message=form.notice.clone() error=true/>
            <form class="record-form" method="post" action=action>
                <input type="hidden" name="csrf_token" value=page.csrf/>
                <div class="field">
                    <label for="title">{t!(lang, "field-title")}</label>
                    <TitleInput title=form.values.title.clone() refused=form.errors.get("title").is_some()
                        autofocus=first("title")/>
                    <FieldError id="title-error" message=form.error("title")/>
                </div>
                <div class="field">
                    <label for="description">{t!(lang, "field-description")}</label>
                    <TextArea id="description" rows=6 text=form.values.description.clone()
                        invalid=form.errors.get("description").is_some() autofocus=first("description")/>
                    <FieldError id="description-error" message=form.error("description")/>
                </div>
                <PrioritySelect selected=form.values.priority.clone() error=form.error("priority") autofocus=first("priority")/>
                <div class="field">
                    <label for="requester">{t!(lang, "field-requester")}</label>
                    <input id="requester" name="requester" type="text" value=form.values.requester.clone()
                        autofocus=first("requester") aria-invalid=invalid("requester")
                        aria-describedby=form.errors.get("requester").is_some().then_some("requester-error")/>
                    <FieldError id="requester-error" message=form.error("requester")/>
                </div>
                <p class="actions">
                    <button type="submit">{t!(lang, "new-ticket-create")}</button>
                    <a class="button secondary" href=base>{t!(lang, "new-ticket-cancel")}</a>
                </p>
            </form>
        }
    })
}

/// The title field and how many of its `TITLE_MAX` characters are used, counted as one types:
/// hydrated in the browser on its own.
#[island]
fn TitleInput(title: String, refused: bool, autofocus: bool) -> impl IntoView {
    // The attribute carries what was typed into the server's HTML; the property follows typing.
    let typed = title.clone();
    let title = RwSignal::new(title);
    let described = if refused {
        "title-error title-count"
    } else {
        "title-count"
    };
    view! {
        <input id="title" name="title" type="text" autocomplete="off" autofocus=autofocus value=typed
            aria-invalid=refused.to_string()
            aria-describedby=described
            prop:value=move || title.get()
            on:input=move |ev| title.set(event_target_value(&ev))/>
        <p class="hint" id="title-count" data-testid="title-count">
            {move || format!("{}/{TITLE_MAX}", title.with(|t| t.trim().chars().count()))}
        </p>
    }
}
