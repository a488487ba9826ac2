//! The commercial marketplace's SaaS Fulfillment API v2, called with the fulfillment app's own
//! token from the ISV's tenant (client credentials, for the marketplace's app id). Every call
//! carries `api-version=2018-08-31` and a new `x-ms-requestid`; its errors are the service's
//! `{code, message, target}`, or `{"Error": {"Code"}}` for an api-version it refuses.

use crate::auth::{AppTokens, MARKETPLACE_APP};
use crate::power_platform::{PlatformError, bounded, with_body};
use domain::subscription::{Offered, SubscriptionStatus};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const API_VERSION: &str = "2018-08-31";
/// How long one call may take.
const TIMEOUT: Duration = Duration::from_secs(10);
/// Pages of the subscription list read at most (100 subscriptions each).
const MAX_PAGES: usize = 1000;

/// A change of plan or of seats; the API takes one at a time.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    Plan(String),
    Quantity(i64),
}

/// An operation on a subscription, as the API reads it back.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    pub id: String,
    pub subscription_id: String,
    pub action: String,
    /// `NotStarted`, `InProgress`, `Succeeded`, `Failed` or `Conflict`.
    pub status: String,
    pub plan_id: Option<String>,
    pub quantity: Option<i64>,
}

pub struct FulfillmentApi {
    base: String,
    tokens: AppTokens,
    /// The ISV's tenant, where the fulfillment app lives.
    tenant: String,
    http: reqwest::Client,
}

impl FulfillmentApi {
    pub fn new(base: &str, tokens: AppTokens, tenant: &str) -> FulfillmentApi {
        FulfillmentApi {
            base: base.trim_end_matches('/').to_owned(),
            tokens,
            tenant: tenant.to_owned(),
            http: crate::flow_api::bearer_client(TIMEOUT),
        }
    }

    /// The fulfillment app's client id: the audience of the marketplace's webhook tokens.
    pub fn client_id(&self) -> &str {
        self.tokens.client_id()
    }

    /// `method` on `{base}/saas/{path}`; returns the status, `Operation-Location` and body.
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Result<(u16, Option<String>, Value), PlatformError> {
        let token = self.tokens.token(&self.tenant, MARKETPLACE_APP).await?;
        let separator = if path.contains('?') { '&' } else { '?' };
        let url = format!(
            "{}/saas/{path}{separator}api-version={API_VERSION}",
            self.base
        );
        let unreachable = |e: reqwest::Error| {
            PlatformError::Unreachable(format!("the marketplace: {}", e.without_url()))
        };
        let request = self
            .http
            .request(method, &url)
            .bearer_auth(token)
            .header("x-ms-requestid", uuid::Uuid::new_v4().to_string())
            .header("x-ms-correlationid", uuid::Uuid::new_v4().to_string());
        let response = with_body(request, body, headers)
            .send()
            .await
            .map_err(unreachable)?;
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("operation-location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = bounded(response, unreachable).await?;
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if !(200..300).contains(&status) {
            let text = |v: &Value| v.as_str().map(str::to_owned);
            let code = text(&body["code"])
                .or_else(|| text(&body["Error"]["Code"]))
                .unwrap_or_default();
            let message = text(&body["message"])
                .or_else(|| text(&body["Error"]["Message"]))
                .map(|m| crate::telemetry::bounded(&m).to_string())
                .unwrap_or_else(|| format!("HTTP {status}"));
            return Err(PlatformError::Refused {
                status,
                code,
                message,
            });
        }
        Ok((status, location, body))
    }

    /// The subscription a landing page token stands for. The token as it arrived in the query
    /// string, already decoded from its URL encoding.
    pub async fn resolve(&self, token: &str) -> Result<Offered, PlatformError> {
        let (_, _, body) = self
            .call(
                Method::POST,
                "subscriptions/resolve",
                None,
                &[("x-ms-marketplace-token", token)],
            )
            .await?;
        offered(&body["subscription"]).ok_or_else(|| malformed("resolve"))
    }

    /// Starts billing for the subscription `id` on `plan_id`.
    pub async fn activate(
        &self,
        id: &str,
        plan_id: &str,
        quantity: Option<i64>,
    ) -> Result<(), PlatformError> {
        let mut body = json!({ "planId": plan_id });
        if let Some(quantity) = quantity {
            body["quantity"] = json!(quantity);
        }
        let path = format!("subscriptions/{}/activate", segment(id));
        self.call(Method::POST, &path, Some(&body), &[]).await?;
        Ok(())
    }

    /// The subscription `id` as the marketplace has it now; `None` when it knows none.
    pub async fn subscription(&self, id: &str) -> Result<Option<Offered>, PlatformError> {
        let path = format!("subscriptions/{}", segment(id));
        match self.call(Method::GET, &path, None, &[]).await {
            Ok((_, _, body)) => offered(&body)
                .map(Some)
                .ok_or_else(|| malformed("subscription")),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every subscription to the publisher's offers, unsubscribed ones included.
    pub async fn subscriptions(&self) -> Result<Vec<Offered>, PlatformError> {
        let mut all = Vec::new();
        let mut path = "subscriptions".to_owned();
        for _ in 0..MAX_PAGES {
            let (_, _, body) = self.call(Method::GET, &path, None, &[]).await?;
            let page = body["subscriptions"]
                .as_array()
                .ok_or_else(|| malformed("the subscription list"))?;
            all.extend(page.iter().filter_map(offered));
            let next = body["@nextLink"].as_str().and_then(continuation);
            match next {
                Some(token) => path = format!("subscriptions?continuationToken={token}"),
                None => return Ok(all),
            }
        }
        Ok(all)
    }

    pub async fn operation(
        &self,
        subscription_id: &str,
        id: &str,
    ) -> Result<Operation, PlatformError> {
        let path = format!(
            "subscriptions/{}/operations/{}",
            segment(subscription_id),
            segment(id)
        );
        let (_, _, body) = self.call(Method::GET, &path, None, &[]).await?;
        let text = |name: &str| body[name].as_str().map(str::to_owned);
        let read = || {
            Some(Operation {
                id: text("id")?,
                subscription_id: text("subscriptionId")?,
                action: text("action")?,
                status: text("status")?,
                plan_id: text("planId"),
                quantity: quantity(&body["quantity"]),
            })
        };
        read().ok_or_else(|| malformed("the operation"))
    }

    /// Tells the marketplace that Flowhost carried out (or could not carry out) the operation.
    pub async fn acknowledge(
        &self,
        subscription_id: &str,
        id: &str,
        succeeded: bool,
    ) -> Result<(), PlatformError> {
        let path = format!(
            "subscriptions/{}/operations/{}",
            segment(subscription_id),
            segment(id)
        );
        let status = if succeeded { "Success" } else { "Failure" };
        self.call(
            Method::PATCH,
            &path,
            Some(&json!({ "status": status })),
            &[],
        )
        .await?;
        Ok(())
    }

    /// Asks the marketplace for `change`; it answers with the operation that carries it out,
    /// and the webhook says when it did.
    pub async fn change(&self, id: &str, change: &Change) -> Result<String, PlatformError> {
        let body = match change {
            Change::Plan(plan) => json!({ "planId": plan }),
            Change::Quantity(quantity) => json!({ "quantity": quantity }),
        };
        let path = format!("subscriptions/{}", segment(id));
        let (_, location, _) = self.call(Method::PATCH, &path, Some(&body), &[]).await?;
        Ok(location.unwrap_or_default())
    }
}

fn malformed(what: &str) -> PlatformError {
    PlatformError::Unreachable(format!(
        "the marketplace answered {what} in an unknown shape"
    ))
}

/// `raw` as one path segment.
fn segment(raw: &str) -> String {
    domain::encode::uri_component(raw)
}

/// The continuation token of a `@nextLink`, encoded for a query string.
fn continuation(next: &str) -> Option<String> {
    let url = url::Url::parse(next).ok()?;
    let token = url
        .query_pairs()
        .find(|(k, _)| k == "continuationToken")?
        .1
        .into_owned();
    Some(url::form_urlencoded::byte_serialize(token.as_bytes()).collect())
}

/// A quantity given as a number or, as some of the marketplace's answers do, as a string.
fn quantity(value: &Value) -> Option<i64> {
    value
        .as_i64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
}

fn date(value: &Value) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(value.as_str()?, &Rfc3339).ok()
}

/// A subscription object of the API, as Flowhost keeps it.
pub fn offered(s: &Value) -> Option<Offered> {
    let text = |v: &Value| v.as_str().map(str::to_owned);
    Some(Offered {
        id: text(&s["id"])?,
        name: text(&s["name"]).unwrap_or_default(),
        offer_id: text(&s["offerId"]).unwrap_or_default(),
        plan_id: text(&s["planId"])?,
        quantity: quantity(&s["quantity"]),
        status: SubscriptionStatus::parse(s["saasSubscriptionStatus"].as_str()?)?,
        free_trial: s["isFreeTrial"].as_bool().unwrap_or(false),
        term_start: date(&s["term"]["startDate"]),
        term_end: date(&s["term"]["endDate"]),
        beneficiary_tenant: text(&s["beneficiary"]["tenantId"])?.to_ascii_lowercase(),
        purchaser_email: text(&s["purchaser"]["emailId"]).unwrap_or_default(),
        purchaser_tenant: text(&s["purchaser"]["tenantId"])
            .unwrap_or_default()
            .to_ascii_lowercase(),
        purchaser_object_id: text(&s["purchaser"]["objectId"]).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subscription_reads_with_its_quantity_as_a_number_or_a_string() {
        let mut s = json!({
            "id": "s1", "name": "N", "offerId": "o", "planId": "standard", "quantity": "20",
            "saasSubscriptionStatus": "Subscribed", "isFreeTrial": true,
            "term": {"startDate": "2026-12-01T00:00:00Z", "endDate": "2026-12-31T00:00:00Z", "termUnit": "P1M"},
            "beneficiary": {"tenantId": "A0B1C2D3-E4F5-4A6B-8C7D-9E0F1A2B3C4D"},
            "purchaser": {"emailId": "nora@northwind.example", "tenantId": "x", "objectId": "o1"}
        });
        let read = offered(&s).unwrap();
        assert_eq!(read.quantity, Some(20));
        assert_eq!(
            read.beneficiary_tenant,
            "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"
        );
        assert_eq!(read.term_end.unwrap().date().to_string(), "2026-12-31");
        s["quantity"] = json!(7);
        assert_eq!(offered(&s).unwrap().quantity, Some(7));
        s["saasSubscriptionStatus"] = json!("Unknown");
        assert!(offered(&s).is_none());
    }

    #[test]
    fn the_next_page_keeps_its_continuation_token() {
        let next = "https://marketplaceapi.microsoft.com/api/saas/subscriptions?continuationToken=a%2Bb%3D&api-version=2018-08-31";
        assert_eq!(continuation(next).as_deref(), Some("a%2Bb%3D"));
        assert_eq!(continuation("not a url"), None);
    }
}
