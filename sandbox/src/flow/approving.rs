//! "Start and wait for an approval" in a run: the approval made from the action's inputs
//! (`WebhookApprovalCreationInput/…`), and the answer the run gets when an approver responds.

use serde_json::{Map, Value, json};
use tokio::sync::oneshot;

use super::FlowService;
use super::runtime::RunContext;
use super::state::{Approval, ApprovalStatus, timestamp};

fn input<'p>(parameters: &'p Map<String, Value>, name: &str) -> Option<&'p str> {
    parameters
        .get(&format!("WebhookApprovalCreationInput/{name}"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Makes the approval and registers the run as waiting for it; the answer arrives on the
/// receiver. `assignedTo` takes addresses or object ids of the run's organisation, `;`
/// between them.
pub fn start(
    context: &RunContext,
    parameters: &Map<String, Value>,
) -> Result<oneshot::Receiver<Value>, String> {
    let flow = &context.flow;
    let title = input(parameters, "title")
        .ok_or("The approval needs a title (WebhookApprovalCreationInput/title).")?;
    let assigned = input(parameters, "assignedTo").ok_or(
        "The approval needs someone to approve it (WebhookApprovalCreationInput/assignedTo).",
    )?;
    let mut assigned_to = Vec::new();
    for who in assigned.split(';').map(str::trim).filter(|w| !w.is_empty()) {
        let found = flow.idp.directory.users().find(|(t, u)| {
            t.id.eq_ignore_ascii_case(&context.tenant)
                && (u.upn.eq_ignore_ascii_case(who) || u.object_id.eq_ignore_ascii_case(who))
        });
        match found {
            Some((_, user)) => assigned_to.push(user.object_id.clone()),
            None => {
                return Err(format!(
                    "'{who}' is not a person of this organisation, so the approval cannot be assigned to them."
                ));
            }
        }
    }
    let (answer, waiting) = oneshot::channel();
    let approval = Approval {
        name: uuid::Uuid::new_v4().to_string(),
        tenant: context.tenant.clone(),
        environment: context.environment.clone(),
        title: title.to_owned(),
        details: input(parameters, "details").unwrap_or_default().to_owned(),
        item_link: input(parameters, "itemLink").unwrap_or_default().to_owned(),
        item_link_description: input(parameters, "itemLinkDescription")
            .unwrap_or_default()
            .to_owned(),
        requester: context.owner.clone(),
        assigned_to,
        status: ApprovalStatus::Pending,
        responder: None,
        comments: None,
        flow: context.flow_name.clone(),
        run: context.run.clone(),
        created: flow.idp.now(),
        completed: None,
    };
    let mut st = flow.lock();
    st.waiting.insert(approval.name.clone(), answer);
    st.approvals.push(approval);
    Ok(waiting)
}

/// The action's body once `approval` is answered: the outcome and the response, as the
/// Approvals connector gives them.
pub fn answer(flow: &FlowService, approval: &Approval) -> Value {
    let outcome = match approval.status {
        ApprovalStatus::Approved => "Approve",
        ApprovalStatus::Rejected => "Reject",
        ApprovalStatus::Pending => "",
    };
    let responder = approval
        .responder
        .as_deref()
        .and_then(|oid| flow.idp.directory.users().find(|(_, u)| u.object_id == oid));
    let responder = responder.map_or(Value::Null, |(tenant, u)| {
        json!({"id": u.object_id, "displayName": u.display_name, "email": u.upn,
               "tenantId": tenant.id, "userPrincipalName": u.upn})
    });
    let requested = timestamp(approval.created);
    let completed = approval.completed.map(timestamp);
    json!({
        "name": approval.name,
        "title": approval.title,
        "outcome": outcome,
        "responses": [{
            "responder": responder,
            "requestDate": requested,
            "responseDate": completed,
            "approverResponse": outcome,
            "comments": approval.comments,
        }],
        "responseSummary": format!("{}: {outcome}", responder["displayName"].as_str().unwrap_or_default()),
        "requestDate": requested,
        "completionDate": completed,
    })
}
