//! `/_sandbox/marketplace`: the marketplace's "Get it now", in the browser's language. The
//! form buys a plan for a person's organisation and sends the browser on to Flowhost's landing
//! page with the purchase's token, as the marketplace does after checkout.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use html_escape::{encode_quoted_attribute as attr, encode_text as text};

use super::control::{Purchase, purchase};
use crate::flow::FlowService;
use crate::lang::{Lang, t};

const PAGE: &str = "/_sandbox/marketplace";

pub fn routes() -> Router<Arc<FlowService>> {
    Router::new().route(PAGE, get(page).post(submit))
}

async fn page(State(flow): State<Arc<FlowService>>, headers: HeaderMap) -> Response {
    let lang = Lang::of_browser(&headers).unwrap_or_default();
    Html(render(&flow, lang, None)).into_response()
}

fn render(flow: &FlowService, lang: Lang, refused: Option<&str>) -> String {
    let people: String = flow
        .idp
        .directory
        .users()
        .filter(|(_, u)| u.directory_admin || u.upn.starts_with("nora@"))
        .map(|(tenant, u)| {
            format!(
                "<option value=\"{}\">{} ({})</option>",
                attr(&u.upn),
                text(&u.upn),
                text(&tenant.display_name)
            )
        })
        .collect();
    let plans: String = flow
        .offer
        .plans
        .iter()
        .map(|p| {
            let trial = if p.has_free_trials {
                t!(lang, "market-plan-trial")
            } else {
                String::new()
            };
            format!(
                "<option value=\"{}\">{}{}</option>",
                attr(&p.plan_id),
                text(&p.display_name),
                text(&trial)
            )
        })
        .collect();
    let alert = refused
        .map(|why| format!("<p role=\"alert\">{}</p>", text(why)))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/Content/widget.css\"></head><body><main class=\"widget\">\
         <h1>{title}</h1><p>{intro}</p>{alert}<form method=\"post\" action=\"{PAGE}\">\
         <p><label for=\"purchaser\">{purchaser}</label> <select id=\"purchaser\" name=\"purchaser\">{people}</select></p>\
         <p><label for=\"plan\">{plan}</label> <select id=\"plan\" name=\"planId\">{plans}</select></p>\
         <p><label for=\"quantity\">{seats}</label> <input id=\"quantity\" name=\"quantity\" type=\"number\" min=\"1\" value=\"10\"></p>\
         <p><input id=\"trial\" name=\"freeTrial\" type=\"checkbox\" value=\"true\"> <label for=\"trial\">{trial}</label></p>\
         <p><button type=\"submit\">{buy}</button></p></form></main></body></html>",
        lang = lang.tag(),
        title = text(&t!(lang, "market-title")),
        intro = text(&t!(
            lang,
            "market-intro",
            offer = flow.offer.offer_id.as_str()
        )),
        purchaser = text(&t!(lang, "market-purchaser")),
        plan = text(&t!(lang, "market-plan")),
        seats = text(&t!(lang, "market-seats")),
        trial = text(&t!(lang, "market-trial")),
        buy = text(&t!(lang, "market-buy")),
    )
}

/// Buys, then sends the browser to the landing page (303); a refusal shows the form again.
async fn submit(State(flow): State<Arc<FlowService>>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = Lang::of_browser(&headers).unwrap_or_default();
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let wanted = Purchase {
        purchaser: field("purchaser").unwrap_or_default(),
        plan_id: field("planId").unwrap_or_default(),
        quantity: field("quantity").and_then(|q| q.trim().parse().ok()),
        free_trial: field("freeTrial").as_deref() == Some("true"),
    };
    match purchase(&flow, &wanted) {
        Ok(bought) => Redirect::to(&bought.landing_url).into_response(),
        Err(why) => {
            let said = match why {
                "no such person" => t!(lang, "market-no-person"),
                "no such plan" => t!(lang, "market-no-plan"),
                _ => t!(lang, "market-no-trial"),
            };
            (
                StatusCode::BAD_REQUEST,
                Html(render(&flow, lang, Some(&said))),
            )
                .into_response()
        }
    }
}
