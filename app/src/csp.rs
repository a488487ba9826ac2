//! Licences ordered through the Cloud Solution Provider program, in the ISV console: the
//! Partner Center customer an organisation is, its subscriptions there, the catalog's Power
//! Automate offers, and the orders the ISV placed. Partner Center is read live by the server
//! (`server::csp`); the orders are Flowhost's own records.

use crate::forms::FormState;
use domain::csp::{CspCustomer, CspOrder};
use domain::widget_config::FormValues;
use i18n::Msg;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::ssr;

/// Where the console's CSP forms post; each names the organisation in the field `tenant`.
pub const LINK_PATH: &str = "/admin/licences/link";
pub const ORDER_PATH: &str = "/admin/licences/order";
pub const SEATS_PATH: &str = "/admin/licences/seats";

/// An offer of the catalog that includes Power Automate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CspOffer {
    pub id: String,
    pub name: String,
    pub min: i64,
    pub max: i64,
}

/// A subscription of the customer's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CspSubscription {
    pub id: String,
    pub offer_id: String,
    pub name: String,
    pub quantity: i64,
    pub status: String,
}

/// A Partner Center customer with the organisation's tenant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FoundCustomer {
    pub id: String,
    pub company: String,
    pub domain: String,
}

/// What Partner Center says now.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CspLive {
    /// Not linked yet: the customer with the organisation's tenant, if there is one.
    pub found: Option<FoundCustomer>,
    /// Not a customer yet: the partner's invitation to a reseller relationship, for the
    /// organisation's global administrator to accept.
    pub invitation: Option<String>,
    /// Linked: whether the customer accepted the Microsoft Customer Agreement, without which
    /// nothing can be ordered.
    pub agreement: Option<bool>,
    pub subscriptions: Vec<CspSubscription>,
    pub offers: Vec<CspOffer>,
    /// Why Partner Center could not be read.
    pub problem: Option<Msg>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CspView {
    pub customer: Option<CspCustomer>,
    pub live: CspLive,
    pub orders: Vec<CspOrder>,
    /// What the console's last form said, with what was typed.
    pub form: FormState<FormValues>,
    /// The order forms' key: the same form sent twice is one order.
    pub key: String,
}

/// Whether `key` is an order key as the page makes them (32 hex digits).
pub fn is_order_key(key: &str) -> bool {
    key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Reads Partner Center for the console (the server's Partner Center client).
#[cfg(feature = "ssr")]
pub trait CspReader: Send + Sync {
    fn live<'a>(
        &'a self,
        tenant: &'a domain::TenantId,
        customer: Option<&'a CspCustomer>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = CspLive> + Send + 'a>>;
}

/// The organisation's CSP part of the console, if the ISV orders through CSP.
#[cfg(feature = "ssr")]
pub async fn csp_view(
    signed: &ssr::Signed,
    tenant: &domain::TenantId,
    form: FormState<FormValues>,
) -> Result<Option<CspView>, crate::errors::AppError> {
    let Some(reader) = ssr::flow_hosting()?.csp else {
        return Ok(None);
    };
    let customer = signed
        .db
        .csp_customer(tenant)
        .await
        .map_err(ssr::db_error)?;
    let live = reader.live(tenant, customer.as_ref()).await;
    let orders = signed.db.csp_orders(tenant).await.map_err(ssr::db_error)?;
    let key = {
        use rand::RngCore as _;
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    };
    Ok(Some(CspView {
        customer,
        live,
        orders,
        form,
        key,
    }))
}
