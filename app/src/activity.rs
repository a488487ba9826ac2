//! A record's activity as the person reading it sees it: what Power Automate left on the
//! record (the flows made on it, its timeline, on a ticket its approvals), put in words in
//! their language on the server. The browser's island shows these words as they come.

use domain::EventKind;
#[cfg(feature = "ssr")]
use domain::{ApprovalState, RecordActivity, RecordEvent};
#[cfg(feature = "ssr")]
use i18n::{Lang, Msg, t};
use serde::{Deserialize, Serialize};

/// A record's activity, with the words it is shown in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityView {
    pub flows: Vec<FlowLine>,
    /// Newest first.
    pub events: Vec<EventLine>,
    /// Confirmed approvals only.
    pub approvals_waiting: i64,
    pub approvals_decided: i64,
    pub heads: ActivityHeads,
}

/// A flow made on the record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowLine {
    pub flow_id: String,
    pub flow_url: String,
    /// The gallery template it was made from.
    pub template: Option<String>,
    /// The template's name, or words for a flow Flowhost cannot name.
    pub name: String,
    /// Who made it, and when.
    pub made: String,
}

/// An entry of the record's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventLine {
    pub kind: EventKind,
    /// The run's status or the approval's decision, as Power Automate gave it.
    pub outcome: String,
    /// Flowhost confirmed it with the Flow service.
    pub confirmed: bool,
    pub text: String,
    /// For an entry the Flow service did not confirm: whom it was reported by.
    pub reported: Option<String>,
    pub at: String,
}

/// The headings and the words for an empty list; on a ticket, the approval counts' labels.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActivityHeads {
    /// `(waiting, decided)`, on a ticket.
    pub approvals: Option<(String, String)>,
    pub flows: String,
    pub no_flows: String,
    pub timeline: String,
    pub no_events: String,
}

/// `activity`, of a ticket or else an account, in `lang`.
#[cfg(feature = "ssr")]
pub fn worded(lang: Lang, activity: RecordActivity, ticket: bool) -> ActivityView {
    let RecordActivity {
        flows,
        events,
        approvals_waiting,
        approvals_decided,
    } = activity;
    let heads = ActivityHeads {
        approvals: ticket.then(|| {
            (
                t!(lang, "activity-approvals-waiting"),
                t!(lang, "activity-approvals-decided"),
            )
        }),
        flows: if ticket {
            t!(lang, "activity-flows-on-ticket")
        } else {
            t!(lang, "activity-flows-on-account")
        },
        no_flows: t!(lang, "activity-no-flows"),
        timeline: t!(lang, "activity-heading"),
        no_events: t!(lang, "activity-none"),
    };
    let flows = flows
        .into_iter()
        .map(|f| FlowLine {
            name: f
                .template
                .as_deref()
                .and_then(domain::placement::templates::name)
                .map_or_else(|| t!(lang, "activity-unnamed-flow"), str::to_owned),
            made: format!(
                " — {} · {}",
                f.created_by,
                i18n::date_time(lang, f.created_at)
            ),
            flow_id: f.flow_id,
            flow_url: f.flow_url,
            template: f.template,
        })
        .collect();
    let events = events
        .iter()
        .map(|e| EventLine {
            kind: e.kind,
            outcome: e.outcome.clone(),
            confirmed: e.confirmed,
            text: describe(lang, e),
            reported: (!e.confirmed).then(|| format!(" ({})", reported_by(lang, e.kind))),
            at: format!(" · {}", i18n::date_time(lang, e.at)),
        })
        .collect();
    ActivityView {
        flows,
        events,
        approvals_waiting,
        approvals_decided,
        heads,
    }
}

/// Who Flowhost has an entry from when the Flow service did not confirm it.
#[cfg(feature = "ssr")]
fn reported_by(lang: Lang, kind: EventKind) -> String {
    match kind {
        EventKind::Approval => t!(lang, "activity-reported-by-approvals"),
        EventKind::FlowLinked | EventKind::RunCompleted => t!(lang, "activity-reported-by-widget"),
    }
}

/// A timeline entry in words. A flow Flowhost cannot name has an empty subject (`a flow` in
/// older entries).
#[cfg(feature = "ssr")]
fn describe(lang: Lang, e: &RecordEvent) -> String {
    let actor = e.actor.as_str();
    let unnamed = e.subject.is_empty() || e.subject == "a flow";
    let flow = e.subject.as_str();
    match e.kind {
        EventKind::FlowLinked if unnamed => t!(lang, "activity-flow-linked-unnamed", actor = actor),
        EventKind::FlowLinked => t!(lang, "activity-flow-linked", actor = actor, flow = flow),
        EventKind::RunCompleted => {
            let outcome =
                run_outcome(&e.outcome).map_or_else(|| e.outcome.clone(), |m| m.show(lang));
            if unnamed {
                t!(
                    lang,
                    "activity-run-unnamed",
                    actor = actor,
                    outcome = outcome
                )
            } else {
                t!(
                    lang,
                    "activity-run",
                    actor = actor,
                    flow = flow,
                    outcome = outcome
                )
            }
        }
        EventKind::Approval => {
            let state = ApprovalState::from_outcome(&e.outcome);
            let shown = state.map_or_else(|| e.outcome.clone(), |s| s.label().show(lang));
            if state == Some(ApprovalState::Pending) {
                t!(
                    lang,
                    "activity-approval-waiting",
                    subject = flow,
                    state = shown
                )
            } else {
                t!(
                    lang,
                    "activity-approval-decided",
                    subject = flow,
                    state = shown,
                    actor = actor
                )
            }
        }
    }
}

/// The name of a run's status as Power Automate reports it (`Succeeded`, `Failed`, …), in any
/// case; `None` for a status Flowhost has no name for.
#[cfg(feature = "ssr")]
fn run_outcome(status: &str) -> Option<Msg> {
    let name = match status.to_ascii_lowercase().as_str() {
        "succeeded" => Msg::new("run-status-succeeded"),
        "failed" => Msg::new("run-status-failed"),
        "cancelled" | "canceled" => Msg::new("run-status-cancelled"),
        "running" => Msg::new("run-status-running"),
        "waiting" => Msg::new("run-status-waiting"),
        "skipped" => Msg::new("run-status-skipped"),
        "suspended" => Msg::new("run-status-suspended"),
        "timedout" => Msg::new("run-status-timed-out"),
        "aborted" => Msg::new("run-status-aborted"),
        "faulted" => Msg::new("run-status-faulted"),
        _ => return None,
    };
    Some(name)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn event(kind: EventKind, subject: &str, outcome: &str) -> RecordEvent {
        RecordEvent {
            kind,
            subject: subject.into(),
            outcome: outcome.into(),
            actor: "Alex Wilber".into(),
            at: datetime!(2026-03-01 09:30 UTC),
            confirmed: true,
        }
    }

    #[test]
    fn the_timeline_keeps_its_english_wording() {
        let en = |kind, subject, outcome| describe(Lang::En, &event(kind, subject, outcome));
        assert_eq!(
            en(EventKind::FlowLinked, "Escalate a ticket to Teams", ""),
            "Alex Wilber created the flow “Escalate a ticket to Teams”"
        );
        assert_eq!(
            en(EventKind::FlowLinked, "", ""),
            "Alex Wilber created a flow"
        );
        assert_eq!(
            en(
                EventKind::RunCompleted,
                "Request approval for a ticket",
                "succeeded"
            ),
            "Alex Wilber ran “Request approval for a ticket”: succeeded"
        );
        assert_eq!(
            en(EventKind::RunCompleted, "a flow", "TimedOut"),
            "Alex Wilber ran a flow: timed out"
        );
        assert_eq!(
            en(EventKind::RunCompleted, "Digest", "Exploded"),
            "Alex Wilber ran “Digest”: Exploded",
            "an unknown status is shown as it came"
        );
        for pending in ["pending", "waiting"] {
            assert_eq!(
                en(EventKind::Approval, "Approve: Printer", pending),
                "Approval “Approve: Printer” is waiting"
            );
        }
        assert_eq!(
            en(EventKind::Approval, "Approve: Printer", "approved"),
            "Approval “Approve: Printer” approved by Alex Wilber"
        );
    }

    #[test]
    fn the_timeline_speaks_dutch() {
        let nl = |kind, subject, outcome| describe(Lang::Nl, &event(kind, subject, outcome));
        assert_eq!(
            nl(EventKind::RunCompleted, "Digest", "Failed"),
            "Alex Wilber heeft “Digest” uitgevoerd: mislukt"
        );
        for pending in ["pending", "waiting"] {
            assert_eq!(
                nl(EventKind::Approval, "Approve: Printer", pending),
                "Goedkeuring “Approve: Printer” is in afwachting"
            );
        }
        assert_eq!(
            nl(EventKind::Approval, "Approve: Printer", "rejected"),
            "Goedkeuring “Approve: Printer” afgewezen door Alex Wilber"
        );
        assert_eq!(
            reported_by(Lang::Nl, EventKind::Approval),
            "gemeld door de goedkeuringswidget"
        );
    }
}
