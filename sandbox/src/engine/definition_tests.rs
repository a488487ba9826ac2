use super::*;
use serde_json::json;

const FLOWHOST: &str = "/providers/Microsoft.PowerApps/apis/shared_flowhost";
const APPROVALS: &str = "/providers/Microsoft.PowerApps/apis/shared_approvals";

struct Known;

impl Connectors for Known {
    fn has_operation(&self, api_id: &str, operation_id: &str) -> bool {
        match api_id {
            FLOWHOST => ["OnTicketCreated", "AddComment", "GetTicket"].contains(&operation_id),
            APPROVALS => operation_id == "StartAndWaitForAnApproval",
            _ => false,
        }
    }
}

fn references() -> Map<String, Value> {
    json!({
        "shared_flowhost": {"connectionName": "c1", "source": "Embedded", "id": FLOWHOST, "tier": "NotSpecified"},
        "shared_approvals": {"runtimeSource": "embedded", "connection": {"connectionReferenceLogicalName": "x"},
                             "api": {"name": "shared_approvals"}}
    })
    .as_object()
    .unwrap()
    .clone()
}

/// "When a ticket is opened, ask the account owner to approve it and comment the decision."
fn approval_flow() -> Value {
    json!({
        "$schema": "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"$connections": {"defaultValue": {}, "type": "Object"},
                       "$authentication": {"defaultValue": {}, "type": "SecureObject"}},
        "triggers": {"When_a_ticket_is_created": {"type": "OpenApiConnectionWebhook",
            "inputs": {"host": {"apiId": FLOWHOST, "connectionName": "shared_flowhost", "operationId": "OnTicketCreated"},
                       "parameters": {"body/accountId": 3}, "authentication": "@parameters('$authentication')"}}},
        "actions": {
            "Start_and_wait_for_an_approval": {"type": "OpenApiConnectionWebhook", "runAfter": {},
                "inputs": {"host": {"apiId": APPROVALS, "connectionName": "shared_approvals", "operationId": "StartAndWaitForAnApproval"},
                    "parameters": {"approvalType": "Basic",
                        "WebhookApprovalCreationInput/title": "Approve ticket #@{triggerBody()?['id']}"}}},
            "Condition": {"type": "If", "runAfter": {"Start_and_wait_for_an_approval": ["Succeeded"]},
                "expression": {"and": [{"equals": ["@outputs('Start_and_wait_for_an_approval')?['body/outcome']", "Approve"]}]},
                "actions": {"Comment_approved": {"type": "OpenApiConnection", "runAfter": {},
                    "inputs": {"host": {"connectionName": "shared_flowhost", "operationId": "AddComment"},
                        "parameters": {"ticketId": "@triggerBody()?['id']", "body/text": "Approved"}}}},
                "else": {"actions": {"Comment_rejected": {"type": "OpenApiConnection", "runAfter": {},
                    "inputs": {"host": {"connectionName": "shared_flowhost", "operationId": "AddComment"},
                        "parameters": {"ticketId": "@triggerBody()?['id']", "body/text": "Rejected"}}}}}},
            "Note": {"type": "Compose", "runAfter": {"Condition": ["Succeeded", "Failed"]},
                     "inputs": "@concat('Ticket ', triggerBody()?['id'])"}
        },
        "outputs": {}
    })
}

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
