//! Starting a sandbox and driving it over real HTTP like a relying party would.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use rsa::{BigUint, RsaPublicKey};
use serde_json::Value;
use sha2::{Digest, Sha256};
use url::Url;

pub const REDIRECT: &str = "http://localhost:3000/auth/callback";
pub const SIGNED_OUT: &str = "http://localhost:3000/auth/signed-out";
pub const CONTOSO: &str = "c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70";
pub const TAILSPIN: &str = "7a115b1a-0c2d-4e3f-8a4b-5c6d7e8f9a0b";

pub struct Sandbox {
    pub base: String,
    /// The Power Automate origin.
    pub flow: String,
    pub http: reqwest::Client,
}

impl Sandbox {
    /// `GET` of `path` on Power Automate's origin.
    pub async fn flow_get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.flow))
            .send()
            .await
            .unwrap()
    }

    /// `POST` of `body` as JSON to `path` on Power Automate's origin.
    pub async fn flow_post(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.flow))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn start() -> Sandbox {
        Sandbox::start_with(sandbox::SdkSetting::default()).await
    }

    /// A sandbox whose Power Automate serves the SDK script as `sdk` says from the start.
    pub async fn start_with(sdk: sandbox::SdkSetting) -> Sandbox {
        Sandbox::start_options(sandbox::Options {
            sdk,
            ..sandbox::Options::default()
        })
        .await
    }

    /// A sandbox whose calls to Flowhost (the connector's, the marketplace's) go to `host`.
    pub async fn start_for(host: &str) -> Sandbox {
        Sandbox::start_options(sandbox::Options {
            connector_host: host.to_owned(),
            ..sandbox::Options::default()
        })
        .await
    }

    async fn start_options(options: sandbox::Options) -> Sandbox {
        let running = sandbox::start(sandbox::Options {
            addr: "127.0.0.1:0".parse().unwrap(),
            flow_addr: "127.0.0.1:0".parse().unwrap(),
            redirect_uris: vec![REDIRECT.into(), SIGNED_OUT.into()],
            ..options
        })
        .await
        .unwrap();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Sandbox {
            base: running.authority(),
            flow: running.flow_host(),
            http,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let response = self.http.get(self.url(path)).send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }

    pub async fn control(&self, path: &str, body: Value) -> Value {
        let response = self
            .http
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        response.json().await.unwrap()
    }

    pub async fn authorize(&self, tenant: &str, params: &[(String, String)]) -> reqwest::Response {
        let url = self.url(&format!("/{tenant}/oauth2/v2.0/authorize"));
        self.http.get(url).query(params).send().await.unwrap()
    }

    /// Posts the picker form: the request's parameters plus the pressed button.
    pub async fn press(
        &self,
        path: &str,
        params: &[(String, String)],
        button: (&str, &str),
    ) -> reqwest::Response {
        let mut form = params.to_vec();
        form.push((button.0.into(), button.1.into()));
        self.http
            .post(self.url(path))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// Runs authorize as `upn` and returns the redirect's query parameters.
    pub async fn pick(&self, flow: &Flow, upn: &str) -> HashMap<String, String> {
        let page = self.authorize(&flow.tenant, &flow.params()).await;
        assert_eq!(page.status(), StatusCode::OK);
        let path = format!("/{}/oauth2/v2.0/authorize", flow.tenant);
        let response = self.press(&path, &flow.params(), ("upn", upn)).await;
        assert_eq!(response.status(), StatusCode::FOUND);
        redirect_query(&response)
    }

    pub async fn code(&self, flow: &Flow, upn: &str) -> String {
        let query = self.pick(flow, upn).await;
        assert_eq!(query["state"], flow.state);
        query["code"].clone()
    }

    pub async fn token(&self, tenant: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let mut body = vec![
            ("client_id", sandbox::CLIENT_ID),
            ("client_secret", sandbox::CLIENT_SECRET),
        ];
        body.extend_from_slice(form);
        let response = self
            .http
            .post(self.url(&format!("/{tenant}/oauth2/v2.0/token")))
            .form(&body)
            .send()
            .await
            .unwrap();
        (response.status(), response.json().await.unwrap())
    }

    pub async fn redeem(&self, flow: &Flow, code: &str) -> (StatusCode, Value) {
        self.token(
            &flow.tenant,
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", REDIRECT),
                ("code_verifier", &flow.verifier),
            ],
        )
        .await
    }

    /// Signs `upn` in through `organizations` and redeems the code.
    pub async fn sign_in(&self, upn: &str) -> (Flow, Value) {
        let flow = Flow::new("organizations");
        let code = self.code(&flow, upn).await;
        let (status, tokens) = self.redeem(&flow, &code).await;
        assert_eq!(status, StatusCode::OK, "{tokens}");
        (flow, tokens)
    }

    pub async fn jwks(&self) -> Vec<Value> {
        let (_, jwks) = self.get_json("/organizations/discovery/v2.0/keys").await;
        jwks["keys"].as_array().unwrap().clone()
    }

    /// Checks an RS256 signature against the published key named by `kid`.
    pub async fn verify(&self, token: &str) -> Result<(), String> {
        let (header, _) = decode(token);
        let jwk = self
            .jwks()
            .await
            .into_iter()
            .find(|k| k["kid"] == header["kid"])
            .ok_or("no published key has this kid")?;
        let (input, signature) = token.rsplit_once('.').unwrap();
        let signature =
            Signature::try_from(b64d(signature).as_slice()).map_err(|e| e.to_string())?;
        VerifyingKey::<Sha256>::new(public_key(&jwk))
            .verify(input.as_bytes(), &signature)
            .map_err(|e| e.to_string())
    }
}

/// One authorization request's parameters (PKCE S256, a nonce and a state).
pub struct Flow {
    pub tenant: String,
    pub scope: String,
    pub nonce: String,
    pub state: String,
    pub verifier: String,
    pub extra: Vec<(String, String)>,
}

impl Flow {
    pub fn new(tenant: &str) -> Flow {
        Flow {
            tenant: tenant.into(),
            scope: "openid profile email offline_access".into(),
            nonce: uuid::Uuid::new_v4().to_string(),
            state: uuid::Uuid::new_v4().to_string(),
            verifier: format!("{}{}", uuid::Uuid::new_v4(), uuid::Uuid::new_v4()),
            extra: Vec::new(),
        }
    }

    pub fn with(mut self, name: &str, value: &str) -> Flow {
        self.extra.retain(|(k, _)| k != name);
        self.extra.push((name.into(), value.into()));
        self
    }

    /// The query parameters; `extra` overrides or adds, and an empty value removes.
    pub fn params(&self) -> Vec<(String, String)> {
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(&self.verifier));
        let mut params: Vec<(String, String)> = [
            ("client_id", sandbox::CLIENT_ID),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("scope", &self.scope),
            ("state", &self.state),
            ("nonce", &self.nonce),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .filter(|(k, _)| !self.extra.iter().any(|(e, _)| e == k))
        .collect();
        params.extend(self.extra.iter().filter(|(_, v)| !v.is_empty()).cloned());
        params
    }
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .expect("a redirect")
        .to_str()
        .unwrap()
        .to_owned()
}

pub fn redirect_query(response: &reqwest::Response) -> HashMap<String, String> {
    let url = Url::parse(&location(response)).unwrap();
    url.query_pairs().into_owned().collect()
}

pub fn b64d(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).unwrap()
}

/// The header and claims of a JWT, unverified.
pub fn decode(token: &str) -> (Value, Value) {
    let mut parts = token.split('.');
    let mut json = || serde_json::from_slice(&b64d(parts.next().unwrap())).unwrap();
    (json(), json())
}

pub fn public_key(jwk: &Value) -> RsaPublicKey {
    let int = |name: &str| BigUint::from_bytes_be(&b64d(jwk[name].as_str().unwrap()));
    RsaPublicKey::new(int("n"), int("e")).unwrap()
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Asserts Azure AD's token-endpoint error shape (`error`, `error_codes`, and an
/// `error_description` starting `AADSTS<code>: `) and returns the AADSTS code.
pub fn assert_aad_error(body: &Value, error: &str, code: u64) {
    assert_eq!(body["error"], error, "{body}");
    assert_eq!(body["error_codes"], serde_json::json!([code]), "{body}");
    let description = body["error_description"].as_str().unwrap();
    assert!(
        description.starts_with(&format!("AADSTS{code}: ")),
        "{description}"
    );
    let trace = body["trace_id"].as_str().unwrap();
    let correlation = body["correlation_id"].as_str().unwrap();
    let timestamp = body["timestamp"].as_str().unwrap();
    assert!(description.ends_with(&format!(
        "\r\nTrace ID: {trace}\r\nCorrelation ID: {correlation}\r\nTimestamp: {timestamp}"
    )));
    assert_eq!(timestamp.len(), "2016-01-09 02:02:12Z".len());
    assert!(
        body["error_uri"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/error?code={code}"))
    );
}
