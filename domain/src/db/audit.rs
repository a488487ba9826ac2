//! The audit of ISV staff's access to customer records: each console preview that read an
//! organisation's account or ticket. An organisation's admins see their own entries through
//! its [`TenantScope`]; the ISV's staff see every organisation's.

use super::tenants::now;
use super::{Db, TenantScope, with_pool};
use crate::tenant::{Tenant, TenantId};
use crate::user::CurrentUser;
use time::OffsetDateTime;

/// A preview of one of the scope's records, by a member of the ISV's staff, to record.
#[derive(Clone, Debug)]
pub struct NewStaffPreview<'a> {
    pub staff: &'a CurrentUser,
    pub account_id: i64,
    /// The account's name as the preview showed it.
    pub account_name: &'a str,
    pub ticket_id: Option<i64>,
    /// The placement previewed.
    pub placement: &'a str,
}

/// A recorded preview of a customer record.
#[derive(Clone, Debug, PartialEq)]
pub struct StaffPreview {
    /// The organisation whose record was previewed.
    pub tenant: Tenant,
    pub staff_name: String,
    pub staff_email: String,
    pub account_id: i64,
    pub account_name: String,
    pub ticket_id: Option<i64>,
    pub placement: String,
    pub at: OffsetDateTime,
}

const COLUMNS: &str = "p.tenant_id, t.name, p.staff_name, p.staff_email, p.account_id, \
                       p.account_name, p.ticket_id, p.placement_key, p.created_at \
                       FROM staff_previews p JOIN tenants t ON t.id = p.tenant_id";

type Row = (
    String,
    String,
    String,
    String,
    i64,
    String,
    Option<i64>,
    String,
    OffsetDateTime,
);

fn entries(rows: Vec<Row>) -> Vec<StaffPreview> {
    rows.into_iter()
        .filter_map(
            |(
                tenant,
                name,
                staff_name,
                staff_email,
                account_id,
                account_name,
                ticket_id,
                placement,
                at,
            )| {
                Some(StaffPreview {
                    tenant: Tenant {
                        id: TenantId::parse(&tenant).ok()?,
                        name,
                    },
                    staff_name,
                    staff_email,
                    account_id,
                    account_name,
                    ticket_id,
                    placement,
                    at,
                })
            },
        )
        .collect()
}

impl TenantScope<'_> {
    /// Records a staff member's preview of one of the tenant's records.
    pub async fn record_staff_preview(
        &self,
        preview: &NewStaffPreview<'_>,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "INSERT INTO staff_previews (tenant_id, staff_tenant_id, staff_object_id, \
                           staff_name, staff_email, account_id, account_name, ticket_id, placement_key, \
                           created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
        with_pool!(self.db, pool => sqlx::query(SQL)
            .bind(self.tenant.as_str())
            .bind(preview.staff.tenant_id.as_str())
            .bind(&preview.staff.object_id)
            .bind(&preview.staff.name)
            .bind(&preview.staff.email)
            .bind(preview.account_id)
            .bind(preview.account_name)
            .bind(preview.ticket_id)
            .bind(preview.placement)
            .bind(now())
            .execute(pool)
            .await
            .map(drop))
    }

    /// The newest `limit` previews of the tenant's records, newest first.
    pub async fn staff_previews(&self, limit: i64) -> Result<Vec<StaffPreview>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} WHERE p.tenant_id = $1 ORDER BY p.id DESC LIMIT $2");
        let rows: Vec<Row> = with_pool!(self.db, pool => sqlx::query_as(&sql)
            .bind(self.tenant.as_str())
            .bind(limit)
            .fetch_all(pool)
            .await)?;
        Ok(entries(rows))
    }
}

impl Db {
    /// The newest `limit` previews of every tenant's records, newest first: for the ISV's own
    /// staff only.
    pub async fn staff_previews(&self, limit: i64) -> Result<Vec<StaffPreview>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} ORDER BY p.id DESC LIMIT $1");
        let rows: Vec<Row> =
            with_pool!(self, pool => sqlx::query_as(&sql).bind(limit).fetch_all(pool).await)?;
        Ok(entries(rows))
    }
}

#[cfg(test)]
mod tests {
    use super::NewStaffPreview;
    use crate::db::testing::fresh_db;
    use crate::tenant::{Tenant, TenantId};
    use crate::user::{CurrentUser, Role};

    fn tenant(id: &str, name: &str) -> Tenant {
        Tenant {
            id: TenantId::parse(id).unwrap(),
            name: name.into(),
        }
    }

    #[tokio::test]
    async fn a_tenant_sees_only_previews_of_its_own_records_newest_first_and_lists_are_bounded() {
        let db = fresh_db().await.unwrap();
        let contoso = tenant("c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70", "Contoso");
        let fabrikam = tenant("fab0c1d2-e3f4-4a5b-8c6d-7e8f9a0b1c2d", "Fabrikam");
        for t in [&contoso, &fabrikam] {
            db.upsert_tenant(t).await.unwrap();
        }
        let iris = CurrentUser {
            tenant_id: TenantId::parse("f1a0b0c7-4d2e-4f6a-8b3c-5d6e7f8091a2").unwrap(),
            tenant_name: "Flowhost".into(),
            object_id: "iris".into(),
            name: "Iris Novak".into(),
            email: "iris@flowhost.example".into(),
            roles: vec![Role::IsvAdmin],
        };
        let preview = |account_id, ticket_id| NewStaffPreview {
            staff: &iris,
            account_id,
            account_name: "Coho Winery",
            ticket_id,
            placement: "ticket-runtime",
        };
        let (at_contoso, at_fabrikam) = (db.scope(&contoso.id), db.scope(&fabrikam.id));
        at_contoso
            .record_staff_preview(&preview(3, None))
            .await
            .unwrap();
        at_fabrikam
            .record_staff_preview(&preview(40, Some(400)))
            .await
            .unwrap();
        at_contoso
            .record_staff_preview(&preview(3, Some(12)))
            .await
            .unwrap();

        let seen = at_contoso.staff_previews(50).await.unwrap();
        assert_eq!(
            seen.iter().map(|p| p.ticket_id).collect::<Vec<_>>(),
            [Some(12), None],
            "Contoso's own, newest first"
        );
        assert!(seen.iter().all(|p| p.tenant == contoso));
        assert_eq!(
            (seen[0].staff_name.as_str(), seen[0].staff_email.as_str()),
            ("Iris Novak", "iris@flowhost.example")
        );
        let theirs = at_fabrikam.staff_previews(50).await.unwrap();
        assert_eq!(theirs.len(), 1);
        assert_eq!((theirs[0].account_id, theirs[0].ticket_id), (40, Some(400)));
        assert_eq!(theirs[0].tenant, fabrikam);

        let every = db.staff_previews(50).await.unwrap();
        assert_eq!(
            every
                .iter()
                .map(|p| p.tenant.name.as_str())
                .collect::<Vec<_>>(),
            ["Contoso", "Fabrikam", "Contoso"]
        );
        for ticket in 0..60 {
            at_contoso
                .record_staff_preview(&preview(3, Some(ticket)))
                .await
                .unwrap();
        }
        let newest = at_contoso.staff_previews(50).await.unwrap();
        assert_eq!(newest.len(), 50);
        assert_eq!(newest[0].ticket_id, Some(59));
        assert_eq!(db.staff_previews(50).await.unwrap().len(), 50);
    }
}
