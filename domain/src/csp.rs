//! Licences bought through the Cloud Solution Provider program: the Partner Center customer an
//! organisation is, and the orders the ISV placed for it (new seats, or another seat count of
//! a subscription), each with the request ids that make a retry after a timeout the same
//! request to Partner Center.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The Partner Center customer an organisation was linked to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CspCustomer {
    pub customer_id: String,
    pub company: String,
    pub linked_by: String,
    pub linked_at: OffsetDateTime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderKind {
    /// Seats of an offer, through a cart and its checkout.
    New,
    /// Another seat count for an existing subscription.
    Seats,
}

impl OrderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderKind::New => "new",
            OrderKind::Seats => "seats",
        }
    }

    pub fn parse(s: &str) -> Option<OrderKind> {
        match s {
            "new" => Some(OrderKind::New),
            "seats" => Some(OrderKind::Seats),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderStatus {
    /// Being sent to Partner Center; sent again with the same request ids until it answers.
    Placing,
    /// Partner Center took the order and is provisioning it.
    Pending,
    Completed,
    Failed,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Placing => "placing",
            OrderStatus::Pending => "pending",
            OrderStatus::Completed => "completed",
            OrderStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<OrderStatus> {
        Some(match s {
            "placing" => OrderStatus::Placing,
            "pending" => OrderStatus::Pending,
            "completed" => OrderStatus::Completed,
            "failed" => OrderStatus::Failed,
            _ => return None,
        })
    }

    pub fn is_open(self) -> bool {
        matches!(self, OrderStatus::Placing | OrderStatus::Pending)
    }
}

/// An order as Flowhost keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CspOrder {
    pub id: String,
    pub tenant_id: String,
    pub customer_id: String,
    pub kind: OrderKind,
    pub offer_id: String,
    pub offer_name: String,
    pub quantity: i64,
    /// The subscription a seat change is for, or the one a new order made.
    pub subscription_id: Option<String>,
    /// `MS-RequestId` of the cart's creation (or of the seat change).
    pub cart_request: String,
    /// `MS-RequestId` of the checkout.
    pub checkout_request: String,
    pub cart_id: Option<String>,
    /// Partner Center's order id.
    pub order_id: Option<String>,
    pub status: OrderStatus,
    /// Why it failed, or what Partner Center said last.
    pub detail: String,
    pub attempts: i64,
    pub ordered_by: String,
    pub ordered_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// What an order asks for, before it is sent.
#[derive(Clone, Debug, PartialEq)]
pub struct NewOrder {
    pub kind: OrderKind,
    pub offer_id: String,
    pub offer_name: String,
    pub quantity: i64,
    pub subscription_id: Option<String>,
    pub ordered_by: String,
}
