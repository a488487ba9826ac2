//! Making a flow, from a template or from a definition: a flow the engine runs is checked,
//! bound to its maker's connection to Flowhost, and has its trigger subscribed before it is
//! kept; anything refused keeps nothing.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::connections::FLOWHOST_API;
use super::error::ApiError;
use crate::engine::definition::{Actions, Definition, Host, Kind, Trigger};
use crate::flow::state::{Flow, FlowStatus, Workflow};
use crate::flow::token::Caller;
use crate::flow::{FlowService, runtime};

/// What a new flow is made of.
pub struct NewFlow {
    pub display_name: String,
    pub template: Option<String>,
    /// `manual`, `automated` or `scheduled`; for a definition, its trigger's kind when empty.
    pub trigger: String,
    /// Design-time parameters without their `parameters.` prefix.
    pub parameters: BTreeMap<String, String>,
    /// What `flowsFilter` looks at; for a definition, its operations when left empty.
    pub operations: Vec<Value>,
    /// `definition` and `connectionReferences`, for a flow the engine runs.
    pub exported: Option<Value>,
}

/// Makes and keeps `new` as `caller`'s flow in `env`.
pub async fn make(
    flow: &FlowService,
    caller: Caller,
    env: String,
    mut new: NewFlow,
) -> Result<Flow, ApiError> {
    let name = uuid::Uuid::new_v4().to_string();
    let workflow = match &new.exported {
        Some(exported) => {
            let mut workflow = prepare(flow, &caller, &env, exported, &new.parameters)?;
            if new.operations.is_empty() {
                new.operations = operations_of(&workflow.definition);
            }
            if new.trigger.is_empty() {
                new.trigger = trigger_kind(&workflow.definition).to_owned();
            }
            workflow.hook = runtime::subscribe(flow, &name, &workflow)
                .await
                .map_err(|why| subscription_failed(&why))?;
            Some(workflow)
        }
        None => None,
    };
    let now = flow.idp.now();
    let made = Flow {
        name,
        tenant: caller.tenant,
        environment: env,
        owner: caller.object_id,
        display_name: new.display_name,
        template: new.template,
        trigger: new.trigger,
        state: FlowStatus::Started,
        parameters: new.parameters,
        operations: new.operations,
        workflow,
        solution: None,
        created: now,
        modified: now,
    };
    flow.lock().flows.push(made.clone());
    Ok(made)
}

/// The definition's refusal as the API answers it.
pub fn invalid_definition(why: &str) -> ApiError {
    ApiError::bad_request("InvalidWorkflowDefinition", why)
}

/// The engine's flow for `exported`: its definition checked, its parameters (the definition's
/// defaults, then `given`), and the caller's connection to Flowhost.
fn prepare(
    flow: &FlowService,
    caller: &Caller,
    env: &str,
    exported: &Value,
    given: &BTreeMap<String, String>,
) -> Result<Workflow, ApiError> {
    let definition =
        runtime::check(flow, exported).map_err(|refused| invalid_definition(&refused.0))?;
    let mut parameters = default_parameters(exported);
    parameters.extend(given.iter().map(|(k, v)| (k.clone(), json!(v))));
    let connection = flow
        .lock()
        .connections
        .iter()
        .rev()
        .find(|c| {
            c.tenant == caller.tenant
                && c.environment == env
                && c.owner == caller.object_id
                && c.api == FLOWHOST_API
                && c.connected()
        })
        .map(|c| c.name.clone())
        .ok_or_else(|| {
            ApiError::bad_request(
                "ConnectionNotConfigured",
                "This flow needs a connection to Flowhost. Sign in to Flowhost to make one.",
            )
        })?;
    Ok(Workflow {
        definition: Arc::new(definition),
        parameters,
        connection,
        hook: None,
    })
}

/// The values the definition of `exported` gives its own parameters (`$` ones aside).
pub fn default_parameters(exported: &Value) -> Map<String, Value> {
    exported["definition"]["parameters"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(name, _)| !name.starts_with('$'))
        .filter_map(|(name, p)| Some((name.clone(), p.get("defaultValue")?.clone())))
        .collect()
}

pub fn subscription_failed(why: &str) -> ApiError {
    ApiError::bad_request(
        "TriggerSubscriptionFailed",
        &format!("The flow's trigger could not be subscribed: {why}"),
    )
}

/// The template kind of a definition's trigger.
pub fn trigger_kind(definition: &Definition) -> &'static str {
    match definition.trigger {
        Trigger::Manual { .. } => "manual",
        Trigger::Webhook { .. } => "automated",
    }
}

/// Every connector operation of `definition`, as `flowsFilter` sees them.
pub fn operations_of(definition: &Definition) -> Vec<Value> {
    fn operation(host: &Host) -> Value {
        let api = host.api_id.rsplit('/').next().unwrap_or_default();
        json!({"api": api, "swaggerOperationId": host.operation_id})
    }
    fn actions(all: &Actions, into: &mut Vec<Value>) {
        for action in all.values() {
            match &action.kind {
                Kind::Call { host, .. } | Kind::Wait { host, .. } => into.push(operation(host)),
                Kind::If {
                    then, otherwise, ..
                } => {
                    actions(then, into);
                    actions(otherwise, into);
                }
                Kind::Compose { .. } => {}
            }
        }
    }
    let mut found = Vec::new();
    if let Trigger::Webhook { host, .. } = &definition.trigger {
        found.push(operation(host));
    }
    actions(&definition.actions, &mut found);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::connector::Connector;
    use std::collections::BTreeSet;

    /// Every entry of the ISV's catalog (`flows/`) is a flow the engine runs on Flowhost's own
    /// connector: its trigger's kind and the operations `flowsFilter` looks at are what its
    /// definition does.
    #[test]
    fn every_catalog_flow_is_one_the_engine_runs() {
        let connector = Connector::flowhost();
        for flow in ::catalog::flows() {
            let definition = runtime::check_with(&connector, &flow.exported)
                .unwrap_or_else(|refused| panic!("{}: {}", flow.folder, refused.0));
            assert_eq!(
                trigger_kind(&definition),
                flow.meta.trigger,
                "{}",
                flow.folder
            );
            let called: BTreeSet<(String, String)> = operations_of(&definition)
                .iter()
                .map(|o| (o["api"].to_string(), o["swaggerOperationId"].to_string()))
                .collect();
            let listed: BTreeSet<(String, String)> = flow
                .meta
                .operations
                .iter()
                .map(|o| (json!(o.api).to_string(), json!(o.operation).to_string()))
                .collect();
            assert_eq!(called, listed, "{}", flow.folder);
        }
    }
}
