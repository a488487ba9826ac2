//! One call to the API: its token (an app-only or delegated token for Partner Center from the
//! partner's own tenant), the answer already given to its `MS-RequestId`, the work, and the
//! answer with `MS-RequestId`, `MS-CorrelationId` and `ETag`. Errors have the service's shape,
//! `{code, description, data, source}`.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use time::OffsetDateTime;

use super::state::{Answer, PartnerCenter, RequestKey};
use super::{IDENTIFIER_URI, RESOURCE};
use crate::flow::FlowService;
use crate::flow::token::{self, Caller};

/// What the API reads of a request besides its body: method, path and headers.
pub struct Request {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Request {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> std::result::Result<Request, Self::Rejection> {
        Ok(Request {
            method: parts.method.clone(),
            uri: parts.uri.clone(),
            headers: parts.headers.clone(),
        })
    }
}

/// A refusal: the HTTP status, the service's numeric error code and what went wrong.
#[derive(Debug)]
pub struct PcError {
    status: StatusCode,
    code: u32,
    description: String,
}

pub type Result<T> = std::result::Result<T, PcError>;

impl PcError {
    pub fn new(status: StatusCode, code: u32, description: impl Into<String>) -> PcError {
        PcError {
            status,
            code,
            description: description.into(),
        }
    }

    /// 800002, "Invalid request input", saying what is wrong.
    pub fn invalid(description: impl Into<String>) -> PcError {
        PcError::new(
            StatusCode::BAD_REQUEST,
            800002,
            format!("Invalid request input: {}", description.into()),
        )
    }

    pub fn customer_not_found(id: &str) -> PcError {
        PcError::new(
            StatusCode::NOT_FOUND,
            1000,
            format!("Customer with id {id} was not found."),
        )
    }
}

impl From<PcError> for Answer {
    fn from(e: PcError) -> Answer {
        Answer {
            status: e.status,
            body: json!({"code": e.code, "description": e.description, "data": [], "source": "PartnerFD"}),
            etag: None,
        }
    }
}

/// What the work of a call may use besides Partner Center's state.
pub struct Call<'a> {
    pub flow: &'a Arc<FlowService>,
    pub caller: &'a Caller,
    pub now: OffsetDateTime,
    pub headers: &'a HeaderMap,
    /// The answer, once stored, is held back this long.
    pub hold: Option<Duration>,
}

/// Checks the token: Partner Center's (its identifier URI, with or without the slash, or its
/// application id), signed, within its lifetime, and of the partner's tenant.
fn admitted(flow: &FlowService, headers: &HeaderMap) -> Result<Caller> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.trim().is_empty());
    let Some(authorization) = authorization else {
        return Err(PcError::new(
            StatusCode::UNAUTHORIZED,
            800001,
            "Partner Token missing in request context.",
        ));
    };
    let mut checked = Err(String::new());
    for audience in [IDENTIFIER_URI, RESOURCE] {
        checked =
            token::check_user_or_app(flow, Some(authorization), audience, "user_impersonation")
                .map_err(|refused| refused.message().to_owned());
        if checked.is_ok() {
            break;
        }
    }
    let caller = checked.map_err(|why| {
        PcError::new(
            StatusCode::UNAUTHORIZED,
            900420,
            format!("Invalid Token. {why}"),
        )
    })?;
    if !caller.tenant.eq_ignore_ascii_case(crate::ISV_TENANT_ID) {
        return Err(PcError::new(
            StatusCode::FORBIDDEN,
            2032,
            format!(
                "Access denied: the tenant {} is not a Cloud Solution Provider partner.",
                caller.tenant
            ),
        ));
    }
    Ok(caller)
}

/// Admits the call, answers a POST or PATCH whose `MS-RequestId` was seen before with the
/// first answer (changing nothing), else runs `work` on the state and remembers its answer.
pub async fn serve(
    flow: &Arc<FlowService>,
    request: &Request,
    work: impl FnOnce(&mut Call<'_>, &mut PartnerCenter) -> Result<Answer>,
) -> Response {
    let (method, uri, headers) = (&request.method, &request.uri, &request.headers);
    let caller = match admitted(flow, headers) {
        Ok(caller) => caller,
        Err(refused) => return respond(&refused.into(), headers),
    };
    let request_id = headers
        .get("ms-requestid")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let key = (*method == Method::POST || *method == Method::PATCH)
        .then_some(request_id)
        .flatten()
        .map(|id| RequestKey {
            partner: caller.tenant.to_ascii_lowercase(),
            method: method.to_string(),
            path: uri.path().to_ascii_lowercase(),
            request_id: id.to_ascii_lowercase(),
        });
    let now = flow.idp.now();
    let mut call = Call {
        flow,
        caller: &caller,
        now,
        headers,
        hold: None,
    };
    let answer = {
        let mut st = flow.lock();
        let pc = &mut st.partner_center;
        if let Some(first) = key.as_ref().and_then(|k| pc.answers.get(k)) {
            return respond(&first.clone(), headers);
        }
        let answer = work(&mut call, pc).unwrap_or_else(Answer::from);
        if let Some(key) = key {
            pc.answers.insert(key, answer.clone());
        }
        answer
    };
    if let Some(hold) = call.hold {
        tokio::time::sleep(hold).await;
    }
    respond(&answer, headers)
}

/// The answer with the call's `MS-RequestId` and `MS-CorrelationId` (new ones when it sent
/// none) and, for a resource with one, its `ETag`.
fn respond(answer: &Answer, request: &HeaderMap) -> Response {
    let mut response = (answer.status, Json(answer.body.clone())).into_response();
    let headers = response.headers_mut();
    for name in ["ms-requestid", "ms-correlationid"] {
        let value = request
            .get(name)
            .cloned()
            .or_else(|| HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()).ok());
        if let Some(value) = value {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    if let Some(etag) = &answer.etag
        && let Ok(value) = HeaderValue::from_str(&format!("\"{etag}\""))
    {
        headers.insert(header::ETAG, value);
    }
    response
}
