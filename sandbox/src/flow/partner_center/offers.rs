//! The catalog of a market: `GET /v1/offers?country=US` and one offer, in the locale the
//! required `X-Locale` header names.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;

use super::call::{PcError, Request, Result, serve};
use super::catalog::{self, Offer};
use super::resources::collection;
use super::state::Answer;
use crate::flow::FlowService;

#[derive(Deserialize)]
pub struct Market {
    country: Option<String>,
}

/// The call's locale (`en-US`) and market (`US`), both required.
fn market(headers: &HeaderMap, query: &Market) -> Result<(String, String)> {
    let locale = headers
        .get("x-locale")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .ok_or_else(|| PcError::invalid("the X-Locale header (such as en-US) is required."))?;
    let mut parts = locale.split('-');
    let well_formed = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphabetic()))
        && parts
            .all(|p| (2..=4).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if !well_formed {
        return Err(PcError::invalid(format!(
            "X-Locale {locale} is not a locale such as en-US."
        )));
    }
    let country = query
        .country
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| PcError::invalid("the country query parameter is required."))?;
    if catalog::currency(country).is_none() {
        return Err(PcError::invalid(format!(
            "country {country} is not a market the partner sells in."
        )));
    }
    Ok((locale.to_owned(), country.to_ascii_uppercase()))
}

pub async fn list(
    State(flow): State<Arc<FlowService>>,
    request: Request,
    Query(query): Query<Market>,
) -> Response {
    serve(&flow, &request, |call, _| {
        let (locale, country) = market(call.headers, &query)?;
        let mut offers: Vec<&Offer> = catalog::fixture().offers.iter().collect();
        offers.sort_by_key(|o| o.rank);
        let items: Vec<Value> = offers.iter().map(|o| o.json(&country, &locale)).collect();
        Ok(Answer::ok(collection(
            items,
            &format!("/v1/offers?country={country}"),
        )))
    })
    .await
}

pub async fn read(
    State(flow): State<Arc<FlowService>>,
    Path(id): Path<String>,
    request: Request,
    Query(query): Query<Market>,
) -> Response {
    serve(&flow, &request, |call, _| {
        let (locale, country) = market(call.headers, &query)?;
        let offer = catalog::offer(&id).ok_or_else(|| {
            PcError::new(
                StatusCode::NOT_FOUND,
                1000,
                format!("Offer with id {id} was not found."),
            )
        })?;
        Ok(Answer::ok(offer.json(&country, &locale)))
    })
    .await
}
