//! The console history's list of the staff's previews of customer records. Each
//! organisation's admins see their own on `/settings/flows`.

use super::loaded;
use crate::tenant_flows::{STAFF_PREVIEWS_SHOWN, StaffPreviewRow, get_staff_previews};
use i18n::t;
use leptos::prelude::*;

/// Who previewed which organisation's record, and when; newest first.
#[component]
pub fn StaffPreviews() -> impl IntoView {
    let lang = crate::lang::use_lang();
    let previews = Resource::new(|| (), |_| get_staff_previews());
    loaded(previews, move |previews: Vec<StaffPreviewRow>| {
        view! {
            <section id="staff-previews" data-testid="staff-previews">
                <h2>{t!(lang, "staff-previews-heading")}</h2>
                <p class="hint">{t!(lang, "staff-previews-hint", max = STAFF_PREVIEWS_SHOWN)}</p>
                {if previews.is_empty() {
                    view! { <p class="empty">{t!(lang, "staff-previews-none")}</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {previews.into_iter().map(|p| view! {
                                <li>{t!(
                                    lang,
                                    "staff-previews-entry",
                                    at = i18n::date_time(lang, p.at),
                                    staff = p.staff(),
                                    organisation = p.organisation.as_str(),
                                    record = p.record(lang)
                                )}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        }
    })
}
