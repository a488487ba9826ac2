//! Sending a result back to the app's redirect URI: a 302 with the parameters in the query or
//! fragment, or (`form_post`) a page that posts them.

use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use html_escape::encode_quoted_attribute as escape;
use url::Url;
use url::form_urlencoded::Serializer;

use crate::lang::{Lang, t};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseMode {
    Query,
    Fragment,
    FormPost,
}

impl ResponseMode {
    pub fn parse(value: Option<&str>) -> Option<ResponseMode> {
        match value {
            None | Some("query") => Some(ResponseMode::Query),
            Some("fragment") => Some(ResponseMode::Fragment),
            Some("form_post") => Some(ResponseMode::FormPost),
            Some(_) => None,
        }
    }
}

pub fn found(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

/// Delivers `params` to `redirect_uri` (already checked against the registration); the page of
/// `form_post` is in `lang`.
pub fn deliver(
    redirect_uri: &str,
    mode: ResponseMode,
    lang: Lang,
    params: &[(&str, &str)],
) -> Response {
    match mode {
        ResponseMode::Query => {
            let mut url = Url::parse(redirect_uri).expect("registered redirect URIs are URLs");
            url.query_pairs_mut().extend_pairs(params);
            found(url.as_str())
        }
        ResponseMode::Fragment => {
            let fragment = Serializer::new(String::new()).extend_pairs(params).finish();
            found(&format!("{redirect_uri}#{fragment}"))
        }
        ResponseMode::FormPost => {
            let inputs: String = params
                .iter()
                .map(|(k, v)| {
                    format!(
                        "<input type=\"hidden\" name=\"{}\" value=\"{}\" />",
                        escape(k),
                        escape(v)
                    )
                })
                .collect();
            Html(format!(
                "<html lang=\"{}\"><head><title>{}</title></head><body>\
                 <form method=\"POST\" name=\"hiddenform\" action=\"{}\">{inputs}\
                 <noscript><p>{}</p>\
                 <input type=\"submit\" value=\"{}\" /></noscript></form>\
                 <script language=\"javascript\">document.forms[0].submit();</script>\
                 </body></html>",
                lang.tag(),
                escape(&t!(lang, "idp-working")),
                escape(redirect_uri),
                escape(&t!(lang, "idp-script-disabled")),
                escape(&t!(lang, "idp-submit")),
            ))
            .into_response()
        }
    }
}
