//! Power Automate licences as Flowhost last read them: each organisation's licences (the last
//! good reading, and how the latest attempt went) and each person's rights.

use super::tenants::now;
use super::{Db, with_pool};
use crate::licence::{LicenceReading, PersonRights, ReadOutcome, Rights, RightsSource, SkuReading};
use crate::tenant::{Tenant, TenantId};
use time::{Duration, OffsetDateTime};

/// How many people without covering rights a page lists.
pub const PEOPLE_SHOWN: i64 = 200;

#[derive(sqlx::FromRow)]
struct ReadingRow {
    skus: Option<String>,
    read_at: Option<OffsetDateTime>,
    attempt_at: OffsetDateTime,
    outcome: String,
    retry_at: Option<OffsetDateTime>,
    detail: String,
}

impl ReadingRow {
    fn read(self) -> LicenceReading {
        LicenceReading {
            skus: self.skus.and_then(|s| serde_json::from_str(&s).ok()),
            read_at: self.read_at,
            attempt_at: self.attempt_at,
            outcome: ReadOutcome::parse(&self.outcome).unwrap_or(ReadOutcome::Unreachable),
            retry_at: self.retry_at,
            detail: self.detail,
        }
    }
}

/// A row of `person_licences`, as stored.
#[derive(sqlx::FromRow)]
pub(super) struct PersonRow {
    pub object_id: String,
    pub name: String,
    pub email: String,
    pub rights: String,
    pub pending: bool,
    pub source: String,
    pub read_at: OffsetDateTime,
}

impl PersonRow {
    pub(super) fn read(self) -> PersonRights {
        PersonRights {
            object_id: self.object_id,
            name: self.name,
            email: self.email,
            rights: Rights::parse(&self.rights).unwrap_or(Rights::None),
            pending: self.pending,
            source: RightsSource::parse(&self.source).unwrap_or(RightsSource::Directory),
            read_at: self.read_at,
        }
    }
}

const PERSON_COLUMNS: &str = "object_id, name, email, rights, pending, source, read_at";
const UPSERT: &str = "INSERT INTO person_licences (tenant_id, object_id, name, email, rights, pending, source, read_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
     ON CONFLICT (tenant_id, object_id) DO UPDATE SET name = excluded.name, email = excluded.email, \
     rights = excluded.rights, pending = excluded.pending, source = excluded.source, read_at = excluded.read_at";

impl Db {
    /// Keeps a good reading of `tenant`'s licences.
    pub async fn licences_read(
        &self,
        tenant: &TenantId,
        skus: &[SkuReading],
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "INSERT INTO licence_readings (tenant_id, skus, read_at, attempt_at, outcome, retry_at, detail) \
             VALUES ($1, $2, $3, $3, 'read', NULL, '') \
             ON CONFLICT (tenant_id) DO UPDATE SET skus = excluded.skus, read_at = excluded.read_at, \
             attempt_at = excluded.attempt_at, outcome = 'read', retry_at = NULL, detail = ''";
        let skus = serde_json::to_string(skus).unwrap_or_else(|_| "[]".into());
        with_pool!(self, pool => sqlx::query(SQL)
            .bind(tenant.as_str()).bind(skus).bind(now())
            .execute(pool).await.map(drop))
    }

    /// Keeps how a failed attempt went; the last good reading stays as it was.
    pub async fn licences_failed(
        &self,
        tenant: &TenantId,
        outcome: ReadOutcome,
        detail: &str,
        retry_at: Option<OffsetDateTime>,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "INSERT INTO licence_readings (tenant_id, skus, read_at, attempt_at, outcome, retry_at, detail) \
             VALUES ($1, NULL, NULL, $2, $3, $4, $5) \
             ON CONFLICT (tenant_id) DO UPDATE SET attempt_at = excluded.attempt_at, \
             outcome = excluded.outcome, retry_at = excluded.retry_at, detail = excluded.detail";
        with_pool!(self, pool => sqlx::query(SQL)
            .bind(tenant.as_str()).bind(now()).bind(outcome.as_str()).bind(retry_at).bind(detail)
            .execute(pool).await.map(drop))
    }

    pub async fn licence_reading(
        &self,
        tenant: &TenantId,
    ) -> Result<Option<LicenceReading>, sqlx::Error> {
        const SQL: &str = "SELECT skus, read_at, attempt_at, outcome, retry_at, detail \
             FROM licence_readings WHERE tenant_id = $1";
        let row: Option<ReadingRow> = with_pool!(self, pool => sqlx::query_as(SQL)
            .bind(tenant.as_str()).fetch_optional(pool).await)?;
        Ok(row.map(ReadingRow::read))
    }

    /// Every registered organisation with its reading, by name: for the ISV's staff.
    pub async fn licence_readings(
        &self,
    ) -> Result<Vec<(Tenant, Option<LicenceReading>)>, sqlx::Error> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: String,
            name: String,
            #[sqlx(flatten)]
            reading: OptionalReading,
        }
        #[derive(sqlx::FromRow)]
        struct OptionalReading {
            skus: Option<String>,
            read_at: Option<OffsetDateTime>,
            attempt_at: Option<OffsetDateTime>,
            outcome: Option<String>,
            retry_at: Option<OffsetDateTime>,
            detail: Option<String>,
        }
        const SQL: &str = "SELECT t.id, t.name, r.skus, r.read_at, r.attempt_at, r.outcome, \
             r.retry_at, r.detail FROM tenants t LEFT JOIN licence_readings r ON r.tenant_id = t.id \
             ORDER BY t.name, t.id";
        let rows: Vec<Row> = with_pool!(self, pool => sqlx::query_as(SQL).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let r = row.reading;
                let reading = match (r.attempt_at, r.outcome) {
                    (Some(attempt_at), Some(outcome)) => Some(
                        ReadingRow {
                            skus: r.skus,
                            read_at: r.read_at,
                            attempt_at,
                            outcome,
                            retry_at: r.retry_at,
                            detail: r.detail.unwrap_or_default(),
                        }
                        .read(),
                    ),
                    _ => None,
                };
                let tenant = Tenant {
                    id: TenantId::parse(&row.id).ok()?,
                    name: row.name,
                };
                Some((tenant, reading))
            })
            .collect())
    }

    /// Organisations whose licences are due to be read: never read, a good reading older
    /// than `every`, a failed attempt more than an hour ago, or a wait Graph asked for that
    /// is over. Ended organisations are not read.
    pub async fn licences_due(&self, every: Duration) -> Result<Vec<TenantId>, sqlx::Error> {
        const SQL: &str = "SELECT t.id FROM tenants t \
             LEFT JOIN licence_readings r ON r.tenant_id = t.id \
             WHERE t.access <> 'ended' AND (r.tenant_id IS NULL \
                OR (r.retry_at IS NOT NULL AND r.retry_at <= $1) \
                OR (r.retry_at IS NULL AND r.outcome = 'read' AND r.attempt_at < $2) \
                OR (r.retry_at IS NULL AND r.outcome <> 'read' AND r.attempt_at < $3)) \
             ORDER BY t.id";
        let now = now();
        let ids: Vec<String> = with_pool!(self, pool => sqlx::query_scalar(SQL)
            .bind(now).bind(now - every).bind(now - Duration::hours(1))
            .fetch_all(pool).await)?;
        Ok(ids
            .iter()
            .filter_map(|id| TenantId::parse(id).ok())
            .collect())
    }

    /// Keeps the rights of everyone in `tenant`'s directory as read from `started` on: each
    /// person's row is replaced, and the people no longer there are forgotten, unless they
    /// signed in since.
    pub async fn directory_rights(
        &self,
        tenant: &TenantId,
        people: &[PersonRights],
        started: OffsetDateTime,
    ) -> Result<(), sqlx::Error> {
        const GONE: &str = "DELETE FROM person_licences WHERE tenant_id = $1 AND read_at < $2";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for p in people {
                sqlx::query(UPSERT)
                    .bind(tenant.as_str()).bind(&p.object_id).bind(&p.name).bind(&p.email)
                    .bind(p.rights.as_str()).bind(p.pending).bind(p.source.as_str()).bind(p.read_at)
                    .execute(&mut *tx).await?;
            }
            sqlx::query(GONE).bind(tenant.as_str()).bind(started).execute(&mut *tx).await?;
            tx.commit().await
        })
    }

    /// Keeps one person's rights as read when they signed in.
    pub async fn person_rights_read(
        &self,
        tenant: &TenantId,
        p: &PersonRights,
    ) -> Result<(), sqlx::Error> {
        with_pool!(self, pool => sqlx::query(UPSERT)
            .bind(tenant.as_str()).bind(&p.object_id).bind(&p.name).bind(&p.email)
            .bind(p.rights.as_str()).bind(p.pending).bind(p.source.as_str()).bind(p.read_at)
            .execute(pool).await.map(drop))
    }

    /// One person's rights, if Flowhost read them.
    pub async fn person_rights(
        &self,
        tenant: &TenantId,
        object_id: &str,
    ) -> Result<Option<PersonRights>, sqlx::Error> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM person_licences WHERE tenant_id = $1 AND object_id = $2"
        );
        let row: Option<PersonRow> = with_pool!(self, pool => sqlx::query_as(&sql)
            .bind(tenant.as_str()).bind(object_id).fetch_optional(pool).await)?;
        Ok(row.map(PersonRow::read))
    }

    /// The people of `tenant` whose rights do not cover flows that use Flowhost, by name (at
    /// most [`PEOPLE_SHOWN`]), and how many there are in all.
    pub async fn people_without_cover(
        &self,
        tenant: &TenantId,
    ) -> Result<(Vec<PersonRights>, i64), sqlx::Error> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM person_licences \
             WHERE tenant_id = $1 AND rights <> 'premium' ORDER BY name, email LIMIT $2"
        );
        const COUNT: &str =
            "SELECT COUNT(*) FROM person_licences WHERE tenant_id = $1 AND rights <> 'premium'";
        let rows: Vec<PersonRow> = with_pool!(self, pool => sqlx::query_as(&sql)
            .bind(tenant.as_str()).bind(PEOPLE_SHOWN).fetch_all(pool).await)?;
        let total: i64 = with_pool!(self, pool => sqlx::query_scalar(COUNT)
            .bind(tenant.as_str()).fetch_one(pool).await)?;
        Ok((rows.into_iter().map(PersonRow::read).collect(), total))
    }

    /// The names of `tenant`'s Flowhost admins who signed in, to say whom to ask.
    pub async fn tenant_admin_names(&self, tenant: &TenantId) -> Result<Vec<String>, sqlx::Error> {
        const SQL: &str = "SELECT name FROM users WHERE tenant_id = $1 \
             AND (' ' || roles || ' ') LIKE '% Flowhost.TenantAdmin %' ORDER BY name LIMIT 3";
        with_pool!(self, pool => sqlx::query_scalar(SQL)
            .bind(tenant.as_str()).fetch_all(pool).await)
    }
}
