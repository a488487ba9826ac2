//! Demo data: two customer organisations with enough accounts and tickets to page through.
//!
//! Loaded once: a tenant that is already registered is left alone, and each tenant is written
//! in one transaction, so an interrupted load leaves nothing half done.

use crate::db::{Db, with_pool};
use crate::tenant::{Tenant, TenantId};
use crate::ticket::{Priority, Status};
use crate::user::{CurrentUser, Role};
use time::{Duration, OffsetDateTime};

pub const CONTOSO: &str = "c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70";
pub const FABRIKAM: &str = "fab0c1d2-e3f4-4a5b-8c6d-7e8f9a0b1c2d";

pub const ACCOUNTS_PER_TENANT: usize = 30;
pub const TICKETS_PER_TENANT: usize = 300;

/// The demo organisations' people, as the sandbox identity provider knows them:
/// (e-mail, name, tenant, object id, roles).
const USERS: &[(&str, &str, &str, &str, &[Role])] = &[
    (
        "alex@contoso.example",
        "Alex Wilber",
        CONTOSO,
        "0a1e7c3b-1111-4a1e-8c00-00000000a1e7",
        &[],
    ),
    (
        "adele@contoso.example",
        "Adele Vance",
        CONTOSO,
        "0ade1e00-2222-4ade-8c00-00000000ade1",
        &[Role::TenantAdmin],
    ),
    (
        "bianca@fabrikam.example",
        "Bianca Pisani",
        FABRIKAM,
        "0b1a4ca0-3333-4b1a-8c00-00000000b1a4",
        &[],
    ),
];

/// A demo user by e-mail address.
pub fn user(email: &str) -> Option<CurrentUser> {
    let &(email, name, tenant, object_id, roles) = USERS.iter().find(|u| u.0 == email)?;
    let tenant = tenants().into_iter().find(|t| t.id.as_str() == tenant)?;
    Some(CurrentUser {
        tenant_id: tenant.id,
        tenant_name: tenant.name,
        object_id: object_id.into(),
        name: name.into(),
        email: email.into(),
        roles: roles.to_vec(),
    })
}

pub fn tenants() -> [Tenant; 2] {
    let tenant = |id: &str, name: &str| Tenant {
        id: TenantId::parse(id).expect("demo tenant id"),
        name: name.into(),
    };
    [tenant(CONTOSO, "Contoso"), tenant(FABRIKAM, "Fabrikam")]
}

const FIRST: [&str; 10] = [
    "Adventure",
    "Blue Yonder",
    "Coho",
    "Alpine",
    "Northwind",
    "Litware",
    "Proseware",
    "Lucerne",
    "Margie's",
    "Wingtip",
];
const SECOND: [&str; 6] = [
    "Works",
    "Airlines",
    "Winery",
    "Ski House",
    "Traders",
    "Publishing",
];
const OWNERS: [&str; 5] = [
    "Dana Birkby",
    "Jamal Hartnett",
    "Mei Lin",
    "Olga Nowak",
    "Ravi Kumar",
];
const PROBLEMS: [&str; 12] = [
    "Cannot sign in to the portal",
    "Invoice total does not match the order",
    "Export to CSV times out",
    "Password reset e-mail never arrives",
    "Dashboard shows yesterday's figures",
    "Request for an extra licence",
    "Printer queue stuck on the third floor",
    "Mobile app crashes on start",
    "Change the billing contact",
    "Slow search in the customer list",
    "Webhook deliveries failing with 500",
    "Add two users to the admin group",
];
const REQUESTERS: [&str; 6] = ["pat", "sam", "alex.k", "jordan", "morgan", "lee"];

/// Loads the demo tenants unless they are there already. Returns how many it loaded.
pub async fn load(db: &Db) -> Result<usize, sqlx::Error> {
    let mut loaded = 0;
    for (index, tenant) in tenants().iter().enumerate() {
        if db.tenant(&tenant.id).await?.is_none() {
            load_tenant(db, tenant, index).await?;
            loaded += 1;
        }
    }
    Ok(loaded)
}

async fn load_tenant(db: &Db, tenant: &Tenant, salt: usize) -> Result<(), sqlx::Error> {
    const TENANT: &str = "INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3)";
    const ACCOUNT: &str = "INSERT INTO accounts (tenant_id, name, domain, tier, owner, created_at) \
                           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    const TICKET: &str = "INSERT INTO tickets (tenant_id, account_id, title, description, status, \
                          priority, requester, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    let now = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    with_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query(TENANT).bind(tenant.id.as_str()).bind(&tenant.name).bind(now).execute(&mut *tx).await?;
        let mut ticket_number = 0;
        for a in 0..ACCOUNTS_PER_TENANT {
            let n = a * 7 + salt * 3;
            let name = format!("{} {}", FIRST[n % FIRST.len()], SECOND[(n / FIRST.len() + a) % SECOND.len()]);
            let domain = format!("{}.example", name.to_lowercase().replace(['\'', ' '], "-"));
            let tier = crate::AccountTier::ALL[(a + salt) % 3];
            let account_id: i64 = sqlx::query_scalar(ACCOUNT)
                .bind(tenant.id.as_str())
                .bind(&name)
                .bind(&domain)
                .bind(tier.as_str())
                .bind(OWNERS[(a + salt) % OWNERS.len()])
                .bind(now - Duration::days(400 - a as i64))
                .fetch_one(&mut *tx)
                .await?;
            // Every account gets ten tickets; the statuses and priorities cycle at different rates.
            for _ in 0..TICKETS_PER_TENANT / ACCOUNTS_PER_TENANT {
                let t = ticket_number;
                ticket_number += 1;
                let created = now - Duration::hours((t * 13 % 2000) as i64 + 1);
                sqlx::query(TICKET)
                    .bind(tenant.id.as_str())
                    .bind(account_id)
                    .bind(PROBLEMS[(t + salt) % PROBLEMS.len()])
                    .bind(format!("Reported by {} at {}. Ticket {} of the demo data.", REQUESTERS[t % REQUESTERS.len()], name, t + 1))
                    .bind(Status::ALL[t * 3 % Status::ALL.len()].as_str())
                    .bind(Priority::ALL[t % Priority::ALL.len()].as_str())
                    .bind(format!("{}@{}", REQUESTERS[t % REQUESTERS.len()], domain))
                    .bind(created)
                    .bind(created + Duration::minutes((t % 90) as i64))
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await
    })
}
