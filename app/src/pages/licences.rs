//! An organisation's Power Automate licences in plain words: how many people can run flows
//! that use Flowhost, what each licence includes, the people who cannot and what to do. The
//! same section serves the organisation's admin (`/settings/flows`) and the ISV's staff.

use crate::components::Notice;
use crate::licences::{LicenceNote, OrgLicences, outcome_msg};
use domain::licence::{Capability, LicenceReading, ReadOutcome, Rights, SkuReading};
use i18n::{Lang, t};
use leptos::prelude::*;

/// Where the section's "read now" posts, and the organisation it names (the console's form).
pub struct Refresh {
    pub path: &'static str,
    pub tenant: Option<String>,
    pub csrf: String,
}

pub fn licences_section(lang: Lang, org: OrgLicences, refresh: Refresh) -> impl IntoView {
    let OrgLicences {
        reading,
        people,
        people_total,
        form,
    } = org;
    let status = reading.as_ref().map(|r| read_status(lang, r));
    let summary = reading.as_ref().and_then(|r| {
        r.coverage().map(|c| {
            view! {
                <p class="lead" data-testid="licence-summary">
                    {t!(lang, "licences-summary", covered = c.covered, people = c.people)}
                </p>
            }
        })
    });
    let skus = reading
        .as_ref()
        .and_then(|r| r.skus.clone())
        .map(|skus| sku_table(lang, skus));
    let free = reading
        .as_ref()
        .and_then(LicenceReading::coverage)
        .map_or(0, |c| c.free);
    let shown = people.len() as i64;
    view! {
        <section aria-labelledby="licences-heading" data-testid="licences">
            <h2 id="licences-heading">{t!(lang, "licences-heading")}</h2>
            <p class="hint">{t!(lang, "licences-intro")}</p>
            <Notice message=form.notice.clone() error=form.refused/>
            {match status {
                Some(status) => status.into_any(),
                None => view! { <p data-testid="licence-status">{t!(lang, "licences-never-read")}</p> }.into_any(),
            }}
            {summary}
            {skus}
            {(people_total > 0).then(|| view! {
                <h3>{t!(lang, "licences-people-heading", count = people_total)}</h3>
                <ul data-testid="people-without-cover">
                    {people.into_iter().map(|p| {
                        let why = if p.pending {
                            t!(lang, "licences-person-pending")
                        } else if p.rights == Rights::Standard {
                            t!(lang, "licences-person-standard")
                        } else {
                            t!(lang, "licences-person-none")
                        };
                        view! { <li data-person=p.email.clone()>{format!("{} ({}) — {why}", p.name, p.email)}</li> }
                    }).collect_view()}
                </ul>
                {(people_total > shown).then(|| view! { <p class="hint">{t!(lang, "licences-people-more", count = people_total - shown)}</p> })}
                <p>{t!(lang, "licences-what-to-do", free = free)}</p>
            })}
            <form method="post" action=refresh.path>
                <input type="hidden" name="csrf_token" value=refresh.csrf/>
                {refresh.tenant.map(|tenant| view! { <input type="hidden" name="tenant" value=tenant/> })}
                <button type="submit" class="button secondary">{t!(lang, "licences-refresh")}</button>
            </form>
        </section>
    }
}

/// When the licences were read, and how the latest attempt went.
fn read_status(lang: Lang, r: &LicenceReading) -> impl IntoView {
    let read = r.read_at.map(|at| {
        view! { <p data-testid="licence-status">{t!(lang, "licences-read-at", at = i18n::date_time(lang, at))}</p> }
    });
    let failed = (r.outcome != ReadOutcome::Read).then(|| {
        let reason = outcome_msg(r.outcome).show(lang);
        let text = if r.read_at.is_some() {
            t!(lang, "licences-attempt-failed", at = i18n::date_time(lang, r.attempt_at), reason = reason)
        } else {
            t!(lang, "licences-never-read-because", reason = reason)
        };
        view! { <p class="notice notice-error" role="alert" data-testid="licence-problem" data-outcome=r.outcome.as_str()>{text}</p> }
    });
    view! { {read}{failed} }
}

fn sku_table(lang: Lang, skus: Vec<SkuReading>) -> impl IntoView {
    view! {
        <table class="records" data-testid="licence-skus">
            <thead><tr>
                <th scope="col">{t!(lang, "licences-col-licence")}</th>
                <th scope="col">{t!(lang, "licences-col-seats")}</th>
                <th scope="col">{t!(lang, "licences-col-state")}</th>
                <th scope="col">{t!(lang, "licences-col-flows")}</th>
            </tr></thead>
            <tbody>
                {skus.into_iter().map(|s| {
                    let flows = if s.covers() {
                        t!(lang, "licences-flows-run")
                    } else if s.pending {
                        t!(lang, "licences-flows-pending")
                    } else {
                        match s.rights {
                            Rights::Premium => t!(lang, "licences-flows-not-working"),
                            Rights::Standard => t!(lang, "licences-flows-standard"),
                            Rights::None => t!(lang, "licences-flows-none"),
                        }
                    };
                    view! {
                        <tr data-sku=s.part_number.clone()>
                            <th scope="row">{s.name()}</th>
                            <td>{t!(lang, "licences-seats", used = s.consumed, bought = s.enabled + s.warning)}</td>
                            <td>{capability_name(lang, s.capability)}</td>
                            <td>{flows}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A licence's state and what it means for its people.
pub fn capability_name(lang: Lang, capability: Option<Capability>) -> String {
    match capability {
        Some(Capability::Enabled) => t!(lang, "licence-state-enabled"),
        Some(Capability::Warning) => t!(lang, "licence-state-warning"),
        Some(Capability::Suspended) => t!(lang, "licence-state-suspended"),
        Some(Capability::LockedOut) => t!(lang, "licence-state-locked-out"),
        Some(Capability::Deleted) => t!(lang, "licence-state-deleted"),
        None => t!(lang, "licence-state-unknown"),
    }
}

/// The note next to a record page's widgets for a person whose licence does not cover flows
/// that use Flowhost.
pub fn licence_note(lang: Lang, note: LicenceNote) -> impl IntoView {
    let ask = if note.ask.is_empty() {
        t!(lang, "licence-note-ask-admin")
    } else {
        note.ask.join(", ")
    };
    let text = if note.pending {
        t!(lang, "licence-note-pending", ask = ask)
    } else {
        t!(lang, "licence-note", ask = ask)
    };
    view! { <p class="notice" role="note" data-testid="licence-note">{text}</p> }
}
