//! OData query options as Graph reads them: `$select` (properties by name, any case),
//! `$top` (a page size of 1 to 999) and `$skiptoken` (an opaque continuation), plus the
//! `@odata.context` and `@odata.nextLink` of an answer.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::{Map, Value};

use super::errors::GraphError;

/// What a query value keeps encoded in a next link.
const QUERY_VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'+')
    .add(b'<')
    .add(b'=')
    .add(b'>');

pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub fn parse(raw: Option<&str>) -> Query {
        let pairs = url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Query { pairs }
    }

    /// The value of the option `name` (`$select`, …), its name in any case.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Refuses `$filter` where the resource does not take it.
    pub fn refuse_filter(&self, message: &str) -> Result<(), GraphError> {
        match self.get("$filter") {
            Some(_) => Err(GraphError::bad_request("Request_UnsupportedQuery", message)),
            None => Ok(()),
        }
    }

    /// The properties `$select` names, spelt as `properties` spells them; an unknown name is
    /// refused as Graph refuses it. None without `$select`.
    pub fn select(
        &self,
        properties: &[&'static str],
        type_name: &str,
    ) -> Result<Option<Vec<&'static str>>, GraphError> {
        let Some(list) = self.get("$select") else {
            return Ok(None);
        };
        let mut selected = Vec::new();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let property = properties
                .iter()
                .find(|p| p.eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    GraphError::bad_request(
                        "BadRequest",
                        format!(
                            "Could not find a property named '{name}' on type 'microsoft.graph.{type_name}'."
                        ),
                    )
                })?;
            if !selected.contains(property) {
                selected.push(*property);
            }
        }
        Ok(Some(selected))
    }

    /// The page size: `$top`, else `default`.
    pub fn top(&self, default: usize) -> Result<usize, GraphError> {
        let Some(top) = self.get("$top") else {
            return Ok(default);
        };
        match top.trim().parse::<usize>() {
            Ok(size) if (1..=999).contains(&size) => Ok(size),
            _ => Err(GraphError::bad_request(
                "Request_UnsupportedQuery",
                format!(
                    "Invalid page size specified: '{top}'. Must be between 1 and 999 inclusive."
                ),
            )),
        }
    }

    /// Where the page starts: the offset a `$skiptoken` stands for, else 0.
    pub fn skip(&self) -> Result<usize, GraphError> {
        let Some(token) = self.get("$skiptoken") else {
            return Ok(0);
        };
        URL_SAFE_NO_PAD
            .decode(token)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| text.strip_prefix(SKIP_PREFIX)?.parse().ok())
            .ok_or_else(|| {
                GraphError::bad_request(
                    "Directory_ExpiredPageToken",
                    "The specified page token value has expired and can no longer be included in your request.",
                )
            })
    }

    /// The link to the page starting at `offset`: this query with a new `$skiptoken`.
    pub fn next_link(&self, url: &str, offset: usize) -> String {
        let token = URL_SAFE_NO_PAD.encode(format!("{SKIP_PREFIX}{offset}"));
        let options: Vec<String> = self
            .pairs
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("$skiptoken"))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain([("$skiptoken", token.as_str())])
            .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, QUERY_VALUE)))
            .collect();
        format!("{url}?{}", options.join("&"))
    }
}

/// What a `$skiptoken` encodes before the offset.
const SKIP_PREFIX: &str = "sandbox-page:";

/// `@odata.context`: the entity set, with the selected properties when some are.
pub fn context(base: &str, set: &str, select: Option<&[&str]>) -> String {
    match select {
        Some(properties) => format!("{base}/$metadata#{set}({})", properties.join(",")),
        None => format!("{base}/$metadata#{set}"),
    }
}

/// `entity` with only the `selected` properties, or `defaults` without a selection.
pub fn project(entity: Value, selected: Option<&[&str]>, defaults: &[&str]) -> Value {
    let Value::Object(mut all) = entity else {
        return entity;
    };
    let names = selected.unwrap_or(defaults);
    let mut kept = Map::new();
    for name in names {
        if let Some(value) = all.remove(*name) {
            kept.insert((*name).to_owned(), value);
        }
    }
    Value::Object(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skiptokens_round_trip_and_keep_the_other_options() {
        let query = Query::parse(Some("%24select=id,displayName&%24top=2"));
        let link = query.next_link("http://idp/graph/v1.0/users", 4);
        assert!(
            link.starts_with(
                "http://idp/graph/v1.0/users?$select=id,displayName&$top=2&$skiptoken="
            )
        );
        let next = Query::parse(link.split_once('?').map(|(_, q)| q));
        assert_eq!(next.skip().unwrap(), 4);
        assert_eq!(next.top(100).unwrap(), 2);
        assert_eq!(
            Query::parse(Some("$skiptoken=nonsense"))
                .skip()
                .unwrap_err()
                .status,
            400
        );
    }

    #[test]
    fn select_names_any_case_and_refuses_unknown_properties() {
        let query = Query::parse(Some("$select=DISPLAYNAME,id"));
        assert_eq!(
            query.select(&["id", "displayName"], "user").unwrap(),
            Some(vec!["displayName", "id"])
        );
        let error = Query::parse(Some("$select=shoeSize"))
            .select(&["id"], "user")
            .unwrap_err();
        assert_eq!(
            error.message,
            "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'."
        );
    }

    #[test]
    fn page_sizes_beyond_999_are_refused() {
        assert_eq!(Query::parse(Some("$top=999")).top(100).unwrap(), 999);
        for bad in ["0", "1000", "many"] {
            let query = Query::parse(Some(&format!("$top={bad}")));
            assert_eq!(query.top(100).unwrap_err().code, "Request_UnsupportedQuery");
        }
    }
}
