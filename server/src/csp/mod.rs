//! Ordering Power Automate licences for customers as a Cloud Solution Provider, through
//! Partner Center: in the ISV console an organisation is linked to its Partner Center
//! customer (an organisation that is not one yet gets the partner's invitation to a reseller
//! relationship, whose acceptance comes with the Microsoft Customer Agreement), seats are
//! ordered from the live catalog and subscriptions get other seat counts. Present only when
//! the Partner Center app is configured.

pub mod client;
mod forms;
pub mod orders;

use crate::AppState;
use crate::licensing::Licences;
use app::csp::{CspLive, CspReader, LINK_PATH, ORDER_PATH, SEATS_PATH};
use axum::Router;
use axum::routing::post;
pub use client::{PartnerCenterApi, PartnerError};
use domain::TenantId;
use domain::csp::CspCustomer;
use domain::db::Db;
use std::sync::Arc;
use std::time::Duration;

pub struct Csp {
    pub api: PartnerCenterApi,
    /// Read again when an order completes.
    pub licences: Arc<Licences>,
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route(LINK_PATH, post(forms::link))
        .route(ORDER_PATH, post(forms::order))
        .route(SEATS_PATH, post(forms::seats))
}

/// Follows open orders every `every`, for as long as the process runs.
pub fn start(db: Db, csp: Arc<Csp>, every: Duration) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            if let Err(e) = orders::follow(&csp, &db).await {
                tracing::warn!(error = %e, "could not follow the open orders");
            }
        }
    });
}

impl CspReader for Csp {
    fn live<'a>(
        &'a self,
        tenant: &'a TenantId,
        customer: Option<&'a CspCustomer>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = CspLive> + Send + 'a>> {
        Box::pin(async move {
            let mut live = CspLive::default();
            let read = async {
                match customer {
                    None => {
                        live.found = self.api.customer_of(tenant.as_str()).await?;
                        if live.found.is_none() {
                            live.invitation = Some(self.api.invitation().await?);
                        }
                    }
                    Some(c) => {
                        live.agreement = Some(self.api.has_agreement(&c.customer_id).await?);
                        live.subscriptions = self.api.subscriptions(&c.customer_id).await?;
                        live.offers = self.api.offers().await?;
                    }
                }
                Ok::<_, PartnerError>(())
            };
            if let Err(e) = read.await {
                tracing::warn!(reason = ?e, "could not read Partner Center");
                live.problem = Some(e.msg());
            }
            live
        })
    }
}
