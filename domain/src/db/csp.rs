//! The Partner Center customer each organisation is, and the orders placed for it.

use super::tenants::now;
use super::{Db, with_pool};
use crate::csp::{CspCustomer, CspOrder, NewOrder, OrderKind, OrderStatus};
use crate::tenant::TenantId;
use time::{Duration, OffsetDateTime};

const ORDER_COLUMNS: &str = "id, tenant_id, customer_id, kind, offer_id, offer_name, quantity, \
     subscription_id, cart_request, checkout_request, cart_id, order_id, status, detail, attempts, \
     ordered_by, ordered_at, updated_at FROM csp_orders";

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: String,
    tenant_id: String,
    customer_id: String,
    kind: String,
    offer_id: String,
    offer_name: String,
    quantity: i64,
    subscription_id: Option<String>,
    cart_request: String,
    checkout_request: String,
    cart_id: Option<String>,
    order_id: Option<String>,
    status: String,
    detail: String,
    attempts: i64,
    ordered_by: String,
    ordered_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl OrderRow {
    fn read(self) -> CspOrder {
        CspOrder {
            kind: OrderKind::parse(&self.kind).unwrap_or(OrderKind::New),
            status: OrderStatus::parse(&self.status).unwrap_or(OrderStatus::Failed),
            id: self.id,
            tenant_id: self.tenant_id,
            customer_id: self.customer_id,
            offer_id: self.offer_id,
            offer_name: self.offer_name,
            quantity: self.quantity,
            subscription_id: self.subscription_id,
            cart_request: self.cart_request,
            checkout_request: self.checkout_request,
            cart_id: self.cart_id,
            order_id: self.order_id,
            detail: self.detail,
            attempts: self.attempts,
            ordered_by: self.ordered_by,
            ordered_at: self.ordered_at,
            updated_at: self.updated_at,
        }
    }
}

impl Db {
    /// Links `tenant` to its Partner Center customer, replacing an earlier link.
    pub async fn link_csp_customer(
        &self,
        tenant: &TenantId,
        customer_id: &str,
        company: &str,
        by: &str,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "INSERT INTO csp_customers (tenant_id, customer_id, company, linked_by, linked_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id) DO UPDATE SET \
             customer_id = excluded.customer_id, company = excluded.company, \
             linked_by = excluded.linked_by, linked_at = excluded.linked_at";
        with_pool!(self, pool => sqlx::query(SQL)
            .bind(tenant.as_str()).bind(customer_id).bind(company).bind(by).bind(now())
            .execute(pool).await.map(drop))
    }

    pub async fn csp_customer(
        &self,
        tenant: &TenantId,
    ) -> Result<Option<CspCustomer>, sqlx::Error> {
        const SQL: &str = "SELECT customer_id, company, linked_by, linked_at FROM csp_customers WHERE tenant_id = $1";
        let row: Option<(String, String, String, OffsetDateTime)> = with_pool!(self, pool => sqlx::query_as(SQL).bind(tenant.as_str()).fetch_optional(pool).await)?;
        Ok(
            row.map(|(customer_id, company, linked_by, linked_at)| CspCustomer {
                customer_id,
                company,
                linked_by,
                linked_at,
            }),
        )
    }

    /// Keeps a new order under `key` (made when the form was shown, so the same form sent
    /// twice is one order), with fresh request ids, claimed by its sender for `hold`; `None`
    /// when an order with that key exists.
    pub async fn new_csp_order(
        &self,
        key: &str,
        tenant: &TenantId,
        customer_id: &str,
        order: &NewOrder,
        hold: Duration,
    ) -> Result<Option<CspOrder>, sqlx::Error> {
        const SQL: &str = "INSERT INTO csp_orders (id, tenant_id, customer_id, kind, offer_id, offer_name, \
             quantity, subscription_id, cart_request, checkout_request, status, ordered_by, ordered_at, updated_at, \
             claimed_until) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'placing', $11, $12, $12, $13) \
             ON CONFLICT (id) DO NOTHING";
        let now = now();
        let added = with_pool!(self, pool => sqlx::query(SQL)
            .bind(key).bind(tenant.as_str()).bind(customer_id).bind(order.kind.as_str())
            .bind(&order.offer_id).bind(&order.offer_name).bind(order.quantity)
            .bind(&order.subscription_id)
            .bind(uuid::Uuid::new_v4().to_string()).bind(uuid::Uuid::new_v4().to_string())
            .bind(&order.ordered_by).bind(now).bind(now + hold)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        if added == 0 {
            return Ok(None);
        }
        self.csp_order(key).await
    }

    /// Whether an order of `offer_id` (or for `subscription`) is still open for `tenant`.
    pub async fn open_csp_order(
        &self,
        tenant: &TenantId,
        offer_id: &str,
        subscription: Option<&str>,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "SELECT COUNT(*) FROM csp_orders WHERE tenant_id = $1 \
             AND status IN ('placing', 'pending') AND (offer_id = $2 OR subscription_id = $3)";
        let open: i64 = with_pool!(self, pool => sqlx::query_scalar(SQL)
            .bind(tenant.as_str()).bind(offer_id).bind(subscription)
            .fetch_one(pool).await)?;
        Ok(open > 0)
    }

    pub async fn csp_order(&self, id: &str) -> Result<Option<CspOrder>, sqlx::Error> {
        let sql = format!("SELECT {ORDER_COLUMNS} WHERE id = $1");
        let row: Option<OrderRow> =
            with_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?;
        Ok(row.map(OrderRow::read))
    }

    /// An organisation's orders, newest first.
    pub async fn csp_orders(&self, tenant: &TenantId) -> Result<Vec<CspOrder>, sqlx::Error> {
        let sql =
            format!("SELECT {ORDER_COLUMNS} WHERE tenant_id = $1 ORDER BY ordered_at DESC, id");
        let rows: Vec<OrderRow> = with_pool!(self, pool => sqlx::query_as(&sql).bind(tenant.as_str()).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(OrderRow::read).collect())
    }

    /// Claims the open orders nobody holds (or whose wait is over) for `lease`, oldest first.
    pub async fn claim_csp_orders(&self, lease: Duration) -> Result<Vec<CspOrder>, sqlx::Error> {
        let sql = format!(
            "SELECT {ORDER_COLUMNS} WHERE status IN ('placing', 'pending') \
             AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY ordered_at, id"
        );
        const CLAIM: &str = "UPDATE csp_orders SET claimed_until = $3 WHERE id = $1 \
             AND (claimed_until IS NULL OR claimed_until < $2)";
        let now = now();
        let rows: Vec<OrderRow> =
            with_pool!(self, pool => sqlx::query_as(&sql).bind(now).fetch_all(pool).await)?;
        let mut claimed = Vec::new();
        for row in rows {
            let got = with_pool!(self, pool => sqlx::query(CLAIM)
                .bind(&row.id).bind(now).bind(now + lease)
                .execute(pool).await.map(|r| r.rows_affected()))?;
            if got == 1 {
                claimed.push(row.read());
            }
        }
        Ok(claimed)
    }

    /// The cart Partner Center made for the order.
    pub async fn csp_order_cart(&self, id: &str, cart_id: &str) -> Result<(), sqlx::Error> {
        const SQL: &str = "UPDATE csp_orders SET cart_id = $2, updated_at = $3 WHERE id = $1";
        with_pool!(self, pool => sqlx::query(SQL).bind(id).bind(cart_id).bind(now())
            .execute(pool).await.map(drop))
    }

    /// Where an open order stands, with Partner Center's order (and subscription) id once
    /// known; its claim ends. `false` when it was no longer open: an order that completed or
    /// failed stays so.
    pub async fn csp_order_status(
        &self,
        id: &str,
        status: OrderStatus,
        order_id: Option<&str>,
        subscription_id: Option<&str>,
        detail: &str,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE csp_orders SET status = $2, order_id = COALESCE($3, order_id), \
             subscription_id = COALESCE($4, subscription_id), detail = $5, updated_at = $6, \
             claimed_until = NULL WHERE id = $1 AND status IN ('placing', 'pending')";
        let changed = with_pool!(self, pool => sqlx::query(SQL)
            .bind(id).bind(status.as_str()).bind(order_id).bind(subscription_id).bind(detail).bind(now())
            .execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(changed == 1)
    }

    /// One more attempt at placing the order, with what went wrong in it; the next one waits
    /// until `wait` has passed.
    pub async fn csp_order_attempted(
        &self,
        id: &str,
        detail: &str,
        wait: Duration,
    ) -> Result<i64, sqlx::Error> {
        const SQL: &str = "UPDATE csp_orders SET attempts = attempts + 1, detail = $2, updated_at = $3, \
             claimed_until = $4 WHERE id = $1";
        const READ: &str = "SELECT attempts FROM csp_orders WHERE id = $1";
        with_pool!(self, pool => {
            sqlx::query(SQL).bind(id).bind(detail).bind(now()).bind(now() + wait).execute(pool).await?;
            sqlx::query_scalar(READ).bind(id).fetch_one(pool).await
        })
    }
}
