//! The export package (.zip) Power Automate writes for "Export → Package (.zip)", which a
//! template's Partner Center offer carries:
//!
//! - `manifest.json`: the package's details and its resources (the flow, and each connector
//!   and connection it depends on), keyed by resource id;
//! - `Microsoft.Flow/flows/manifest.json`: which flow resources the package holds;
//! - `Microsoft.Flow/flows/{id}/definition.json`: the flow (`properties.definition` and
//!   `properties.connectionReferences`);
//! - `Microsoft.Flow/flows/{id}/apisMap.json` and `connectionsMap.json`: each connection
//!   reference's connector and connection resource.
//!
//! Resource ids are derived from the flow's id and version, so packaging one version twice
//! gives the same resources.

use crate::Flow;
use serde_json::{Map, Value, json};
use std::io::{Cursor, Read, Write};
use uuid::Uuid;
use zip::write::SimpleFileOptions;

const FLOWS: &str = "Microsoft.Flow/flows";
const LOGIC_FLOWS: &str = "/providers/Microsoft.PowerApps/apis/shared_logicflows";

/// What a package holds of its flow.
#[derive(Clone, Debug, PartialEq)]
pub struct Package {
    pub display_name: String,
    pub description: String,
    /// `{"definition", "connectionReferences"}`; in a package each reference's `source` is
    /// `Invoker`: the importer's own connection.
    pub exported: Value,
}

/// The resource id of `what` in `flow`'s package.
fn resource(flow: &Flow, what: &str) -> String {
    let name = format!("{}/{}/{what}", flow.meta.id, flow.meta.version);
    Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes()).to_string()
}

/// The display name of a connector in the package's manifest.
fn connector_name(api: &str) -> &str {
    match api {
        "shared_flowhost" => "Flowhost",
        "shared_approvals" => "Approvals",
        other => other,
    }
}

/// `flow`'s export package, created at `created` (RFC 3339).
pub fn write(flow: &Flow, created: &str) -> Vec<u8> {
    let flow_id = resource(flow, "flow");
    let references = flow.exported["connectionReferences"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut resources = Map::new();
    let mut apis = Map::new();
    let mut connections = Map::new();
    let mut depends = Vec::new();
    let mut package_references = Map::new();
    for (key, reference) in &references {
        let api_id = resource(flow, &format!("api/{key}"));
        let connection_id = resource(flow, &format!("connection/{key}"));
        resources.insert(
            api_id.clone(),
            json!({
                "type": "Microsoft.PowerApps/apis",
                "suggestedCreationType": "Existing",
                "details": {"displayName": connector_name(key)},
                "configurableBy": "System",
                "hierarchy": "Child",
                "dependsOn": [],
            }),
        );
        resources.insert(
            connection_id.clone(),
            json!({
                "type": "Microsoft.PowerApps/apis/connections",
                "suggestedCreationType": "Existing",
                "creationType": "Existing",
                "details": {"displayName": connector_name(key)},
                "configurableBy": "User",
                "hierarchy": "Child",
                "dependsOn": [api_id],
            }),
        );
        apis.insert(key.clone(), json!(api_id));
        connections.insert(key.clone(), json!(connection_id));
        depends.push(json!(api_id));
        depends.push(json!(connection_id));
        // In a package, a connection is the importer's own.
        let mut reference = reference.clone();
        reference["source"] = json!("Invoker");
        package_references.insert(key.clone(), reference);
    }
    resources.insert(
        flow_id.clone(),
        json!({
            "type": FLOWS,
            "suggestedCreationType": "New",
            "creationType": "New, Update",
            "details": {"displayName": flow.meta.title},
            "configurableBy": "User",
            "hierarchy": "Root",
            "dependsOn": depends,
        }),
    );
    let manifest = json!({
        "schema": "1.0",
        "details": {
            "displayName": flow.meta.title,
            "description": flow.meta.description,
            "createdTime": created,
            "packageTelemetryId": resource(flow, "package"),
            "creator": "Flowhost",
            "sourceEnvironment": "",
        },
        "resources": resources,
    });
    let definition = json!({
        "name": flow_id,
        "id": format!("/providers/Microsoft.Flow/flows/{flow_id}"),
        "type": FLOWS,
        "properties": {
            "apiId": LOGIC_FLOWS,
            "displayName": flow.meta.title,
            "definition": flow.exported["definition"],
            "connectionReferences": package_references,
        },
    });
    let files = [
        ("manifest.json".to_owned(), manifest),
        (
            format!("{FLOWS}/manifest.json"),
            json!({"packageSchemaVersion": "1.0", "flowAssets": {"assetPaths": [flow_id]}}),
        ),
        (format!("{FLOWS}/{flow_id}/definition.json"), definition),
        (
            format!("{FLOWS}/{flow_id}/apisMap.json"),
            Value::Object(apis),
        ),
        (
            format!("{FLOWS}/{flow_id}/connectionsMap.json"),
            Value::Object(connections),
        ),
    ];
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (path, value) in files {
        zip.start_file(path, SimpleFileOptions::default())
            .expect("writing to memory");
        zip.write_all(&serde_json::to_vec_pretty(&value).expect("JSON values serialise"))
            .expect("writing to memory");
    }
    zip.finish().expect("writing to memory").into_inner()
}

/// Reads a package with one flow; what is missing or does not fit is named.
pub fn read(bytes: &[u8]) -> Result<Package, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("the package is not a .zip: {e}"))?;
    let mut json = |path: &str| -> Result<Value, String> {
        let mut file = zip
            .by_name(path)
            .map_err(|_| format!("the package has no {path}"))?;
        let mut text = String::new();
        file.read_to_string(&mut text)
            .map_err(|e| format!("{path} cannot be read: {e}"))?;
        serde_json::from_str(&text).map_err(|e| format!("{path} is not JSON: {e}"))
    };
    let manifest = json("manifest.json")?;
    if manifest["schema"] != "1.0" {
        return Err("manifest.json: the schema is not 1.0".into());
    }
    let resources = manifest["resources"]
        .as_object()
        .ok_or("manifest.json has no resources")?;
    let flows = json(&format!("{FLOWS}/manifest.json"))?;
    let [flow_id] = flows["flowAssets"]["assetPaths"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    else {
        return Err(format!("{FLOWS}/manifest.json must name exactly one flow"));
    };
    let flow_id = flow_id
        .as_str()
        .ok_or("the flow's asset path is not text")?;
    let root = resources
        .get(flow_id)
        .filter(|r| r["type"] == FLOWS && r["hierarchy"] == "Root")
        .ok_or_else(|| format!("manifest.json has no root flow resource {flow_id}"))?;
    let definition = json(&format!("{FLOWS}/{flow_id}/definition.json"))?;
    let properties = &definition["properties"];
    let references = properties["connectionReferences"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for map in ["apisMap.json", "connectionsMap.json"] {
        let mapped = json(&format!("{FLOWS}/{flow_id}/{map}"))?;
        for key in references.keys() {
            let id = mapped[key].as_str().unwrap_or_default();
            if !resources.contains_key(id) {
                return Err(format!(
                    "{map} maps the connection reference {key} to no resource of the manifest"
                ));
            }
        }
    }
    Ok(Package {
        display_name: root["details"]["displayName"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        description: manifest["details"]["description"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        exported: json!({
            "connectionReferences": references,
            "definition": properties["definition"],
        }),
    })
}
