//! A custom connector as Power Automate runs one: its OpenAPI 2.0 definition, and the HTTP
//! request an operation becomes once a flow's flattened parameters are evaluated. A plain
//! parameter name goes to the path, the query or a header as the definition says; `body/a/b`
//! nests into the body parameter's object (the designer names the body parameter `body`).

use serde_json::{Map, Value};

/// Flowhost's connector package: the same file the ISV submits.
pub const FLOWHOST_DEFINITION: &str = include_str!("../../../connector/apiDefinition.swagger.json");

/// An operation's request, ready to send to the connector's backend.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub method: String,
    /// Path and query, under the backend's base URL (`scheme://host` + `basePath`).
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
}

/// A connector's definition, parsed once.
pub struct Connector {
    definition: Value,
}

impl Connector {
    pub fn parse(text: &str) -> Result<Connector, String> {
        let definition: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if definition["swagger"] != "2.0" {
            return Err("a connector is described in OpenAPI 2.0".into());
        }
        Ok(Connector { definition })
    }

    pub fn flowhost() -> Connector {
        Connector::parse(FLOWHOST_DEFINITION).expect("connector/apiDefinition.swagger.json parses")
    }

    pub fn base_path(&self) -> &str {
        self.definition["basePath"].as_str().unwrap_or("")
    }

    /// The operation `operation_id`: its method, path template and the path item it is in.
    fn operation(&self, operation_id: &str) -> Option<(&str, &str, &Value, &Value)> {
        let paths = self.definition["paths"].as_object()?;
        paths.iter().find_map(|(path, item)| {
            ["get", "post", "put", "patch", "delete"]
                .iter()
                .find_map(|method| {
                    let op = item.get(*method)?;
                    (op["operationId"] == operation_id).then_some((
                        *method,
                        path.as_str(),
                        op,
                        item,
                    ))
                })
        })
    }

    /// The definition as the ISV submitted it.
    pub fn definition(&self) -> &Value {
        &self.definition
    }

    /// Every operation: its id, summary, and `x-ms-trigger` and `x-ms-visibility` when set.
    pub fn operations(&self) -> Vec<Value> {
        let paths = self.definition["paths"].as_object().into_iter().flatten();
        paths
            .flat_map(|(_, item)| item.as_object().into_iter().flatten())
            .filter(|(method, op)| !method.starts_with("x-") && op.get("operationId").is_some())
            .map(|(_, op)| {
                serde_json::json!({
                    "operationId": op["operationId"],
                    "summary": op["summary"],
                    "trigger": op.get("x-ms-trigger"),
                    "visibility": op.get("x-ms-visibility"),
                })
            })
            .collect()
    }

    pub fn has(&self, operation_id: &str) -> bool {
        self.operation(operation_id).is_some()
    }

    /// Whether `operation_id` is a webhook trigger (`x-ms-trigger`), and the body field that
    /// takes the callback address (`x-ms-notification-url`).
    pub fn notification_field(&self, operation_id: &str) -> Option<String> {
        let (_, _, op, _) = self.operation(operation_id)?;
        op.get("x-ms-trigger")?;
        let body = op["parameters"]
            .as_array()?
            .iter()
            .find(|p| p["in"] == "body")?;
        let schema = self.resolve(&body["schema"]);
        schema["properties"]
            .as_object()?
            .iter()
            .find(|(_, p)| p["x-ms-notification-url"] == true)
            .map(|(name, _)| name.clone())
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema["$ref"].as_str() {
            Some(reference) => {
                &self.definition["definitions"][reference.trim_start_matches("#/definitions/")]
            }
            None => schema,
        }
    }

    /// The request `operation_id` makes with `parameters` (already evaluated).
    pub fn request(
        &self,
        operation_id: &str,
        parameters: &Map<String, Value>,
    ) -> Result<Request, String> {
        let (method, template, op, _) = self
            .operation(operation_id)
            .ok_or_else(|| format!("the connector has no operation '{operation_id}'"))?;
        let declared = op["parameters"].as_array().cloned().unwrap_or_default();
        let mut path = format!("{}{template}", self.base_path());
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        let mut headers = Vec::new();
        let mut body: Option<Value> = None;
        for parameter in &declared {
            let name = parameter["name"].as_str().unwrap_or_default();
            let location = parameter["in"].as_str().unwrap_or_default();
            if location == "body" {
                body = body_of(name, parameters);
                if body.is_none() && parameter["required"] == true {
                    return Err(format!(
                        "the operation '{operation_id}' needs its body '{name}'"
                    ));
                }
                continue;
            }
            // A default stands in only where the flow cannot give the value: a required
            // parameter, or a hidden one.
            let fills = parameter["required"] == true || parameter["x-ms-visibility"] == "internal";
            let value = parameters
                .get(name)
                .or_else(|| parameter.get("default").filter(|_| fills))
                .filter(|v| !v.is_null());
            let Some(value) = value else {
                if parameter["required"] == true {
                    return Err(format!(
                        "the operation '{operation_id}' needs the parameter '{name}'"
                    ));
                }
                continue;
            };
            let text = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned);
            match location {
                "path" => {
                    let encoded = percent_encoding::utf8_percent_encode(
                        &text,
                        percent_encoding::NON_ALPHANUMERIC,
                    );
                    path = path.replace(&format!("{{{name}}}"), &encoded.to_string());
                }
                "query" => {
                    query.append_pair(name, &text);
                }
                "header" => headers.push((name.to_owned(), text)),
                other => return Err(format!("parameters in '{other}' are not supported")),
            }
        }
        if let Some(unknown) = parameters.keys().find(|key| {
            let first = key.split('/').next().unwrap_or_default();
            !declared.iter().any(|p| p["name"] == first)
        }) {
            return Err(format!(
                "the operation '{operation_id}' has no parameter '{unknown}'"
            ));
        }
        let query = query.finish();
        if !query.is_empty() {
            path = format!("{path}?{query}");
        }
        Ok(Request {
            method: method.to_uppercase(),
            path,
            headers,
            body,
        })
    }
}

/// The body parameter `name`'s object: the whole of `name`, with `name/a/b` nested in.
fn body_of(name: &str, parameters: &Map<String, Value>) -> Option<Value> {
    let mut body = parameters.get(name).cloned();
    let prefix = format!("{name}/");
    for (key, value) in parameters {
        let Some(path) = key.strip_prefix(&prefix) else {
            continue;
        };
        let mut at = body.get_or_insert_with(|| Value::Object(Map::new()));
        let mut steps = path.split('/').peekable();
        while let Some(step) = steps.next() {
            if !at.is_object() {
                *at = Value::Object(Map::new());
            }
            let object = at.as_object_mut().expect("an object");
            if steps.peek().is_none() {
                object.insert(step.to_owned(), value.clone());
                break;
            }
            at = object
                .entry(step.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parameters(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn flowhosts_own_definition_is_the_connector() {
        let flowhost = Connector::flowhost();
        assert_eq!(flowhost.base_path(), "/api/v1");
        assert!(flowhost.has("AddComment") && flowhost.has("OnTicketCreated"));
        assert_eq!(
            flowhost.notification_field("OnTicketCreated").as_deref(),
            Some("callbackUrl")
        );
        assert_eq!(flowhost.notification_field("AddComment"), None, "an action");
    }

    #[test]
    fn flattened_parameters_become_the_path_query_headers_and_body() {
        let flowhost = Connector::flowhost();
        let comment = flowhost
            .request(
                "AddComment",
                &parameters(json!({"ticketId": 42, "body/text": "Approved by Adele"})),
            )
            .unwrap();
        assert_eq!(comment.method, "POST");
        assert_eq!(comment.path, "/api/v1/tickets/42/comments");
        assert_eq!(comment.body, Some(json!({"text": "Approved by Adele"})));

        let list = flowhost
            .request(
                "ListTickets",
                &parameters(json!({"accountId": 3, "status": "open", "pageSize": 5})),
            )
            .unwrap();
        assert_eq!(
            list.path,
            "/api/v1/accounts/3/tickets?status=open&pageSize=5"
        );
        assert_eq!(list.body, None);

        let change = flowhost
            .request(
                "UpdateTicket",
                &parameters(
                    json!({"ticketId": 9, "If-Match": "\"2\"", "body": {"status": "closed"}}),
                ),
            )
            .unwrap();
        assert_eq!(change.method, "PATCH");
        assert_eq!(
            change.headers,
            [("If-Match".to_owned(), "\"2\"".to_owned())]
        );
        assert_eq!(change.body, Some(json!({"status": "closed"})));
    }

    #[test]
    fn what_the_operation_does_not_take_is_refused() {
        let flowhost = Connector::flowhost();
        let missing = flowhost.request("GetTicket", &Map::new()).unwrap_err();
        assert_eq!(
            missing,
            "the operation 'GetTicket' needs the parameter 'ticketId'"
        );
        let unknown = flowhost
            .request(
                "GetTicket",
                &parameters(json!({"ticketId": 1, "colour": "red"})),
            )
            .unwrap_err();
        assert!(unknown.contains("no parameter 'colour'"));
        assert!(flowhost.request("DeleteEverything", &Map::new()).is_err());
        let encoded = flowhost
            .request("GetAccount", &parameters(json!({"accountId": "1/../2"})))
            .unwrap();
        assert_eq!(encoded.path, "/api/v1/accounts/1%2F%2E%2E%2F2");
    }
}
