//! The security defaults every response goes through: cross-site request refusal, a per-request
//! CSP nonce, and the security headers (HSTS too when Flowhost is served over https).

use crate::telemetry::bounded;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use rand::RngCore as _;
use std::sync::Arc;

/// The nonce that lets this response's own inline scripts run, and nothing else inline.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

impl CspNonce {
    fn generate() -> Self {
        // The thread's CSPRNG (seeded from the OS): no system call on every page.
        let mut bytes = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut bytes);
        CspNonce(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }
}

pub struct Policy {
    /// `scheme://host[:port]` of PUBLIC_URL.
    pub origin: String,
    /// The identity provider's origin: the sign-out form ends there, and browsers apply
    /// `form-action` to a form's redirects too.
    pub identity_origin: String,
    /// The Flow host's origin: the widget SDK comes from there, and the widgets are framed
    /// from there.
    pub flow_origin: String,
    /// PUBLIC_URL is https: browsers are told to use nothing else for this host.
    pub strict_transport: bool,
}

/// A year; browsers then reach the host over https only, even when a link says http.
const STRICT_TRANSPORT: &str = "max-age=31536000; includeSubDomains";

impl Policy {
    pub fn content_security_policy(&self, nonce: &CspNonce) -> String {
        // wasm-unsafe-eval lets the hydration module compile; only the Flow host may be
        // framed or send scripts besides Flowhost itself; plugins are off.
        format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval' {flow}; \
             style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
             frame-src {flow}; child-src {flow}; frame-ancestors 'self'; object-src 'none'; \
             base-uri 'self'; form-action 'self' {identity}",
            nonce = nonce.0,
            flow = self.flow_origin,
            identity = self.identity_origin
        )
    }

    /// Whether a state-changing request comes from Flowhost's own pages. Browsers send
    /// `Origin` on every such request; `Referer` is the fallback for older ones.
    fn same_origin(&self, headers: &HeaderMap) -> bool {
        if let Some(origin) = headers.get(header::ORIGIN) {
            return origin.to_str().is_ok_and(|o| o == self.origin);
        }
        headers
            .get(header::REFERER)
            .and_then(|r| r.to_str().ok())
            .and_then(|r| url::Url::parse(r).ok())
            .is_some_and(|r| r.origin().ascii_serialization() == self.origin)
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

pub async fn guard(
    State(policy): State<Arc<Policy>>,
    mut request: Request,
    next: Next,
) -> Response {
    if !is_safe(request.method()) && !policy.same_origin(request.headers()) {
        tracing::warn!(path = %bounded(request.uri().path()), "refused a cross-site request");
        return cross_site_refusal(request.headers());
    }
    let nonce = CspNonce::generate();
    request.extensions_mut().insert(nonce.clone());

    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if policy.strict_transport {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT),
        );
    }
    if is_html {
        if let Ok(csp) = HeaderValue::from_str(&policy.content_security_policy(&nonce)) {
            headers.insert(header::CONTENT_SECURITY_POLICY, csp);
        }
        // Pages show one organisation's records: no shared cache may keep them.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

fn cross_site_refusal(headers: &HeaderMap) -> Response {
    let lang = crate::plain_page::lang(headers);
    crate::plain_page::refusal(
        headers,
        StatusCode::FORBIDDEN,
        "cross_site_request",
        &i18n::t!(lang, "server-cross-site-title"),
        &i18n::t!(lang, "server-cross-site"),
    )
}

/// Adds the request's nonce to the Leptos context, so hydration scripts carry it.
pub fn provide_nonce() {
    use leptos::prelude::use_context;
    if let Some(parts) = use_context::<axum::http::request::Parts>()
        && let Some(nonce) = parts.extensions.get::<CspNonce>()
    {
        leptos::prelude::provide_context(leptos::nonce::Nonce::from_value(nonce.0.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        Policy {
            origin: "http://localhost:3000".into(),
            identity_origin: "https://login.microsoftonline.com".into(),
            flow_origin: "https://make.powerautomate.com".into(),
            strict_transport: false,
        }
    }

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (k.clone(), HeaderValue::from_str(v).unwrap()))
            .collect()
    }

    #[test]
    fn only_our_own_origin_may_change_things() {
        let p = policy();
        assert!(p.same_origin(&headers(&[(header::ORIGIN, "http://localhost:3000")])));
        assert!(!p.same_origin(&headers(&[(
            header::ORIGIN,
            "http://localhost:3000.evil.example"
        )])));
        assert!(!p.same_origin(&headers(&[(header::ORIGIN, "null")])));
        assert!(p.same_origin(&headers(&[(
            header::REFERER,
            "http://localhost:3000/accounts/1"
        )])));
        assert!(!p.same_origin(&headers(&[(header::REFERER, "https://localhost:3000/")])));
        assert!(!p.same_origin(&HeaderMap::new()));
    }

    #[test]
    fn the_policy_allows_only_the_nonce_inline() {
        let csp = policy().content_security_policy(&CspNonce("abc".into()));
        assert!(csp.contains(
            "script-src 'self' 'nonce-abc' 'wasm-unsafe-eval' https://make.powerautomate.com;"
        ));
        assert!(csp.contains("frame-src https://make.powerautomate.com;"));
        assert!(csp.contains("frame-ancestors 'self'"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.ends_with("form-action 'self' https://login.microsoftonline.com"));
    }
}
