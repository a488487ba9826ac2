//! Carrying out the marketplace's operations, from the queue the webhook fills: each read
//! back from the Fulfillment API (a call for an operation the marketplace does not know is
//! not acted on), acknowledged when the marketplace waits for it (plan, seats, reinstate:
//! within its ten seconds), and then the subscription read and kept in step with it. Beside
//! it, a periodic reconciliation compares the marketplace's list with Flowhost's and repairs
//! what a missed webhook left wrong, and ended organisations' data is deleted once their
//! retention period is over.
//!
//! Every instance runs these. Operations are claimed for [`LEASE`], so one a stopped instance
//! claimed is taken up again; a failed attempt is tried again with doubling waits.

use super::Market;
use super::webhook::SYNC;
use crate::power_platform::PlatformError;
use domain::db::{ClaimedOperation, Db, subscription_changes};
use domain::subscription::SubscriptionStatus;
use std::sync::Arc;
use std::time::Duration;

/// How often a worker looks for operations when nothing woke it.
const POLL: Duration = Duration::from_secs(1);
/// How long a claimed operation is this worker's.
const LEASE: Duration = Duration::from_secs(60);
/// The first wait after a failed attempt; each next one doubles.
const RETRY_BASE: Duration = Duration::from_secs(2);

/// Starts this instance's workers.
pub fn start(db: Db, market: Arc<Market>, reconcile_every: Duration) {
    if market.api.is_none() {
        return;
    }
    let (operations_db, operations_market) = (db.clone(), market.clone());
    tokio::spawn(async move {
        loop {
            match operations_db.claim_operation(LEASE).await {
                Ok(Some(claimed)) => {
                    let outcome = carry_out(&operations_db, &operations_market, &claimed).await;
                    let wait =
                        RETRY_BASE * 2u32.saturating_pow(claimed.attempts.clamp(0, 16) as u32);
                    let finished = operations_db
                        .finish_operation(&claimed, outcome.map_err(|()| wait))
                        .await;
                    if let Err(e) = finished {
                        tracing::warn!(error = %e, "could not record a marketplace operation's outcome");
                    }
                }
                Ok(None) => operations_market.wake.wait(POLL).await,
                Err(e) => {
                    tracing::warn!(error = %e, "could not look for marketplace operations");
                    tokio::time::sleep(POLL).await;
                }
            }
        }
    });
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(reconcile_every).await;
            reconcile(&db, &market).await;
            match db.delete_expired_data(&market.isv_tenant).await {
                Ok(deleted) => {
                    for id in deleted {
                        tracing::info!(subscription = %id, "deleted an ended subscription's data after its retention period");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "could not delete ended subscriptions' data"),
            }
        }
    });
}

/// Carries out one operation; `Err` when it should be tried again.
async fn carry_out(db: &Db, market: &Market, claimed: &ClaimedOperation) -> Result<(), ()> {
    let Some(api) = market.api.as_ref() else {
        return Ok(());
    };
    let failed = |why: &PlatformError| {
        tracing::warn!(reason = ?why, action = %claimed.action, "a marketplace operation could not be carried out; it is tried again");
    };
    let sub = &claimed.subscription_id;
    let mut action = claimed.action.clone();
    // What Flowhost acknowledged holds from then on, whenever the marketplace shows it.
    let mut acknowledged = None;
    if claimed.action != SYNC {
        let operation = match api.operation(sub, &claimed.id).await {
            Ok(operation) => operation,
            Err(PlatformError::Refused { status, .. }) if (400..500).contains(&status) => {
                tracing::warn!(
                    status,
                    "a webhook call named an operation the marketplace does not know; not acted on"
                );
                return Ok(());
            }
            Err(why) => {
                failed(&why);
                return Err(());
            }
        };
        action = operation.action.clone();
        let awaited = matches!(
            operation.action.as_str(),
            "ChangePlan" | "ChangeQuantity" | "Reinstate"
        );
        if operation.status == "InProgress" && awaited {
            let known = operation
                .plan_id
                .as_deref()
                .is_none_or(|plan| market.plans.get(plan).is_some());
            match api.acknowledge(sub, &claimed.id, known).await {
                Ok(()) if known => acknowledged = Some(operation.clone()),
                Ok(()) => {}
                // "A newer update is already fulfilled": nothing left to say.
                Err(PlatformError::Refused { status: 409, .. }) => {}
                Err(why) => {
                    failed(&why);
                    return Err(());
                }
            }
        }
        if matches!(operation.status.as_str(), "Failed" | "Conflict") {
            let detail = format!(
                "the marketplace did not carry it out ({})",
                operation.status
            );
            let _ = db.request_subscription_change(sub, None).await;
            let _ = db.log_subscription(sub, &action, "webhook", &detail).await;
            return Ok(());
        }
    }
    let mut offered = match api.subscription(sub).await {
        Ok(Some(offered)) => offered,
        Ok(None) => {
            tracing::warn!("the marketplace does not know a subscription its webhook named");
            return Ok(());
        }
        Err(why) => {
            failed(&why);
            return Err(());
        }
    };
    if let Some(operation) = acknowledged {
        apply(&mut offered, &operation);
    }
    let changes = match db
        .sync_subscription(&offered, market.retention, (&action, "webhook"))
        .await
    {
        Ok(changes) => {
            market.changed(&offered);
            changes
        }
        Err(e) => {
            tracing::warn!(error = %e, "database failed while applying a marketplace operation");
            return Err(());
        }
    };
    let detail = if changes.is_empty() {
        "no change".to_owned()
    } else {
        changes.join(", ")
    };
    tracing::info!(action = %action, changes = %detail, "carried out a marketplace operation");
    if db
        .log_subscription(sub, &action, "webhook", &detail)
        .await
        .is_err()
    {
        return Err(());
    }
    Ok(())
}

/// What an acknowledged operation changes, where the marketplace may not show it yet.
fn apply(offered: &mut domain::subscription::Offered, operation: &super::fulfillment::Operation) {
    match operation.action.as_str() {
        "ChangePlan" => {
            if let Some(plan) = &operation.plan_id {
                offered.plan_id = plan.clone();
            }
        }
        "ChangeQuantity" => offered.quantity = operation.quantity.or(offered.quantity),
        "Reinstate" => offered.status = SubscriptionStatus::Subscribed,
        _ => {}
    }
}

/// Compares the marketplace's subscriptions with Flowhost's and repairs each difference,
/// read again first, so a list older than a webhook's change does not undo it.
pub async fn reconcile(db: &Db, market: &Market) {
    let Some(api) = market.api.as_ref() else {
        return;
    };
    let listed = match api.subscriptions().await {
        Ok(listed) => listed,
        Err(why) => {
            tracing::warn!(reason = ?why, "could not read the marketplace's subscriptions; reconciling at the next interval");
            return;
        }
    };
    for listed in &listed {
        let differs = match db.subscription(&listed.id).await {
            Ok(Some(known)) => !subscription_changes(&known, listed).is_empty(),
            Ok(None) => false,
            Err(e) => {
                tracing::warn!(error = %e, "database failed while reconciling a subscription");
                continue;
            }
        };
        if !differs {
            continue;
        }
        let offered = match api.subscription(&listed.id).await {
            Ok(Some(offered)) => offered,
            Ok(None) => continue,
            Err(why) => {
                tracing::warn!(reason = ?why, "could not read a subscription again; reconciling at the next interval");
                continue;
            }
        };
        let repair = ("Reconcile", "reconciliation");
        match db
            .sync_subscription(&offered, market.retention, repair)
            .await
        {
            Ok(changes) if changes.is_empty() => {}
            Ok(changes) => {
                market.changed(&offered);
                tracing::warn!(subscription = %listed.id, repaired = %changes.join(", "), "reconciliation repaired a subscription a webhook had not updated");
            }
            Err(e) => {
                tracing::warn!(error = %e, "database failed while reconciling a subscription")
            }
        }
    }
}
