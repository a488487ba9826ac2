use super::tenants::now;
use super::{Db, TenantScope, with_pool};
use crate::widget_config::WidgetConfig;
use i18n::Msg;
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// The widget configuration as it stands: the newest version, and the configuration pages use.
#[derive(Clone, Debug, PartialEq)]
pub struct Versioned {
    /// The newest version's number, the base the next save builds on.
    pub version: i64,
    /// The newest version's configuration, or, when that one cannot be read, the newest that can.
    pub config: WidgetConfig,
    /// Who saved the newest version, and when.
    pub author: String,
    pub saved_at: OffsetDateTime,
    /// Set when `config` is not the newest version's.
    pub fallback: Option<Fallback>,
}

/// Versions whose stored document could not be read, and the one read instead.
#[derive(Clone, Debug, PartialEq)]
pub struct Fallback {
    /// Newest first: each version that could not be read, and why.
    pub unreadable: Vec<(i64, String)>,
    /// The version `config` is; 0 when none could be read and the seeded configuration is used.
    pub used: i64,
}

impl Fallback {
    /// "Version 5 could not be read: …; pages use version 4."
    pub fn notice(&self) -> Msg {
        let versions: Vec<String> = self.unreadable.iter().map(|(v, _)| v.to_string()).collect();
        let why: Vec<&str> = self
            .unreadable
            .iter()
            .map(|(_, why)| why.as_str())
            .collect();
        Msg::new("config-unreadable")
            .with("count", versions.len())
            .with("versions", versions.join(", "))
            .with("why", why.join("; "))
            .with("used", self.used)
    }
}

/// A version as the history lists it: who, when, and what changed (one message a change).
#[derive(Clone, Debug, PartialEq)]
pub struct VersionSummary {
    pub version: i64,
    pub author: String,
    pub changes: Vec<Msg>,
    pub saved_at: OffsetDateTime,
}

/// A version's changes as its `summary` column holds them: a JSON array of messages (ids and
/// arguments, no words), so that the history speaks its reader's language.
fn summary(changes: &[Msg]) -> String {
    serde_json::to_string(changes).expect("messages serialise")
}

/// The changes a `summary` column holds. A summary that is not an array of messages (one
/// written as text, a line a change) is shown as it was written, a line a message.
fn read_summary(summary: &str) -> Vec<Msg> {
    serde_json::from_str(summary).unwrap_or_else(|_| {
        summary
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| Msg::new("change-as-recorded").with("text", line))
            .collect()
    })
}

/// Someone saved another version since the one a change was based on.
#[derive(Debug, PartialEq, Eq)]
pub struct Stale;

/// Who saved the seeded configuration.
const SEED_AUTHOR: &str = "Flowhost";

impl Db {
    /// The number of the newest version (0 before the first read seeds one).
    pub async fn widget_config_version(&self) -> Result<i64, sqlx::Error> {
        const SQL: &str = "SELECT COALESCE(MAX(version), 0) FROM widget_config_versions";
        with_pool!(self, pool => sqlx::query_scalar(SQL).fetch_one(pool).await)
    }

    /// The newest version; the seeded configuration becomes version 1 the first time. When the
    /// newest version's document cannot be read, the configuration is the newest one that can
    /// (`fallback` says which and why), so pages keep their widgets and a save still builds on
    /// the newest version's number.
    pub async fn widget_config(&self) -> Result<Versioned, sqlx::Error> {
        const LATEST: &str = "SELECT version, document, author, created_at FROM widget_config_versions \
                              ORDER BY version DESC LIMIT 1";
        loop {
            let row: Option<(i64, String, String, OffsetDateTime)> =
                with_pool!(self, pool => sqlx::query_as(LATEST).fetch_optional(pool).await)?;
            match row {
                Some((version, document, author, saved_at)) => {
                    let (config, fallback) = match parse(&document) {
                        Ok(config) => (config, None),
                        Err(why) => {
                            let (config, fallback) = self.readable_before(version, why).await?;
                            (config, Some(fallback))
                        }
                    };
                    return Ok(Versioned {
                        version,
                        config,
                        author,
                        saved_at,
                        fallback,
                    });
                }
                // Instances that start together agree: the first insert wins, the others read it.
                None => {
                    let seeded = WidgetConfig::seeded();
                    match self
                        .insert_version(1, &seeded, SEED_AUTHOR, &[Msg::new("change-seeded")])
                        .await
                    {
                        Ok(_) | Err(Insert::Taken) => continue,
                        Err(Insert::Db(e)) => return Err(e),
                    }
                }
            }
        }
    }

    /// The newest version older than `unreadable` that can be read (the seeded configuration
    /// when none can), and the versions skipped on the way.
    async fn readable_before(
        &self,
        unreadable: i64,
        why: serde_json::Error,
    ) -> Result<(WidgetConfig, Fallback), sqlx::Error> {
        const OLDER: &str = "SELECT version, document FROM widget_config_versions \
                             WHERE version < $1 ORDER BY version DESC LIMIT 1";
        let mut fallback = Fallback {
            unreadable: vec![(unreadable, why.to_string())],
            used: 0,
        };
        let mut below = unreadable;
        loop {
            let row: Option<(i64, String)> = with_pool!(self, pool => sqlx::query_as(OLDER)
                .bind(below)
                .fetch_optional(pool)
                .await)?;
            let Some((version, document)) = row else {
                return Ok((WidgetConfig::seeded(), fallback));
            };
            match parse(&document) {
                Ok(config) => {
                    fallback.used = version;
                    return Ok((config, fallback));
                }
                Err(why) => {
                    fallback.unreadable.push((version, why.to_string()));
                    below = version;
                }
            }
        }
    }

    /// A version by number.
    pub async fn widget_config_at(
        &self,
        version: i64,
    ) -> Result<Option<WidgetConfig>, sqlx::Error> {
        const SQL: &str = "SELECT document FROM widget_config_versions WHERE version = $1";
        let document: Option<String> = with_pool!(self, pool => sqlx::query_scalar(SQL).bind(version).fetch_optional(pool).await)?;
        document
            .as_deref()
            .map(parse)
            .transpose()
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))
    }

    /// The newest versions first.
    pub async fn widget_config_history(
        &self,
        limit: i64,
    ) -> Result<Vec<VersionSummary>, sqlx::Error> {
        const SQL: &str = "SELECT version, author, summary, created_at FROM widget_config_versions \
                           ORDER BY version DESC LIMIT $1";
        let rows: Vec<(i64, String, String, OffsetDateTime)> =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(limit).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|(version, author, summary, saved_at)| VersionSummary {
                version,
                author,
                changes: read_summary(&summary),
                saved_at,
            })
            .collect())
    }

    /// Saves `config` as the version after `base`; refused when `base` is no longer the newest.
    pub async fn save_widget_config(
        &self,
        base: i64,
        config: &WidgetConfig,
        author: &str,
        changes: &[Msg],
    ) -> Result<Result<i64, Stale>, sqlx::Error> {
        if self.widget_config_version().await? != base {
            return Ok(Err(Stale));
        }
        match self.insert_version(base + 1, config, author, changes).await {
            Ok(version) => Ok(Ok(version)),
            Err(Insert::Taken) => Ok(Err(Stale)),
            Err(Insert::Db(e)) => Err(e),
        }
    }

    async fn insert_version(
        &self,
        version: i64,
        config: &WidgetConfig,
        author: &str,
        changes: &[Msg],
    ) -> Result<i64, Insert> {
        const SQL: &str = "INSERT INTO widget_config_versions (version, document, author, summary, created_at) \
                           VALUES ($1, $2, $3, $4, $5)";
        let document = serde_json::to_string(config).expect("a configuration serialises");
        let inserted = with_pool!(self, pool => sqlx::query(SQL)
            .bind(version)
            .bind(document)
            .bind(author)
            .bind(summary(changes))
            .bind(now())
            .execute(pool)
            .await
            .map(drop));
        match inserted {
            Ok(()) => Ok(version),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(Insert::Taken),
            Err(e) => Err(Insert::Db(e)),
        }
    }
}

enum Insert {
    /// Another save took this version number first.
    Taken,
    Db(sqlx::Error),
}

fn parse(document: &str) -> Result<WidgetConfig, serde_json::Error> {
    serde_json::from_str(document)
}

/// The environment, its Dataverse URL, and one placement switch.
type SettingsRow = (Option<String>, Option<String>, Option<String>, Option<bool>);

/// An organisation's own Power Automate settings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlowSettings {
    /// `None`: the service's default environment.
    pub environment: Option<String>,
    /// The Web API origin of the environment's Dataverse organisation, when it has one
    /// (`https://{org}.crm.dynamics.com/`): where pre-built flows are deployed.
    pub dataverse: Option<String>,
    /// The placements its admins turned off (`false`) or back on.
    pub switches: BTreeMap<String, bool>,
}

impl FlowSettings {
    pub fn shows(&self, key: &str) -> bool {
        self.switches.get(key) != Some(&false)
    }
}

impl TenantScope<'_> {
    /// The tenant's environment and switches, in one query (record pages read them each time).
    pub async fn flow_settings(&self) -> Result<FlowSettings, sqlx::Error> {
        const SQL: &str = "SELECT t.flow_environment, t.flow_dataverse_url, p.placement_key, p.enabled FROM tenants t \
                           LEFT JOIN tenant_placements p ON p.tenant_id = t.id WHERE t.id = $1";
        let rows: Vec<SettingsRow> = with_pool!(self.db, pool => sqlx::query_as(SQL)
            .bind(self.tenant.as_str())
            .fetch_all(pool)
            .await)?;
        let mut settings = FlowSettings::default();
        for (environment, dataverse, key, enabled) in rows {
            settings.environment = environment;
            settings.dataverse = dataverse;
            if let (Some(key), Some(enabled)) = (key, enabled) {
                settings.switches.insert(key, enabled);
            }
        }
        Ok(settings)
    }

    /// Replaces the tenant's switches and environment (with its Dataverse URL) together.
    pub async fn set_flow_settings(
        &self,
        environment: Option<&str>,
        dataverse: Option<&str>,
        switches: &BTreeMap<String, bool>,
    ) -> Result<(), sqlx::Error> {
        const CLEAR: &str = "DELETE FROM tenant_placements WHERE tenant_id = $1";
        const SWITCH: &str =
            "INSERT INTO tenant_placements (tenant_id, placement_key, enabled) VALUES ($1, $2, $3)";
        const ENVIRONMENT: &str =
            "UPDATE tenants SET flow_environment = $2, flow_dataverse_url = $3 WHERE id = $1";
        with_pool!(self.db, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(CLEAR).bind(self.tenant.as_str()).execute(&mut *tx).await?;
            for (key, enabled) in switches {
                sqlx::query(SWITCH)
                    .bind(self.tenant.as_str())
                    .bind(key)
                    .bind(*enabled)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(ENVIRONMENT).bind(self.tenant.as_str()).bind(environment).bind(dataverse).execute(&mut *tx).await?;
            tx.commit().await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Fallback;
    use crate::db::testing::fresh_db;
    use crate::db::{Db, with_pool};
    use crate::widget_config::WidgetConfig;
    use i18n::{Lang, Msg};

    /// Stores `document` as `version` without any check.
    async fn insert_raw(db: &Db, version: i64, document: &str) {
        const SQL: &str = "INSERT INTO widget_config_versions (version, document, author, summary, created_at) \
                           VALUES ($1, $2, 'A script', '', $3)";
        with_pool!(db, pool => sqlx::query(SQL)
            .bind(version)
            .bind(document)
            .bind(super::now())
            .execute(pool)
            .await
            .map(drop))
        .unwrap();
    }

    #[tokio::test]
    async fn unreadable_newest_versions_fall_back_to_the_newest_readable_one() {
        let db = fresh_db().await.unwrap();
        let mut edited = WidgetConfig::seeded();
        edited.placements[0].title = "Version 2".into();
        db.widget_config().await.unwrap();
        db.save_widget_config(1, &edited, "Iris", &[])
            .await
            .unwrap()
            .unwrap();
        insert_raw(&db, 3, "{").await;
        insert_raw(&db, 4, r#"{"placements": 1}"#).await;

        let current = db.widget_config().await.unwrap();
        assert_eq!((current.version, current.author.as_str()), (4, "A script"));
        assert_eq!(current.config, edited);
        let fallback = current.fallback.clone().expect("a fallback");
        assert_eq!(fallback.used, 2);
        assert_eq!(
            fallback.unreadable.iter().map(|u| u.0).collect::<Vec<_>>(),
            [4, 3]
        );
        let notice = fallback.notice().show(Lang::En);
        assert!(
            notice.starts_with("Versions 4, 3 could not be read: invalid type"),
            "{notice}"
        );
        assert!(notice.contains("; EOF"), "{notice}");
        assert!(notice.ends_with("; pages use version 2."), "{notice}");
        let dutch = fallback.notice().show(Lang::Nl);
        assert!(
            dutch.starts_with("Versies 4, 3 konden niet worden gelezen: invalid type"),
            "{dutch}"
        );
        assert!(dutch.ends_with("; pagina's gebruiken versie 2."), "{dutch}");
        let cache = crate::db::ConfigCache::default();
        assert_eq!(*cache.get(&db).await.unwrap(), current);

        // A save builds on the newest number and ends the fallback.
        assert_eq!(
            db.save_widget_config(4, &edited, "Iris", &[])
                .await
                .unwrap(),
            Ok(5)
        );
        cache.forget();
        let saved = cache.get(&db).await.unwrap();
        assert_eq!((saved.version, saved.fallback.clone()), (5, None));
    }

    #[test]
    fn a_summary_holds_messages_and_one_written_as_text_reads_as_written() {
        let changes = [
            Msg::new("change-restored").with("version", 3_i64),
            Msg::new("change-field")
                .with("key", "flows")
                .with("field", "enabled")
                .with("old", Msg::new("change-on"))
                .with("new", Msg::new("change-off")),
        ];
        let stored = super::summary(&changes);
        assert!(!stored.contains("Restored"), "no words: {stored}");
        let read = super::read_summary(&stored);
        assert_eq!(read, changes);
        let dutch: Vec<String> = read.iter().map(|m| m.show(Lang::Nl)).collect();
        assert_eq!(
            dutch,
            [
                "Versie 3 teruggezet",
                "flows: enabled \u{2018}aan\u{2019} \u{2192} \u{2018}uit\u{2019}"
            ]
        );
        let old = "Restored version 1\naccount-templates: searchTerm \u{201c}a\u{201d} \u{2192} \u{201c}b\u{201d}";
        let lines: Vec<String> = super::read_summary(old)
            .iter()
            .map(|m| m.show(Lang::Nl))
            .collect();
        assert_eq!(lines, old.lines().collect::<Vec<_>>());
        assert!(super::read_summary("").is_empty());
    }

    #[tokio::test]
    async fn with_no_readable_version_pages_use_the_seeded_configuration() {
        let db = fresh_db().await.unwrap();
        insert_raw(&db, 1, "[]").await;
        let current = db.widget_config().await.unwrap();
        assert_eq!(current.config, WidgetConfig::seeded());
        let fallback = current.fallback.expect("a fallback");
        assert_eq!(fallback.used, 0);
        assert_eq!(
            Fallback {
                unreadable: vec![(1, "why".into())],
                used: 0
            }
            .notice()
            .show(Lang::En),
            "Version 1 could not be read: why; pages use the seeded configuration."
        );
    }

    #[tokio::test]
    async fn the_seed_is_version_one_and_a_stale_save_is_refused() {
        let db = fresh_db().await.unwrap();
        assert_eq!(db.widget_config_version().await.unwrap(), 0);
        let first = db.widget_config().await.unwrap();
        assert_eq!((first.version, first.author.as_str()), (1, "Flowhost"));
        assert_eq!(first.config, WidgetConfig::seeded());

        let mut edited = first.config.clone();
        edited.placements[0].title = "Edited".into();
        let changes = vec![Msg::new("change-imported")];
        assert_eq!(
            db.save_widget_config(1, &edited, "Iris", &changes)
                .await
                .unwrap(),
            Ok(2)
        );
        assert_eq!(
            db.save_widget_config(1, &edited, "Someone", &changes)
                .await
                .unwrap(),
            Err(super::Stale)
        );
        let history = db.widget_config_history(10).await.unwrap();
        assert_eq!(
            history.iter().map(|v| v.version).collect::<Vec<_>>(),
            [2, 1]
        );
        assert_eq!(history[0].changes, changes);
        assert_eq!(
            history[1].changes[0].show(Lang::Nl),
            "Standaardconfiguratie ingesteld"
        );
        assert_eq!(
            db.widget_config_at(1).await.unwrap(),
            Some(WidgetConfig::seeded())
        );

        // Two instances: the one that saves forgets its copy; the other asks again once its
        // copy is FRESH_FOR old.
        let (saver, other) = (
            crate::db::ConfigCache::default(),
            crate::db::ConfigCache::default(),
        );
        assert_eq!(saver.get(&db).await.unwrap().version, 2);
        assert_eq!(other.get(&db).await.unwrap().version, 2);
        db.save_widget_config(2, &WidgetConfig::seeded(), "Iris", &changes)
            .await
            .unwrap()
            .unwrap();
        saver.forget();
        assert_eq!(
            saver.get(&db).await.unwrap().version,
            3,
            "a save shows at once where it was made"
        );
        tokio::time::sleep(crate::db::FRESH_FOR).await;
        assert_eq!(other.get(&db).await.unwrap().version, 3);
    }
}
