//! Partner Center's REST API, called with the Partner Center app's own token from the ISV's
//! tenant. Every call carries an `MS-RequestId` (the caller's, reused when it sends the same
//! request again, so a retry after a timeout is the same request to Partner Center), a fresh
//! `MS-CorrelationId` and `X-Locale`; updates carry the resource's ETag in `If-Match`. Errors
//! are Partner Center's `{code, description}`.

use crate::auth::AppTokens;
use crate::power_platform::{PlatformError, bounded, with_body};
use app::csp::{CspOffer, CspSubscription, FoundCustomer};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;

/// The resource Partner Center's tokens are for.
pub const PARTNER_CENTER: &str = "https://api.partnercenter.microsoft.com";
const LOCALE: &str = "en-US";

/// Why Partner Center gave no answer to use.
#[derive(Clone, Debug, PartialEq)]
pub enum PartnerError {
    /// No answer in time: the request may or may not have been carried out.
    TimedOut,
    Unreachable(String),
    /// Partner Center answered with an error: its status, code and description.
    Refused {
        status: u16,
        code: String,
        description: String,
    },
}

impl PartnerError {
    /// Partner Center's error `{code, description}` (a number or a text code) with `status`.
    pub fn refused(status: u16, error: &Value) -> PartnerError {
        PartnerError::Refused {
            status,
            code: match &error["code"] {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                _ => String::new(),
            },
            description: crate::telemetry::bounded(
                error["description"].as_str().unwrap_or("no description"),
            )
            .to_string(),
        }
    }

    /// Sending the same request again may succeed.
    pub fn retryable(&self) -> bool {
        match self {
            PartnerError::TimedOut | PartnerError::Unreachable(_) => true,
            PartnerError::Refused { status, .. } => *status == 429 || *status >= 500,
        }
    }

    /// What the ISV's staff read.
    pub fn msg(&self) -> i18n::Msg {
        use i18n::Msg;
        match self {
            PartnerError::TimedOut => Msg::new("csp-error-timeout"),
            PartnerError::Unreachable(why) => {
                Msg::new("csp-error-unreachable").with("reason", why.clone())
            }
            PartnerError::Refused { code, .. } if code == "2093" => Msg::new("csp-error-inventory"),
            PartnerError::Refused { code, .. } if code == "13605" => {
                Msg::new("csp-error-no-agreement")
            }
            PartnerError::Refused { status: 412, .. } => Msg::new("csp-error-changed"),
            PartnerError::Refused {
                status,
                code,
                description,
            } => Msg::new("csp-error-refused")
                .with("status", status.to_string())
                .with("code", code.clone())
                .with("description", description.clone()),
        }
    }
}

impl From<PlatformError> for PartnerError {
    fn from(e: PlatformError) -> Self {
        match e {
            PlatformError::Unreachable(why) => PartnerError::Unreachable(why),
            other => PartnerError::Unreachable(format!("no token for Partner Center: {other:?}")),
        }
    }
}

pub struct PartnerCenterApi {
    base: String,
    tokens: AppTokens,
    /// The ISV's tenant, where the Partner Center app lives.
    tenant: String,
    pub country: String,
    http: reqwest::Client,
}

/// An answer: its JSON body and `ETag`.
pub struct Answer {
    pub body: Value,
    pub etag: Option<String>,
}

impl PartnerCenterApi {
    pub fn new(
        base: &str,
        tokens: AppTokens,
        tenant: &str,
        country: &str,
        timeout: Duration,
    ) -> PartnerCenterApi {
        PartnerCenterApi {
            base: base.trim_end_matches('/').to_owned(),
            tokens,
            tenant: tenant.to_owned(),
            country: country.to_owned(),
            http: crate::flow_api::bearer_client(timeout),
        }
    }

    /// `method` on `{base}/v1/{path}` as the request `request_id`.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        request_id: &str,
        headers: &[(&str, &str)],
    ) -> Result<Answer, PartnerError> {
        let token = self.tokens.token(&self.tenant, PARTNER_CENTER).await?;
        let correlation = uuid::Uuid::new_v4().to_string();
        let request = self
            .http
            .request(method, format!("{}/v1/{path}", self.base))
            .bearer_auth(token)
            .header(reqwest::header::ACCEPT, "application/json")
            .header("MS-RequestId", request_id)
            .header("MS-CorrelationId", correlation)
            .header("MS-Contract-Version", "v1")
            .header("X-Locale", LOCALE);
        let response = with_body(request, body, headers)
            .send()
            .await
            .map_err(failed)?;
        let status = response.status().as_u16();
        let etag = response
            .headers()
            .get(reqwest::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = bounded(response, |e| PlatformError::Unreachable(e.to_string())).await?;
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if !(200..300).contains(&status) {
            return Err(PartnerError::refused(status, &body));
        }
        Ok(Answer { body, etag })
    }

    /// GET `{base}/v1/{path}`, a request of its own.
    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> Result<Value, PartnerError> {
        Ok(self.read(path, headers).await?.body)
    }

    /// GET `{base}/v1/{path}` with its `ETag`.
    pub async fn read(&self, path: &str, headers: &[(&str, &str)]) -> Result<Answer, PartnerError> {
        let id = uuid::Uuid::new_v4().to_string();
        self.call(Method::GET, path, None, &id, headers).await
    }

    /// The partner's customer whose tenant is `tenant`: a customer's id is its tenant id.
    pub async fn customer_of(&self, tenant: &str) -> Result<Option<FoundCustomer>, PartnerError> {
        match self
            .get(&format!("customers/{}", segment(tenant)), &[])
            .await
        {
            Ok(found)
                if found["companyProfile"]["tenantId"]
                    .as_str()
                    .is_some_and(|t| t.eq_ignore_ascii_case(tenant)) =>
            {
                Ok(Some(customer(&found)))
            }
            Ok(_) | Err(PartnerError::Refused { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn customer(&self, id: &str) -> Result<FoundCustomer, PartnerError> {
        let body = self.get(&format!("customers/{}", segment(id)), &[]).await?;
        Ok(customer(&body))
    }

    /// The catalog's offers that include Power Automate, in the configured country.
    pub async fn offers(&self) -> Result<Vec<CspOffer>, PartnerError> {
        let body = self
            .get(&format!("offers?country={}", self.country), &[])
            .await?;
        let mut offers: Vec<CspOffer> = body["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|o| o["isAvailableForPurchase"].as_bool() != Some(false))
            .filter(|o| {
                let name = |v: &Value| v.as_str().unwrap_or_default().to_ascii_lowercase();
                name(&o["name"]).contains("power automate")
                    || name(&o["product"]["name"]).contains("power automate")
            })
            .filter_map(|o| {
                Some(CspOffer {
                    id: o["id"].as_str()?.to_owned(),
                    name: o["name"].as_str()?.to_owned(),
                    min: o["minimumQuantity"].as_i64().unwrap_or(1),
                    max: o["maximumQuantity"].as_i64().unwrap_or(10_000),
                })
            })
            .collect();
        offers.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(offers)
    }

    pub async fn subscriptions(
        &self,
        customer: &str,
    ) -> Result<Vec<CspSubscription>, PartnerError> {
        let body = self
            .get(
                &format!("customers/{}/subscriptions", segment(customer)),
                &[],
            )
            .await?;
        Ok(body["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| {
                Some(CspSubscription {
                    id: s["id"].as_str()?.to_owned(),
                    offer_id: s["offerId"].as_str().unwrap_or_default().to_owned(),
                    name: s["friendlyName"]
                        .as_str()
                        .or(s["offerName"].as_str())
                        .unwrap_or_default()
                        .to_owned(),
                    quantity: s["quantity"].as_i64().unwrap_or_default(),
                    status: s["status"].as_str().unwrap_or_default().to_owned(),
                })
            })
            .collect())
    }

    /// The partner's invitation to a reseller relationship: a link for an organisation's
    /// global administrator, whose acceptance makes it a customer with the Microsoft Customer
    /// Agreement.
    pub async fn invitation(&self) -> Result<String, PartnerError> {
        let body = self.get("customers/relationshiprequests", &[]).await?;
        body["url"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| PartnerError::Unreachable("no invitation link".into()))
    }

    /// Whether the customer accepted the Microsoft Customer Agreement.
    pub async fn has_agreement(&self, customer: &str) -> Result<bool, PartnerError> {
        let body = self
            .get(
                &format!(
                    "customers/{}/agreements?agreementType=MicrosoftCustomerAgreement",
                    segment(customer)
                ),
                &[],
            )
            .await?;
        Ok(body["items"].as_array().is_some_and(|a| !a.is_empty()))
    }

    /// A cart of `quantity` seats of `offer` for a month, renewed monthly.
    pub fn cart(offer: &str, quantity: i64) -> Value {
        json!({"lineItems": [{
            "id": 0,
            "catalogItemId": offer,
            "quantity": quantity,
            "billingCycle": "monthly",
            "termDuration": "P1M",
        }]})
    }
}

/// A customer as the console names it.
fn customer(c: &Value) -> FoundCustomer {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    FoundCustomer {
        id: text(&c["id"]),
        company: c["companyProfile"]["companyName"]
            .as_str()
            .or(c["billingProfile"]["companyName"].as_str())
            .unwrap_or_default()
            .to_owned(),
        domain: text(&c["companyProfile"]["domain"]),
    }
}

/// An id as one path segment.
pub fn segment(id: &str) -> String {
    domain::encode::uri_component(id)
}

fn failed(e: reqwest::Error) -> PartnerError {
    if e.is_timeout() {
        PartnerError::TimedOut
    } else {
        PartnerError::Unreachable(format!("no answer: {}", e.without_url()))
    }
}
