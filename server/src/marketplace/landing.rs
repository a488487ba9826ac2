//! The landing page a marketplace purchase arrives at, `/marketplace/landing?token=…`, and
//! the same page reopened from "Manage SaaS experience". The visitor signs in first (a person
//! of an organisation Flowhost does not admit yet is known to this page only); the token is
//! resolved with the Fulfillment API, the purchase shown, and on confirmation the subscription
//! is activated and its organisation admitted with the plan, its purchaser as the admin.

use crate::AppState;
use crate::auth::login_path;
use crate::plain_page::{self, Action};
use crate::power_platform::PlatformError;
use app::components::{PurchaseForm, PurchaseView, purchase_document};
use app::ssr::{self, Visitor};
use app::subscription::status_name;
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::TenantId;
use domain::plan::Seats;
use domain::subscription::{Activation, Offered, Subscription, SubscriptionStatus};
use i18n::{Lang, t};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

pub const LANDING_PATH: &str = "/marketplace/landing";
/// The session key of a purchaser whose organisation is not admitted yet.
const PURCHASER_KEY: &str = "marketplace_purchaser";

/// A signed-in person as the landing page knows them.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Purchaser {
    pub tenant: TenantId,
    pub object_id: String,
    pub name: String,
    pub email: String,
}

/// Whether sign-in returns to the landing page.
pub fn is_landing(return_to: &str) -> bool {
    return_to == LANDING_PATH || return_to.starts_with("/marketplace/landing?")
}

/// Keeps a person whose organisation is not admitted, for the landing page only, on a new
/// session id.
pub async fn keep_purchaser(
    session: &Session,
    purchaser: Purchaser,
) -> Result<(), tower_sessions::session::Error> {
    session.cycle_id().await?;
    tracing::info!(tenant = %purchaser.tenant, "signed in for a marketplace purchase");
    session.insert(PURCHASER_KEY, purchaser).await
}

#[derive(Deserialize)]
pub struct LandingQuery {
    token: Option<String>,
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    csrf_token: String,
}

/// The token as the marketplace meant it. Query decoding already undid its URL encoding; a
/// space can only be a `+` that arrived unencoded, as no token holds one.
fn token_of(raw: Option<&str>) -> Option<String> {
    let token = raw?.trim().replace(' ', "+");
    (!token.is_empty() && token.len() <= 4096).then_some(token)
}

fn landing_of(token: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(token.as_bytes()).collect();
    format!("{LANDING_PATH}?token={encoded}")
}

/// Who is signed in for the page: a person of an admitted organisation, or a purchaser.
async fn person(visitor: &Visitor, session: &Session) -> Result<Option<Purchaser>, ()> {
    match visitor {
        Visitor::Signed(user) => Ok(Some(Purchaser {
            tenant: user.tenant_id.clone(),
            object_id: user.object_id.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
        })),
        Visitor::Unknown => Err(()),
        Visitor::Anonymous => session.get::<Purchaser>(PURCHASER_KEY).await.map_err(drop),
    }
}

fn page(lang: Lang, status: StatusCode, view: PurchaseView) -> Response {
    (status, Html(purchase_document(lang, view))).into_response()
}

/// A designed page with a title and what to know, already in `lang`.
fn message(
    lang: Lang,
    status: StatusCode,
    (title, text): (String, String),
    actions: &[Action],
) -> Response {
    plain_page::render_with(lang, status, &title, &text, actions)
}

fn unavailable(lang: Lang) -> Response {
    message(
        lang,
        StatusCode::SERVICE_UNAVAILABLE,
        (
            t!(lang, "market-unavailable-title"),
            t!(lang, "market-unavailable"),
        ),
        &[],
    )
}

/// Why a token could not be resolved, as the page says it.
fn unresolved(lang: Lang, why: &PlatformError, again: &str) -> Response {
    tracing::info!(reason = ?why, "a landing page token was not resolved");
    match why {
        PlatformError::Refused { status: 400, .. } => message(
            lang,
            StatusCode::BAD_REQUEST,
            (
                t!(lang, "market-token-expired-title"),
                t!(lang, "market-token-expired"),
            ),
            &[],
        ),
        PlatformError::Refused { status: 403, .. } | PlatformError::Refused { status: 404, .. } => {
            message(
                lang,
                StatusCode::FORBIDDEN,
                (
                    t!(lang, "market-token-foreign-title"),
                    t!(lang, "market-token-foreign"),
                ),
                &[],
            )
        }
        _ => message(
            lang,
            StatusCode::SERVICE_UNAVAILABLE,
            (
                t!(lang, "market-unreachable-title"),
                t!(lang, "market-unreachable"),
            ),
            &[Action::new(t!(lang, "server-try-again"), again)],
        ),
    }
}

/// The landing page.
pub async fn show(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    session: Session,
    headers: HeaderMap,
    Query(query): Query<LandingQuery>,
) -> Response {
    let lang = plain_page::lang(&headers);
    let Some(api) = state.market.api.as_ref() else {
        return message(
            lang,
            StatusCode::NOT_FOUND,
            (
                t!(lang, "market-not-sold-title"),
                t!(lang, "market-not-sold"),
            ),
            &[],
        );
    };
    let Some(token) = token_of(query.token.as_deref()) else {
        return message(
            lang,
            StatusCode::BAD_REQUEST,
            (
                t!(lang, "market-no-token-title"),
                t!(lang, "market-no-token"),
            ),
            &[],
        );
    };
    let here = landing_of(&token);
    let person = match person(&visitor, &session).await {
        Ok(Some(person)) => person,
        Ok(None) => return Redirect::to(&login_path(&here)).into_response(),
        Err(()) => return unavailable(lang),
    };
    let offered = match api.resolve(&token).await {
        Ok(offered) => offered,
        Err(why) => return unresolved(lang, &why, &here),
    };
    match state.db.subscription(&offered.id).await {
        Ok(Some(known)) => return existing(&state, lang, &visitor, &known),
        Ok(None) => {}
        Err(e) => {
            tracing::error!(error = %e, "database failed on the landing page");
            return unavailable(lang);
        }
    }
    if let Some(refusal) = refusal(&state, lang, &person, &offered, &here) {
        return refusal;
    }
    let Ok(csrf_token) = ssr::csrf_token(&session).await else {
        return unavailable(lang);
    };
    let mut facts = facts(&state, lang, &offered);
    facts.push((t!(lang, "market-signed-in-as"), person.email.clone()));
    page(
        lang,
        StatusCode::OK,
        PurchaseView {
            title: t!(lang, "market-confirm-title"),
            lead: t!(lang, "market-confirm"),
            facts_label: t!(lang, "market-facts"),
            facts,
            form: Some(PurchaseForm {
                token,
                csrf_token,
                button: t!(lang, "market-confirm-button"),
            }),
            actions: vec![(t!(lang, "sign-in-another-account"), another_account(&here))],
        },
    )
}

/// Why `person` may not confirm the purchase, as a page: only its purchaser, or a person of
/// the organisation it is for, may; and only when Flowhost knows its plan.
fn refusal(
    state: &AppState,
    lang: Lang,
    person: &Purchaser,
    offered: &Offered,
    here: &str,
) -> Option<Response> {
    let theirs = person.tenant.as_str() == offered.beneficiary_tenant
        || (person.object_id == offered.purchaser_object_id
            && person.tenant.as_str() == offered.purchaser_tenant);
    if !theirs {
        let again = another_account(here);
        return Some(message(
            lang,
            StatusCode::FORBIDDEN,
            (
                t!(lang, "market-not-yours-title"),
                t!(lang, "market-not-yours"),
            ),
            &[Action::new(t!(lang, "sign-in-another-account"), &again)],
        ));
    }
    // Suspended, unsubscribed (a purchase cancelled before it was confirmed): nothing to start.
    if !matches!(
        offered.status,
        SubscriptionStatus::PendingFulfillmentStart | SubscriptionStatus::Subscribed
    ) {
        return Some(message(
            lang,
            StatusCode::CONFLICT,
            (
                t!(lang, "market-not-active-title"),
                t!(lang, "market-not-active"),
            ),
            &[],
        ));
    }
    if state.market.plans.get(&offered.plan_id).is_none() {
        tracing::error!(plan = %offered.plan_id, "a purchase names a plan the plans file does not have");
        return Some(message(
            lang,
            StatusCode::CONFLICT,
            (
                t!(lang, "market-unknown-plan-title"),
                t!(lang, "market-unknown-plan"),
            ),
            &[],
        ));
    }
    None
}

/// Sign-in with another account, back to `here`.
fn another_account(here: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
    format!("/auth/login?reconnect=true&return_to={encoded}")
}

/// What was bought, as facts.
fn facts(state: &AppState, lang: Lang, offered: &Offered) -> Vec<(String, String)> {
    let plan = state.market.plans.get(&offered.plan_id);
    let yes_no = |b: bool| {
        if b {
            t!(lang, "market-yes")
        } else {
            t!(lang, "market-no")
        }
    };
    vec![
        (t!(lang, "market-offer"), offered.offer_id.clone()),
        (
            t!(lang, "market-plan"),
            plan.map_or(offered.plan_id.clone(), |p| p.name.clone()),
        ),
        (
            t!(lang, "market-seats"),
            seats(lang, plan.map(|p| p.seats), offered.quantity),
        ),
        (t!(lang, "market-free-trial"), yes_no(offered.free_trial)),
        (
            t!(lang, "market-purchaser"),
            offered.purchaser_email.clone(),
        ),
        (t!(lang, "market-organisation"), organisation_name(offered)),
    ]
}

pub(super) fn seats(lang: Lang, counted: Option<Seats>, quantity: Option<i64>) -> String {
    match (counted, quantity) {
        (Some(Seats::Unlimited), _) | (_, None) => t!(lang, "market-seats-unlimited"),
        (_, Some(n)) => t!(lang, "market-seats-counted", count = n),
    }
}

/// How the organisation is named until someone renames it: its people's domain, as a
/// sign-in names the organisations it registers.
fn organisation_name(offered: &Offered) -> String {
    match offered.purchaser_email.rsplit_once('@') {
        Some((_, domain)) if offered.purchaser_tenant == offered.beneficiary_tenant => {
            domain.to_owned()
        }
        _ => offered.beneficiary_tenant.clone(),
    }
}

/// The page of a subscription Flowhost fulfilled before.
fn existing(state: &AppState, lang: Lang, visitor: &Visitor, known: &Subscription) -> Response {
    let plan = state.market.plans.get(&known.plan_id);
    let mut facts = vec![
        (
            t!(lang, "market-plan"),
            plan.map_or(known.plan_id.clone(), |p| p.name.clone()),
        ),
        (
            t!(lang, "market-seats"),
            seats(lang, plan.map(|p| p.seats), known.quantity),
        ),
        (t!(lang, "market-status"), status_name(lang, known.status)),
        (t!(lang, "market-organisation"), known.tenant_name.clone()),
    ];
    if let Some(end) = known.term_end {
        facts.push((t!(lang, "market-term-end"), i18n::date_time(lang, end)));
    }
    let open = match visitor {
        Visitor::Signed(_) => "/".to_owned(),
        _ => login_path("/"),
    };
    let mut actions = vec![(t!(lang, "market-open"), open)];
    if matches!(visitor, Visitor::Signed(u) if u.has_role(domain::Role::TenantAdmin)) {
        actions.push((t!(lang, "market-manage"), "/settings".to_owned()));
    }
    page(
        lang,
        StatusCode::OK,
        PurchaseView {
            title: t!(lang, "market-existing-title"),
            lead: t!(lang, "market-existing"),
            facts_label: t!(lang, "market-facts"),
            facts,
            form: None,
            actions,
        },
    )
}

/// Confirms the purchase: activates the subscription and admits its organisation.
pub async fn confirm(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<ConfirmForm>,
) -> Response {
    let lang = plain_page::lang(&headers);
    let Some(api) = state.market.api.as_ref() else {
        return message(
            lang,
            StatusCode::NOT_FOUND,
            (
                t!(lang, "market-not-sold-title"),
                t!(lang, "market-not-sold"),
            ),
            &[],
        );
    };
    let Some(token) = token_of(Some(&form.token)) else {
        return message(
            lang,
            StatusCode::BAD_REQUEST,
            (
                t!(lang, "market-no-token-title"),
                t!(lang, "market-no-token"),
            ),
            &[],
        );
    };
    let here = landing_of(&token);
    let person = match person(&visitor, &session).await {
        Ok(Some(person)) => person,
        Ok(None) => return Redirect::to(&login_path(&here)).into_response(),
        Err(()) => return unavailable(lang),
    };
    match ssr::csrf_matches(&session, &form.csrf_token).await {
        Ok(true) => {}
        // The form had expired: shown again, to confirm once more.
        Ok(false) => return Redirect::to(&here).into_response(),
        Err(_) => return unavailable(lang),
    }
    let offered = match api.resolve(&token).await {
        Ok(offered) => offered,
        Err(why) => return unresolved(lang, &why, &here),
    };
    if let Some(refusal) = refusal(&state, lang, &person, &offered, &here) {
        return refusal;
    }
    match state.db.subscription(&offered.id).await {
        Ok(None) => {}
        Ok(Some(_)) => return Redirect::to(&here).into_response(),
        Err(_) => return unavailable(lang),
    }
    // A subscription already activated (Flowhost stopped before recording it) is recorded
    // as it is; activating it again would be refused.
    if offered.status == SubscriptionStatus::PendingFulfillmentStart
        && let Err(why) = api
            .activate(&offered.id, &offered.plan_id, offered.quantity)
            .await
    {
        tracing::warn!(reason = ?why, "the marketplace refused to activate a subscription");
        return message(
            lang,
            StatusCode::BAD_GATEWAY,
            (
                t!(lang, "market-activate-failed-title"),
                t!(lang, "market-activate-failed"),
            ),
            &[Action::new(t!(lang, "server-try-again"), &here)],
        );
    }
    let mut activated = offered.clone();
    activated.status = SubscriptionStatus::Subscribed;
    let admin = (offered.purchaser_tenant == offered.beneficiary_tenant)
        .then_some(offered.purchaser_object_id.as_str())
        .filter(|oid| !oid.is_empty());
    let recorded = state
        .db
        .activate_subscription(
            &activated,
            &organisation_name(&offered),
            &person.name,
            admin,
        )
        .await;
    match recorded {
        Ok(Activation::Activated) => {
            tracing::info!(tenant = %offered.beneficiary_tenant, plan = %offered.plan_id, "a marketplace purchase admitted an organisation");
        }
        Ok(Activation::Existing(_)) => {}
        Err(e) => {
            tracing::error!(error = %e, "database failed while recording an activated subscription");
            return unavailable(lang);
        }
    }
    let open = match visitor {
        // Signed in before the purchase: signed in again, for the roles it gave.
        Visitor::Signed(_) => "/auth/login?reconnect=true".to_owned(),
        _ => login_path("/"),
    };
    page(
        lang,
        StatusCode::OK,
        PurchaseView {
            title: t!(lang, "market-done-title"),
            lead: t!(lang, "market-done"),
            facts_label: t!(lang, "market-facts"),
            facts: facts(&state, lang, &offered),
            form: None,
            actions: vec![(t!(lang, "market-open"), open)],
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_keeps_a_plus_that_arrived_unencoded() {
        assert_eq!(token_of(Some("ab cd/ef==")).as_deref(), Some("ab+cd/ef=="));
        assert_eq!(token_of(Some("  ")), None);
        assert_eq!(token_of(None), None);
        assert_eq!(
            landing_of("ab+cd/ef=="),
            "/marketplace/landing?token=ab%2Bcd%2Fef%3D%3D"
        );
        assert!(is_landing("/marketplace/landing?token=x"));
        assert!(!is_landing("/marketplace/landingx"));
    }
}
