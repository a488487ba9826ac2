//! Flows and connectors the engine's tests share.

use super::definition::Connectors;
use serde_json::{Map, Value, json};

pub const FLOWHOST: &str = "/providers/Microsoft.PowerApps/apis/shared_flowhost";
pub const APPROVALS: &str = "/providers/Microsoft.PowerApps/apis/shared_approvals";

pub struct Known;

impl Connectors for Known {
    fn has_operation(&self, api_id: &str, operation_id: &str) -> bool {
        match api_id {
            FLOWHOST => ["OnTicketCreated", "AddComment", "GetTicket"].contains(&operation_id),
            APPROVALS => operation_id == "StartAndWaitForAnApproval",
            _ => false,
        }
    }
}

pub fn references() -> Map<String, Value> {
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
pub fn approval_flow() -> Value {
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
