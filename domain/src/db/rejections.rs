//! Widgets the Power Automate SDK rejected, as the browsers that saw it reported them: counted
//! per Flow host and SDK version, with the organisation and page where it last happened.

use super::tenants::now;
use super::{Db, TenantScope, with_pool};
use crate::tenant::TenantId;
use time::OffsetDateTime;

/// What the ISV console shows of one Flow host and SDK version.
#[derive(Clone, Debug, PartialEq)]
pub struct WidgetRejection {
    pub flow_host: String,
    pub sdk_version: String,
    pub reports: i64,
    pub first_at: OffsetDateTime,
    pub last_at: OffsetDateTime,
    /// The organisation and page of the newest report.
    pub last_tenant: TenantId,
    pub last_tenant_name: String,
    pub last_page: String,
}

type Row = (
    String,
    String,
    i64,
    OffsetDateTime,
    OffsetDateTime,
    String,
    String,
    String,
);

impl TenantScope<'_> {
    /// Counts a widget of this tenant's that the SDK from `flow_host` (version `sdk_version`)
    /// rejected on `page`.
    pub async fn record_widget_rejection(
        &self,
        flow_host: &str,
        sdk_version: &str,
        page: &str,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "INSERT INTO widget_rejections (flow_host, sdk_version, reports, \
                           first_at, last_at, last_tenant_id, last_page) \
                           VALUES ($1, $2, 1, $3, $3, $4, $5) \
                           ON CONFLICT (flow_host, sdk_version) DO UPDATE SET \
                           reports = widget_rejections.reports + 1, last_at = excluded.last_at, \
                           last_tenant_id = excluded.last_tenant_id, last_page = excluded.last_page";
        with_pool!(self.db, pool => sqlx::query(SQL)
            .bind(flow_host)
            .bind(sdk_version)
            .bind(now())
            .bind(self.tenant.as_str())
            .bind(page)
            .execute(pool)
            .await
            .map(drop))
    }
}

impl Db {
    /// Rejections reported for `flow_host`, the newest first: for the ISV's own staff only.
    pub async fn widget_rejections(
        &self,
        flow_host: &str,
    ) -> Result<Vec<WidgetRejection>, sqlx::Error> {
        const SQL: &str = "SELECT r.flow_host, r.sdk_version, r.reports, r.first_at, r.last_at, \
                           r.last_tenant_id, t.name, r.last_page FROM widget_rejections r \
                           JOIN tenants t ON t.id = r.last_tenant_id \
                           WHERE r.flow_host = $1 ORDER BY r.last_at DESC";
        let rows: Vec<Row> = with_pool!(self, pool => sqlx::query_as(SQL)
            .bind(flow_host)
            .fetch_all(pool)
            .await)?;
        Ok(rows
            .into_iter()
            .filter_map(
                |(flow_host, sdk_version, reports, first_at, last_at, tenant, name, page)| {
                    Some(WidgetRejection {
                        flow_host,
                        sdk_version,
                        reports,
                        first_at,
                        last_at,
                        last_tenant: TenantId::parse(&tenant).ok()?,
                        last_tenant_name: name,
                        last_page: page,
                    })
                },
            )
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use crate::db::testing::fresh_db;
    use crate::tenant::{Tenant, TenantId};

    #[tokio::test]
    async fn rejections_are_counted_per_host_and_version_with_the_newest_place() {
        let db = fresh_db().await.unwrap();
        let contoso = Tenant {
            id: TenantId::parse("c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70").unwrap(),
            name: "Contoso".into(),
        };
        let fabrikam = Tenant {
            id: TenantId::parse("fab0c1d2-e3f4-4a5b-8c6d-7e8f9a0b1c2d").unwrap(),
            name: "Fabrikam".into(),
        };
        for t in [&contoso, &fabrikam] {
            db.upsert_tenant(t).await.unwrap();
        }
        let maker = "https://make.powerautomate.com";
        assert!(db.widget_rejections(maker).await.unwrap().is_empty());
        let at_contoso = db.scope(&contoso.id);
        at_contoso
            .record_widget_rejection(maker, "1.1", "/accounts/1")
            .await
            .unwrap();
        at_contoso
            .record_widget_rejection(maker, "1.1", "/accounts/2")
            .await
            .unwrap();
        db.scope(&fabrikam.id)
            .record_widget_rejection(maker, "1.1", "/flows")
            .await
            .unwrap();
        at_contoso
            .record_widget_rejection("https://flow.microsoft.com", "1.1", "/flows")
            .await
            .unwrap();

        let seen = db.widget_rejections(maker).await.unwrap();
        assert_eq!(seen.len(), 1, "{seen:?}");
        let one = &seen[0];
        assert_eq!((one.sdk_version.as_str(), one.reports), ("1.1", 3));
        assert_eq!(one.last_tenant_name, "Fabrikam");
        assert_eq!(one.last_page, "/flows");
        assert!(one.first_at <= one.last_at);
        assert_eq!(
            db.widget_rejections("https://flow.microsoft.com")
                .await
                .unwrap()[0]
                .reports,
            1
        );
    }
}
