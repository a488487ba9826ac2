//! The tenant admin's change of plan or seats, from the settings page
//! (`POST /settings/subscription`). Flowhost asks the marketplace for it (a PATCH of the
//! subscription) and records that it asked; the change takes effect when the marketplace's
//! webhook says it was carried out, as the marketplace requires of publisher-initiated changes.

use super::Change;
use crate::AppState;
use crate::form_post::{Admitted, FormError, FormPost, Target};
use app::forms::{FormState, correct, expired};
use app::subscription::{SUBSCRIPTION_FORM, SUBSCRIPTION_PATH};
use axum::extract::State;
use axum::response::Response;
use domain::Role;
use domain::subscription::SubscriptionStatus;
use domain::validation::FieldErrors;
use domain::widget_config::FormValues;
use i18n::Msg;
use serde::Deserialize;

pub const CHANGE_PATH: &str = SUBSCRIPTION_PATH;
/// The most seats one subscription may ask for, as the marketplace allows.
const MAX_SEATS: i64 = 1_000_000;

#[derive(Deserialize)]
pub struct ChangePost {
    #[serde(default)]
    intent: String,
    #[serde(default)]
    plan: String,
    #[serde(default)]
    quantity: String,
}

impl ChangePost {
    fn values(&self) -> FormValues {
        let mut values = FormValues::new();
        values.insert("plan".into(), self.plan.clone());
        values.insert("quantity".into(), self.quantity.clone());
        values
    }
}

impl FormPost for ChangePost {
    const ROLE: Option<Role> = Some(Role::TenantAdmin);
    type Expired = FormState<FormValues>;

    fn page(&self, _: &str) -> Target {
        Target::new(SUBSCRIPTION_FORM, "/settings")
    }

    fn expired(&self) -> FormState<FormValues> {
        FormState::refused(self.values(), FieldErrors::default(), expired())
    }
}

fn refused(post: &ChangePost, field: Option<&str>, msg: Msg) -> FormState<FormValues> {
    let mut errors = FieldErrors::default();
    if let Some(field) = field {
        errors.add(field, msg.clone());
    }
    FormState::refused(post.values(), errors, msg)
}

/// What was asked, checked against the subscription and the plans.
fn asked(
    state: &AppState,
    post: &ChangePost,
    current: (&str, Option<i64>),
) -> Result<Change, FormState<FormValues>> {
    match post.intent.as_str() {
        "plan" => {
            let plan = post.plan.trim();
            if state.market.plans.get(plan).is_none() {
                return Err(refused(post, Some("plan"), Msg::new("plan-choose")));
            }
            if plan == current.0 {
                return Err(refused(post, Some("plan"), Msg::new("plan-same")));
            }
            Ok(Change::Plan(plan.to_owned()))
        }
        "seats" => {
            let quantity = post.quantity.trim().parse::<i64>().ok();
            match quantity {
                Some(q) if (1..=MAX_SEATS).contains(&q) && Some(q) != current.1 => {
                    Ok(Change::Quantity(q))
                }
                Some(q) if Some(q) == current.1 => {
                    Err(refused(post, Some("quantity"), Msg::new("plan-seats-same")))
                }
                _ => Err(refused(
                    post,
                    Some("quantity"),
                    Msg::new("plan-seats-invalid").with("max", MAX_SEATS.to_string()),
                )),
            }
        }
        _ => Err(refused(post, None, correct())),
    }
}

pub async fn change(
    State(state): State<AppState>,
    post: Admitted<ChangePost>,
) -> Result<Response, FormError> {
    let tenant = &post.user.tenant_id;
    let Some(subscription) = state.db.subscription_of(tenant).await? else {
        return post
            .back(refused(&post.form, None, Msg::new("plan-none")))
            .await;
    };
    if subscription.status != SubscriptionStatus::Subscribed {
        return post
            .back(refused(&post.form, None, Msg::new("plan-not-active")))
            .await;
    }
    let Some(api) = state.market.api.as_ref() else {
        return post
            .back(refused(&post.form, None, Msg::new("plan-not-sold")))
            .await;
    };
    let change = match asked(
        &state,
        &post.form,
        (&subscription.plan_id, subscription.quantity),
    ) {
        Ok(change) => change,
        Err(refusal) => return post.back(refusal).await,
    };
    if let Err(why) = api.change(&subscription.id, &change).await {
        tracing::warn!(reason = ?why, "the marketplace refused a plan or seat change");
        let msg = Msg::new("plan-change-refused").with("reason", why.msg());
        return post.back(refused(&post.form, None, msg)).await;
    }
    let (action, asked) = match &change {
        Change::Plan(plan) => (
            "ChangePlan",
            format!("plan {} → {plan}", subscription.plan_id),
        ),
        Change::Quantity(q) => (
            "ChangeQuantity",
            format!(
                "seats {} → {q}",
                subscription
                    .quantity
                    .map_or("none".into(), |q| q.to_string())
            ),
        ),
    };
    state
        .db
        .request_subscription_change(&subscription.id, Some(&asked))
        .await?;
    let detail = format!("{asked}, asked by {}", post.user.name);
    state
        .db
        .log_subscription(&subscription.id, action, "settings", &detail)
        .await?;
    tracing::info!(action, "asked the marketplace for a subscription change");
    post.back(FormState::<FormValues>::done(Msg::new("plan-change-asked")))
        .await
}
