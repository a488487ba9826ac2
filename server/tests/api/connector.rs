//! The connector package (`connector/`) against the API it describes and the rules Microsoft's
//! certification checks that a program can check.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn package() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../connector")
}

fn json(file: &str) -> Value {
    let text = std::fs::read_to_string(package().join(file)).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Every operation of the definition: (method, path, path item, operation).
fn operations(definition: &Value) -> Vec<(&'static str, String, &Value, &Value)> {
    let mut found = Vec::new();
    for (path, item) in definition["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                found.push((method, path.clone(), item, operation));
            }
        }
    }
    found
}

#[test]
fn the_definition_documents_exactly_the_operations_the_api_serves() {
    let definition = json("apiDefinition.swagger.json");
    assert_eq!(definition["basePath"], server::api::PREFIX);
    let documented: BTreeSet<(String, String, String)> = operations(&definition)
        .into_iter()
        .map(|(method, path, _, op)| {
            (
                method.to_uppercase(),
                path,
                op["operationId"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let served: BTreeSet<(String, String, String)> = server::api::operations()
        .iter()
        .map(|op| (op.method.to_string(), op.path.to_owned(), op.id.to_owned()))
        .collect();
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let missing: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty() && missing.is_empty(),
        "served but not documented: {undocumented:?}\ndocumented but not served: {missing:?}"
    );
}

/// Each `(where, problem)` found, so one run names them all.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default().trim()
}

/// Sentence case: a capital first, no full stop at the end.
fn sentence_case(summary: &str) -> bool {
    summary.chars().next().is_some_and(char::is_uppercase) && !summary.ends_with('.')
}

/// Every property of `schema`, recursively, with where it is.
fn properties<'a>(at: String, schema: &'a Value, into: &mut Vec<(String, &'a Value)>) {
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            let here = format!("{at}.{name}");
            into.push((here.clone(), prop));
            properties(here.clone(), prop, into);
            if let Some(items) = prop.get("items") {
                properties(format!("{here}[]"), items, into);
            }
        }
    }
}

#[test]
fn the_package_keeps_the_certification_rules_a_program_can_check() {
    let mut problems = Problems::default();
    let size = std::fs::metadata(package().join("apiDefinition.swagger.json"))
        .unwrap()
        .len();
    problems.check(size < 1024 * 1024, || {
        format!("the definition is {size} bytes")
    });
    let definition = json("apiDefinition.swagger.json");
    problems.check(definition["swagger"] == "2.0", || "not OpenAPI 2.0".into());

    let info = &definition["info"];
    let title = text(&info["title"]);
    for word in [
        "API",
        "Connector",
        "Power Automate",
        "Power Apps",
        "Logic Apps",
    ] {
        problems.check(!title.contains(word), || format!("the title names {word}"));
    }
    let description = text(&info["description"]).chars().count();
    problems.check((30..=500).contains(&description), || {
        format!("info.description has {description} characters, not 30 to 500")
    });
    for field in ["name", "url", "email"] {
        problems.check(!text(&info["contact"][field]).is_empty(), || {
            format!("info.contact.{field} is missing")
        });
    }
    let metadata: BTreeSet<&str> = definition["x-ms-connector-metadata"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| !text(&m["propertyValue"]).is_empty())
        .map(|m| text(&m["propertyName"]))
        .collect();
    for name in ["Website", "Privacy policy", "Categories"] {
        problems.check(metadata.contains(name), || {
            format!("x-ms-connector-metadata lacks {name}")
        });
    }

    let mut ids = BTreeSet::new();
    for (method, path, item, op) in operations(&definition) {
        let at = format!("{} {path}", method.to_uppercase());
        let id = text(&op["operationId"]);
        problems.check(!id.is_empty() && ids.insert(id.to_owned()), || {
            format!("{at}: operationId missing or repeated")
        });
        problems.check(sentence_case(text(&op["summary"])), || {
            format!("{at}: summary missing or not in sentence case")
        });
        problems.check(!text(&op["description"]).is_empty(), || {
            format!("{at}: no description")
        });
        let internal = op["x-ms-visibility"] == "internal";
        for parameter in op["parameters"].as_array().into_iter().flatten() {
            let name = text(&parameter["name"]);
            problems.check(!text(&parameter["description"]).is_empty(), || {
                format!("{at}: parameter {name} has no description")
            });
            let hidden = parameter["x-ms-visibility"] == "internal";
            problems.check(
                hidden || parameter["in"] == "body" || !text(&parameter["x-ms-summary"]).is_empty(),
                || format!("{at}: parameter {name} has no x-ms-summary"),
            );
            problems.check(
                !(hidden && parameter["required"] == true) || parameter.get("default").is_some(),
                || format!("{at}: required internal parameter {name} has no default"),
            );
        }
        let success = op["responses"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(code, _)| code.starts_with('2'));
        problems.check(success.is_some(), || format!("{at}: no success response"));
        if let Some((code, response)) = success
            && !internal
            && op.get("x-ms-trigger").is_none()
            && code != "204"
        {
            problems.check(response.get("schema").is_some(), || {
                format!("{at}: the {code} response has no schema")
            });
        }
        if op.get("x-ms-trigger").is_some() {
            trigger(&mut problems, &at, item, op, &definition);
        }
    }

    let mut props = Vec::new();
    for (name, schema) in definition["definitions"].as_object().unwrap() {
        properties(name.clone(), schema, &mut props);
    }
    for (at, prop) in props {
        problems.check(!text(&prop["description"]).is_empty(), || {
            format!("{at}: no description")
        });
        problems.check(
            prop["x-ms-visibility"] == "internal" || !text(&prop["x-ms-summary"]).is_empty(),
            || format!("{at}: no x-ms-summary"),
        );
    }

    properties_file(&mut problems);
    let readme = std::fs::read_to_string(package().join("readme.md")).unwrap();
    for section in [
        "## Publisher",
        "## Prerequisites",
        "## Supported Operations",
        "## Obtaining Credentials",
        "## Known Issues and Limitations",
        "## Deployment Instructions",
    ] {
        problems.check(readme.contains(section), || {
            format!("readme.md lacks {section}")
        });
    }
    assert!(
        problems.0.is_empty(),
        "certification rules broken:\n{}",
        problems.0.join("\n")
    );
}

/// A webhook trigger: its callback field, its 201 with `Location`, what it posts, and a
/// `DELETE` for the hook it makes.
fn trigger(problems: &mut Problems, at: &str, item: &Value, op: &Value, definition: &Value) {
    let body = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["in"] == "body");
    let schema = body.map(|b| resolve(definition, &b["schema"]));
    let callback = schema
        .and_then(|s| s["properties"].as_object())
        .into_iter()
        .flatten()
        .find(|(_, p)| p["x-ms-notification-url"] == true);
    problems.check(
        callback.is_some_and(|(_, p)| p["x-ms-visibility"] == "internal"),
        || format!("{at}: no internal x-ms-notification-url field"),
    );
    problems.check(
        op["responses"]["201"]["headers"].get("Location").is_some(),
        || format!("{at}: no 201 with a Location header"),
    );
    problems.check(item.get("x-ms-notification-content").is_some(), || {
        format!("{at}: no x-ms-notification-content")
    });
    let deletes = operations(definition)
        .into_iter()
        .any(|(method, _, _, d)| method == "delete" && d["x-ms-visibility"] == "internal");
    problems.check(deletes, || {
        format!("{at}: no internal DELETE for its hooks")
    });
}

/// `schema`, or the definition its `$ref` names.
fn resolve<'a>(definition: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/definitions/");
            &definition["definitions"][name]
        }
        None => schema,
    }
}

fn properties_file(problems: &mut Problems) {
    let properties = json("apiProperties.json");
    let props = &properties["properties"];
    for field in ["publisher", "stackOwner"] {
        problems.check(!text(&props[field]).is_empty(), || {
            format!("apiProperties.json lacks {field}")
        });
    }
    let colour = text(&props["iconBrandColor"]).to_ascii_lowercase();
    let valid = colour.len() == 7
        && colour.starts_with('#')
        && colour[1..].chars().all(|c| c.is_ascii_hexdigit());
    problems.check(valid && colour != "#007ee5" && colour != "#ffffff", || {
        format!("iconBrandColor {colour} is not a valid colour of its own")
    });
    let oauth = &props["connectionParameters"]["token"]["oAuthSettings"];
    problems.check(oauth["identityProvider"] == "aad", || {
        "the connection does not sign in with Azure AD".into()
    });
    problems.check(
        !text(&oauth["customParameters"]["resourceUri"]["value"]).is_empty(),
        || "Azure AD sign-in without a resourceUri".into(),
    );

    let settings = json("settings.json");
    for key in ["apiProperties", "apiDefinition", "icon"] {
        let file = text(&settings[key]);
        problems.check(package().join(file).is_file(), || {
            format!("settings.json: {key} {file:?} is not in the package")
        });
    }
    let icon = std::fs::read(package().join("icon.png")).unwrap();
    let number = |at: usize| u32::from_be_bytes(icon[at..at + 4].try_into().unwrap());
    problems.check(
        icon.starts_with(b"\x89PNG") && number(16) == 230 && number(20) == 230,
        || "icon.png is not a 230x230 PNG".into(),
    );
    // Colour type 2 (RGB): no transparency. Its background is the brand colour, not white.
    problems.check(icon[25] == 2, || "icon.png may be transparent".into());
}
