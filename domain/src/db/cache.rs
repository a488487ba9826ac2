//! What every request or record page reads, held in memory: the widget configuration, each
//! organisation's Power Automate settings and each organisation's standing (admitted, its
//! plan). A copy serves for at most [`FRESH_FOR`]; then the configuration's newest version
//! number is asked for (one small query, the configuration is read again only when it
//! changed), and an organisation's settings or standing are read again. A change made through
//! this instance shows at once (the writer calls [`ConfigCache::forget`],
//! [`ConfigCache::forget_settings`] or [`Standings::forget`]); one made through another
//! instance shows here within `FRESH_FOR`. A read that was under way when a change was
//! forgotten is not kept, so a copy older than the change never serves after it.

use super::Db;
use super::config::{FlowSettings, Versioned};
use crate::plan::Standing;
use crate::tenant::TenantId;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// How long a copy serves before it is checked against the database.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

fn fresh(at: &Instant) -> bool {
    at.elapsed() < FRESH_FOR
}

/// One value per organisation, each serving for at most `FRESH_FOR`. Entries older than that
/// are dropped whenever one is added, so it holds at most the organisations seen within the
/// last `FRESH_FOR`.
struct PerTenant<T> {
    held: RwLock<HashMap<TenantId, (Instant, T)>>,
    /// Raised by every `forget`, under the lock; a read keeps what it read only when this has
    /// not changed since it began.
    forgotten: AtomicU64,
}

impl<T> Default for PerTenant<T> {
    fn default() -> Self {
        PerTenant {
            held: RwLock::default(),
            forgotten: AtomicU64::default(),
        }
    }
}

impl<T: Clone> PerTenant<T> {
    fn fresh(&self, tenant: &TenantId) -> Option<T> {
        self.held
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(tenant)
            .filter(|(at, _)| fresh(at))
            .map(|(_, value)| value.clone())
    }

    /// `tenant`'s copy, or `read`'s answer, kept unless a change was forgotten meanwhile.
    async fn get<F>(&self, tenant: &TenantId, read: F) -> Result<T, sqlx::Error>
    where
        F: Future<Output = Result<T, sqlx::Error>>,
    {
        if let Some(value) = self.fresh(tenant) {
            return Ok(value);
        }
        let began = self.forgotten.load(Ordering::SeqCst);
        let value = read.await?;
        self.keep(began, tenant, value.clone());
        Ok(value)
    }

    /// Keeps `tenant`'s `value`, read since `began`, unless a change was forgotten since.
    fn keep(&self, began: u64, tenant: &TenantId, value: T) {
        let mut all = self.held.write().unwrap_or_else(PoisonError::into_inner);
        all.retain(|_, (at, _)| fresh(at));
        if self.forgotten.load(Ordering::SeqCst) == began {
            all.insert(tenant.clone(), (Instant::now(), value));
        }
    }

    fn forget(&self, tenant: &TenantId) {
        let mut all = self.held.write().unwrap_or_else(PoisonError::into_inner);
        self.forgotten.fetch_add(1, Ordering::SeqCst);
        all.remove(tenant);
    }
}

#[derive(Default)]
pub struct ConfigCache {
    config: RwLock<Option<(Instant, Arc<Versioned>)>>,
    /// One re-read at a time: a burst of requests after `FRESH_FOR` checks the version once.
    reading: tokio::sync::Mutex<()>,
    settings: PerTenant<FlowSettings>,
    /// Raised by every `forget`, under the lock of the configuration; a read keeps what it
    /// read only when this has not changed since it began.
    forgotten: AtomicU64,
}

impl ConfigCache {
    /// The newest widget configuration, at most `FRESH_FOR` old.
    pub async fn get(&self, db: &Db) -> Result<Arc<Versioned>, sqlx::Error> {
        if let Some(config) = self.fresh_config() {
            return Ok(config);
        }
        let _reading = self.reading.lock().await;
        if let Some(config) = self.fresh_config() {
            return Ok(config);
        }
        let began = self.began();
        let newest = db.widget_config_version().await?;
        let known = self
            .config
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map(|(_, config)| config.clone())
            .filter(|config| config.version == newest);
        let config = match known {
            Some(config) => config,
            None => {
                let read = Arc::new(db.widget_config().await?);
                if let Some(fallback) = &read.fallback {
                    for (version, why) in &fallback.unreadable {
                        tracing::error!(
                            version,
                            error = %why,
                            used = fallback.used,
                            "a widget configuration version could not be read; record pages use an older one"
                        );
                    }
                }
                read
            }
        };
        self.keep_config(began, config.clone());
        Ok(config)
    }

    /// Where a read begins: what it reads may be kept only if nothing is forgotten meanwhile.
    fn began(&self) -> u64 {
        self.forgotten.load(Ordering::SeqCst)
    }

    /// Keeps `config`, read since `began`, unless a save was forgotten since.
    fn keep_config(&self, began: u64, config: Arc<Versioned>) {
        let mut slot = self.config.write().unwrap_or_else(PoisonError::into_inner);
        if self.forgotten.load(Ordering::SeqCst) == began {
            *slot = Some((Instant::now(), config));
        }
    }

    fn fresh_config(&self) -> Option<Arc<Versioned>> {
        self.config
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .filter(|(at, _)| fresh(at))
            .map(|(_, config)| config.clone())
    }

    /// `tenant`'s Power Automate settings, at most `FRESH_FOR` old.
    pub async fn settings(&self, db: &Db, tenant: &TenantId) -> Result<FlowSettings, sqlx::Error> {
        self.settings
            .get(tenant, db.scope(tenant).flow_settings())
            .await
    }

    /// After a save of the configuration through this instance: the next read asks again.
    pub fn forget(&self) {
        let mut slot = self.config.write().unwrap_or_else(PoisonError::into_inner);
        self.forgotten.fetch_add(1, Ordering::SeqCst);
        *slot = None;
    }

    /// After a save of `tenant`'s settings through this instance: the next read asks again.
    pub fn forget_settings(&self, tenant: &TenantId) {
        self.settings.forget(tenant);
    }
}

/// Each organisation's standing as [`Db::standing`] reads it (`None`: not registered), held
/// for admission, which asks on every request.
#[derive(Default)]
pub struct Standings(PerTenant<Option<Standing>>);

impl Standings {
    /// `tenant`'s standing, at most `FRESH_FOR` old.
    pub async fn get(&self, db: &Db, tenant: &TenantId) -> Result<Option<Standing>, sqlx::Error> {
        self.0.get(tenant, db.standing(tenant)).await
    }

    /// After `tenant`'s standing changed through this instance (registered, subscribed,
    /// suspended, ended, deleted): the next read asks again.
    pub fn forget(&self, tenant: &TenantId) {
        self.0.forget(tenant);
    }
}

#[cfg(test)]
mod tests {
    use super::{ConfigCache, FRESH_FOR, Standings};
    use crate::db::testing::fresh_db;
    use crate::tenant::{Tenant, TenantId};
    use std::collections::BTreeMap;
    use std::sync::atomic::Ordering;

    #[tokio::test]
    async fn settings_show_at_once_where_saved_and_within_the_bound_elsewhere() {
        let db = fresh_db().await.unwrap();
        let contoso = Tenant {
            id: TenantId::parse("c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70").unwrap(),
            name: "Contoso".into(),
        };
        db.upsert_tenant(&contoso).await.unwrap();
        let (saver, other) = (ConfigCache::default(), ConfigCache::default());
        for cache in [&saver, &other] {
            let read = cache.settings(&db, &contoso.id).await.unwrap();
            assert_eq!(read.environment, None);
        }
        let off = BTreeMap::from([("flows".to_owned(), false)]);
        db.scope(&contoso.id)
            .set_flow_settings(Some("Default-env"), None, &off)
            .await
            .unwrap();
        saver.forget_settings(&contoso.id);
        let seen = saver.settings(&db, &contoso.id).await.unwrap();
        assert_eq!(seen.environment.as_deref(), Some("Default-env"));
        assert!(!seen.shows("flows"));
        tokio::time::sleep(FRESH_FOR).await;
        let seen = other.settings(&db, &contoso.id).await.unwrap();
        assert_eq!(seen.environment.as_deref(), Some("Default-env"));
    }

    #[tokio::test]
    async fn a_read_under_way_when_a_save_is_forgotten_is_not_kept() {
        let db = fresh_db().await.unwrap();
        let contoso = TenantId::parse("c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70").unwrap();
        let cache = ConfigCache::default();
        let older = std::sync::Arc::new(db.widget_config().await.unwrap());

        // A read began, a save was forgotten, then the read finished: its copy is older than
        // the save, so the next request reads again.
        let began = cache.began();
        cache.forget();
        cache.keep_config(began, older.clone());
        assert!(cache.fresh_config().is_none());
        let began = cache.settings.forgotten.load(Ordering::SeqCst);
        cache.forget_settings(&contoso);
        cache.settings.keep(began, &contoso, Default::default());
        assert!(cache.settings.fresh(&contoso).is_none());

        // Without a save in between, the copy is kept.
        let began = cache.began();
        cache.keep_config(began, older);
        assert!(cache.fresh_config().is_some());
        let began = cache.settings.forgotten.load(Ordering::SeqCst);
        cache.settings.keep(began, &contoso, Default::default());
        assert!(cache.settings.fresh(&contoso).is_some());
    }

    #[tokio::test]
    async fn a_standing_changed_here_shows_at_once_and_elsewhere_within_the_bound() {
        let db = fresh_db().await.unwrap();
        let contoso = Tenant {
            id: TenantId::parse("c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70").unwrap(),
            name: "Contoso".into(),
        };
        let (changer, other) = (Standings::default(), Standings::default());
        for held in [&changer, &other] {
            assert_eq!(held.get(&db, &contoso.id).await.unwrap(), None);
        }
        db.upsert_tenant(&contoso).await.unwrap();
        changer.forget(&contoso.id);
        assert!(changer.get(&db, &contoso.id).await.unwrap().is_some());
        assert_eq!(
            other.get(&db, &contoso.id).await.unwrap(),
            None,
            "another instance serves its copy until it is FRESH_FOR old"
        );
        tokio::time::sleep(FRESH_FOR).await;
        assert!(other.get(&db, &contoso.id).await.unwrap().is_some());
    }
}
