//! Partner Center's REST API over real HTTP, called as Flowhost calls it: with the ISV app's
//! own token for Partner Center from the ISV's tenant.

mod access;
mod customers;
mod purchases;
mod subscriptions;

use std::time::Duration;

use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub(crate) const ISV: &str = "f1a0b0c7-4d2e-4f6a-8b3c-5d6e7f8091a2";
pub(crate) const FABRIKAM: &str = "fab0c1d2-e3f4-4a5b-8c6d-7e8f9a0b1c2d";
pub(crate) const NORTHWIND: &str = "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d";
pub(crate) const PARTNER_CENTER: &str = "https://api.partnercenter.microsoft.com";
pub(crate) const MCA_TEMPLATE: &str = "117a77b0-9360-443b-8795-c6dedc750cf9";
pub(crate) const PREMIUM_SKU: &str = "eda1941c-3c4f-4995-b5eb-e85a42175ab9";
pub(crate) const E3_SKU: &str = "6fd2c87f-b296-42f0-b197-1e91e994b900";

/// An app token of the demo app in `tenant` for `scope` (`{resource}/.default`).
pub(crate) async fn app_token(sandbox: &Sandbox, tenant: &str, scope: &str) -> String {
    let (status, body) = sandbox
        .token(
            tenant,
            &[("grant_type", "client_credentials"), ("scope", scope)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

pub(crate) struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts Partner Center's error shape with `status` and `code`.
    pub fn refused(&self, status: StatusCode, code: u64) -> &str {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.body["code"], code, "{}", self.body);
        assert_eq!(self.body["source"], "PartnerFD", "{}", self.body);
        assert!(self.body["data"].is_array(), "{}", self.body);
        self.body["description"].as_str().unwrap()
    }
}

/// The partner calling Partner Center with a token (or none).
pub(crate) struct Partner<'s> {
    pub sandbox: &'s Sandbox,
    pub token: Option<String>,
}

impl<'s> Partner<'s> {
    /// With the ISV app's own token for Partner Center, from the ISV's tenant.
    pub async fn new(sandbox: &'s Sandbox) -> Partner<'s> {
        let token = app_token(sandbox, ISV, &format!("{PARTNER_CENTER}/.default")).await;
        Partner {
            sandbox,
            token: Some(token),
        }
    }

    pub fn with_token(sandbox: &'s Sandbox, token: Option<String>) -> Partner<'s> {
        Partner { sandbox, token }
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let url = format!("{}/partnercenter/v1{path}", self.sandbox.flow);
        let request = self.sandbox.http.request(method, url);
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// `method` on `path` (under `/partnercenter/v1`) with `headers` and a JSON `body`.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut request = self.request(method, path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        answer(request.send().await.unwrap()).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, None, &[]).await
    }

    /// A POST with a new `MS-RequestId`.
    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        let id = uuid::Uuid::new_v4().to_string();
        self.send(Method::POST, path, Some(body), &[("MS-RequestId", &id)])
            .await
    }
}

pub(crate) async fn answer(response: reqwest::Response) -> Answer {
    let (status, headers) = (response.status(), response.headers().clone());
    let text = response.text().await.unwrap();
    Answer {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

/// Changes Partner Center's test settings.
pub(crate) async fn settings(sandbox: &Sandbox, body: Value) -> Value {
    let response = sandbox.flow_post("/_sandbox/partner-center", &body).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// Every order of every customer.
pub(crate) async fn all_orders(sandbox: &Sandbox) -> Vec<Value> {
    let response = sandbox.flow_get("/_sandbox/partner-center/orders").await;
    response.json().await.unwrap()
}

/// The id of the catalog's offer named `name`, as Flowhost discovers it.
pub(crate) async fn offer_id(partner: &Partner<'_>, name: &str) -> String {
    let offers = partner
        .send(
            Method::GET,
            "/offers?country=US",
            None,
            &[("X-Locale", "en-US")],
        )
        .await;
    assert_eq!(offers.status, StatusCode::OK, "{}", offers.body);
    offers.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == name)
        .unwrap_or_else(|| panic!("no offer {name}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A cart line of `quantity` licences of `offer`, billed monthly for a month.
pub(crate) fn line(offer: &str, quantity: u32) -> Value {
    json!({"id": 0, "catalogItemId": offer, "quantity": quantity,
        "billingCycle": "monthly", "termDuration": "P1M"})
}

/// A new customer's body for `domain`.
pub(crate) fn new_customer(domain: &str, company: &str) -> Value {
    json!({
        "CompanyProfile": {"Domain": domain},
        "BillingProfile": {
            "Culture": "EN-US", "Email": format!("admin@{domain}"), "Language": "en",
            "CompanyName": company,
            "DefaultAddress": {"FirstName": "Pat", "LastName": "Doe",
                "AddressLine1": "1 Main Street", "City": "Redmond", "State": "WA",
                "PostalCode": "98052", "Country": "US"},
        },
    })
}

/// The partner's confirmation that `customer` accepted the Microsoft Customer Agreement.
pub(crate) async fn agree(partner: &Partner<'_>, customer: &str) -> Answer {
    let body = json!({
        "primaryContact": {"firstName": "Pat", "lastName": "Doe", "email": "pat@example.com",
            "phoneNumber": "4255550101"},
        "templateId": MCA_TEMPLATE,
        "dateAgreed": "2026-11-30T00:00:00Z",
        "type": "MicrosoftCustomerAgreement",
    });
    partner
        .post(&format!("/customers/{customer}/agreements"), &body)
        .await
}

/// Reads the order until it is completed (within ten seconds).
pub(crate) async fn completed(partner: &Partner<'_>, customer: &str, order: &str) -> Value {
    for _ in 0..100 {
        let read = partner
            .get(&format!("/customers/{customer}/orders/{order}"))
            .await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        if read.body["status"] == "completed" {
            return read.body;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("order {order} did not complete");
}

/// The enabled prepaid units of `sku` in `tenant`, from Microsoft Graph's `subscribedSkus`.
pub(crate) async fn prepaid_units(sandbox: &Sandbox, tenant: &str, sku: &str) -> i64 {
    let token = app_token(sandbox, tenant, "https://graph.microsoft.com/.default").await;
    let response = sandbox
        .http
        .get(sandbox.url("/graph/v1.0/subscribedSkus"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    body["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["skuId"] == sku)
        .map(|s| s["prepaidUnits"]["enabled"].as_i64().unwrap())
        .unwrap_or(0)
}
