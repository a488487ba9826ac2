//! Importing a configuration exported from another instance: checked whole, its changes
//! shown, then applied all at once.

use super::super::loaded;
use super::console_nav;
use crate::components::{Notice, TextArea};
use crate::console::{ImportPage as ImportData, get_import_page};
use i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ImportPage() -> impl IntoView {
    let lang = crate::lang::use_lang();
    let page = Resource::new(|| (), |_| get_import_page());
    loaded(page, move |p: ImportData| {
        let draft = p.draft;
        let checked = draft.changes.clone();
        let refused = !draft.problems.is_empty();
        view! {
            <Title text=t!(lang, "console-import-title")/>
            {console_nav(lang)}
            <h1>{t!(lang, "console-import-heading")}</h1>
            <p class="lead">{t!(lang, "console-import-lead")}</p>
            <Notice message=draft.notice.clone() error=refused/>
            {refused.then(|| view! {
                <ul class="problems field-error" id="document-error" data-testid="import-problems">
                    {draft.problems.iter().map(|x| view! { <li>{x.show(lang)}</li> }).collect_view()}
                </ul>
            })}
            {checked.map(|changes| view! {
                <section data-testid="import-changes">
                    <h2>{t!(lang, "console-import-changes")}</h2>
                    {if changes.is_empty() {
                        view! { <p class="empty">{t!(lang, "console-import-no-changes")}</p> }.into_any()
                    } else {
                        view! { <ul>{changes.into_iter().map(|c| view! { <li>{c.show(lang)}</li> }).collect_view()}</ul> }.into_any()
                    }}
                    <form method="post" action="/admin/widgets/import">
                        <input type="hidden" name="csrf_token" value=p.csrf.clone()/>
                        <input type="hidden" name="base" value=draft.base.to_string()/>
                        <input type="hidden" name="document" value=draft.document.clone()/>
                        <button type="submit" name="intent" value="apply">{t!(lang, "console-import-apply")}</button>
                    </form>
                </section>
            })}
            <form class="record-form" method="post" action="/admin/widgets/import">
                <input type="hidden" name="csrf_token" value=p.csrf.clone()/>
                <div class="field">
                    <label for="document">{t!(lang, "console-import-file")}</label>
                    <TextArea id="document" rows=14 text=draft.document.clone() invalid=refused autofocus=refused/>
                </div>
                <p class="actions"><button type="submit" name="intent" value="check">{t!(lang, "console-import-check")}</button></p>
            </form>
            <p class="muted">{t!(lang, "console-import-in-use", version = p.version)}</p>
        }
    })
}
