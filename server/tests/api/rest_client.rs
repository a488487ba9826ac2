//! A client of Flowhost's REST API: access tokens got from the sandbox identity provider as
//! a client would get them, and calls with one.

use crate::support::TestApp;
use reqwest::{Response, StatusCode};

/// An access token for Flowhost's own API, got as a client of the sandbox identity provider
/// would: `upn` picked on the authorize page, the code redeemed for `scope`.
pub async fn api_token(app: &TestApp, upn: &str, scope: &str) -> String {
    token_from(&app.sandbox, &app.base, upn, scope).await
}

/// As [`api_token`], from the sandbox at `sandbox` of the Flowhost at `base`.
pub async fn token_from(sandbox: &str, base: &str, upn: &str, scope: &str) -> String {
    let answer = token_answer(sandbox, base, upn, scope).await;
    answer["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("an access token: {answer}"))
        .to_owned()
}

/// The sandbox token endpoint's whole answer for `upn` and `openid {scope}`.
pub async fn token_answer(sandbox: &str, base: &str, upn: &str, scope: &str) -> serde_json::Value {
    let browser = crate::support::Browser::new(base);
    let redirect = format!("{base}/auth/callback");
    let mut authorize =
        url::Url::parse(&format!("{sandbox}/organizations/oauth2/v2.0/authorize")).unwrap();
    authorize
        .query_pairs_mut()
        .append_pair("client_id", sandbox::CLIENT_ID)
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", &redirect)
        // The sandbox, like Flowhost's own sign-in, takes OpenID Connect requests.
        .append_pair("scope", &format!("openid {scope}"))
        .append_pair("nonce", "api-token")
        .append_pair("state", "api")
        .append_pair("response_mode", "query");
    let back = browser.pick(authorize.as_str(), upn).await;
    let code = url::Url::parse(&back)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("a code, not {back}"));
    browser
        .client
        .post(format!("{sandbox}/organizations/oauth2/v2.0/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &redirect),
            ("client_id", sandbox::CLIENT_ID),
            ("client_secret", sandbox::CLIENT_SECRET),
            ("scope", scope),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The scope a flow's connection to Flowhost asks for.
pub const API_SCOPE: &str = "api://f10a0057-0000-4000-8000-00000000f10a/Tickets.ReadWrite";

/// A REST API client holding one bearer token.
pub struct Rest {
    client: reqwest::Client,
    base: String,
    pub token: String,
}

/// What the API answered: status, headers and JSON body (`Null` when empty).
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: serde_json::Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    /// The error's code (`error.code`).
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }
}

impl TestApp {
    /// A REST client with a token `upn` got for the connector's scope.
    pub async fn rest(&self, upn: &str) -> Rest {
        self.rest_with(api_token(self, upn, API_SCOPE).await)
    }

    pub fn rest_with(&self, token: String) -> Rest {
        Rest::new(&self.base, token)
    }
}

impl Rest {
    pub fn new(base: &str, token: String) -> Rest {
        Rest {
            client: reqwest::Client::new(),
            base: base.to_owned(),
            token,
        }
    }

    /// `method` on `path` (under the server, or an absolute URL) with an optional JSON body
    /// and extra headers.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        };
        let mut request = self.client.request(method, url).bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        answer(request.send().await.unwrap()).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(reqwest::Method::GET, path, None, &[]).await
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> Answer {
        self.send(reqwest::Method::POST, path, Some(body), &[])
            .await
    }
}

pub async fn answer(response: Response) -> Answer {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let body = if text.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON, not {text}"))
    };
    Answer {
        status,
        headers,
        body,
    }
}
