//! The reseller relationship: an organisation that already has its tenant becomes the
//! partner's customer when its global administrator accepts the partner's invitation (the link
//! `GET /v1/customers/relationshiprequests` gives) and, with it, the Microsoft Customer
//! Agreement. `/_sandbox/partner-center/invitation` is that page of the Microsoft 365 admin
//! center, in the browser's language; `POST /_sandbox/partner-center/accept {tenant}` accepts
//! for tests.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use html_escape::{encode_quoted_attribute as attr, encode_text as text};
use serde::Deserialize;
use serde_json::json;

use super::call::{Request, serve};
use super::catalog::MCA_TEMPLATE;
use super::state::{Address, Agreement, Answer, BillingProfile, Customer, PartnerCenter, new_id};
use crate::directory::Tenant;
use crate::flow::FlowService;
use crate::lang::{Lang, t};

const PAGE: &str = "/_sandbox/partner-center/invitation";

pub fn routes() -> Router<Arc<FlowService>> {
    Router::new()
        .route(PAGE, get(page).post(submit))
        .route("/_sandbox/partner-center/accept", post(accept_control))
}

/// `GET /v1/customers/relationshiprequests`: the link the partner sends to an organisation's
/// administrator.
pub async fn request(State(flow): State<Arc<FlowService>>, request: Request) -> Response {
    serve(&flow, &request, |call, _| {
        let url = format!(
            "{}{PAGE}?partnerId={}",
            call.flow.origin, call.caller.tenant
        );
        Ok(Answer::ok(json!({
            "url": url,
            "attributes": {"objectType": "RelationshipRequest"},
        })))
    })
    .await
}

/// The organisations that may accept: the directory's work tenants that are not customers yet
/// and not the partner.
fn candidates<'a>(flow: &'a FlowService, pc: &PartnerCenter) -> Vec<&'a Tenant> {
    flow.idp
        .directory
        .tenants
        .iter()
        .filter(|t| t.id != crate::ISV_TENANT_ID && t.domain != "outlook.example")
        .filter(|t| pc.customer(&t.id).is_none())
        .collect()
}

/// Makes `tenant` a customer, with the Microsoft Customer Agreement its administrator accepted.
fn accept(flow: &FlowService, tenant_id: &str) -> Result<(), &'static str> {
    let tenant = flow
        .idp
        .directory
        .tenant(tenant_id)
        .ok_or("no such organisation")?;
    let admin = tenant
        .users
        .iter()
        .find(|u| u.directory_admin)
        .or(tenant.users.first())
        .ok_or("the organisation has nobody to accept")?;
    let mut st = flow.lock();
    let pc = &mut st.partner_center;
    if !candidates(flow, pc).iter().any(|t| t.id == tenant.id) {
        return Err("the organisation cannot accept");
    }
    let (first, last) = admin
        .display_name
        .split_once(' ')
        .unwrap_or((&admin.display_name, ""));
    pc.customers.push(Customer {
        id: tenant.id.clone(),
        commerce_id: new_id(),
        domain: tenant.domain.clone(),
        company_name: tenant.display_name.clone(),
        billing: BillingProfile {
            id: new_id(),
            email: admin.upn.clone(),
            culture: "en-US".into(),
            language: "en".into(),
            company_name: tenant.display_name.clone(),
            address: Address {
                first_name: first.to_owned(),
                last_name: last.to_owned(),
                address_line1: String::new(),
                city: String::new(),
                state: String::new(),
                postal_code: String::new(),
                country: "US".into(),
                phone_number: String::new(),
            },
            etag: rand::random::<u64>().to_string(),
        },
    });
    let today = time::OffsetDateTime::now_utc().date();
    pc.agreements.push(Agreement {
        customer_id: tenant.id.clone(),
        user_id: admin.object_id.clone(),
        first_name: first.to_owned(),
        last_name: last.to_owned(),
        email: admin.upn.clone(),
        phone_number: String::new(),
        template_id: MCA_TEMPLATE.into(),
        date_agreed: format!("{today}T00:00:00Z"),
        kind: "MicrosoftCustomerAgreement".into(),
    });
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Accept {
    tenant: String,
}

async fn accept_control(
    State(flow): State<Arc<FlowService>>,
    Json(body): Json<Accept>,
) -> Response {
    match accept(&flow, &body.tenant) {
        Ok(()) => Json(json!({"tenant": body.tenant})).into_response(),
        Err(why) => (StatusCode::BAD_REQUEST, Json(json!({"error": why}))).into_response(),
    }
}

fn render(flow: &FlowService, lang: Lang, said: Option<&str>) -> String {
    let options: String = {
        let st = flow.lock();
        candidates(flow, &st.partner_center)
            .iter()
            .map(|t| {
                format!(
                    "<option value=\"{}\">{}</option>",
                    attr(&t.id),
                    text(&t.display_name)
                )
            })
            .collect()
    };
    let said = said
        .map(|s| format!("<p role=\"status\">{}</p>", text(s)))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/Content/widget.css\"></head><body><main class=\"widget\">\
         <h1>{title}</h1><p>{intro}</p>{said}<form method=\"post\" action=\"{PAGE}\">\
         <p><label for=\"tenant\">{organisation}</label> <select id=\"tenant\" name=\"tenant\">{options}</select></p>\
         <p><button type=\"submit\">{accept}</button></p></form></main></body></html>",
        lang = lang.tag(),
        title = text(&t!(lang, "pc-invitation-title")),
        intro = text(&t!(lang, "pc-invitation-intro")),
        organisation = text(&t!(lang, "pc-invitation-organisation")),
        accept = text(&t!(lang, "pc-invitation-accept")),
    )
}

async fn page(State(flow): State<Arc<FlowService>>, headers: HeaderMap) -> Html<String> {
    let lang = Lang::of_browser(&headers).unwrap_or_default();
    Html(render(&flow, lang, None))
}

async fn submit(State(flow): State<Arc<FlowService>>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = Lang::of_browser(&headers).unwrap_or_default();
    let tenant = url::form_urlencoded::parse(&body)
        .find(|(k, _)| k == "tenant")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    match accept(&flow, &tenant) {
        Ok(()) => Html(render(
            &flow,
            lang,
            Some(&t!(lang, "pc-invitation-accepted")),
        ))
        .into_response(),
        Err(_) => (
            StatusCode::BAD_REQUEST,
            Html(render(
                &flow,
                lang,
                Some(&t!(lang, "pc-invitation-refused")),
            )),
        )
            .into_response(),
    }
}
