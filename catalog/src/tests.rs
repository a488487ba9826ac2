use super::*;
use std::io::{Cursor, Write};

const META: &str = r#"
id = "0123456789abcdef0123456789abcdef"
title = "Note new tickets"
description = "Comments on every new ticket."
record = "account"
kinds = ["template"]
version = 1
trigger = "automated"
keywords = ["flowhost"]
connections = ["shared_flowhost"]

[[parameters]]
name = "flowhost.accountId"
description = "The account."

[[operations]]
api = "shared_flowhost"
operation = "OnTicketCreated"
parameters = ["flowhost.accountId"]
"#;

fn definition() -> Value {
    serde_json::json!({
        "connectionReferences": {"shared_flowhost": {"connectionName": "shared_flowhost", "source": "Embedded",
            "id": "/providers/Microsoft.PowerApps/apis/shared_flowhost", "tier": "NotSpecified"}},
        "definition": {
            "$schema": "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
            "parameters": {"$connections": {"defaultValue": {}, "type": "Object"},
                           "flowhost.accountId": {"defaultValue": "", "type": "String"}},
            "triggers": {"When_a_ticket_is_opened": {"type": "OpenApiConnectionWebhook"}},
            "actions": {}
        }
    })
}

fn refused(meta: &str, definition: &Value) -> String {
    read(&[("note", meta, &definition.to_string())]).unwrap_err()
}

#[test]
fn the_built_in_catalog_reads_with_its_templates_and_prebuilt_flows() {
    let flows = flows();
    assert_eq!(flows.iter().filter(|f| f.is(Use::Template)).count(), 5);
    let prebuilt: Vec<&str> = flows
        .iter()
        .filter(|f| f.is(Use::Prebuilt))
        .map(|f| f.folder.as_str())
        .collect();
    assert_eq!(
        prebuilt,
        ["escalate-urgent-tickets", "owner-approves-new-tickets"]
    );
    let approval = find("F10A0057A0C1400080000000000A0003").unwrap();
    assert_eq!(approval.folder, "request-approval");
    assert_eq!(approval.meta.record, Record::Ticket);
    assert_eq!(
        approval
            .meta
            .parameters
            .iter()
            .find(|p| p.name == "approver")
            .and_then(|p| p.default.as_deref()),
        Some(MAKER)
    );
}

#[test]
fn a_mistake_in_an_entry_names_its_folder_and_what_is_wrong() {
    assert!(read(&[("note", META, &definition().to_string())]).is_ok());
    let why = refused(
        &META.replace("0123456789abcdef0123456789abcdef", "42"),
        &definition(),
    );
    assert!(why.starts_with("note: the id \"42\""), "{why}");
    let why = refused(&META.replace("version = 1", "version = 0"), &definition());
    assert!(why.contains("versions start at 1"), "{why}");
    let why = refused(
        &META.replace(
            r#"["shared_flowhost"]"#,
            r#"["shared_flowhost", "shared_approvals"]"#,
        ),
        &definition(),
    );
    assert!(why.contains("`connections` lists"), "{why}");
    let mut undeclared = definition();
    undeclared["definition"]["parameters"]["approver"] = serde_json::json!({"type": "String"});
    let why = refused(META, &undeclared);
    assert!(
        why.contains("declares") && why.contains("approver"),
        "{why}"
    );
    let why = refused(
        &META.replace(
            r#"parameters = ["flowhost.accountId"]"#,
            r#"parameters = ["flowhost.ticketId"]"#,
        ),
        &definition(),
    );
    assert!(why.contains("bound to flowhost.ticketId"), "{why}");
    let why = refused(&format!("{META}\ncolour = \"red\""), &definition());
    assert!(why.contains("flow.toml") && why.contains("colour"), "{why}");
    let text = definition().to_string();
    let why = read(&[("note", META, &text), ("again", META, &text)]).unwrap_err();
    assert!(why.starts_with("again: the id"), "{why}");
}

#[test]
fn every_template_round_trips_through_its_export_package() {
    for flow in flows().iter().filter(|f| f.is(Use::Template)) {
        let bytes = package::write(flow, "2026-12-02T12:00:00Z");
        assert_eq!(
            bytes,
            package::write(flow, "2026-12-02T12:00:00Z"),
            "{}",
            flow.folder
        );
        let read = package::read(&bytes).unwrap_or_else(|why| panic!("{}: {why}", flow.folder));
        assert_eq!(read.display_name, flow.meta.title);
        assert_eq!(read.description, flow.meta.description);
        assert_eq!(
            read.exported["definition"],
            *flow.definition(),
            "{}",
            flow.folder
        );
        let references = read.exported["connectionReferences"].as_object().unwrap();
        for (key, original) in flow.exported["connectionReferences"].as_object().unwrap() {
            assert_eq!(
                references[key]["id"], original["id"],
                "{}: {key}",
                flow.folder
            );
            assert_eq!(references[key]["source"], "Invoker");
        }
        assert_eq!(references.len(), flow.meta.connections.len());
    }
}

/// A package with `files` (path, JSON text) only.
fn zip_of(files: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (path, text) in files {
        zip.start_file(*path, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_package_that_is_not_one_says_what_is_missing() {
    assert!(
        package::read(b"PK not really")
            .unwrap_err()
            .contains("not a .zip")
    );
    let flow = &flows()[0];
    let whole = package::write(flow, "2026-12-02T12:00:00Z");
    let mut archive = zip::ZipArchive::new(Cursor::new(whole)).unwrap();
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut file, &mut text).unwrap();
        files.push((file.name().to_owned(), text));
    }
    let without = |suffix: &str| -> Vec<(&str, String)> {
        files
            .iter()
            .filter(|(name, _)| !name.ends_with(suffix))
            .map(|(name, text)| (name.as_str(), text.clone()))
            .collect()
    };
    let why = package::read(&zip_of(&without("/definition.json"))).unwrap_err();
    assert!(
        why.contains("has no Microsoft.Flow/flows/") && why.ends_with("/definition.json"),
        "{why}"
    );
    let why = package::read(&zip_of(&without("/connectionsMap.json"))).unwrap_err();
    assert!(why.ends_with("connectionsMap.json"), "{why}");
    let why = package::read(&zip_of(&without("Microsoft.Flow/flows/manifest.json"))).unwrap_err();
    assert!(why.contains("Microsoft.Flow/flows/manifest.json"), "{why}");
}

#[test]
fn a_folder_laid_out_as_flows_reads_as_the_built_in_catalog() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../flows");
    let read = super::read_dir(&dir).unwrap();
    let folders: Vec<&str> = read.iter().map(|f| f.folder.as_str()).collect();
    let built_in: Vec<&str> = flows().iter().map(|f| f.folder.as_str()).collect();
    assert_eq!(folders, built_in);
    let missing = super::read_dir(std::path::Path::new("/nonexistent/flows")).unwrap_err();
    assert!(missing.starts_with("/nonexistent/flows: "), "{missing}");
}
