use super::{Db, with_pool};
use crate::tenant::{Tenant, TenantId};
use crate::user::{CurrentUser, Role, UserSummary};
use time::OffsetDateTime;

/// The current time at the precision both engines keep (microseconds).
pub(crate) fn now() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(now.nanosecond() / 1_000 * 1_000)
        .unwrap_or(now)
}

/// Access to one tenant's records. The only way to reach accounts, tickets and users.
#[derive(Clone, Copy, Debug)]
pub struct TenantScope<'a> {
    pub(crate) db: &'a Db,
    pub(crate) tenant: &'a TenantId,
}

impl Db {
    pub fn scope<'a>(&'a self, tenant: &'a TenantId) -> TenantScope<'a> {
        TenantScope { db: self, tenant }
    }

    /// Registers a tenant, or renames it if it is known.
    pub async fn upsert_tenant(&self, tenant: &Tenant) -> Result<(), sqlx::Error> {
        const SQL: &str = "INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3) \
                           ON CONFLICT (id) DO UPDATE SET name = excluded.name";
        with_pool!(self, pool => sqlx::query(SQL)
            .bind(tenant.id.as_str())
            .bind(&tenant.name)
            .bind(now())
            .execute(pool)
            .await
            .map(drop))
    }

    /// Every registered tenant, by name: for the ISV's own staff only.
    pub async fn tenants(&self) -> Result<Vec<Tenant>, sqlx::Error> {
        const SQL: &str = "SELECT id, name FROM tenants ORDER BY name, id";
        let rows: Vec<(String, String)> =
            with_pool!(self, pool => sqlx::query_as(SQL).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, name)| {
                Some(Tenant {
                    id: TenantId::parse(&id).ok()?,
                    name,
                })
            })
            .collect())
    }

    pub async fn tenant(&self, id: &TenantId) -> Result<Option<Tenant>, sqlx::Error> {
        const SQL: &str = "SELECT name FROM tenants WHERE id = $1";
        let name: Option<String> = with_pool!(self, pool => sqlx::query_scalar(SQL)
            .bind(id.as_str())
            .fetch_optional(pool)
            .await)?;
        Ok(name.map(|name| Tenant {
            id: id.clone(),
            name,
        }))
    }
}

impl TenantScope<'_> {
    /// Records a user who has just signed in (or is put in a session by a test tool).
    pub async fn upsert_user(&self, user: &CurrentUser) -> Result<(), sqlx::Error> {
        assert_eq!(
            &user.tenant_id, self.tenant,
            "a user belongs to the scope's tenant"
        );
        const SQL: &str = "INSERT INTO users (tenant_id, object_id, name, email, roles, last_seen_at) \
                           VALUES ($1, $2, $3, $4, $5, $6) \
                           ON CONFLICT (tenant_id, object_id) DO UPDATE SET name = excluded.name, \
                           email = excluded.email, roles = excluded.roles, last_seen_at = excluded.last_seen_at";
        let roles: Vec<&str> = user.roles.iter().map(|r| r.claim()).collect();
        with_pool!(self.db, pool => sqlx::query(SQL)
            .bind(self.tenant.as_str())
            .bind(&user.object_id)
            .bind(&user.name)
            .bind(&user.email)
            .bind(roles.join(" "))
            .bind(now())
            .execute(pool)
            .await
            .map(drop))
    }

    pub async fn users(&self) -> Result<Vec<UserSummary>, sqlx::Error> {
        const SQL: &str = "SELECT name, email, roles, last_seen_at FROM users \
                           WHERE tenant_id = $1 ORDER BY name, email";
        let rows: Vec<(String, String, String, OffsetDateTime)> = with_pool!(self.db, pool => sqlx::query_as(SQL).bind(self.tenant.as_str()).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|(name, email, roles, last_seen_at)| UserSummary {
                name,
                email,
                roles: roles
                    .split_whitespace()
                    .filter_map(Role::from_claim)
                    .collect(),
                last_seen_at,
            })
            .collect())
    }
}
