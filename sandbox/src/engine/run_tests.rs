use super::*;
use crate::engine::definition::parse;
use crate::engine::test_flows::{Known, approval_flow, references};
use std::sync::Mutex;

/// Connector calls answered from a script: the approval's outcome, and every call kept.
struct Scripted {
    outcome: &'static str,
    comment_fails: bool,
    calls: Mutex<Vec<(String, Map<String, Value>)>>,
}

impl Scripted {
    fn new(outcome: &'static str) -> Scripted {
        Scripted {
            outcome,
            comment_fails: false,
            calls: Mutex::new(Vec::new()),
        }
    }
}

impl Calls for Scripted {
    async fn call(&self, host: &Host, parameters: &Map<String, Value>) -> Result<Value, Failure> {
        self.calls
            .lock()
            .unwrap()
            .push((host.operation_id.clone(), parameters.clone()));
        if self.comment_fails {
            return Err(Failure {
                status: Status::Failed,
                code: "NotFound".into(),
                message: "There is nothing at this address for your organisation.".into(),
                outputs: json!({"statusCode": 404}),
            });
        }
        Ok(json!({"statusCode": 201, "body": {"id": 7, "text": parameters["body/text"]}}))
    }
    async fn wait(&self, host: &Host, parameters: &Map<String, Value>) -> Result<Value, Failure> {
        self.calls
            .lock()
            .unwrap()
            .push((host.operation_id.clone(), parameters.clone()));
        Ok(json!({"statusCode": 200, "body": {"outcome": self.outcome,
            "responses": [{"responder": {"displayName": "Adele Vance"}}]}}))
    }
}

fn ticket() -> Value {
    json!({"headers": {}, "body": {"id": 42, "title": "Printer on fire"}})
}

async fn run_with(calls: &Scripted) -> Finished {
    let definition = parse(&approval_flow(), &references(), &Known).unwrap();
    run(&definition, ticket(), &Map::new(), calls).await
}

#[tokio::test]
async fn an_approved_ticket_takes_the_approved_branch_and_skips_the_other() {
    let calls = Scripted::new("Approve");
    let done = run_with(&calls).await;
    assert_eq!(done.status, Status::Succeeded);
    let status = |name: &str| done.actions[name].status;
    assert_eq!(status("Start_and_wait_for_an_approval"), Status::Succeeded);
    assert_eq!(status("Condition"), Status::Succeeded);
    assert_eq!(status("Comment_approved"), Status::Succeeded);
    assert_eq!(status("Comment_rejected"), Status::Skipped);
    assert_eq!(done.actions["Note"].outputs, json!("Ticket 42"));
    let calls = calls.calls.lock().unwrap();
    assert_eq!(
        calls[0].1["WebhookApprovalCreationInput/title"],
        "Approve ticket #42"
    );
    assert_eq!(
        (calls[1].0.as_str(), &calls[1].1["ticketId"]),
        ("AddComment", &json!(42))
    );
}

#[tokio::test]
async fn a_rejected_ticket_takes_the_else_branch() {
    let done = run_with(&Scripted::new("Reject")).await;
    assert_eq!(done.actions["Comment_approved"].status, Status::Skipped);
    assert_eq!(done.actions["Comment_rejected"].status, Status::Succeeded);
}

#[tokio::test]
async fn a_failed_call_fails_the_branch_and_the_run_unless_an_action_takes_the_failure() {
    let mut calls = Scripted::new("Approve");
    calls.comment_fails = true;
    let done = run_with(&calls).await;
    assert_eq!(done.actions["Comment_approved"].status, Status::Failed);
    assert_eq!(
        done.actions["Comment_approved"].error.as_ref().unwrap()["code"],
        "NotFound"
    );
    assert_eq!(done.actions["Condition"].status, Status::Failed);
    // "Note" runs after the condition succeeded or failed: it takes the failure.
    assert_eq!(done.actions["Note"].status, Status::Succeeded);
    assert_eq!(done.status, Status::Succeeded);

    let mut flow = approval_flow();
    flow["actions"]["Note"]["runAfter"] = json!({"Condition": ["Succeeded"]});
    let definition = parse(&flow, &references(), &Known).unwrap();
    let done = run(&definition, ticket(), &Map::new(), &calls).await;
    assert_eq!(done.actions["Note"].status, Status::Skipped);
    assert_eq!(done.status, Status::Failed);
}

#[tokio::test]
async fn an_expression_that_cannot_be_evaluated_fails_its_action_by_name() {
    let mut flow = approval_flow();
    flow["actions"]["Note"]["inputs"] = json!("@triggerBody()['owner']");
    let definition = parse(&flow, &references(), &Known).unwrap();
    let done = run(
        &definition,
        ticket(),
        &Map::new(),
        &Scripted::new("Approve"),
    )
    .await;
    let error = done.actions["Note"].error.clone().unwrap();
    assert_eq!(error["code"], "InvalidTemplate");
    assert!(error["message"].as_str().unwrap().starts_with(
        "Unable to process template language expressions in action 'Note' inputs: 'The template language expression cannot be evaluated because property 'owner' doesn't exist"
    ));
    assert_eq!(done.status, Status::Failed);
}
