//! Lists come a page at a time: `page` (from 1) and `pageSize` (1 to 100, 50 when not given),
//! answered as `{"value": [...], "nextLink": "…"}`; `nextLink` is the absolute address of the
//! next page, absent on the last one, which is what Power Automate's `x-ms-pageable` follows.

use domain::{FieldErrors, PageRequest};
use i18n::Msg;
use serde::{Deserialize, Serialize};

pub const DEFAULT_PAGE_SIZE: u32 = 50;
const MAX_PAGE: u32 = 100_000;

/// A list's `page` and `pageSize` parameters as sent (flattened into each list's query).
#[derive(Deserialize)]
pub struct PageParams {
    page: Option<String>,
    #[serde(rename = "pageSize")]
    page_size: Option<String>,
}

impl PageParams {
    /// The page asked for; a refused parameter is named in `errors`.
    pub fn request(&self, errors: &mut FieldErrors) -> PageRequest {
        let page = whole(errors, "page", self.page.as_deref(), 1..=MAX_PAGE).unwrap_or(1);
        let size = whole(
            errors,
            "pageSize",
            self.page_size.as_deref(),
            1..=PageRequest::MAX_PER_PAGE,
        )
        .unwrap_or(DEFAULT_PAGE_SIZE);
        PageRequest::new(page, size)
    }
}

fn whole(
    errors: &mut FieldErrors,
    field: &str,
    raw: Option<&str>,
    range: std::ops::RangeInclusive<u32>,
) -> Option<u32> {
    let raw = raw?.trim();
    let value = raw.parse::<u32>().ok().filter(|n| range.contains(n));
    if value.is_none() {
        errors.add(
            field,
            Msg::new("api-whole-number")
                .with("field", field)
                .with("min", i64::from(*range.start()))
                .with("max", i64::from(*range.end())),
        );
    }
    value
}

/// One page of a list.
#[derive(Serialize)]
pub struct Listed<T> {
    pub value: Vec<T>,
    #[serde(rename = "nextLink", skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
}

impl<T> Listed<T> {
    /// `items` fetched with one more than the page holds: a surplus item means a next page.
    pub fn from_surplus(mut items: Vec<T>, request: PageRequest, here: &url::Url) -> Listed<T> {
        let more = items.len() > request.per_page as usize;
        items.truncate(request.per_page as usize);
        Listed::new(items, more, request, here)
    }

    /// A page of `items`; if there are `more`, the next page is at `here` (the request's
    /// absolute URL) with `page` one higher.
    pub fn new(items: Vec<T>, more: bool, request: PageRequest, here: &url::Url) -> Listed<T> {
        let next_link = more.then(|| {
            let mut next = here.clone();
            let kept: Vec<(String, String)> = here
                .query_pairs()
                .filter(|(k, _)| k != "page")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            next.query_pairs_mut()
                .clear()
                .extend_pairs(kept)
                .append_pair("page", &(request.page + 1).to_string());
            next.to_string()
        });
        Listed {
            value: items,
            next_link,
        }
    }
}
