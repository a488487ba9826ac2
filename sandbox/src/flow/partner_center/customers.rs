//! Customers: the paged list (`MS-ContinuationToken`), one customer, a new customer, and
//! whether a domain is taken. A new customer is a new tenant: a domain an organisation of the
//! directory already has is refused, as such an organisation becomes a customer by accepting
//! the partner's reseller relationship (`invitation.rs`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand::Rng;
use rand::distributions::Alphanumeric;
use serde::Deserialize;
use serde_json::{Value, json};

use super::body::{self, Missing};
use super::call::{PcError, Request, Result, serve};
use super::catalog::{self, link};
use super::resources::collection;
use super::state::{Address, Answer, BillingProfile, Customer, PartnerCenter, new_id};
use crate::flow::FlowService;

/// The largest page of customers.
const MAX_PAGE: usize = 500;

#[derive(Deserialize)]
pub struct ListQuery {
    size: Option<String>,
}

/// The continuation token standing for the customers after the first `offset`.
fn continuation(offset: usize) -> String {
    STANDARD.encode(format!("customers,{offset},{}", new_id()))
}

fn offset_of(token: &str) -> Option<usize> {
    let text = String::from_utf8(STANDARD.decode(token.trim()).ok()?).ok()?;
    let mut parts = text.split(',');
    match (parts.next(), parts.next()) {
        (Some("customers"), Some(offset)) => offset.parse().ok(),
        _ => None,
    }
}

/// `size` customers from the start, or from where the `MS-ContinuationToken` header says the
/// previous page ended; `links.next` carries the token for the page after, while one remains.
pub async fn list(
    State(flow): State<Arc<FlowService>>,
    request: Request,
    Query(query): Query<ListQuery>,
) -> Response {
    serve(&flow, &request, |call, pc| {
        let size = match query.size.as_deref().map(str::trim) {
            None | Some("") => MAX_PAGE,
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|s| (1..=MAX_PAGE).contains(s))
                .ok_or_else(|| {
                    PcError::invalid(format!("size must be between 1 and {MAX_PAGE}."))
                })?,
        };
        let offset = match call
            .headers
            .get("ms-continuationtoken")
            .and_then(|v| v.to_str().ok())
        {
            Some(token) => offset_of(token)
                .ok_or_else(|| PcError::invalid("the continuation token is not valid."))?,
            None => 0,
        };
        let page: Vec<Value> = pc
            .customers
            .iter()
            .skip(offset)
            .take(size)
            .map(Customer::summary)
            .collect();
        let mut body = collection(page, &format!("/v1/customers?size={size}"));
        let next = offset.saturating_add(size);
        if next < pc.customers.len() {
            let token = continuation(next);
            body["continuationToken"] = json!(token);
            body["links"]["next"] = json!({
                "uri": format!("/v1/customers?size={size}&seekOperation=Next"),
                "method": "GET",
                "headers": [{"key": "MS-ContinuationToken", "value": token}],
            });
        }
        Ok(Answer::ok(body))
    })
    .await
}

/// The customer `id`, or 404.
pub fn customer<'a>(pc: &'a PartnerCenter, id: &str) -> Result<&'a Customer> {
    pc.customer(id)
        .ok_or_else(|| PcError::customer_not_found(id))
}

/// The customer `id`'s `items` (its orders, its subscriptions) as the collection at
/// `/customers/{id}/{name}`.
pub fn collection_of(
    pc: &PartnerCenter,
    id: &str,
    name: &str,
    items: impl FnOnce(&PartnerCenter, &str) -> Vec<Value>,
) -> Result<Answer> {
    let customer_id = customer(pc, id)?.id.clone();
    let items = items(pc, &customer_id);
    let uri = format!("/customers/{customer_id}/{name}");
    Ok(Answer::ok(collection(items, &uri)))
}

pub async fn read(
    State(flow): State<Arc<FlowService>>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    serve(&flow, &request, |_, pc| {
        Ok(Answer::ok(customer(pc, &id)?.full()))
    })
    .await
}

/// Whether `domain` is a domain name: labels of letters, digits and hyphens.
fn is_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// A new customer from `{CompanyProfile: {Domain}, BillingProfile: {…}}`, with the
/// credentials of its tenant's first administrator.
pub async fn create(
    State(flow): State<Arc<FlowService>>,
    request: Request,
    bytes: Bytes,
) -> Response {
    serve(&flow, &request, |call, pc| {
        let request = body::parse(&bytes, true)?;
        let company = body::field(&request, "CompanyProfile").unwrap_or(&Value::Null);
        let billing = body::field(&request, "BillingProfile").unwrap_or(&Value::Null);
        let address = body::field(billing, "DefaultAddress").unwrap_or(&Value::Null);
        let mut missing = Missing::new();
        let domain = missing.text(company, "CompanyProfile", "Domain");
        let [culture, email, language, company_name] =
            ["Culture", "Email", "Language", "CompanyName"]
                .map(|name| missing.text(billing, "BillingProfile", name));
        let in_address = "BillingProfile.DefaultAddress";
        let [first, last, line1, city, state, postal, country] = [
            "FirstName",
            "LastName",
            "AddressLine1",
            "City",
            "State",
            "PostalCode",
            "Country",
        ]
        .map(|name| missing.text(address, in_address, name));
        missing.check()?;
        let domain = domain.to_ascii_lowercase();
        if !is_domain(&domain) {
            return Err(PcError::invalid(format!(
                "the domain {domain} is not a valid domain name."
            )));
        }
        if !email.contains('@') {
            return Err(PcError::invalid(format!(
                "BillingProfile.Email {email} is not an email address."
            )));
        }
        if catalog::currency(country).is_none() {
            return Err(PcError::new(
                StatusCode::FORBIDDEN,
                2030,
                format!("Partner is not onboarded to sell in country {country}."),
            ));
        }
        if pc
            .customers
            .iter()
            .any(|c| c.domain.eq_ignore_ascii_case(&domain))
        {
            return Err(PcError::new(
                StatusCode::CONFLICT,
                3000,
                format!("The domain {domain} is already in use by a customer of this partner."),
            ));
        }
        let existing = call
            .flow
            .idp
            .directory
            .tenants
            .iter()
            .any(|t| t.domain.eq_ignore_ascii_case(&domain));
        if existing {
            return Err(PcError::new(
                StatusCode::CONFLICT,
                3000,
                format!(
                    "The domain {domain} belongs to an existing organisation; invite it to a reseller relationship instead."
                ),
            ));
        }
        let customer = Customer {
            id: new_id(),
            commerce_id: new_id(),
            domain: domain.clone(),
            company_name: company_name.to_owned(),
            billing: BillingProfile {
                id: new_id(),
                email: email.to_owned(),
                culture: culture.to_owned(),
                language: language.to_owned(),
                company_name: company_name.to_owned(),
                address: Address {
                    first_name: first.to_owned(),
                    last_name: last.to_owned(),
                    address_line1: line1.to_owned(),
                    city: city.to_owned(),
                    state: state.to_owned(),
                    postal_code: postal.to_owned(),
                    country: country.to_ascii_uppercase(),
                    phone_number: body::text(address, "PhoneNumber")
                        .unwrap_or_default()
                        .to_owned(),
                },
                etag: rand::random::<u64>().to_string(),
            },
        };
        let password: String = rand::thread_rng()
            .sample_iter(&Alphanumeric)
            .take(14)
            .map(char::from)
            .collect();
        let mut created = customer.full();
        created["userCredentials"] = json!({"userName": "admin", "password": password});
        pc.customers.push(customer);
        Ok(Answer::created(created))
    })
    .await
}

/// `HEAD /v1/domains/{domain}`: 200 when the domain is taken (by any organisation), 404 when
/// it is free for a new customer.
pub async fn domain_taken(
    State(flow): State<Arc<FlowService>>,
    Path(domain): Path<String>,
    request: Request,
) -> Response {
    serve(&flow, &request, |call, pc| {
        let taken = pc
            .customers
            .iter()
            .any(|c| c.domain.eq_ignore_ascii_case(&domain))
            || call
                .flow
                .idp
                .directory
                .tenants
                .iter()
                .any(|t| t.domain.eq_ignore_ascii_case(&domain));
        let status = if taken {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        Ok(Answer {
            status,
            body: json!({"links": {"self": link(&format!("/domains/{domain}"))}}),
            etag: None,
        })
    })
    .await
}
