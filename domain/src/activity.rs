//! What Power Automate leaves on a record: the flows made on it, its timeline of flow events,
//! and the approvals raised on a ticket.

use crate::account::AccountId;
use crate::ticket::TicketId;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// An account, or one of its tickets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRef {
    pub account: AccountId,
    pub ticket: Option<TicketId>,
}

/// A flow someone created from a widget on the record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkedFlow {
    pub flow_id: String,
    pub flow_url: String,
    /// The gallery template it was made from.
    pub template: Option<String>,
    pub ticket: Option<TicketId>,
    pub created_by: String,
    pub created_at: OffsetDateTime,
}

word_enum!(EventKind, "field-event-kind", {
    FlowLinked => "flow_linked", "event-flow-linked",
    RunCompleted => "run_completed", "event-run-completed",
    Approval => "approval", "event-approval",
});

word_enum!(ApprovalState, "field-approval-state", {
    Pending => "pending", "approval-pending",
    Approved => "approved", "approval-approved",
    Rejected => "rejected", "approval-rejected",
});

impl ApprovalState {
    /// The status as the approvals widget reports it (`Pending`, `Approved`, `Rejected`).
    pub fn from_widget(status: &str) -> Option<ApprovalState> {
        ApprovalState::parse(&status.to_ascii_lowercase())
    }

    /// The state a timeline entry's outcome names: the state's word, or in entries stored
    /// before the words, its English label (`waiting` for pending).
    pub fn from_outcome(outcome: &str) -> Option<ApprovalState> {
        match outcome {
            "waiting" => Some(ApprovalState::Pending),
            other => ApprovalState::parse(other),
        }
    }
}

/// One entry of a record's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordEvent {
    pub kind: EventKind,
    /// The flow or approval it is about.
    pub subject: String,
    /// The run's status or the approval's decision; empty for a new flow.
    pub outcome: String,
    pub actor: String,
    pub at: OffsetDateTime,
    /// Flowhost confirmed it with the Flow service; otherwise it is as a widget reported it.
    #[serde(default)]
    pub confirmed: bool,
}

/// Everything Power Automate left on one record, newest first. The approval counts hold
/// confirmed approvals only.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordActivity {
    pub flows: Vec<LinkedFlow>,
    pub events: Vec<RecordEvent>,
    pub approvals_waiting: i64,
    pub approvals_decided: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_approvals_timeline_word_reads_back_as_its_state() {
        for state in ApprovalState::ALL {
            assert_eq!(ApprovalState::from_outcome(state.as_str()), Some(*state));
        }
        assert_eq!(
            ApprovalState::from_outcome("waiting"),
            Some(ApprovalState::Pending)
        );
        assert_eq!(ApprovalState::from_outcome("succeeded"), None);
    }
}
