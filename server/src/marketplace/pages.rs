//! What the landing page shows: the purchase as facts, a subscription fulfilled before, and
//! the designed pages of what stops a purchase.

use crate::AppState;
use crate::auth::login_path;
use crate::plain_page::{self, Action};
use crate::power_platform::PlatformError;
use app::components::{PurchaseView, purchase_document};
use app::ssr::Visitor;
use app::subscription::status_name;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use domain::plan::Seats;
use domain::subscription::{Offered, Subscription};
use i18n::{Lang, t};

/// The landing page's document, drawn from `view` (200).
pub(super) fn page(lang: Lang, view: PurchaseView) -> Response {
    (StatusCode::OK, Html(purchase_document(lang, view))).into_response()
}

/// A designed page with a title and what to know, already in `lang`.
pub(super) fn message(
    lang: Lang,
    status: StatusCode,
    (title, text): (String, String),
    actions: &[Action],
) -> Response {
    plain_page::render_with(lang, status, &title, &text, actions)
}

pub(super) fn unavailable(lang: Lang) -> Response {
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
pub(super) fn unresolved(lang: Lang, why: &PlatformError, again: &str) -> Response {
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

/// What was bought, as facts.
pub(super) fn facts(state: &AppState, lang: Lang, offered: &Offered) -> Vec<(String, String)> {
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
pub(super) fn organisation_name(offered: &Offered) -> String {
    match offered.purchaser_email.rsplit_once('@') {
        Some((_, domain)) if offered.purchaser_tenant == offered.beneficiary_tenant => {
            domain.to_owned()
        }
        _ => offered.beneficiary_tenant.clone(),
    }
}

/// The page of a subscription Flowhost fulfilled before.
pub(super) fn existing(
    state: &AppState,
    lang: Lang,
    visitor: &Visitor,
    known: &Subscription,
) -> Response {
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
        PurchaseView {
            title: t!(lang, "market-existing-title"),
            lead: t!(lang, "market-existing"),
            facts,
            form: None,
            actions,
        },
    )
}
