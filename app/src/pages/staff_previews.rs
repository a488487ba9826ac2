//! The console history's list of the staff's previews of customer records. Each
//! organisation's admins see their own on `/settings/flows`.

use super::loaded;
use crate::components::when;
use crate::tenant_flows::{STAFF_PREVIEWS_SHOWN, StaffPreviewRow, get_staff_previews};
use leptos::prelude::*;

/// Who previewed which organisation's record, and when; newest first.
#[component]
pub fn StaffPreviews() -> impl IntoView {
    let previews = Resource::new(|| (), |_| get_staff_previews());
    loaded(previews, |previews: Vec<StaffPreviewRow>| {
        view! {
            <section id="staff-previews" data-testid="staff-previews">
                <h2>"Previews of customer records"</h2>
                <p class="hint">{format!(
                    "Every preview that showed an organisation's account or ticket, newest first (at most {STAFF_PREVIEWS_SHOWN}). Each organisation's admins see their own on their Power Automate settings."
                )}</p>
                {if previews.is_empty() {
                    view! { <p class="empty">"No customer record has been previewed."</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {previews.into_iter().map(|p| view! {
                                <li>{format!("{} · {} previewed {}'s {}", when(p.at), p.staff(), p.organisation, p.record())}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        }
    })
}
