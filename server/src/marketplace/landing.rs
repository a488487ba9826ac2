//! The landing page a marketplace purchase arrives at, `/marketplace/landing?token=…`, and
//! the same page reopened from "Manage SaaS experience". The visitor signs in first (a person
//! of an organisation Flowhost does not admit yet is known to this page only); the token is
//! resolved with the Fulfillment API, the purchase shown, and on confirmation the subscription
//! is activated and its organisation admitted with the plan, its purchaser as the admin.

use super::pages::{existing, facts, message, organisation_name, page, unavailable, unresolved};
use crate::AppState;
use crate::auth::login_path;
use crate::plain_page::{self, Action};
use app::components::{PurchaseForm, PurchaseView};
use app::ssr::{self, Visitor};
use app::widgets::reconnect_href;
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::TenantId;
use domain::subscription::{Activation, Offered, SubscriptionStatus};
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

/// A visit to the landing page: the Fulfillment API, the purchase's token, the page's own
/// address, and who is signed in.
struct Visit<'a> {
    api: &'a super::FulfillmentApi,
    token: String,
    here: String,
    person: Purchaser,
}

/// The visit with the token `raw`, or the page that answers it instead: Flowhost not sold
/// here, no token, sign-in first, or the session store away.
async fn arrive<'a>(
    state: &'a AppState,
    visitor: &Visitor,
    session: &Session,
    lang: Lang,
    raw: Option<&str>,
) -> Result<Visit<'a>, Box<Response>> {
    let Some(api) = state.market.api.as_ref() else {
        let words = (
            t!(lang, "market-not-sold-title"),
            t!(lang, "market-not-sold"),
        );
        return Err(Box::new(message(lang, StatusCode::NOT_FOUND, words, &[])));
    };
    let Some(token) = token_of(raw) else {
        let words = (
            t!(lang, "market-no-token-title"),
            t!(lang, "market-no-token"),
        );
        return Err(Box::new(message(lang, StatusCode::BAD_REQUEST, words, &[])));
    };
    let here = landing_of(&token);
    let person = match person(visitor, session).await {
        Ok(Some(person)) => person,
        Ok(None) => return Err(Box::new(Redirect::to(&login_path(&here)).into_response())),
        Err(()) => return Err(Box::new(unavailable(lang))),
    };
    Ok(Visit {
        api,
        token,
        here,
        person,
    })
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
    let Visit {
        api,
        token,
        here,
        person,
    } = match arrive(&state, &visitor, &session, lang, query.token.as_deref()).await {
        Ok(visit) => visit,
        Err(refused) => return *refused,
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
        PurchaseView {
            title: t!(lang, "market-confirm-title"),
            lead: t!(lang, "market-confirm"),
            facts,
            form: Some(PurchaseForm {
                token,
                csrf_token,
                button: t!(lang, "market-confirm-button"),
            }),
            actions: vec![(t!(lang, "sign-in-another-account"), reconnect_href(&here))],
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
        let again = reconnect_href(here);
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

/// Confirms the purchase: activates the subscription and admits its organisation.
pub async fn confirm(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<ConfirmForm>,
) -> Response {
    let lang = plain_page::lang(&headers);
    let Visit {
        api,
        token,
        here,
        person,
    } = match arrive(&state, &visitor, &session, lang, Some(&form.token)).await {
        Ok(visit) => visit,
        Err(refused) => return *refused,
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
    if recorded.is_ok() {
        state.market.changed(&offered);
    }
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
        PurchaseView {
            title: t!(lang, "market-done-title"),
            lead: t!(lang, "market-done"),
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
