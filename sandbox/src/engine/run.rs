//! Running a checked definition once: each container's actions in `runAfter` order, an action
//! whose predecessors did not end as it asks is Skipped (and so are those after it), `If` runs
//! one branch and skips the other, `Compose` gives its evaluated inputs, and connector calls
//! and waits go through [`Calls`]. Expressions see the trigger's outputs and every action that
//! ran before.

use super::definition::{Action, Actions, Definition, Host, Kind, order};
use super::expression::{self, Scope};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Status {
    Succeeded,
    Failed,
    Skipped,
    TimedOut,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "Succeeded",
            Status::Failed => "Failed",
            Status::Skipped => "Skipped",
            Status::TimedOut => "TimedOut",
        }
    }
}

/// One action's record in a run.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionRun {
    pub status: Status,
    pub inputs: Value,
    /// `{"statusCode", "body"}` for a connector call, the value for `Compose`.
    pub outputs: Value,
    /// `{"code", "message"}` when it failed.
    pub error: Option<Value>,
}

/// What calls a connector operation for a run: its outputs (`{"statusCode", "headers",
/// "body"}`), or why it failed (the operation's error or the service's).
pub trait Calls {
    /// An operation that answers at once.
    fn call(
        &self,
        host: &Host,
        parameters: &Map<String, Value>,
    ) -> impl Future<Output = Result<Value, Failure>> + Send;
    /// An operation that answers later at a callback (the approval that waits).
    fn wait(
        &self,
        host: &Host,
        parameters: &Map<String, Value>,
    ) -> impl Future<Output = Result<Value, Failure>> + Send;
}

/// A failed operation: its status (`Failed`, or `TimedOut` for a wait), code and message.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    pub status: Status,
    pub code: String,
    pub message: String,
    pub outputs: Value,
}

/// A finished run: every action by name (branches included) and the run's status.
#[derive(Clone, Debug, PartialEq)]
pub struct Finished {
    pub status: Status,
    pub actions: BTreeMap<String, ActionRun>,
}

struct Run<'r> {
    trigger: Value,
    actions: BTreeMap<String, ActionRun>,
    parameters: &'r Map<String, Value>,
}

impl Scope for Run<'_> {
    fn trigger(&self) -> Value {
        self.trigger.clone()
    }
    fn action(&self, name: &str) -> Option<Value> {
        self.actions
            .get(name)
            .map(|a| json!({"status": a.status.as_str(), "inputs": a.inputs, "outputs": a.outputs}))
    }
    fn parameter(&self, name: &str) -> Option<Value> {
        self.parameters.get(name).cloned()
    }
}

/// Runs `definition` for a trigger whose outputs are `trigger_outputs` (`{"headers", "body"}`).
pub async fn run(
    definition: &Definition,
    trigger_outputs: Value,
    parameters: &Map<String, Value>,
    calls: &impl Calls,
) -> Finished {
    let mut run = Run {
        trigger: json!({ "outputs": trigger_outputs }),
        actions: BTreeMap::new(),
        parameters,
    };
    let failed = container(&definition.actions, &mut run, calls).await;
    Finished {
        status: if failed {
            Status::Failed
        } else {
            Status::Succeeded
        },
        actions: run.actions,
    }
}

/// Runs one container's actions; whether one of them failed without a successor taking the
/// failure.
async fn container(actions: &Actions, run: &mut Run<'_>, calls: &impl Calls) -> bool {
    let names = order(actions).expect("a checked definition has an order");
    for name in &names {
        let action = &actions[name];
        let ready = action.run_after.iter().all(|(before, statuses)| {
            run.actions
                .get(before)
                .is_some_and(|b| statuses.iter().any(|s| s == b.status.as_str()))
        });
        if ready {
            let record = Box::pin(perform(name, action, run, calls)).await;
            run.actions.insert(name.clone(), record);
        } else {
            skip(name, action, run);
        }
    }
    // A failure counts unless an action beside it runs after it failing.
    names.iter().any(|name| {
        matches!(run.actions[name].status, Status::Failed | Status::TimedOut)
            && !actions.values().any(|a| {
                a.run_after
                    .get(name)
                    .is_some_and(|s| s.iter().any(|s| s == "Failed" || s == "TimedOut"))
            })
    })
}

/// Marks `name`, and every action inside it, Skipped.
fn skip(name: &str, action: &Action, run: &mut Run<'_>) {
    if let Kind::If {
        then, otherwise, ..
    } = &action.kind
    {
        for (inner, a) in then.iter().chain(otherwise) {
            skip(inner, a, run);
        }
    }
    run.actions.insert(
        name.to_owned(),
        record(Status::Skipped, Value::Null, Value::Null, None),
    );
}

fn record(status: Status, inputs: Value, outputs: Value, error: Option<Value>) -> ActionRun {
    ActionRun {
        status,
        inputs,
        outputs,
        error,
    }
}

/// An expression that could not be evaluated fails its action, as Power Automate words it.
fn template_failure(name: &str, error: expression::InvalidTemplate) -> ActionRun {
    let message = format!(
        "Unable to process template language expressions in action '{name}' inputs: '{}'",
        error.0
    );
    record(
        Status::Failed,
        Value::Null,
        Value::Null,
        Some(json!({"code": "InvalidTemplate", "message": message})),
    )
}

async fn perform(name: &str, action: &Action, run: &mut Run<'_>, calls: &impl Calls) -> ActionRun {
    match &action.kind {
        Kind::Compose { inputs } => match expression::evaluate(inputs, run) {
            Ok(value) => record(Status::Succeeded, value.clone(), value, None),
            Err(e) => template_failure(name, e),
        },
        Kind::Call { host, parameters } | Kind::Wait { host, parameters } => {
            let evaluated = match expression::evaluate(&Value::Object(parameters.clone()), run) {
                Ok(Value::Object(evaluated)) => evaluated,
                Ok(_) => Map::new(),
                Err(e) => return template_failure(name, e),
            };
            let inputs = json!({"host": {"apiId": host.api_id, "connectionName": host.connection_name, "operationId": host.operation_id}, "parameters": evaluated});
            let answer = match action.kind {
                Kind::Wait { .. } => calls.wait(host, &evaluated).await,
                _ => calls.call(host, &evaluated).await,
            };
            match answer {
                Ok(outputs) => record(Status::Succeeded, inputs, outputs, None),
                Err(f) => record(
                    f.status,
                    inputs,
                    f.outputs,
                    Some(json!({"code": f.code, "message": f.message})),
                ),
            }
        }
        Kind::If {
            expression,
            then,
            otherwise,
        } => {
            let holds = match condition(expression, run) {
                Ok(holds) => holds,
                Err(e) => return template_failure(name, e),
            };
            let (taken, other) = if holds {
                (then, otherwise)
            } else {
                (otherwise, then)
            };
            for (inner, a) in other {
                skip(inner, a, run);
            }
            let failed = Box::pin(container(taken, run, calls)).await;
            let status = if failed {
                Status::Failed
            } else {
                Status::Succeeded
            };
            record(
                status,
                json!({"expressionResult": holds}),
                Value::Null,
                None,
            )
        }
    }
}

/// An `If`'s expression: a template string, or the designer's tree of the operators in
/// [`super::definition::CONDITIONS`] over templates.
fn condition(expression: &Value, scope: &dyn Scope) -> Result<bool, expression::InvalidTemplate> {
    let tree = match expression {
        Value::String(_) => {
            return Ok(expression::evaluate(expression, scope)? == Value::Bool(true));
        }
        Value::Bool(b) => return Ok(*b),
        Value::Object(tree) if tree.len() == 1 => tree.iter().next().expect("one member"),
        other => {
            return Err(expression::InvalidTemplate(format!(
                "The condition '{other}' is not valid."
            )));
        }
    };
    let (op, operands) = tree;
    let list = operands
        .as_array()
        .cloned()
        .unwrap_or_else(|| vec![operands.clone()]);
    match op.as_str() {
        "and" => list
            .iter()
            .try_fold(true, |all, c| Ok(all && condition(c, scope)?)),
        "or" => list
            .iter()
            .try_fold(false, |any, c| Ok(any || condition(c, scope)?)),
        "not" => Ok(!condition(&list[0], scope)?),
        _ => {
            let [a, b] = list.as_slice() else {
                return Err(expression::InvalidTemplate(format!(
                    "The condition '{op}' needs two operands."
                )));
            };
            let (a, b) = (
                expression::evaluate(a, scope)?,
                expression::evaluate(b, scope)?,
            );
            let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            let (x, y) = (a.as_f64(), b.as_f64());
            Ok(match op.as_str() {
                "equals" => match (x, y) {
                    (Some(x), Some(y)) => x == y,
                    _ => a == b,
                },
                "greater" => x.zip(y).is_some_and(|(x, y)| x > y),
                "greaterOrEquals" => x.zip(y).is_some_and(|(x, y)| x >= y),
                "less" => x.zip(y).is_some_and(|(x, y)| x < y),
                "lessOrEquals" => x.zip(y).is_some_and(|(x, y)| x <= y),
                "contains" => text(&a).contains(&text(&b)),
                "startsWith" => text(&a).starts_with(&text(&b)),
                "endsWith" => text(&a).ends_with(&text(&b)),
                other => {
                    return Err(expression::InvalidTemplate(format!(
                        "The condition operator '{other}' is not supported."
                    )));
                }
            })
        }
    }
}

#[cfg(test)]
#[path = "run_tests.rs"]
mod tests;
