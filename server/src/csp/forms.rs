//! The console's CSP forms, for the ISV's staff: link an organisation to the Partner Center
//! customer with its tenant, order seats of an offer, and change a subscription's seat count.
//! Each comes back to the organisation's licence page.

use super::client::PartnerError;
use super::orders;
use crate::AppState;
use crate::form_post::{Admitted, FormError, FormPost, Target};
use app::forms::{FormState, correct, expired};
use app::licences::{CONSOLE_LICENCES_FORM, console_page};
use axum::extract::State;
use axum::response::Response;
use domain::csp::{CspCustomer, NewOrder, OrderKind, OrderStatus};
use domain::validation::FieldErrors;
use domain::widget_config::FormValues;
use domain::{Role, TenantId};
use i18n::Msg;
use serde::Deserialize;
use std::collections::BTreeMap;

type Outcome = FormState<FormValues>;

/// How long the form that sends an order holds it before a follower may take it over.
const HOLD: time::Duration = time::Duration::minutes(3);

/// Any of the console's CSP forms: the organisation, and the fields as typed.
#[derive(Deserialize)]
pub struct CspPost {
    #[serde(default)]
    tenant: String,
    #[serde(flatten)]
    fields: BTreeMap<String, String>,
}

impl CspPost {
    fn values(&self) -> FormValues {
        let mut values = FormValues::new();
        for (k, v) in &self.fields {
            if k != "csrf_token" {
                values.insert(k.clone(), v.clone());
            }
        }
        values
    }

    fn field(&self, name: &str) -> String {
        self.fields
            .get(name)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    }

    fn refused(&self, field: Option<&str>, msg: Msg) -> Outcome {
        let mut errors = FieldErrors::default();
        if let Some(field) = field {
            errors.add(field, msg.clone());
        }
        FormState::refused(self.values(), errors, msg)
    }
}

impl FormPost for CspPost {
    const ROLE: Option<Role> = Some(Role::IsvAdmin);
    type Expired = Outcome;

    fn page(&self, _: &str) -> Target {
        Target::new(CONSOLE_LICENCES_FORM, console_page(&self.tenant))
    }

    fn expired(&self) -> Outcome {
        FormState::refused(self.values(), FieldErrors::default(), expired())
    }
}

/// The CSP part of the console, for a known organisation; else the refusal to show.
async fn admitted(
    state: &AppState,
    post: &Admitted<CspPost>,
) -> Result<Result<(TenantId, std::sync::Arc<super::Csp>), Outcome>, FormError> {
    let Some(csp) = state.csp.clone() else {
        return Ok(Err(post.form.refused(None, Msg::new("csp-not-configured"))));
    };
    let known = match TenantId::parse(post.form.tenant.trim()) {
        Ok(id) => state.db.tenant(&id).await?.map(|_| id),
        Err(_) => None,
    };
    Ok(known.map(|id| (id, csp)).ok_or_else(|| {
        post.form
            .refused(None, Msg::new("licences-unknown-organisation"))
    }))
}

/// As [`admitted`], for an organisation linked to its Partner Center customer.
async fn linked(
    state: &AppState,
    post: &Admitted<CspPost>,
) -> Result<Result<(TenantId, std::sync::Arc<super::Csp>, CspCustomer), Outcome>, FormError> {
    let (tenant, csp) = match admitted(state, post).await? {
        Ok(found) => found,
        Err(refusal) => return Ok(Err(refusal)),
    };
    Ok(match state.db.csp_customer(&tenant).await? {
        Some(customer) => Ok((tenant, csp, customer)),
        None => Err(post.form.refused(None, Msg::new("csp-not-linked"))),
    })
}

fn partner_refused(post: &CspPost, e: &PartnerError) -> Outcome {
    post.refused(None, Msg::new("csp-partner-said").with("reason", e.msg()))
}

pub async fn link(
    State(state): State<AppState>,
    post: Admitted<CspPost>,
) -> Result<Response, FormError> {
    let (tenant, csp) = match admitted(&state, &post).await? {
        Ok(found) => found,
        Err(refusal) => return post.back(refusal).await,
    };
    // Linked only to the customer Partner Center has with this organisation's tenant.
    let found = match csp.api.customer_of(tenant.as_str()).await {
        Ok(Some(found)) if found.id == post.form.field("customer") => found,
        Ok(_) => return post.back(post.form.refused(None, correct())).await,
        Err(e) => return post.back(partner_refused(&post.form, &e)).await,
    };
    state
        .db
        .link_csp_customer(&tenant, &found.id, &found.company, &post.user.name)
        .await?;
    tracing::info!(%tenant, customer = %found.id, "an organisation was linked to its Partner Center customer");
    post.back(Outcome::done(Msg::new("csp-linked-done"))).await
}

pub async fn order(
    State(state): State<AppState>,
    post: Admitted<CspPost>,
) -> Result<Response, FormError> {
    let (tenant, csp, customer) = match linked(&state, &post).await? {
        Ok(found) => found,
        Err(refusal) => return post.back(refusal).await,
    };
    let form = &post.form;
    // The offer as the live catalog has it, never an id taken on trust.
    let offers = match csp.api.offers().await {
        Ok(offers) => offers,
        Err(e) => return post.back(partner_refused(form, &e)).await,
    };
    let Some(offer) = offers.into_iter().find(|o| o.id == form.field("offer")) else {
        return post
            .back(form.refused(Some("offer"), Msg::new("csp-choose-offer")))
            .await;
    };
    let quantity = form.field("quantity").parse::<i64>().ok();
    let Some(quantity) = quantity.filter(|q| (offer.min..=offer.max).contains(q)) else {
        let msg = Msg::new("csp-quantity-range")
            .with("min", offer.min.to_string())
            .with("max", offer.max.to_string());
        return post.back(form.refused(Some("quantity"), msg)).await;
    };
    let asked = NewOrder {
        kind: OrderKind::New,
        offer_id: offer.id,
        offer_name: offer.name,
        quantity,
        subscription_id: None,
        ordered_by: post.user.name.clone(),
    };
    tracing::info!(%tenant, quantity, "ordering seats through Partner Center");
    send(&state, &post, &csp, (&tenant, &customer.customer_id), asked).await
}

pub async fn seats(
    State(state): State<AppState>,
    post: Admitted<CspPost>,
) -> Result<Response, FormError> {
    let (tenant, csp, customer) = match linked(&state, &post).await? {
        Ok(found) => found,
        Err(refusal) => return post.back(refusal).await,
    };
    let form = &post.form;
    let subscriptions = match csp.api.subscriptions(&customer.customer_id).await {
        Ok(list) => list,
        Err(e) => return post.back(partner_refused(form, &e)).await,
    };
    let offers = match csp.api.offers().await {
        Ok(offers) => offers,
        Err(e) => return post.back(partner_refused(form, &e)).await,
    };
    // Only a subscription of a Power Automate offer, as the page showed it.
    let Some(subscription) = subscriptions
        .into_iter()
        .find(|s| s.id == form.field("subscription") && offers.iter().any(|o| o.id == s.offer_id))
    else {
        return post.back(form.refused(None, correct())).await;
    };
    if form.field("seen") != subscription.quantity.to_string() {
        let changed = Msg::new("csp-partner-said").with("reason", Msg::new("csp-error-changed"));
        return post.back(form.refused(None, changed)).await;
    }
    let quantity = form
        .field("quantity")
        .parse::<i64>()
        .ok()
        .filter(|q| *q >= 1);
    let Some(quantity) = quantity else {
        let msg = Msg::new("csp-quantity-range")
            .with("min", "1")
            .with("max", "10000");
        return post.back(form.refused(Some("quantity"), msg)).await;
    };
    if quantity == subscription.quantity {
        return post
            .back(form.refused(Some("quantity"), Msg::new("csp-seats-same")))
            .await;
    }
    let asked = NewOrder {
        kind: OrderKind::Seats,
        offer_id: subscription.offer_id,
        offer_name: subscription.name,
        quantity,
        subscription_id: Some(subscription.id),
        ordered_by: post.user.name.clone(),
    };
    send(&state, &post, &csp, (&tenant, &customer.customer_id), asked).await
}

/// Keeps the order under the form's key and sends it; the same form sent again, or another
/// order while one of the same offer or subscription is open, sends nothing.
async fn send(
    state: &AppState,
    post: &Admitted<CspPost>,
    csp: &super::Csp,
    (tenant, customer): (&TenantId, &str),
    asked: NewOrder,
) -> Result<Response, FormError> {
    let form = &post.form;
    let key = form.field("key");
    if !app::csp::is_order_key(&key) {
        return post.back(form.refused(None, correct())).await;
    }
    if state.db.csp_order(&key).await?.is_some() {
        return post
            .back(Outcome::done(Msg::new("csp-order-sent-before")))
            .await;
    }
    let subscription = asked.subscription_id.as_deref();
    if state
        .db
        .open_csp_order(tenant, &asked.offer_id, subscription)
        .await?
    {
        return post
            .back(form.refused(None, Msg::new("csp-order-open")))
            .await;
    }
    let Some(order) = state
        .db
        .new_csp_order(&key, tenant, customer, &asked, HOLD)
        .await?
    else {
        return post
            .back(Outcome::done(Msg::new("csp-order-sent-before")))
            .await;
    };
    let sent = orders::place(csp, &state.db, &order).await?;
    if sent.completed_now {
        state.licences.refresh(&state.db, tenant).await?;
    }
    let outcome = match sent.status {
        OrderStatus::Completed => Outcome::done(Msg::new("csp-order-completed")),
        OrderStatus::Pending => Outcome::done(Msg::new("csp-order-pending")),
        OrderStatus::Placing => Outcome::done(Msg::new("csp-order-placing")),
        OrderStatus::Failed => {
            let reason = sent
                .said
                .map_or_else(|| Msg::new("csp-error-timeout"), |e| e.msg());
            form.refused(None, Msg::new("csp-order-failed").with("reason", reason))
        }
    };
    post.back(outcome).await
}
