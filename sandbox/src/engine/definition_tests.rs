use super::*;
use crate::engine::test_flows::{APPROVALS, FLOWHOST, Known, approval_flow, references};
use serde_json::json;

fn refused(definition: &Value) -> String {
    parse(definition, &references(), &Known).unwrap_err().0
}

#[test]
fn the_approval_flow_is_taken_with_its_operations_resolved_and_ordered() {
    let flow = parse(&approval_flow(), &references(), &Known).unwrap();
    assert_eq!(flow.trigger_name, "When_a_ticket_is_created");
    let Trigger::Webhook { host, parameters } = &flow.trigger else {
        panic!("a webhook trigger")
    };
    assert_eq!(
        (host.api_id.as_str(), host.operation_id.as_str()),
        (FLOWHOST, "OnTicketCreated")
    );
    assert_eq!(parameters["body/accountId"], 3);
    assert_eq!(
        order(&flow.actions).unwrap(),
        ["Start_and_wait_for_an_approval", "Condition", "Note"]
    );
    let Kind::Wait { host, .. } = &flow.actions["Start_and_wait_for_an_approval"].kind else {
        panic!("the approval waits")
    };
    assert_eq!(
        host.api_id, APPROVALS,
        "resolved through the solution-aware reference"
    );
    let Kind::If {
        then, otherwise, ..
    } = &flow.actions["Condition"].kind
    else {
        panic!("a condition")
    };
    assert!(then.contains_key("Comment_approved") && otherwise.contains_key("Comment_rejected"));
}

#[test]
fn what_the_sandbox_does_not_run_is_refused_by_name() {
    let mut flow = approval_flow();
    flow["actions"]["Loop"] =
        json!({"type": "Foreach", "foreach": "@triggerBody()", "actions": {}});
    assert_eq!(
        refused(&flow),
        "The action 'Loop' has the type 'Foreach', which this sandbox does not run."
    );

    let mut flow = approval_flow();
    flow["triggers"]["When_a_ticket_is_created"]["splitOn"] = json!("@triggerBody()");
    assert!(refused(&flow).contains("'splitOn'"));

    let mut flow = approval_flow();
    flow["actions"]["Note"]["inputs"] = json!("@formatDateTime(utcNow())");
    assert_eq!(
        refused(&flow),
        "The template function 'formatDateTime' is not defined or not valid."
    );

    let mut flow = approval_flow();
    flow["actions"]["Condition"]["actions"]["Comment_approved"]["inputs"]["host"]["operationId"] =
        json!("DeleteTicket");
    assert!(refused(&flow).contains("calls 'DeleteTicket', which the connector"));

    let mut flow = approval_flow();
    flow["actions"]["Condition"]["expression"] =
        json!({"matches": ["@triggerBody()?['title']", "fire"]});
    assert!(refused(&flow).contains("the operator 'matches'"));

    let mut flow = approval_flow();
    flow["actions"]["Start_and_wait_for_an_approval"]["type"] = json!("OpenApiConnection");
    assert!(refused(&flow).contains("must be an 'OpenApiConnectionWebhook' action"));

    let mut flow = approval_flow();
    flow["actions"]["Start_and_wait_for_an_approval"]["inputs"]["host"]["connectionName"] =
        json!("shared_office365");
    assert!(refused(&flow).contains("the connection 'shared_office365'"));
}

#[test]
fn run_after_names_a_sibling_a_real_status_and_no_circle() {
    let mut flow = approval_flow();
    flow["actions"]["Note"]["runAfter"] = json!({"Comment_approved": ["Succeeded"]});
    assert!(
        refused(&flow).contains("runs after 'Comment_approved', which is not an action beside it")
    );

    let mut flow = approval_flow();
    flow["actions"]["Note"]["runAfter"] = json!({"Condition": ["Done"]});
    assert!(refused(&flow).contains("'Done'"));

    let mut flow = approval_flow();
    flow["actions"]["Start_and_wait_for_an_approval"]["runAfter"] = json!({"Note": ["Succeeded"]});
    assert!(refused(&flow).contains("in a circle"));

    let mut flow = approval_flow();
    flow["triggers"]["Second"] = json!({"type": "Request", "kind": "Button"});
    assert_eq!(refused(&flow), "A flow here has exactly one trigger.");
}

#[test]
fn the_manual_button_is_a_trigger_too() {
    let flow = json!({"triggers": {"manual": {"type": "Request", "kind": "Button",
        "inputs": {"schema": {"type": "object", "properties": {"text": {"type": "string"}}}}}},
        "actions": {"Say": {"type": "Compose", "runAfter": {}, "inputs": "@triggerBody()?['text']"}}});
    let parsed = parse(&flow, &Map::new(), &Known).unwrap();
    assert!(matches!(parsed.trigger, Trigger::Manual { .. }));
}
