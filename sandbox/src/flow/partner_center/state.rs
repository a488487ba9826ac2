//! What Partner Center remembers for the partner: its customers with their agreements, carts,
//! orders and subscriptions, the answers given to each `MS-RequestId`, and the test controls'
//! settings. It starts from `fixtures/partner_center.toml`, and `/_sandbox/reset` puts it back.

use std::collections::HashMap;
use std::time::Duration;

use axum::http::StatusCode;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand::Rng;
use rand::distributions::Alphanumeric;
use serde_json::{Value, json};
use time::{Date, Month, OffsetDateTime, Time};

/// How long after checkout an order is completed, unless the controls say otherwise.
pub const ORDER_DELAY: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub struct PartnerCenter {
    pub customers: Vec<Customer>,
    pub agreements: Vec<Agreement>,
    pub carts: Vec<Cart>,
    pub orders: Vec<Order>,
    pub subscriptions: Vec<Subscription>,
    /// The first answer to each POST or PATCH, by partner, method, path and `MS-RequestId`.
    pub answers: HashMap<RequestKey, Answer>,
    pub settings: Settings,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestKey {
    pub partner: String,
    pub method: String,
    pub path: String,
    pub request_id: String,
}

/// An answer as it was sent: status, body and the resource's etag.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
    pub etag: Option<String>,
}

impl Answer {
    pub fn ok(body: Value) -> Answer {
        Answer {
            status: StatusCode::OK,
            body,
            etag: None,
        }
    }

    pub fn created(body: Value) -> Answer {
        Answer {
            status: StatusCode::CREATED,
            body,
            etag: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// Off: every order fails with 2093, "Inventory is not available".
    pub inventory_available: bool,
    /// The next checkout is carried out, but its answer is held back.
    pub timeout_next_checkout: bool,
    pub order_delay: Duration,
}

#[derive(Debug, Clone)]
pub struct Address {
    pub first_name: String,
    pub last_name: String,
    pub address_line1: String,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    pub country: String,
    pub phone_number: String,
}

#[derive(Debug, Clone)]
pub struct BillingProfile {
    pub id: String,
    pub email: String,
    pub culture: String,
    pub language: String,
    pub company_name: String,
    pub address: Address,
    pub etag: String,
}

/// A customer; its id is its tenant's id.
#[derive(Debug, Clone)]
pub struct Customer {
    pub id: String,
    pub commerce_id: String,
    pub domain: String,
    pub company_name: String,
    pub billing: BillingProfile,
}

#[derive(Debug, Clone)]
pub struct Agreement {
    pub customer_id: String,
    pub user_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone_number: String,
    pub template_id: String,
    pub date_agreed: String,
    pub kind: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BillingCycle {
    Monthly,
    Annual,
    Triennial,
    OneTime,
    None,
    Unknown,
}

impl BillingCycle {
    /// The member name, in any case; `None` for a name the enum does not have.
    pub fn parse(name: &str) -> Option<BillingCycle> {
        let all = [
            BillingCycle::Monthly,
            BillingCycle::Annual,
            BillingCycle::Triennial,
            BillingCycle::OneTime,
            BillingCycle::None,
            BillingCycle::Unknown,
        ];
        all.into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(name))
    }

    pub fn name(self) -> &'static str {
        match self {
            BillingCycle::Monthly => "monthly",
            BillingCycle::Annual => "annual",
            BillingCycle::Triennial => "triennial",
            BillingCycle::OneTime => "one_time",
            BillingCycle::None => "none",
            BillingCycle::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    P1M,
    P1Y,
}

impl Term {
    pub fn parse(text: &str) -> Option<Term> {
        match text.to_ascii_uppercase().as_str() {
            "P1M" => Some(Term::P1M),
            "P1Y" => Some(Term::P1Y),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Term::P1M => "P1M",
            Term::P1Y => "P1Y",
        }
    }

    pub fn months(self) -> i32 {
        match self {
            Term::P1M => 1,
            Term::P1Y => 12,
        }
    }
}

#[derive(Debug, Clone)]
pub struct CartLine {
    /// As the partner numbered it (a number or a string).
    pub id: Value,
    pub offer_id: String,
    pub friendly_name: Option<String>,
    pub quantity: u32,
    pub billing_cycle: BillingCycle,
    pub term: Term,
    pub provisioning_context: Option<Value>,
    pub currency: String,
    pub order_group: String,
}

#[derive(Debug, Clone)]
pub struct Cart {
    pub id: String,
    pub customer_id: String,
    pub created: OffsetDateTime,
    pub modified: OffsetDateTime,
    pub expires: OffsetDateTime,
    pub user: String,
    /// Checked out: its items were ordered.
    pub ordered: bool,
    pub lines: Vec<CartLine>,
}

#[derive(Debug, Clone)]
pub struct OrderLine {
    pub number: u32,
    pub offer_id: String,
    /// The subscription the line creates, or adds its licences to.
    pub subscription_id: String,
    pub term: Term,
    pub friendly_name: String,
    pub quantity: u32,
}

#[derive(Debug, Clone)]
pub struct Order {
    pub id: String,
    pub alternate_id: String,
    pub customer_id: String,
    pub billing_cycle: BillingCycle,
    pub currency: String,
    pub lines: Vec<OrderLine>,
    pub created: OffsetDateTime,
    pub completed: bool,
    /// Placed before the sandbox started (the fixture's purchase history).
    pub historical: bool,
}

#[derive(Debug, Clone)]
pub struct Subscription {
    pub id: String,
    pub customer_id: String,
    pub offer_id: String,
    pub friendly_name: String,
    pub quantity: u32,
    pub created: OffsetDateTime,
    pub effective_start: OffsetDateTime,
    pub billing_cycle: BillingCycle,
    pub term: Term,
    pub auto_renew: bool,
    pub order_id: String,
    /// Counts the changes; the etag names it.
    pub version: u32,
}

impl Subscription {
    pub fn commitment_end(&self) -> OffsetDateTime {
        add_months(self.effective_start, self.term.months())
    }

    /// Opaque to callers: the subscription's id and version, as the real etags encode them.
    pub fn etag(&self) -> String {
        let tag = json!({"id": self.id.to_ascii_lowercase(), "version": self.version});
        STANDARD.encode(tag.to_string())
    }
}

/// `at` moved by whole calendar months, on the same day where the month has it.
pub fn add_months(at: OffsetDateTime, months: i32) -> OffsetDateTime {
    let date = at.date();
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + months;
    let year = total.div_euclid(12);
    let month = u8::try_from(total.rem_euclid(12) + 1)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .unwrap_or(Month::January);
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day)
        .map(|d| at.replace_date(d))
        .unwrap_or(at)
}

/// Midnight (UTC) of the day `at` falls on.
pub fn midnight(at: OffsetDateTime) -> OffsetDateTime {
    at.replace_time(Time::MIDNIGHT)
}

/// An order id as the service makes them: 32 letters and digits.
pub fn order_id() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect()
}

/// A friendly order id: twelve hexadecimal digits.
pub fn alternate_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_owned()
}

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl PartnerCenter {
    pub fn customer(&self, id: &str) -> Option<&Customer> {
        self.customers
            .iter()
            .find(|c| c.id.eq_ignore_ascii_case(id))
    }

    /// Whether the customer has confirmed the Microsoft Customer Agreement.
    pub fn has_mca(&self, customer: &str) -> bool {
        self.agreements.iter().any(|a| {
            a.customer_id.eq_ignore_ascii_case(customer) && a.kind == "MicrosoftCustomerAgreement"
        })
    }

    pub fn subscription_mut(&mut self, customer: &str, id: &str) -> Option<&mut Subscription> {
        self.subscriptions
            .iter_mut()
            .find(|s| s.customer_id.eq_ignore_ascii_case(customer) && s.id.eq_ignore_ascii_case(id))
    }

    /// The subscription an order's line of `offer` for `customer` goes to: the customer's
    /// subscription of that offer, or the one a pending order will create, or a new one.
    pub fn subscription_for(&self, customer: &str, offer: &str, placed: &[OrderLine]) -> String {
        let existing = self
            .subscriptions
            .iter()
            .find(|s| s.customer_id.eq_ignore_ascii_case(customer) && s.offer_id == offer)
            .map(|s| s.id.clone());
        let pending = || {
            self.orders
                .iter()
                .filter(|o| !o.completed && o.customer_id.eq_ignore_ascii_case(customer))
                .flat_map(|o| &o.lines)
                .chain(placed)
                .find(|l| l.offer_id == offer)
                .map(|l| l.subscription_id.clone())
        };
        existing.or_else(pending).unwrap_or_else(new_id)
    }
}
