use super::{id_param, loaded};
use crate::api::get_new_ticket_form;
use crate::components::{FieldError, Notice, TextArea};
use crate::pages::ticket::PrioritySelect;
use domain::ticket::TITLE_MAX;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewTicketPage() -> impl IntoView {
    let id = id_param("id");
    let page = Resource::new(id, |id| async move { get_new_ticket_form(id?).await });

    loaded(page, |page| {
        let account = page.record;
        let form = page.form;
        let base = format!("/accounts/{}", account.id);
        let action = format!("{base}/tickets/new");
        let title = RwSignal::new(form.values.title.clone());
        let invalid = |field: &str| form.errors.get(field).is_some().to_string();
        view! {
            <Title text=format!("New ticket for {}", account.name)/>
            <nav class="crumbs" aria-label="Breadcrumb"><a href="/accounts">"Accounts"</a>" / "<a href=base.clone()>{account.name.clone()}</a></nav>
            <h1>"New ticket"</h1>
            <Notice message=form.notice.clone() error=true/>
            <form class="record-form" method="post" action=action>
                <input type="hidden" name="csrf_token" value=page.csrf/>
                <div class="field">
                    <label for="title">"Title"</label>
                    <input id="title" name="title" type="text" autocomplete="off"
                        aria-invalid=invalid("title") aria-describedby="title-error title-count"
                        prop:value=move || title.get()
                        on:input=move |ev| title.set(event_target_value(&ev))/>
                    <p class="hint" id="title-count" data-testid="title-count">
                        {move || format!("{}/{TITLE_MAX}", title.with(|t| t.trim().chars().count()))}
                    </p>
                    <FieldError id="title-error" message=form.error("title")/>
                </div>
                <div class="field">
                    <label for="description">"Description"</label>
                    <TextArea id="description" rows=6 text=form.values.description.clone()
                        invalid=form.errors.get("description").is_some()/>
                    <FieldError id="description-error" message=form.error("description")/>
                </div>
                <PrioritySelect selected=form.values.priority.clone() error=form.error("priority")/>
                <div class="field">
                    <label for="requester">"Requester"</label>
                    <input id="requester" name="requester" type="text" value=form.values.requester.clone()
                        aria-invalid=invalid("requester") aria-describedby="requester-error"/>
                    <FieldError id="requester-error" message=form.error("requester")/>
                </div>
                <p class="actions">
                    <button type="submit">"Create ticket"</button>
                    <a class="button secondary" href=base>"Cancel"</a>
                </p>
            </form>
        }
    })
}
