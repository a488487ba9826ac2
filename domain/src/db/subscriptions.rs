//! Marketplace subscriptions: fulfilling one (the organisation admitted with its plan, the
//! purchaser made its admin), keeping each in step with what the marketplace says, and the
//! history of each.

use super::tenants::now;
use super::{Db, with_pool};
use crate::plan::{Access, Feature, Plans, Standing};
use crate::subscription::{
    Activation, Offered, Subscription, SubscriptionEvent, SubscriptionStatus,
};
use crate::tenant::TenantId;
use time::OffsetDateTime;

const COLUMNS: &str = "s.id, s.tenant_id, t.name AS tenant_name, s.name, s.offer_id, s.plan_id, \
     s.quantity, s.status, s.free_trial, s.term_start, s.term_end, s.purchaser_email, \
     s.activated_by, s.activated_at, s.requested, s.delete_after, s.deleted_at, s.updated_at \
     FROM subscriptions s JOIN tenants t ON t.id = s.tenant_id";

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    tenant_id: String,
    tenant_name: String,
    name: String,
    offer_id: String,
    plan_id: String,
    quantity: Option<i64>,
    status: String,
    free_trial: bool,
    term_start: Option<OffsetDateTime>,
    term_end: Option<OffsetDateTime>,
    purchaser_email: String,
    activated_by: String,
    activated_at: OffsetDateTime,
    requested: Option<String>,
    delete_after: Option<OffsetDateTime>,
    deleted_at: Option<OffsetDateTime>,
    updated_at: OffsetDateTime,
}

impl Row {
    fn read(self) -> Option<Subscription> {
        Some(Subscription {
            tenant_id: TenantId::parse(&self.tenant_id).ok()?,
            status: SubscriptionStatus::parse(&self.status)?,
            id: self.id,
            tenant_name: self.tenant_name,
            name: self.name,
            offer_id: self.offer_id,
            plan_id: self.plan_id,
            quantity: self.quantity,
            free_trial: self.free_trial,
            term_start: self.term_start,
            term_end: self.term_end,
            purchaser_email: self.purchaser_email,
            activated_by: self.activated_by,
            activated_at: self.activated_at,
            requested: self.requested,
            delete_after: self.delete_after,
            deleted_at: self.deleted_at,
            updated_at: self.updated_at,
        })
    }
}

/// Every table holding an organisation's own data, in an order that deletes what refers to a
/// row before the row. What the ISV ordered for it through Partner Center (`csp_customers`,
/// `csp_orders`) is the ISV's own billing record, and stays.
const TENANT_DATA: [&str; 17] = [
    "person_licences",
    "licence_readings",
    "hook_deliveries",
    "hook_subscriptions",
    "hook_events",
    "ticket_comments",
    "ticket_approvals",
    "record_events",
    "linked_flows",
    "tickets",
    "accounts",
    "tenant_placements",
    "staff_previews",
    "rollout_targets",
    "deployments",
    "tenant_admins",
    "users",
];

impl Db {
    /// An organisation's standing, if it is registered.
    pub async fn standing(&self, tenant: &TenantId) -> Result<Option<Standing>, sqlx::Error> {
        const SQL: &str = "SELECT access, plan_id FROM tenants WHERE id = $1";
        let row: Option<(String, Option<String>)> = with_pool!(self, pool => sqlx::query_as(SQL)
            .bind(tenant.as_str())
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(|(access, plan_id)| Standing {
            access: Access::parse(&access).unwrap_or(Access::Ended),
            plan_id,
        }))
    }

    /// Whether the organisation `tenant`'s plan includes `feature`: every feature without a
    /// subscription.
    pub async fn has_feature(
        &self,
        tenant: &TenantId,
        plans: &Plans,
        feature: Feature,
    ) -> Result<bool, sqlx::Error> {
        let standing = self.standing(tenant).await?;
        Ok(standing.unwrap_or(Standing::OPEN).has(plans, feature))
    }

    /// Fulfils `offered`: the subscription recorded, its organisation registered (named
    /// `tenant_name` if new) and admitted with its plan, and `admin` (the purchaser's object
    /// id, when the purchaser is of that organisation) made its admin. A subscription fulfilled
    /// before is returned as it is.
    pub async fn activate_subscription(
        &self,
        offered: &Offered,
        tenant_name: &str,
        by: &str,
        admin: Option<&str>,
    ) -> Result<Activation, sqlx::Error> {
        if let Some(existing) = self.subscription(&offered.id).await? {
            return Ok(Activation::Existing(Box::new(existing)));
        }
        const TENANT: &str = "INSERT INTO tenants (id, name, created_at, access, plan_id) \
             VALUES ($1, $2, $3, 'subscribed', $4) \
             ON CONFLICT (id) DO UPDATE SET access = 'subscribed', plan_id = excluded.plan_id";
        const SUBSCRIPTION: &str = "INSERT INTO subscriptions (id, tenant_id, name, offer_id, \
             plan_id, quantity, status, free_trial, term_start, term_end, purchaser_email, \
             purchaser_tenant, activated_by, activated_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'Subscribed', $7, $8, $9, $10, $11, $12, $13, $13) \
             ON CONFLICT (id) DO NOTHING";
        const ADMIN: &str = "INSERT INTO tenant_admins (tenant_id, object_id, granted_by, granted_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, object_id) DO NOTHING";
        let at = now();
        let tenant = &offered.beneficiary_tenant;
        let activated = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(TENANT).bind(tenant).bind(tenant_name).bind(at).bind(&offered.plan_id)
                .execute(&mut *tx).await?;
            let added = sqlx::query(SUBSCRIPTION)
                .bind(&offered.id).bind(tenant).bind(&offered.name).bind(&offered.offer_id)
                .bind(&offered.plan_id).bind(offered.quantity).bind(offered.free_trial)
                .bind(offered.term_start).bind(offered.term_end).bind(&offered.purchaser_email)
                .bind(&offered.purchaser_tenant).bind(by).bind(at)
                .execute(&mut *tx).await?.rows_affected();
            if added == 0 {
                // Another request fulfilled it meanwhile.
                false
            } else {
                if let Some(admin) = admin {
                    sqlx::query(ADMIN).bind(tenant).bind(admin).bind(by).bind(at)
                        .execute(&mut *tx).await?;
                }
                tx.commit().await?;
                true
            }
        });
        if !activated {
            let existing = self.subscription(&offered.id).await?;
            return Ok(match existing {
                Some(s) => Activation::Existing(Box::new(s)),
                None => Activation::Activated,
            });
        }
        let detail = format!("{} for {}", describe(offered), offered.purchaser_email);
        self.log_subscription(&offered.id, "Activate", "landing", &detail)
            .await?;
        Ok(Activation::Activated)
    }

    pub async fn subscription(&self, id: &str) -> Result<Option<Subscription>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} WHERE s.id = $1");
        let row: Option<Row> = with_pool!(self, pool => sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        Ok(row.and_then(Row::read))
    }

    /// The organisation's newest subscription.
    pub async fn subscription_of(
        &self,
        tenant: &TenantId,
    ) -> Result<Option<Subscription>, sqlx::Error> {
        let sql =
            format!("SELECT {COLUMNS} WHERE s.tenant_id = $1 ORDER BY s.activated_at DESC LIMIT 1");
        let row: Option<Row> = with_pool!(self, pool => sqlx::query_as(&sql)
            .bind(tenant.as_str())
            .fetch_optional(pool)
            .await)?;
        Ok(row.and_then(Row::read))
    }

    /// Every subscription, by organisation: for the ISV's staff.
    pub async fn subscriptions(&self) -> Result<Vec<Subscription>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} ORDER BY t.name, s.activated_at DESC");
        let rows: Vec<Row> = with_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await)?;
        Ok(rows.into_iter().filter_map(Row::read).collect())
    }

    /// What happened to the subscription `id`, oldest first.
    pub async fn subscription_events(
        &self,
        id: &str,
    ) -> Result<Vec<SubscriptionEvent>, sqlx::Error> {
        const SQL: &str = "SELECT at, action, source, detail FROM subscription_events \
             WHERE subscription_id = $1 ORDER BY at, id";
        let rows: Vec<(OffsetDateTime, String, String, String)> = with_pool!(self, pool =>
            sqlx::query_as(SQL).bind(id).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|(at, action, source, detail)| SubscriptionEvent {
                at,
                action,
                source,
                detail,
            })
            .collect())
    }

    pub async fn log_subscription(
        &self,
        id: &str,
        action: &str,
        source: &str,
        detail: &str,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "INSERT INTO subscription_events (subscription_id, at, action, source, detail) \
             VALUES ($1, $2, $3, $4, $5)";
        with_pool!(self, pool => sqlx::query(SQL)
            .bind(id).bind(now()).bind(action).bind(source).bind(detail)
            .execute(pool).await.map(drop))
    }

    /// Brings the subscription Flowhost fulfilled in step with `offered` (what the marketplace
    /// says now), and its organisation's access and plan with it; what changed goes into its
    /// history at once, as `action` from `source`. An ended one keeps the data for
    /// `retention`, then it is deleted. Returns what changed, in words; nothing when it was in
    /// step or Flowhost never fulfilled it.
    pub async fn sync_subscription(
        &self,
        offered: &Offered,
        retention: time::Duration,
        (action, source): (&str, &str),
    ) -> Result<Vec<String>, sqlx::Error> {
        let Some(known) = self.subscription(&offered.id).await? else {
            return Ok(Vec::new());
        };
        let changes = changes(&known, offered);
        if changes.is_empty() {
            return Ok(changes);
        }
        const SQL: &str = "UPDATE subscriptions SET plan_id = $2, quantity = $3, status = $4, \
             free_trial = $5, term_start = COALESCE($6, term_start), term_end = COALESCE($7, term_end), \
             delete_after = CASE WHEN $4 = 'Unsubscribed' THEN COALESCE(delete_after, $8) ELSE NULL END, \
             requested = NULL, updated_at = $9 WHERE id = $1";
        // An organisation's standing follows its newest subscription only: an older one that
        // ends does not end a newer one's access.
        const TENANT: &str = "UPDATE tenants SET access = $2, plan_id = $3 WHERE id = $1 \
             AND NOT EXISTS (SELECT 1 FROM subscriptions o WHERE o.tenant_id = $1 AND o.id <> $4 \
             AND o.activated_at > $5)";
        const EVENT: &str = "INSERT INTO subscription_events (subscription_id, at, action, source, detail) \
             VALUES ($1, $2, $3, $4, $5)";
        let at = now();
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(SQL)
                .bind(&offered.id).bind(&offered.plan_id).bind(offered.quantity)
                .bind(offered.status.as_str()).bind(offered.free_trial)
                .bind(offered.term_start).bind(offered.term_end).bind(at + retention).bind(at)
                .execute(&mut *tx).await?;
            sqlx::query(TENANT)
                .bind(known.tenant_id.as_str())
                .bind(offered.status.access().as_str())
                .bind(&offered.plan_id)
                .bind(&offered.id)
                .bind(known.activated_at)
                .execute(&mut *tx).await?;
            sqlx::query(EVENT).bind(&offered.id).bind(at).bind(action).bind(source)
                .bind(changes.join(", ")).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(changes)
    }

    /// Records a change asked of the marketplace for the subscription `id` (or clears it).
    pub async fn request_subscription_change(
        &self,
        id: &str,
        requested: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "UPDATE subscriptions SET requested = $2 WHERE id = $1";
        with_pool!(self, pool => sqlx::query(SQL).bind(id).bind(requested).execute(pool).await.map(drop))
    }

    /// Whether Flowhost made this person their organisation's admin.
    pub async fn granted_admin(
        &self,
        tenant: &TenantId,
        object_id: &str,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str =
            "SELECT COUNT(*) FROM tenant_admins WHERE tenant_id = $1 AND object_id = $2";
        let (n,): (i64,) = with_pool!(self, pool => sqlx::query_as(SQL)
            .bind(tenant.as_str()).bind(object_id).fetch_one(pool).await)?;
        Ok(n > 0)
    }

    /// People of the organisation who signed in since `since`: the seats in use.
    pub async fn people_since(
        &self,
        tenant: &TenantId,
        since: OffsetDateTime,
    ) -> Result<i64, sqlx::Error> {
        const SQL: &str = "SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND last_seen_at >= $2";
        let (n,): (i64,) = with_pool!(self, pool => sqlx::query_as(SQL)
            .bind(tenant.as_str()).bind(since).fetch_one(pool).await)?;
        Ok(n)
    }

    /// Deletes the data of every organisation whose subscription ended and whose retention
    /// period is over, unless it has another subscription that has not ended, or is the ISV's
    /// own (`isv`). The organisation and its subscription's history stay, for the ISV's
    /// console. Returns the subscriptions whose data was deleted.
    pub async fn delete_expired_data(&self, isv: &TenantId) -> Result<Vec<String>, sqlx::Error> {
        const DUE: &str = "SELECT s.id, s.tenant_id FROM subscriptions s \
             JOIN tenants t ON t.id = s.tenant_id \
             WHERE s.status = 'Unsubscribed' AND s.deleted_at IS NULL AND s.delete_after <= $1 \
             AND t.access = 'ended' AND s.tenant_id <> $2 \
             AND NOT EXISTS (SELECT 1 FROM subscriptions o WHERE o.tenant_id = s.tenant_id \
             AND o.status <> 'Unsubscribed')";
        const DONE: &str = "UPDATE subscriptions SET deleted_at = $2 WHERE id = $1";
        let at = now();
        let due: Vec<(String, String)> = with_pool!(self, pool => sqlx::query_as(DUE).bind(at).bind(isv.as_str()).fetch_all(pool).await)?;
        for (id, tenant) in &due {
            with_pool!(self, pool => {
                let mut tx = pool.begin().await?;
                for table in TENANT_DATA {
                    sqlx::query(&format!("DELETE FROM {table} WHERE tenant_id = $1"))
                        .bind(tenant).execute(&mut *tx).await?;
                }
                sqlx::query(DONE).bind(id).bind(at).execute(&mut *tx).await?;
                tx.commit().await?;
            });
            self.log_subscription(
                id,
                "Delete",
                "retention",
                "the organisation's data was deleted",
            )
            .await?;
        }
        Ok(due.into_iter().map(|(id, _)| id).collect())
    }
}

/// What differs between the subscription Flowhost keeps and what the marketplace says of it,
/// in words.
pub fn changes(known: &Subscription, offered: &Offered) -> Vec<String> {
    let mut changes = Vec::new();
    if known.plan_id != offered.plan_id {
        changes.push(format!("plan {} → {}", known.plan_id, offered.plan_id));
    }
    if known.quantity != offered.quantity {
        let seats = |q: Option<i64>| q.map_or("none".to_owned(), |q| q.to_string());
        changes.push(format!(
            "seats {} → {}",
            seats(known.quantity),
            seats(offered.quantity)
        ));
    }
    if known.status != offered.status {
        changes.push(format!(
            "status {} → {}",
            known.status.as_str(),
            offered.status.as_str()
        ));
    }
    if known.term_end != offered.term_end && offered.term_end.is_some() {
        changes.push(format!("term until {}", day(offered.term_end)));
    }
    if known.free_trial != offered.free_trial {
        changes.push(format!("free trial {}", offered.free_trial));
    }
    changes
}

fn describe(offered: &Offered) -> String {
    let seats = offered
        .quantity
        .map_or(String::new(), |q| format!(", {q} seats"));
    let trial = if offered.free_trial {
        ", free trial"
    } else {
        ""
    };
    format!("plan {}{seats}{trial}", offered.plan_id)
}

fn day(at: Option<OffsetDateTime>) -> String {
    at.map(|at| at.date().to_string()).unwrap_or_default()
}
