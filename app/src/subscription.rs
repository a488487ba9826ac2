//! An organisation's marketplace subscription on its settings page: its plan and what the plan
//! includes, its seats against the people who signed in this month (a warning when over,
//! never a lock-out), and the forms that ask the marketplace for another plan or seat count
//! (`server::marketplace`), which take effect when the marketplace's webhook says so.

use crate::components::{FieldError, Notice, described_by};
use crate::forms::FormState;
use domain::plan::{Feature, Seats};
use domain::subscription::{Subscription, SubscriptionStatus};
use domain::widget_config::FormValues;
use i18n::{Lang, Msg, t};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The session key of the forms' outcome.
pub const SUBSCRIPTION_FORM: &str = "subscription";
/// Where the forms post.
pub const SUBSCRIPTION_PATH: &str = "/settings/subscription";

/// A plan as the page names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanChoice {
    pub id: String,
    pub name: String,
    pub features: Vec<Feature>,
    pub seats: Seats,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubscriptionView {
    pub subscription: Subscription,
    /// The subscription's plan, if the plans file has it.
    pub plan: Option<PlanChoice>,
    /// People of the organisation who signed in this calendar month (UTC).
    pub seats_used: i64,
    /// Every plan it may change to.
    pub choices: Vec<PlanChoice>,
    pub form: FormState<FormValues>,
}

impl SubscriptionView {
    /// Seats are counted, and more people signed in this month than were bought.
    pub fn over_seats(&self) -> bool {
        let counted = self
            .plan
            .as_ref()
            .is_none_or(|p| p.seats == Seats::MonthlyActive);
        counted
            && self
                .subscription
                .quantity
                .is_some_and(|q| self.seats_used > q)
    }
}

/// The name people read for a feature.
pub fn feature_name(lang: Lang, feature: Feature) -> String {
    feature_msg(feature).show(lang)
}

fn feature_msg(feature: Feature) -> Msg {
    match feature {
        Feature::Widgets => Msg::new("plan-feature-widgets"),
        Feature::Connector => Msg::new("plan-feature-connector"),
        Feature::PrebuiltFlows => Msg::new("plan-feature-prebuilt-flows"),
    }
}

/// What a page or a form says where the plan leaves `feature` out, and who to ask.
pub fn not_in_plan_msg(feature: Feature) -> Msg {
    Msg::new("plan-not-included").with("feature", feature_msg(feature))
}

/// The name people read for a subscription's status.
pub fn status_name(lang: Lang, status: SubscriptionStatus) -> String {
    match status {
        SubscriptionStatus::NotStarted | SubscriptionStatus::PendingFulfillmentStart => {
            t!(lang, "market-status-pending")
        }
        SubscriptionStatus::Subscribed => t!(lang, "market-status-subscribed"),
        SubscriptionStatus::Suspended => t!(lang, "market-status-suspended"),
        SubscriptionStatus::Unsubscribed => t!(lang, "market-status-unsubscribed"),
    }
}

/// The "not in your plan" note where a part of Flowhost is left out.
pub fn not_in_plan(lang: Lang, feature: Feature) -> impl IntoView {
    view! {
        <p class="notice" role="note" data-testid="not-in-plan">
            {not_in_plan_msg(feature).show(lang)}
        </p>
    }
}

/// The organisation's subscription, on the settings page.
pub fn subscription_section(lang: Lang, view: SubscriptionView, csrf: String) -> impl IntoView {
    let s = &view.subscription;
    let over = view.over_seats();
    let plan_name = view
        .plan
        .as_ref()
        .map_or(s.plan_id.clone(), |p| p.name.clone());
    let features = view
        .plan
        .as_ref()
        .map(|p| {
            p.features
                .iter()
                .map(|f| feature_name(lang, *f))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let seats = match (view.plan.as_ref().map(|p| p.seats), s.quantity) {
        (Some(Seats::Unlimited), _) | (_, None) => t!(lang, "market-seats-unlimited"),
        (_, Some(n)) => t!(lang, "plan-seats-used", used = view.seats_used, seats = n),
    };
    let status = status_name(lang, s.status);
    let term = s.term_end.map(|end| {
        view! { <div><dt>{t!(lang, "market-term-end")}</dt><dd>{i18n::date_time(lang, end)}</dd></div> }
    });
    let trial = s.free_trial.then(|| {
        view! { <div><dt>{t!(lang, "market-free-trial")}</dt><dd>{t!(lang, "market-yes")}</dd></div> }
    });
    let waiting = s.requested.clone().map(|asked| {
        view! { <p class="notice" role="status" data-testid="plan-waiting">{t!(lang, "plan-waiting", change = asked)}</p> }
    });
    let warning = over.then(|| {
        view! { <p class="notice notice-error" role="alert" data-testid="seats-over">{t!(lang, "plan-seats-over", used = view.seats_used, seats = s.quantity.unwrap_or_default())}</p> }
    });
    let form = view.form;
    let value = |name: &str| form.values.get(name).cloned().unwrap_or_default();
    let current_plan = s.plan_id.clone();
    let options = view
        .choices
        .iter()
        .filter(|c| c.id != current_plan)
        .map(|c| {
            let selected = value("plan") == c.id;
            view! { <option value=c.id.clone() selected=selected>{c.name.clone()}</option> }
        })
        .collect_view();
    let quantity = {
        let typed = value("quantity");
        if typed.is_empty() {
            s.quantity.map(|q| q.to_string()).unwrap_or_default()
        } else {
            typed
        }
    };
    let per_seat = s.quantity.is_some();
    let quantity_error = form.error("quantity");
    let plan_error = form.error("plan");
    view! {
        <section aria-labelledby="subscription-heading" data-testid="subscription">
            <h2 id="subscription-heading">{t!(lang, "plan-heading")}</h2>
            <Notice message=form.notice.clone() error=form.refused/>
            {warning}
            {waiting}
            <dl class="facts">
                <div><dt>{t!(lang, "market-plan")}</dt><dd data-testid="plan-name">{plan_name}</dd></div>
                <div><dt>{t!(lang, "plan-includes")}</dt><dd>{features}</dd></div>
                <div><dt>{t!(lang, "market-seats")}</dt><dd data-testid="plan-seats">{seats}</dd></div>
                <div><dt>{t!(lang, "market-status")}</dt><dd>{status}</dd></div>
                {term}
                {trial}
            </dl>
            <form class="record-form" method="post" action=SUBSCRIPTION_PATH>
                <input type="hidden" name="csrf_token" value=csrf.clone()/>
                <input type="hidden" name="intent" value="plan"/>
                <label for="plan">{t!(lang, "plan-change-label")}</label>
                <select id="plan" name="plan" aria-invalid=plan_error.is_some().then_some("true")
                    aria-describedby=described_by("plan", false, plan_error.is_some())>
                    {options}
                </select>
                <FieldError id="plan-error" message=plan_error/>
                <button type="submit" class="button">{t!(lang, "plan-change-button")}</button>
            </form>
            {per_seat.then(|| view! {
                <form class="record-form" method="post" action=SUBSCRIPTION_PATH>
                    <input type="hidden" name="csrf_token" value=csrf.clone()/>
                    <input type="hidden" name="intent" value="seats"/>
                    <label for="quantity">{t!(lang, "plan-seats-label")}</label>
                    <input id="quantity" name="quantity" type="number" min="1" inputmode="numeric"
                        value=quantity.clone() aria-invalid=quantity_error.is_some().then_some("true")
                        aria-describedby=described_by("quantity", false, quantity_error.is_some())/>
                    <FieldError id="quantity-error" message=quantity_error.clone()/>
                    <button type="submit" class="button">{t!(lang, "plan-seats-button")}</button>
                </form>
            })}
            <p class="hint">{t!(lang, "plan-change-hint")}</p>
        </section>
    }
}

#[cfg(feature = "ssr")]
impl PlanChoice {
    pub fn of(id: &str, plan: &domain::plan::Plan) -> PlanChoice {
        PlanChoice {
            id: id.to_owned(),
            name: plan.name.clone(),
            features: plan.features.clone(),
            seats: plan.seats,
        }
    }
}

/// The organisation's subscription as its settings page shows it, if it has one.
#[cfg(feature = "ssr")]
pub async fn subscription_view(
    signed: &crate::ssr::Signed,
) -> Result<Option<SubscriptionView>, crate::errors::AppError> {
    use crate::ssr;
    let tenant = &signed.user.tenant_id;
    let Some(subscription) = signed
        .db
        .subscription_of(tenant)
        .await
        .map_err(ssr::db_error)?
    else {
        return Ok(None);
    };
    let plans = ssr::flow_hosting()?.plans;
    let now = time::OffsetDateTime::now_utc();
    let month = now
        .replace_day(1)
        .map(|d| d.replace_time(time::Time::MIDNIGHT))
        .unwrap_or(now);
    let seats_used = signed
        .db
        .people_since(tenant, month)
        .await
        .map_err(ssr::db_error)?;
    let kept = ssr::take_flash(&signed.session, SUBSCRIPTION_FORM).await?;
    Ok(Some(SubscriptionView {
        plan: plans
            .get(&subscription.plan_id)
            .map(|p| PlanChoice::of(&subscription.plan_id, p)),
        choices: plans
            .plans
            .iter()
            .map(|(id, p)| PlanChoice::of(id, p))
            .collect(),
        subscription,
        seats_used,
        form: FormState::shown(kept, FormValues::new()),
    }))
}

/// One subscription in the ISV console, with its history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubscriptionRow {
    pub subscription: Subscription,
    pub plan_name: String,
    pub events: Vec<domain::subscription::SubscriptionEvent>,
}

/// Every organisation's subscription, for the ISV's staff only.
#[server]
pub async fn get_subscriptions() -> Result<Vec<SubscriptionRow>, crate::errors::AppError> {
    use crate::ssr;
    let signed = ssr::signed_in().await?;
    signed.require(domain::Role::IsvAdmin)?;
    let plans = ssr::flow_hosting()?.plans;
    let mut rows = Vec::new();
    for subscription in signed.db.subscriptions().await.map_err(ssr::db_error)? {
        let events = signed
            .db
            .subscription_events(&subscription.id)
            .await
            .map_err(ssr::db_error)?;
        let plan_name = plans
            .get(&subscription.plan_id)
            .map_or(subscription.plan_id.clone(), |p| p.name.clone());
        rows.push(SubscriptionRow {
            subscription,
            plan_name,
            events,
        });
    }
    Ok(rows)
}
