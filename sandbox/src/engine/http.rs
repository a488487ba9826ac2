//! A connector operation called over HTTP, as Power Automate's runtime calls a custom
//! connector's backend: the request the definition describes, sent to the backend with the
//! connection's bearer token; a 2xx answer gives the action's outputs, anything else fails it
//! with the backend's own error code and message when it sent them.

use super::connector::Connector;
use super::definition::Host;
use super::run::{Calls, Failure, Status};
use serde_json::{Map, Value, json};
use std::time::Duration;

/// How long a backend has to answer one call.
const TIMEOUT: Duration = Duration::from_secs(30);

pub struct ConnectorCalls<'c> {
    pub connector: &'c Connector,
    /// The backend's origin, e.g. `https://desk.example.com` (the definition's `basePath`
    /// follows).
    pub origin: String,
    /// The connection's access token for the backend.
    pub token: String,
    pub http: reqwest::Client,
}

impl ConnectorCalls<'_> {
    pub fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .build()
            .expect("an HTTP client")
    }
}

fn failure(code: &str, message: String, outputs: Value) -> Failure {
    Failure {
        status: Status::Failed,
        code: code.to_owned(),
        message,
        outputs,
    }
}

impl Calls for ConnectorCalls<'_> {
    async fn call(&self, host: &Host, parameters: &Map<String, Value>) -> Result<Value, Failure> {
        let request = self
            .connector
            .request(&host.operation_id, parameters)
            .map_err(|why| failure("InvalidRequestContent", why, Value::Null))?;
        let method = reqwest::Method::from_bytes(request.method.as_bytes())
            .map_err(|e| failure("InvalidRequestContent", e.to_string(), Value::Null))?;
        let mut call = self
            .http
            .request(method, format!("{}{}", self.origin, request.path))
            .bearer_auth(&self.token);
        for (name, value) in &request.headers {
            call = call.header(name, value);
        }
        if let Some(body) = &request.body {
            call = call.json(body);
        }
        let answer = call.send().await.map_err(|e| {
            failure(
                "BadGateway",
                format!("The backend could not be reached: {e}"),
                Value::Null,
            )
        })?;
        let status = answer.status();
        let headers: Map<String, Value> = answer
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.to_string(), Value::String(v.to_str().ok()?.to_owned()))))
            .collect();
        let text = answer.text().await.unwrap_or_default();
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        let outputs = json!({"statusCode": status.as_u16(), "headers": headers, "body": body});
        if status.is_success() {
            return Ok(outputs);
        }
        let code = body["error"]["code"]
            .as_str()
            .map_or_else(|| status.as_u16().to_string(), str::to_owned);
        let message = body["error"]["message"]
            .as_str()
            .map_or_else(|| format!("The backend answered {status}."), str::to_owned);
        Err(failure(&code, message, outputs))
    }

    async fn wait(&self, host: &Host, _: &Map<String, Value>) -> Result<Value, Failure> {
        Err(failure(
            "InvalidTemplate",
            format!(
                "The operation '{}' of the connector answers at once; it is not one to wait for.",
                host.operation_id
            ),
            Value::Null,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Json;
    use axum::extract::Path;
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::post;

    /// A backend that takes comments on ticket 42 only, with the right token.
    async fn backend() -> String {
        let app = axum::Router::new().route(
            "/api/v1/tickets/{id}/comments",
            post(|Path(id): Path<i64>, headers: HeaderMap, Json(body): Json<Value>| async move {
                if headers["authorization"] != "Bearer connection-token" {
                    return (StatusCode::UNAUTHORIZED, Json(json!({"error": {"code": "invalid_token", "message": "No."}})));
                }
                if id != 42 {
                    return (StatusCode::NOT_FOUND, Json(json!({"error": {"code": "not_found", "message": "There is nothing at this address for your organisation."}})));
                }
                (StatusCode::CREATED, Json(json!({"id": 1, "ticketId": id, "text": body["text"]})))
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        origin
    }

    fn host() -> Host {
        Host {
            api_id: "/providers/Microsoft.PowerApps/apis/shared_flowhost".into(),
            connection_name: "shared_flowhost".into(),
            operation_id: "AddComment".into(),
        }
    }

    fn comment_on(ticket: i64) -> Map<String, Value> {
        json!({"ticketId": ticket, "body/text": "Approved by Adele Vance"})
            .as_object()
            .unwrap()
            .clone()
    }

    #[tokio::test]
    async fn a_call_reaches_the_backend_with_the_connections_token() {
        let connector = Connector::flowhost();
        let calls = ConnectorCalls {
            connector: &connector,
            origin: backend().await,
            token: "connection-token".into(),
            http: ConnectorCalls::client(),
        };
        let outputs = calls.call(&host(), &comment_on(42)).await.unwrap();
        assert_eq!(outputs["statusCode"], 201);
        assert_eq!(outputs["body"]["text"], "Approved by Adele Vance");

        let missing = calls.call(&host(), &comment_on(7)).await.unwrap_err();
        assert_eq!(
            (
                missing.code.as_str(),
                missing.outputs["statusCode"].as_u64()
            ),
            ("not_found", Some(404))
        );
        assert_eq!(
            missing.message,
            "There is nothing at this address for your organisation."
        );

        let refused = ConnectorCalls {
            token: "other".into(),
            ..calls
        };
        assert_eq!(
            refused
                .call(&host(), &comment_on(42))
                .await
                .unwrap_err()
                .code,
            "invalid_token"
        );
    }
}
