//! A flow's definition in the workflow definition language, the subset the sandbox runs,
//! checked when the flow is saved: one trigger (a webhook trigger of a connector, or the
//! manual button), and actions of the types `OpenApiConnection`, `OpenApiConnectionWebhook`
//! (the approval that waits), `If` and `Compose`, ordered by `runAfter`. Anything else is
//! refused with the construct named, so nothing is silently skipped.

use super::expression::{self, InvalidTemplate};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The workflow definition language's limit on actions.
const MAX_ACTIONS: usize = 250;
/// The statuses `runAfter` may wait for.
const AFTER: [&str; 4] = ["Succeeded", "Failed", "Skipped", "TimedOut"];
/// Keys of a trigger or action the sandbox does not act on, and so refuses.
const REFUSED_KEYS: [&str; 5] = [
    "splitOn",
    "operationOptions",
    "runtimeConfiguration",
    "conditions",
    "recurrence",
];

/// Which connector operations exist, to check what a definition calls.
pub trait Connectors {
    /// Whether the connector `api_id` has the operation `operation_id`.
    fn has_operation(&self, api_id: &str, operation_id: &str) -> bool;
}

/// The connector operation a trigger or action calls.
#[derive(Clone, Debug, PartialEq)]
pub struct Host {
    pub api_id: String,
    /// The key in the flow's connection references.
    pub connection_name: String,
    pub operation_id: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Trigger {
    /// The manual button the runtime widget starts, with its inputs' schema.
    Manual { schema: Value },
    /// A connector's webhook trigger: subscribed when the flow is saved.
    Webhook {
        host: Host,
        parameters: Map<String, Value>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A connector operation, called with the connection's token.
    Call {
        host: Host,
        parameters: Map<String, Value>,
    },
    /// A connector operation that answers later at a callback (the approval that waits).
    Wait {
        host: Host,
        parameters: Map<String, Value>,
    },
    If {
        expression: Value,
        then: Actions,
        otherwise: Actions,
    },
    Compose {
        inputs: Value,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub kind: Kind,
    /// Each predecessor in the same container, with the statuses it must end in.
    pub run_after: BTreeMap<String, Vec<String>>,
}

pub type Actions = BTreeMap<String, Action>;

#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    pub trigger_name: String,
    pub trigger: Trigger,
    pub actions: Actions,
}

/// Why a definition is refused, naming what in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused(pub String);

impl From<InvalidTemplate> for Refused {
    fn from(e: InvalidTemplate) -> Self {
        Refused(e.0)
    }
}

type Result<T> = std::result::Result<T, Refused>;

fn refuse<T>(text: impl Into<String>) -> Result<T> {
    Err(Refused(text.into()))
}

/// Checks `definition` (the `definition` object) with the flow's `connection_references`
/// (connection name → reference, either shape Power Automate writes).
pub fn parse(
    definition: &Value,
    connection_references: &Map<String, Value>,
    connectors: &dyn Connectors,
) -> Result<Definition> {
    let Some(object) = definition.as_object() else {
        return refuse("The definition is not a JSON object.");
    };
    for key in object.keys() {
        if ![
            "$schema",
            "contentVersion",
            "parameters",
            "triggers",
            "actions",
            "outputs",
        ]
        .contains(&key.as_str())
        {
            return refuse(format!("The definition's member '{key}' is not supported."));
        }
    }
    let references = References(connection_references);
    let triggers = object.get("triggers").and_then(Value::as_object);
    let (trigger_name, trigger) = match triggers.map(|t| t.iter().collect::<Vec<_>>()) {
        Some(list) if list.len() == 1 => list[0],
        _ => return refuse("A flow here has exactly one trigger."),
    };
    let trigger = parse_trigger(trigger_name, trigger, &references, connectors)?;
    let empty = Map::new();
    let actions = object
        .get("actions")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut count = 0;
    let actions = parse_actions(actions, &references, connectors, &mut count)?;
    if count > MAX_ACTIONS {
        return refuse(format!(
            "The definition has {count} actions; at most {MAX_ACTIONS} are allowed."
        ));
    }
    Ok(Definition {
        trigger_name: trigger_name.clone(),
        trigger,
        actions,
    })
}

/// The flow's connection references: connection name → the connector's `apiId`.
struct References<'a>(&'a Map<String, Value>);

impl References<'_> {
    fn api_id(&self, name: &str) -> Option<String> {
        let reference = self.0.get(name)?;
        // Legacy: {"id": "/providers/…/apis/…"}; solution-aware: {"api": {"name": "…"}}.
        reference["id"].as_str().map(str::to_owned).or_else(|| {
            reference["api"]["name"]
                .as_str()
                .map(|n| format!("/providers/Microsoft.PowerApps/apis/{n}"))
        })
    }
}

fn no_refused_keys(what: &str, name: &str, item: &Map<String, Value>) -> Result<()> {
    match REFUSED_KEYS.iter().find(|k| item.contains_key(**k)) {
        Some(key) => refuse(format!(
            "The {what} '{name}' uses '{key}', which this sandbox does not run."
        )),
        None => Ok(()),
    }
}

fn host(
    what: &str,
    name: &str,
    inputs: &Value,
    references: &References<'_>,
    connectors: &dyn Connectors,
) -> Result<(Host, Map<String, Value>)> {
    let host = &inputs["host"];
    let connection_name = host["connectionName"]
        .as_str()
        .or_else(|| host["connection"]["name"].as_str())
        .or_else(|| host["connection"].as_str())
        .ok_or_else(|| {
            Refused(format!(
                "The {what} '{name}' names no connection (inputs.host.connectionName)."
            ))
        })?;
    let operation_id = host["operationId"].as_str().ok_or_else(|| {
        Refused(format!(
            "The {what} '{name}' names no operation (inputs.host.operationId)."
        ))
    })?;
    let api_id = references
        .api_id(connection_name)
        .ok_or_else(|| Refused(format!("The {what} '{name}' uses the connection '{connection_name}', which the flow's connection references do not name.")))?;
    if !connectors.has_operation(&api_id, operation_id) {
        return refuse(format!(
            "The {what} '{name}' calls '{operation_id}', which the connector '{api_id}' does not have."
        ));
    }
    let parameters = inputs["parameters"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    expression::check(&Value::Object(parameters.clone()))?;
    Ok((
        Host {
            api_id,
            connection_name: connection_name.to_owned(),
            operation_id: operation_id.to_owned(),
        },
        parameters,
    ))
}

fn parse_trigger(
    name: &str,
    trigger: &Value,
    references: &References<'_>,
    connectors: &dyn Connectors,
) -> Result<Trigger> {
    let item = trigger.as_object().cloned().unwrap_or_default();
    no_refused_keys("trigger", name, &item)?;
    match item.get("type").and_then(Value::as_str) {
        Some("Request")
            if matches!(
                item.get("kind").and_then(Value::as_str),
                Some("Button" | "Http") | None
            ) =>
        {
            Ok(Trigger::Manual {
                schema: trigger["inputs"]["schema"].clone(),
            })
        }
        Some("OpenApiConnectionWebhook") => {
            let (host, parameters) =
                host("trigger", name, &trigger["inputs"], references, connectors)?;
            Ok(Trigger::Webhook { host, parameters })
        }
        Some(other) => refuse(format!(
            "The trigger '{name}' has the type '{other}', which this sandbox does not run."
        )),
        None => refuse(format!("The trigger '{name}' has no type.")),
    }
}

fn parse_actions(
    actions: &Map<String, Value>,
    references: &References<'_>,
    connectors: &dyn Connectors,
    count: &mut usize,
) -> Result<Actions> {
    let mut parsed = Actions::new();
    for (name, action) in actions {
        *count += 1;
        let item = action.as_object().cloned().unwrap_or_default();
        no_refused_keys("action", name, &item)?;
        if item.get("retryPolicy").is_some_and(|p| p["type"] != "none") {
            return refuse(format!(
                "The action '{name}' uses 'retryPolicy', which this sandbox does not run."
            ));
        }
        let kind = match item.get("type").and_then(Value::as_str) {
            Some("OpenApiConnection") => {
                let (host, parameters) =
                    host("action", name, &action["inputs"], references, connectors)?;
                if host.operation_id == "StartAndWaitForAnApproval" {
                    return refuse(format!(
                        "The action '{name}' starts an approval that waits, which must be an 'OpenApiConnectionWebhook' action."
                    ));
                }
                Kind::Call { host, parameters }
            }
            Some("OpenApiConnectionWebhook") => {
                let (host, parameters) =
                    host("action", name, &action["inputs"], references, connectors)?;
                if host.operation_id == "StartAndWaitForAnApproval"
                    && parameters.get("approvalType").and_then(Value::as_str) != Some("Basic")
                {
                    return refuse(format!(
                        "The approval '{name}' is not of the type 'Basic', the one this sandbox runs."
                    ));
                }
                Kind::Wait { host, parameters }
            }
            Some("If") => {
                let expression = action["expression"].clone();
                check_condition(name, &expression)?;
                let empty = Map::new();
                let then = action["actions"].as_object().unwrap_or(&empty);
                let otherwise = action["else"]["actions"].as_object().unwrap_or(&empty);
                Kind::If {
                    expression,
                    then: parse_actions(then, references, connectors, count)?,
                    otherwise: parse_actions(otherwise, references, connectors, count)?,
                }
            }
            Some("Compose") => {
                let inputs = action["inputs"].clone();
                expression::check(&inputs)?;
                Kind::Compose { inputs }
            }
            Some(other) => {
                return refuse(format!(
                    "The action '{name}' has the type '{other}', which this sandbox does not run."
                ));
            }
            None => return refuse(format!("The action '{name}' has no type.")),
        };
        let mut run_after = BTreeMap::new();
        for (before, statuses) in item
            .get("runAfter")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let statuses: Vec<String> = statuses
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect();
            if let Some(odd) = statuses.iter().find(|s| !AFTER.contains(&s.as_str())) {
                return refuse(format!(
                    "The action '{name}' runs after '{before}' is '{odd}', which is not a status an action ends in."
                ));
            }
            run_after.insert(before.clone(), statuses);
        }
        parsed.insert(name.clone(), Action { kind, run_after });
    }
    for (name, action) in &parsed {
        if let Some(missing) = action.run_after.keys().find(|b| !parsed.contains_key(*b)) {
            return refuse(format!(
                "The action '{name}' runs after '{missing}', which is not an action beside it."
            ));
        }
    }
    order(&parsed)?;
    Ok(parsed)
}

/// The operators an `If`'s expression tree may use.
pub const CONDITIONS: [&str; 11] = [
    "and",
    "or",
    "not",
    "equals",
    "greater",
    "greaterOrEquals",
    "less",
    "lessOrEquals",
    "contains",
    "startsWith",
    "endsWith",
];

/// An `If`'s expression: a template, or a tree of [`CONDITIONS`] over templates.
fn check_condition(name: &str, expression: &Value) -> Result<()> {
    match expression {
        Value::Object(tree) => {
            for (op, operands) in tree {
                if !CONDITIONS.contains(&op.as_str()) {
                    return refuse(format!(
                        "The condition '{name}' uses the operator '{op}', which this sandbox does not run."
                    ));
                }
                match operands {
                    Value::Array(list) => list.iter().try_for_each(|o| check_condition(name, o))?,
                    other => check_condition(name, other)?,
                }
            }
            Ok(())
        }
        other => Ok(expression::check(other)?),
    }
}

/// The actions of one container in an order that runs each after its predecessors.
pub fn order(actions: &Actions) -> Result<Vec<String>> {
    let mut done: Vec<String> = Vec::new();
    while done.len() < actions.len() {
        let next = actions.iter().find(|(name, action)| {
            !done.contains(name) && action.run_after.keys().all(|b| done.contains(b))
        });
        match next {
            Some((name, _)) => done.push(name.clone()),
            None => {
                let stuck: Vec<&str> = actions
                    .keys()
                    .filter(|n| !done.contains(n))
                    .map(String::as_str)
                    .collect();
                return refuse(format!(
                    "The actions '{}' run after each other in a circle.",
                    stuck.join("', '")
                ));
            }
        }
    }
    Ok(done)
}

#[cfg(test)]
#[path = "definition_tests.rs"]
mod tests;
