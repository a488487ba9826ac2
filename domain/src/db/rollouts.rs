//! Roll-outs of pre-built flows' new versions, and each organisation's leave for them.

use super::tenants::now;
use super::{Db, TenantScope, with_pool};
use crate::rollout::{Claimed, Rollout, RolloutLeave, Target, TargetState};
use std::time::Duration;
use time::OffsetDateTime;

/// What starting a roll-out came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Started {
    /// Started, with this many organisations to upgrade.
    Started { id: i64, targets: usize },
    /// A roll-out of the flow is still under way.
    Busy,
    /// No organisation has the flow at an older version.
    NothingBehind,
}

impl Db {
    /// Starts rolling version `version` of `flow_id` out to every organisation that has an
    /// older one, unless a roll-out of the flow is still under way.
    pub async fn start_rollout(
        &self,
        flow_id: &str,
        version: i64,
        by: &str,
    ) -> Result<Started, sqlx::Error> {
        const BUSY: &str = "SELECT COUNT(*) FROM rollout_targets t JOIN rollouts r ON r.id = t.rollout_id \
             WHERE r.flow_id = $1 AND t.state IN ('waiting', 'working')";
        const BEHIND: &str = "SELECT tenant_id FROM deployments WHERE flow_id = $1 AND version < $2 \
             ORDER BY tenant_id";
        const ROLLOUT: &str = "INSERT INTO rollouts (flow_id, version, started_by, started_at) \
             VALUES ($1, $2, $3, $4) RETURNING id";
        const TARGET: &str = "INSERT INTO rollout_targets (rollout_id, flow_id, tenant_id, state) \
             VALUES ($1, $2, $3, 'waiting')";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let (busy,): (i64,) = sqlx::query_as(BUSY).bind(flow_id).fetch_one(&mut *tx).await?;
            if busy > 0 {
                return Ok(Started::Busy);
            }
            let behind: Vec<(String,)> = sqlx::query_as(BEHIND)
                .bind(flow_id)
                .bind(version)
                .fetch_all(&mut *tx)
                .await?;
            if behind.is_empty() {
                return Ok(Started::NothingBehind);
            }
            let (id,): (i64,) = sqlx::query_as(ROLLOUT)
                .bind(flow_id)
                .bind(version)
                .bind(by)
                .bind(now())
                .fetch_one(&mut *tx)
                .await?;
            for (tenant,) in &behind {
                let added = sqlx::query(TARGET).bind(id).bind(flow_id).bind(tenant).execute(&mut *tx).await;
                // Another roll-out of the flow started meanwhile (another instance, a double
                // click): the unique index on the parts under way refuses this one.
                match added {
                    Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(Started::Busy),
                    other => other?,
                };
            }
            tx.commit().await?;
            Ok(Started::Started { id, targets: behind.len() })
        })
    }

    /// Claims one waiting target (or one whose claim lapsed) for `lease`.
    pub async fn claim_rollout_target(
        &self,
        lease: Duration,
    ) -> Result<Option<Claimed>, sqlx::Error> {
        const NEXT: &str = "SELECT rollout_id, tenant_id FROM rollout_targets \
             WHERE state = 'waiting' OR (state = 'working' AND claimed_until < $1) \
             ORDER BY rollout_id, tenant_id LIMIT 1";
        const CLAIM: &str = "UPDATE rollout_targets SET state = 'working', claimed_until = $4 \
             WHERE rollout_id = $1 AND tenant_id = $2 \
             AND (state = 'waiting' OR (state = 'working' AND claimed_until < $3))";
        const ROLLOUT: &str =
            "SELECT id, flow_id, version, started_by, started_at FROM rollouts WHERE id = $1";
        let now = now();
        let until = now + lease;
        with_pool!(self, pool => {
            // Another instance may take the same one first: then look again.
            for _ in 0..8 {
                let next: Option<(i64, String)> =
                    sqlx::query_as(NEXT).bind(now).fetch_optional(pool).await?;
                let Some((rollout_id, tenant_id)) = next else {
                    return Ok(None);
                };
                let claimed = sqlx::query(CLAIM)
                    .bind(rollout_id)
                    .bind(&tenant_id)
                    .bind(now)
                    .bind(until)
                    .execute(pool)
                    .await?
                    .rows_affected();
                if claimed == 1 {
                    let rollout: Rollout =
                        sqlx::query_as(ROLLOUT).bind(rollout_id).fetch_one(pool).await?;
                    return Ok(Some(Claimed { rollout, tenant_id, until }));
                }
            }
            Ok(None)
        })
    }

    /// Records how one organisation's part of a roll-out ended, while `claimed` still holds
    /// it; `false` when its claim lapsed and another instance took the part over.
    pub async fn finish_rollout_target(
        &self,
        claimed: &Claimed,
        state: TargetState,
        result: &i18n::Msg,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE rollout_targets SET state = $3, result = $4, finished_at = $5, \
             claimed_until = NULL WHERE rollout_id = $1 AND tenant_id = $2 \
             AND state = 'working' AND claimed_until = $6";
        let result = serde_json::to_string(result).ok();
        let done = with_pool!(self, pool => sqlx::query(SQL)
            .bind(claimed.rollout.id)
            .bind(&claimed.tenant_id)
            .bind(state.as_str())
            .bind(result)
            .bind(now())
            .bind(claimed.until)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    /// The newest `limit` roll-outs, newest first, each with its targets by organisation name.
    pub async fn rollouts(&self, limit: i64) -> Result<Vec<(Rollout, Vec<Target>)>, sqlx::Error> {
        const ROLLOUTS: &str = "SELECT id, flow_id, version, started_by, started_at FROM rollouts \
             ORDER BY id DESC LIMIT $1";
        const TARGETS: &str = "SELECT t.rollout_id, t.tenant_id, n.name AS organisation, t.state, \
             t.result, t.finished_at FROM rollout_targets t JOIN tenants n ON n.id = t.tenant_id \
             WHERE t.rollout_id >= $1 ORDER BY n.name";
        with_pool!(self, pool => {
            let rollouts: Vec<Rollout> =
                sqlx::query_as(ROLLOUTS).bind(limit).fetch_all(pool).await?;
            let Some(oldest) = rollouts.last().map(|r| r.id) else {
                return Ok(Vec::new());
            };
            let targets: Vec<Target> = sqlx::query_as(TARGETS).bind(oldest).fetch_all(pool).await?;
            Ok(rollouts
                .into_iter()
                .map(|r| {
                    let of = targets.iter().filter(|t| t.rollout_id == r.id).cloned().collect();
                    (r, of)
                })
                .collect())
        })
    }
}

impl TenantScope<'_> {
    /// The admin's leave for roll-outs, if one was given.
    pub async fn rollout_leave(&self) -> Result<Option<RolloutLeave>, sqlx::Error> {
        const SQL: &str = "SELECT rollout_organisation_url, rollout_allowed_by, rollout_allowed_at \
             FROM tenants WHERE id = $1";
        type Row = (Option<String>, Option<String>, Option<OffsetDateTime>);
        let row: Option<Row> = with_pool!(self.db, pool => sqlx::query_as(SQL)
            .bind(self.tenant.as_str())
            .fetch_optional(pool)
            .await)?;
        Ok(match row {
            Some((Some(organisation_url), Some(by), Some(at))) => Some(RolloutLeave {
                organisation_url,
                by,
                at,
            }),
            _ => None,
        })
    }

    /// Records (or, with `None`, withdraws) leave for roll-outs into `organisation_url`.
    pub async fn set_rollout_leave(
        &self,
        organisation_url: Option<&str>,
        by: &str,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "UPDATE tenants SET rollout_organisation_url = $2, \
             rollout_allowed_by = $3, rollout_allowed_at = $4 WHERE id = $1";
        let (by, at) = match organisation_url {
            Some(_) => (Some(by), Some(now())),
            None => (None, None),
        };
        with_pool!(self.db, pool => sqlx::query(SQL)
            .bind(self.tenant.as_str())
            .bind(organisation_url)
            .bind(by)
            .bind(at)
            .execute(pool)
            .await
            .map(drop))
    }
}

#[cfg(test)]
mod tests {
    use super::Started;
    use crate::db::NewDeployment;
    use crate::db::testing::fresh_db;
    use crate::rollout::TargetState;
    use crate::{Tenant, TenantId};
    use std::time::Duration;

    const FLOW: &str = "flow-a";

    async fn with_deployment() -> (crate::db::Db, TenantId) {
        let db = fresh_db().await.unwrap();
        let id = TenantId::parse("c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70").unwrap();
        let tenant = Tenant {
            id: id.clone(),
            name: "Contoso".into(),
        };
        db.upsert_tenant(&tenant).await.unwrap();
        let new = NewDeployment {
            flow_id: FLOW,
            version: 1,
            organisation_url: "https://org.example/",
            workflow_id: "7c1d4c8e-2f0b-4f7a-9a11-3b2d6e5f4a10",
            reference_name: "flowhost_a",
            connection_name: None,
            parameters: "{}",
            by: "adele",
        };
        assert!(db.scope(&id).begin_install(&new).await.unwrap());
        (db, id)
    }

    #[tokio::test]
    async fn one_rollout_of_a_flow_at_a_time_and_only_the_claim_holder_records_it() {
        let (db, _) = with_deployment().await;
        assert_eq!(
            db.start_rollout(FLOW, 1, "iris").await.unwrap(),
            Started::NothingBehind
        );
        assert!(matches!(
            db.start_rollout(FLOW, 2, "iris").await.unwrap(),
            Started::Started { targets: 1, .. }
        ));
        assert_eq!(
            db.start_rollout(FLOW, 2, "iris").await.unwrap(),
            Started::Busy
        );

        // A claim that lapsed is taken over; the first holder's result is then not recorded.
        let first = db
            .claim_rollout_target(Duration::ZERO)
            .await
            .unwrap()
            .unwrap();
        tokio::time::sleep(Duration::from_millis(5)).await;
        let second = db
            .claim_rollout_target(Duration::from_secs(60))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(first.tenant_id, second.tenant_id);
        assert!(
            db.claim_rollout_target(Duration::from_secs(60))
                .await
                .unwrap()
                .is_none()
        );
        let said = i18n::Msg::new("rollout-upgraded");
        assert!(
            !db.finish_rollout_target(&first, TargetState::Failed, &said)
                .await
                .unwrap()
        );
        assert!(
            db.finish_rollout_target(&second, TargetState::Upgraded, &said)
                .await
                .unwrap()
        );
        let (_, targets) = db.rollouts(1).await.unwrap().remove(0);
        assert_eq!(targets[0].state, TargetState::Upgraded);
        // Finished, the flow may be rolled out again.
        assert!(matches!(
            db.start_rollout(FLOW, 2, "iris").await.unwrap(),
            Started::Started { .. }
        ));
    }
}
