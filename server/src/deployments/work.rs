//! The steps that bring a pre-built flow in an organisation's Dataverse to what Flowhost
//! recorded, or take it away. Each step first reads what is there, so a step run again after
//! an interruption picks up where the last one stopped.

use crate::power_platform::dataverse::Dataverse;
use crate::power_platform::{FLOWHOST_API, PlatformError};
use domain::deployment::Deployment;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The logical name of the connection reference to Flowhost of `flow`.
pub fn reference_name(flow: &catalog::Flow) -> String {
    format!("flowhost_{}", flow.folder.replace('-', "_"))
}

/// The flow's `clientdata`: the catalog's definition with `parameters` as its parameters'
/// values, and its Flowhost connection taken from the connection reference `reference`.
pub fn clientdata(
    flow: &catalog::Flow,
    parameters: &BTreeMap<String, String>,
    reference: &str,
) -> String {
    let mut definition = flow.definition().clone();
    for (name, value) in parameters {
        definition["parameters"][name.as_str()]["defaultValue"] = json!(value);
    }
    let mut references = flow.exported["connectionReferences"].clone();
    references[FLOWHOST_API]["connection"] = json!({"connectionReferenceLogicalName": reference});
    json!({"properties": {"connectionReferences": references, "definition": definition},
           "schemaVersion": "1.0.0.0"})
    .to_string()
}

/// The definition inside a `clientdata` text.
fn definition_of(clientdata: &str) -> Value {
    serde_json::from_str::<Value>(clientdata)
        .map(|data| data["properties"]["definition"].clone())
        .unwrap_or(Value::Null)
}

/// Whether the flow's row holds the definition of `clientdata`.
pub fn holds(row: &Value, clientdata: &str) -> bool {
    row["clientdata"]
        .as_str()
        .is_some_and(|held| definition_of(held) == definition_of(clientdata))
}

/// The parameter values a deployment was made with.
pub fn parameters(d: &Deployment) -> BTreeMap<String, String> {
    serde_json::from_str::<Map<String, Value>>(&d.parameters)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| Some((k, v.as_str()?.to_owned())))
        .collect()
}

/// Makes the flow of `d` what the catalog's `flow` says: its connection reference exists
/// (bound to the deployment's connection once one is chosen), the flow holds the catalog's
/// definition, and it is on once the reference is bound. Whether it is on.
pub async fn converge(
    dv: &Dataverse<'_>,
    flow: &catalog::Flow,
    d: &Deployment,
) -> Result<bool, PlatformError> {
    let connection = d.connection_name.as_deref();
    let reference = match dv.reference(&d.reference_name).await? {
        Some(found) => found,
        None => {
            dv.create_reference(
                &d.reference_name,
                &flow.meta.title,
                FLOWHOST_API,
                connection,
            )
            .await?
        }
    };
    let bound = match connection {
        Some(wanted) if reference.connection.as_deref() != Some(wanted) => {
            dv.bind_reference(&reference.id, wanted).await?;
            true
        }
        _ => connection.is_some() || reference.connection.is_some(),
    };
    let data = clientdata(flow, &parameters(d), &d.reference_name);
    let on = match dv.workflow(&d.workflow_id).await? {
        None => {
            let description = format!(
                "{} (Flowhost catalog {})",
                flow.meta.description, flow.meta.id
            );
            dv.create_workflow(&d.workflow_id, &flow.meta.title, &description, &data)
                .await?;
            false
        }
        Some(row) => {
            if !holds(&row, &data) {
                dv.update_workflow(&d.workflow_id, &json!({"clientdata": data}))
                    .await?;
            }
            row["statecode"] == 1
        }
    };
    if bound && !on {
        dv.turn_on(&d.workflow_id).await?;
    }
    Ok(bound)
}

/// Deletes the flow of `d` (which ends its trigger's subscription) and its connection
/// reference; what is already gone is fine.
pub async fn remove(dv: &Dataverse<'_>, d: &Deployment) -> Result<(), PlatformError> {
    dv.delete_workflow(&d.workflow_id).await?;
    if let Some(reference) = dv.reference(&d.reference_name).await? {
        dv.delete_reference(&reference.id).await?;
    }
    Ok(())
}
