//! Agreements: the templates (`GET /v1/agreements`), a customer's confirmed agreements, and
//! the partner's confirmation that the customer accepted one. Orders need the customer's
//! Microsoft Customer Agreement.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::body::{self, Missing};
use super::call::{PcError, Request, Result, serve};
use super::catalog::AGREEMENTS;
use super::customers::customer;
use super::resources::collection;
use super::state::{Agreement, Answer};
use crate::flow::FlowService;

#[derive(Deserialize)]
pub struct TypeQuery {
    #[serde(rename = "agreementType")]
    agreement_type: Option<String>,
}

/// Whether agreements of `kind` are asked for: `*` asks for all, nothing for `default`.
fn wanted(asked: Option<&str>, default: Option<&str>) -> Result<impl Fn(&str) -> bool> {
    let asked = asked.map(str::trim).filter(|a| !a.is_empty()).or(default);
    if let Some(kind) = asked
        && kind != "*"
        && !AGREEMENTS
            .iter()
            .any(|(k, _, _)| k.eq_ignore_ascii_case(kind))
    {
        return Err(PcError::invalid(format!(
            "agreementType {kind} is not an agreement type."
        )));
    }
    let asked = asked.map(str::to_owned);
    Ok(move |kind: &str| match asked.as_deref() {
        None | Some("*") => true,
        Some(a) => a.eq_ignore_ascii_case(kind),
    })
}

/// The agreement templates; the Microsoft Cloud Agreement's when no type is named.
pub async fn templates(
    State(flow): State<Arc<FlowService>>,
    request: Request,
    Query(query): Query<TypeQuery>,
) -> Response {
    serve(&flow, &request, |_, _| {
        let wanted = wanted(
            query.agreement_type.as_deref(),
            Some("MicrosoftCloudAgreement"),
        )?;
        let items: Vec<Value> = AGREEMENTS
            .iter()
            .filter(|(kind, _, _)| wanted(kind))
            .map(|(kind, template, link)| {
                json!({"templateId": template, "agreementType": kind, "agreementLink": link,
                    "versionRank": 0, "attributes": {"objectType": "AgreementMetaData"}})
            })
            .collect();
        let mut body = collection(items, "/v1/agreements");
        body.as_object_mut().map(|b| b.remove("links"));
        Ok(Answer::ok(body))
    })
    .await
}

/// The customer's confirmed agreements, of one type if named.
pub async fn list(
    State(flow): State<Arc<FlowService>>,
    Path(id): Path<String>,
    request: Request,
    Query(query): Query<TypeQuery>,
) -> Response {
    serve(&flow, &request, |_, pc| {
        let c = customer(pc, &id)?;
        let wanted = wanted(query.agreement_type.as_deref(), None)?;
        let items: Vec<Value> = pc
            .agreements
            .iter()
            .filter(|a| a.customer_id == c.id && wanted(&a.kind))
            .map(Agreement::json)
            .collect();
        let uri = format!("/customers/{}/agreements", c.id);
        Ok(Answer::ok(collection(items, &uri)))
    })
    .await
}

/// Whether `text` starts with a date, `YYYY-MM-DD`.
fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 10
        && bytes[..10].iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// The partner (a person of it: App+User) confirms that the customer's contact accepted an
/// agreement:
/// `{primaryContact: {firstName, lastName, email, phoneNumber?}, templateId, dateAgreed, type}`.
pub async fn create(
    State(flow): State<Arc<FlowService>>,
    Path(id): Path<String>,
    request: Request,
    bytes: Bytes,
) -> Response {
    serve(&flow, &request, |call, pc| {
        // Confirming a customer's acceptance takes a person of the partner (App+User).
        if call.caller.app.is_some() {
            return Err(PcError::new(
                StatusCode::FORBIDDEN,
                600008,
                "This operation supports App+User authentication only.",
            ));
        }
        let customer_id = customer(pc, &id)?.id.clone();
        let request = body::parse(&bytes, true)?;
        let contact = body::field(&request, "primaryContact").unwrap_or(&Value::Null);
        let mut missing = Missing::new();
        let [first, last, email] = ["firstName", "lastName", "email"]
            .map(|name| missing.text(contact, "primaryContact", name));
        let [template, date, kind] =
            ["templateId", "dateAgreed", "type"].map(|name| missing.text(&request, "", name));
        missing.check()?;
        let Some((kind, expected, _)) = AGREEMENTS
            .iter()
            .find(|(k, _, _)| k.eq_ignore_ascii_case(kind))
        else {
            return Err(PcError::invalid(format!(
                "type {kind} is not an agreement type."
            )));
        };
        if !template.eq_ignore_ascii_case(expected) {
            return Err(PcError::invalid(format!(
                "templateId {template} is not the template of the {kind}; it is {expected}."
            )));
        }
        if !is_date(date) {
            return Err(PcError::invalid(format!(
                "dateAgreed {date} is not a date and time."
            )));
        }
        if !email.contains('@') {
            return Err(PcError::invalid(format!(
                "primaryContact.email {email} is not an email address."
            )));
        }
        let agreement = Agreement {
            customer_id,
            user_id: call.caller.object_id.clone(),
            first_name: first.to_owned(),
            last_name: last.to_owned(),
            email: email.to_owned(),
            phone_number: body::text(contact, "phoneNumber")
                .unwrap_or_default()
                .to_owned(),
            template_id: expected.to_string(),
            date_agreed: date.to_owned(),
            kind: kind.to_string(),
        };
        let created = agreement.json();
        pc.agreements.push(agreement);
        Ok(Answer::created(created))
    })
    .await
}
