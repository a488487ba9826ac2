//! The configuration's versions, newest first, each with what it changed; restoring one saves
//! it as a new version. Below, the staff's previews of customer records.

use super::super::loaded;
use super::super::staff_previews::StaffPreviews;
use super::console_nav;
use crate::components::Notice;
use crate::console::{History, get_history};
use i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HistoryPage() -> impl IntoView {
    let lang = crate::lang::use_lang();
    let history = Resource::new(|| (), |_| get_history());
    let versions = loaded(history, move |h: History| {
        let notice = h.notice.as_ref().and_then(|n| n.notice.clone());
        let refused = h.notice.as_ref().is_some_and(|n| n.refused);
        view! {
            <Title text=t!(lang, "console-history-title")/>
            {console_nav(lang)}
            <h1>{t!(lang, "console-history-heading")}</h1>
            <Notice message=notice error=refused/>
            <ol class="history" data-testid="history" reversed>
                {h.versions.into_iter().map(|v| {
                    let current = v.version == h.current;
                    view! {
                        <li data-version=v.version>
                            <p>
                                <strong>{t!(lang, "console-history-version", version = v.version)}</strong>
                                " · "{v.author}" · "{i18n::date_time(lang, v.saved_at)}
                                {current.then(|| view! { " · "{t!(lang, "console-history-current")} })}
                            </p>
                            <ul>{v.changes.into_iter().map(|c| view! { <li>{c.show(lang)}</li> }).collect_view()}</ul>
                            {(!current).then(|| view! {
                                <form method="post" action=format!("/admin/widgets/history/{}", v.version)>
                                    <input type="hidden" name="csrf_token" value=h.csrf.clone()/>
                                    <input type="hidden" name="base" value=h.current.to_string()/>
                                    <button type="submit" class="button secondary">
                                        {t!(lang, "console-restore-version", version = v.version)}
                                    </button>
                                </form>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
    });
    view! { {versions} <StaffPreviews/> }
}
