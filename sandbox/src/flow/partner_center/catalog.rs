//! The partner's catalog and starting point (`fixtures/partner_center.toml`): the offers it may
//! sell, the markets it sells in, its customers and what they already have.

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{Value, json};

const FIXTURE: &str = include_str!("../../../fixtures/partner_center.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    pub offers: Vec<Offer>,
    pub customers: Vec<SeedCustomer>,
    pub agreements: Vec<SeedAgreement>,
    pub subscriptions: Vec<SeedSubscription>,
}

/// A new commerce offer: `id` is `PRODUCT:SKU:AVAILABILITY`, sold per licence.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    pub id: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub rank: u32,
    pub minimum_quantity: u32,
    pub maximum_quantity: u32,
    /// The Microsoft Graph SKU whose prepaid units the offer's licences are.
    pub graph_sku_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCustomer {
    pub tenant_id: String,
    pub domain: String,
    pub company_name: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub address_line1: String,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    pub country: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAgreement {
    pub customer: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone_number: String,
    pub date_agreed: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSubscription {
    pub id: String,
    pub customer: String,
    pub offer: String,
    pub quantity: u32,
    pub order_id: String,
    /// How long before the sandbox started it was bought.
    pub days_ago: i64,
}

/// The fixture, read once.
pub fn fixture() -> &'static Fixture {
    static PARSED: OnceLock<Fixture> = OnceLock::new();
    PARSED.get_or_init(|| toml::from_str(FIXTURE).expect("fixtures/partner_center.toml is valid"))
}

pub fn offer(id: &str) -> Option<&'static Offer> {
    fixture()
        .offers
        .iter()
        .find(|o| o.id.eq_ignore_ascii_case(id))
}

/// The Microsoft Customer Agreement's template, as `GET /v1/agreements` names it.
pub const MCA_TEMPLATE: &str = "117a77b0-9360-443b-8795-c6dedc750cf9";
/// The Microsoft Cloud Agreement's template.
pub const MCLA_TEMPLATE: &str = "998b88de-aa99-4388-a42c-1b3517d49490";

/// The agreement types and their templates and links.
pub const AGREEMENTS: [(&str, &str, &str); 2] = [
    (
        "MicrosoftCloudAgreement",
        MCLA_TEMPLATE,
        "https://docs.microsoft.com/partner-center/agreements",
    ),
    (
        "MicrosoftCustomerAgreement",
        MCA_TEMPLATE,
        "https://aka.ms/customeragreement",
    ),
];

/// The markets the partner sells in, with the currency its orders there are in.
const MARKETS: [(&str, &str); 20] = [
    ("US", "USD"),
    ("CA", "CAD"),
    ("GB", "GBP"),
    ("IE", "EUR"),
    ("DE", "EUR"),
    ("FR", "EUR"),
    ("NL", "EUR"),
    ("BE", "EUR"),
    ("ES", "EUR"),
    ("IT", "EUR"),
    ("AT", "EUR"),
    ("FI", "EUR"),
    ("SE", "SEK"),
    ("NO", "NOK"),
    ("DK", "DKK"),
    ("CH", "CHF"),
    ("AU", "AUD"),
    ("NZ", "NZD"),
    ("JP", "JPY"),
    ("IN", "INR"),
];

/// The currency of a market, by its two-letter country code (any case).
pub fn currency(country: &str) -> Option<&'static str> {
    MARKETS
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(country))
        .map(|(_, currency)| *currency)
}

impl Offer {
    /// The product: the first part of the offer's id.
    pub fn product_id(&self) -> &str {
        self.id.split(':').next().unwrap_or(&self.id)
    }

    pub fn allows(&self, quantity: i64) -> bool {
        (i64::from(self.minimum_quantity)..=i64::from(self.maximum_quantity)).contains(&quantity)
    }

    /// As `GET /v1/offers` gives it in `country` and `locale`.
    pub fn json(&self, country: &str, locale: &str) -> Value {
        let category_id = self.category.replace(' ', "");
        json!({
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "minimumQuantity": self.minimum_quantity,
            "maximumQuantity": self.maximum_quantity,
            "rank": self.rank,
            "uri": format!("/offers/{}", self.id),
            "locale": locale,
            "country": country,
            "category": {
                "id": category_id,
                "name": self.category,
                "rank": self.rank,
                "locale": locale,
                "country": country,
                "attributes": {"objectType": "OfferCategory"},
            },
            "prerequisiteOffers": [],
            "isAddOn": false,
            "isAvailableForPurchase": true,
            "billing": "license",
            "isAutoRenewable": true,
            "product": {"id": self.product_id(), "name": self.name, "unit": "Licenses"},
            "unitType": "Licenses",
            "links": {
                "learnMore": {"uri": "https://go.microsoft.com/fwlink/?LinkId=2085130", "method": "GET", "headers": []},
                "self": link(&format!("/offers/{}?country={country}", self.id)),
            },
            "attributes": {"objectType": "Offer"},
        })
    }
}

/// A resource link as the API gives them.
pub fn link(uri: &str) -> Value {
    json!({"uri": uri, "method": "GET", "headers": []})
}
