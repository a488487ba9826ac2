//! Microsoft Graph's licence data: an organisation's licences (`subscribedSkus`, application
//! permission `Organization.Read.All`) and every person's assigned plans (`users` with
//! `assignedPlans`, `User.Read.All`), read with Flowhost's own token in that organisation;
//! and a person's own licences (`me/licenseDetails`) with the token their sign-in gave.
//! Graph's throttling (429 with `Retry-After`) is waited out when the wait is short.

use crate::auth::AppTokens;
use crate::power_platform::{PlatformError, bounded};
use domain::licence::{
    Capability, PersonRights, Rights, RightsSource, SkuReading, rights_of_assigned,
    rights_of_details,
};
use serde::Deserialize;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// The resource Graph's tokens are for.
pub const GRAPH: &str = "https://graph.microsoft.com";
/// How long one call may take.
const TIMEOUT: Duration = Duration::from_secs(15);
/// The longest `Retry-After` waited out in place; a longer one ends the attempt.
const LONGEST_WAIT: Duration = Duration::from_secs(5);
/// Throttled answers waited out in one read.
const WAITS: usize = 2;
/// Pages of people read at most (999 each).
const MAX_PAGES: usize = 200;

/// Why Graph gave no answer to use.
#[derive(Clone, Debug, PartialEq)]
pub enum GraphError {
    /// The organisation's administrator has not granted (or withdrew) the permission.
    NoConsent(String),
    /// Graph asked to wait this long first.
    Throttled(Duration),
    Unreachable(String),
}

impl From<PlatformError> for GraphError {
    fn from(e: PlatformError) -> Self {
        match e {
            PlatformError::NoAccess | PlatformError::SignInAgain => {
                GraphError::NoConsent("no token for Microsoft Graph in the organisation".into())
            }
            PlatformError::Unreachable(why) => GraphError::Unreachable(why),
            PlatformError::Refused {
                status, message, ..
            } => GraphError::Unreachable(format!("HTTP {status}: {message}")),
        }
    }
}

pub struct Graph {
    base: String,
    tokens: Arc<AppTokens>,
    http: reqwest::Client,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sku {
    sku_id: String,
    sku_part_number: String,
    capability_status: String,
    #[serde(default)]
    consumed_units: i64,
    #[serde(default)]
    prepaid_units: Prepaid,
    #[serde(default)]
    service_plans: Vec<ServicePlan>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Prepaid {
    #[serde(default)]
    enabled: i64,
    #[serde(default)]
    warning: i64,
    #[serde(default)]
    suspended: i64,
    #[serde(default)]
    locked_out: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServicePlan {
    service_plan_id: String,
    #[serde(default)]
    service_plan_name: String,
    #[serde(default)]
    provisioning_status: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Person {
    id: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    user_principal_name: Option<String>,
    #[serde(default)]
    assigned_plans: Vec<AssignedPlan>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AssignedPlan {
    #[serde(default)]
    service_plan_id: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    capability_status: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Details {
    #[serde(default)]
    service_plans: Vec<ServicePlan>,
}

impl Graph {
    pub fn new(base: &str, tokens: Arc<AppTokens>) -> Graph {
        Graph {
            base: base.trim_end_matches('/').to_owned(),
            tokens,
            http: crate::flow_api::bearer_client(TIMEOUT),
        }
    }

    /// Runs `read` with Flowhost's own token in `tenant`. A token Graph refuses is dropped and
    /// the read done once more with a new one: it may have expired, or carry permissions
    /// granted before a change; a consent granted again so counts at once.
    async fn as_app<T, F, Fut>(&self, tenant: &str, read: F) -> Result<T, GraphError>
    where
        F: Fn(String) -> Fut,
        Fut: std::future::Future<Output = Result<T, GraphError>>,
    {
        let mut again = true;
        loop {
            let token = self.tokens.token(tenant, GRAPH).await?;
            match read(token).await {
                Err(GraphError::NoConsent(why)) => {
                    self.tokens.forget(tenant, GRAPH);
                    if !std::mem::take(&mut again) {
                        return Err(GraphError::NoConsent(why));
                    }
                }
                other => return other,
            }
        }
    }

    /// The organisation's licences.
    pub async fn licences(&self, tenant: &str) -> Result<Vec<SkuReading>, GraphError> {
        self.as_app(tenant, |token| self.read_licences(token)).await
    }

    async fn read_licences(&self, token: String) -> Result<Vec<SkuReading>, GraphError> {
        let body = self
            .get(&format!("{}/subscribedSkus", self.base), &token)
            .await?;
        let skus: Vec<Sku> = list(&body)?;
        Ok(skus.into_iter().map(sku_reading).collect())
    }

    /// Everyone in the organisation's directory with their rights. `assignedPlans` does not
    /// say whether a plan is provisioned, so a plan the organisation's licences (`skus`) have
    /// only as still being activated counts as pending, not as a right.
    pub async fn people(
        &self,
        tenant: &str,
        skus: &[SkuReading],
    ) -> Result<Vec<PersonRights>, GraphError> {
        let pending = pending_only(skus);
        self.as_app(tenant, |token| self.read_people(token, &pending))
            .await
    }

    async fn read_people(
        &self,
        token: String,
        pending: &[String],
    ) -> Result<Vec<PersonRights>, GraphError> {
        let read_at = OffsetDateTime::now_utc();
        let mut url = format!(
            "{}/users?$select=id,displayName,userPrincipalName,assignedPlans&$top=999",
            self.base
        );
        let mut people = Vec::new();
        for _ in 0..MAX_PAGES {
            let body = self.get(&url, &token).await?;
            let page: Vec<Person> = list(&body)?;
            people.extend(page.into_iter().map(|p| person(p, read_at, pending)));
            // The token goes to Graph only.
            match body["@odata.nextLink"].as_str() {
                Some(next) if on_graph(&self.base, next) => url = next.to_owned(),
                Some(_) => {
                    return Err(GraphError::Unreachable(
                        "the next page is not on Microsoft Graph".into(),
                    ));
                }
                None => return Ok(people),
            }
        }
        Ok(people)
    }

    /// A person's own rights, with the Graph token of their sign-in: their assigned plans say
    /// which are in force (a suspended licence's are not), their licences' details which are
    /// still being activated.
    pub async fn own_rights(&self, token: &str) -> Result<(Rights, bool), GraphError> {
        let me = format!("{}/me?$select=id,assignedPlans", self.base);
        let licences = format!("{}/me/licenseDetails", self.base);
        let (me, body) = tokio::try_join!(self.get(&me, token), self.get(&licences, token))?;
        let assigned: Vec<AssignedPlan> = serde_json::from_value(me["assignedPlans"].clone())
            .map_err(|e| GraphError::Unreachable(format!("an answer of graph: {e}")))?;
        let details: Vec<Details> = list(&body)?;
        let plans = || {
            details.iter().flat_map(|d| {
                d.service_plans.iter().map(|p| {
                    (
                        p.service_plan_id.as_str(),
                        p.service_plan_name.as_str(),
                        p.provisioning_status.as_str(),
                    )
                })
            })
        };
        let (_, pending) = rights_of_details(plans());
        let activating: Vec<String> = plans()
            .filter(|(_, _, status)| status.starts_with("Pending"))
            .map(|(id, _, _)| id.to_ascii_lowercase())
            .collect();
        let (rights, _) = assigned_rights(&assigned, &activating);
        Ok((rights, pending && rights != Rights::Premium))
    }

    /// GET `url` with `token`, waiting out short throttling.
    async fn get(&self, url: &str, token: &str) -> Result<Value, GraphError> {
        let mut waits = 0;
        loop {
            let response = self
                .http
                .get(url)
                .bearer_auth(token)
                .header(reqwest::header::ACCEPT, "application/json")
                .send()
                .await
                .map_err(|e| unreachable(&e))?;
            let status = response.status().as_u16();
            let wait = retry_after(response.headers());
            let bytes = bounded(response, |e| PlatformError::Unreachable(e.to_string())).await?;
            let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            let message = || {
                let error = &body["error"];
                format!(
                    "{}: {}",
                    error["code"].as_str().unwrap_or("HTTP error"),
                    crate::telemetry::bounded(error["message"].as_str().unwrap_or_default())
                )
            };
            match status {
                200..=299 => return Ok(body),
                429 | 503 if waits < WAITS && wait <= LONGEST_WAIT => {
                    waits += 1;
                    tokio::time::sleep(wait).await;
                }
                429 => return Err(GraphError::Throttled(wait)),
                401 | 403 => return Err(GraphError::NoConsent(message())),
                _ => {
                    return Err(GraphError::Unreachable(format!(
                        "HTTP {status}, {}",
                        message()
                    )));
                }
            }
        }
    }
}

/// Whether `url` is on the origin of Graph's `base`, below its path.
fn on_graph(base: &str, url: &str) -> bool {
    let (Ok(base), Ok(url)) = (url::Url::parse(base), url::Url::parse(url)) else {
        return false;
    };
    let path = base.path().trim_end_matches('/');
    base.origin() == url.origin()
        && url
            .path()
            .strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// `Retry-After` in seconds (30 when missing or not a number of seconds).
fn retry_after(headers: &reqwest::header::HeaderMap) -> Duration {
    let seconds = headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(30);
    Duration::from_secs(seconds.min(24 * 3600))
}

fn unreachable(e: &reqwest::Error) -> GraphError {
    let kind = if e.is_timeout() {
        "timed out"
    } else {
        "could not be reached"
    };
    GraphError::Unreachable(format!("graph {kind}"))
}

/// The `value` list of an answer.
fn list<T: serde::de::DeserializeOwned>(body: &Value) -> Result<Vec<T>, GraphError> {
    serde_json::from_value(body["value"].clone())
        .map_err(|e| GraphError::Unreachable(format!("an answer of graph: {e}")))
}

fn sku_reading(sku: Sku) -> SkuReading {
    let working = |p: &&ServicePlan| p.provisioning_status == "Success";
    let rights = sku
        .service_plans
        .iter()
        .filter(working)
        .map(|p| Rights::of_plan(&p.service_plan_id, &p.service_plan_name))
        .max()
        .unwrap_or(Rights::None);
    let power_automate = |p: &&ServicePlan| {
        Rights::of_plan(&p.service_plan_id, &p.service_plan_name) != Rights::None
    };
    let plans: Vec<String> = sku
        .service_plans
        .iter()
        .filter(working)
        .filter(power_automate)
        .map(|p| p.service_plan_id.to_ascii_lowercase())
        .collect();
    let pending_plans: Vec<String> = sku
        .service_plans
        .iter()
        .filter(|p| {
            p.provisioning_status.starts_with("Pending")
                && Rights::of_plan(&p.service_plan_id, &p.service_plan_name) != Rights::None
        })
        .map(|p| p.service_plan_id.to_ascii_lowercase())
        .collect();
    SkuReading {
        sku_id: sku.sku_id,
        part_number: sku.sku_part_number,
        capability: Capability::parse(&sku.capability_status),
        enabled: sku.prepaid_units.enabled,
        warning: sku.prepaid_units.warning,
        suspended: sku.prepaid_units.suspended,
        locked_out: sku.prepaid_units.locked_out,
        consumed: sku.consumed_units,
        rights,
        pending: !pending_plans.is_empty(),
        plans,
        pending_plans,
    }
}

/// Plan ids some licence has still being activated and none has provisioned.
fn pending_only(skus: &[SkuReading]) -> Vec<String> {
    let mut ids: Vec<String> = skus.iter().flat_map(|s| s.pending_plans.clone()).collect();
    ids.sort();
    ids.dedup();
    ids.retain(|id| !skus.iter().any(|s| s.plans.contains(id)));
    ids
}

/// The rights of `assigned` plans but those still being activated (`activating`, ids in
/// lower case), and whether one of those is assigned.
fn assigned_rights(assigned: &[AssignedPlan], activating: &[String]) -> (Rights, bool) {
    let is_activating =
        |a: &&AssignedPlan| activating.contains(&a.service_plan_id.to_ascii_lowercase());
    let rights = rights_of_assigned(assigned.iter().filter(|a| !is_activating(a)).map(|a| {
        (
            a.service_plan_id.as_str(),
            a.service.as_str(),
            a.capability_status.as_str(),
        )
    }));
    (rights, assigned.iter().any(|a| is_activating(&a)))
}

fn person(p: Person, read_at: OffsetDateTime, pending: &[String]) -> PersonRights {
    let (rights, waiting) = assigned_rights(&p.assigned_plans, pending);
    let email = p.user_principal_name.unwrap_or_default();
    PersonRights {
        name: p.display_name.unwrap_or_else(|| email.clone()),
        email,
        object_id: p.id,
        rights,
        pending: waiting && rights != Rights::Premium,
        source: RightsSource::Directory,
        read_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_licence_with_a_plan_being_activated_does_not_cover_yet() {
        let sku: Sku = serde_json::from_value(serde_json::json!({
            "skuId": "eda1941c-3c4f-4995-b5eb-e85a42175ab9",
            "skuPartNumber": "POWERAUTOMATE_ATTENDED_RPA",
            "capabilityStatus": "Enabled",
            "consumedUnits": 2,
            "prepaidUnits": {"enabled": 5, "warning": 0, "suspended": 0, "lockedOut": 0},
            "servicePlans": [{
                "servicePlanId": "375cd0ad-c407-49fd-866a-0bff4f8a9a4d",
                "servicePlanName": "POWER_AUTOMATE_ATTENDED_RPA",
                "provisioningStatus": "PendingActivation",
                "appliesTo": "User"
            }]
        }))
        .unwrap();
        let read = sku_reading(sku);
        assert_eq!(read.rights, Rights::None);
        assert!(read.pending);
        assert!(!read.covers());
    }

    #[test]
    fn the_next_page_is_followed_only_on_graph() {
        let g = |url: &str| on_graph("https://graph.microsoft.com/v1.0", url);
        assert!(g("https://graph.microsoft.com/v1.0/users?$skiptoken=x"));
        assert!(!g("https://graph.microsoft.com.evil.example/v1.0/users"));
        assert!(!g("https://graph.microsoft.com/v1.0x/users"));
        assert!(!g("http://graph.microsoft.com/v1.0/users"));
        assert!(!on_graph(
            "https://graph.microsoft.com",
            "https://graph.microsoft.com.evil.example/users"
        ));
        assert!(on_graph(
            "https://graph.microsoft.com",
            "https://graph.microsoft.com/users"
        ));
    }

    #[test]
    fn retry_after_is_read_in_seconds() {
        let mut headers = reqwest::header::HeaderMap::new();
        assert_eq!(retry_after(&headers), Duration::from_secs(30));
        headers.insert(reqwest::header::RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(retry_after(&headers), Duration::from_secs(3));
    }
}
