//! The widget configuration ISV staff edit: the placements, each tenant's overrides of them,
//! and the operations that change it. Each operation checks what it stores and refuses a
//! change based on a revision someone else has saved since.

mod changes;
mod export;
mod form;
mod rules;

pub use changes::changes;
pub use export::{EXPORT_FORMAT, EXPORT_VERSION, Export};
pub use form::{FormValues, from_form, to_form};
pub use rules::{RESERVED_KEYS, SLOTS, check, problems};

use crate::placement::Placement;
use crate::placement::settings::SettingError;
use crate::tenant::TenantId;
use crate::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The placements, and per tenant the fields of a placement it has overridden.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WidgetConfig {
    pub placements: Vec<Placement>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub overrides: BTreeMap<TenantId, BTreeMap<String, Override>>,
}

/// What one tenant sees differently of one placement; every field left out is inherited.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Override {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Settings by their name (`searchTerm`, `flowsFilter`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub settings: BTreeMap<String, Value>,
    /// Counts the saves of this override, so that a stale edit is refused.
    #[serde(default)]
    pub revision: u32,
}

impl Override {
    pub fn is_empty(&self) -> bool {
        self.enabled.is_none()
            && self.order.is_none()
            && self.title.is_none()
            && self.settings.is_empty()
    }

    /// The names of the fields it overrides, in form order.
    pub fn fields(&self) -> Vec<String> {
        let mut fields: Vec<String> = [
            self.enabled.map(|_| "enabled"),
            self.order.map(|_| "order"),
            self.title.as_ref().map(|_| "title"),
        ]
        .into_iter()
        .flatten()
        .map(str::to_owned)
        .collect();
        fields.extend(self.settings.keys().cloned());
        fields
    }
}

/// Why a change to the configuration was refused; nothing was changed.
#[derive(Clone, Debug, PartialEq)]
pub enum Refused {
    /// Someone saved what the change edits after the revision it was based on.
    Stale,
    /// No placement has that key.
    NoSuchPlacement,
    /// The fields that break a rule, each with its message.
    Invalid(FieldErrors),
}

impl WidgetConfig {
    /// The seeded configuration.
    pub fn seeded() -> WidgetConfig {
        WidgetConfig {
            placements: crate::placement::defaults(),
            overrides: BTreeMap::new(),
        }
    }

    pub fn placement(&self, key: &str) -> Option<&Placement> {
        self.placements.iter().find(|p| p.key == key)
    }

    pub fn override_of(&self, tenant: &TenantId, key: &str) -> Option<&Override> {
        self.overrides.get(tenant)?.get(key)
    }

    /// Every placement in page order.
    pub fn sorted(&self) -> Vec<Placement> {
        let mut all = self.placements.clone();
        sort(&mut all);
        all
    }

    /// The placements as `tenant` sees them, in page order. An override that no longer applies
    /// (its setting gone from the placement's type) is left out, with the placement as it is.
    pub fn for_tenant(&self, tenant: &TenantId) -> Vec<Placement> {
        let mut all: Vec<Placement> = self
            .placements
            .iter()
            .map(|p| match self.override_of(tenant, &p.key) {
                Some(o) => apply(p, o).unwrap_or_else(|_| p.clone()),
                None => p.clone(),
            })
            .collect();
        sort(&mut all);
        all
    }

    /// Adds a new placement.
    pub fn add(&mut self, mut placement: Placement) -> Result<(), Refused> {
        let mut errors = check(&placement);
        if self.placement(&placement.key).is_some() {
            errors.add("key", i18n::Msg::new("rule-key-taken"));
        }
        errors.into_result(|| ()).map_err(Refused::Invalid)?;
        placement.revision = 0;
        self.placements.push(placement);
        Ok(())
    }

    /// Replaces the placement with `edited`'s key, which must still be at `revision`.
    pub fn edit(&mut self, mut edited: Placement, revision: u32) -> Result<(), Refused> {
        let base = self
            .placement(&edited.key)
            .ok_or(Refused::NoSuchPlacement)?;
        if base.revision != revision {
            return Err(Refused::Stale);
        }
        check(&edited)
            .into_result(|| ())
            .map_err(Refused::Invalid)?;
        edited.revision = revision + 1;
        for p in self.placements.iter_mut().filter(|p| p.key == edited.key) {
            *p = edited.clone();
        }
        Ok(())
    }

    /// Removes a placement and every tenant's override of it.
    pub fn remove(&mut self, key: &str) -> Result<(), Refused> {
        self.placement(key).ok_or(Refused::NoSuchPlacement)?;
        self.placements.retain(|p| p.key != key);
        for overrides in self.overrides.values_mut() {
            overrides.remove(key);
        }
        self.overrides.retain(|_, o| !o.is_empty());
        Ok(())
    }

    /// What `tenant` sees of the placement with `edited`'s key becomes `edited`, stored as the
    /// fields that differ; the override must still be at `revision` (0: none yet). The key,
    /// page and slot stay the placement's.
    pub fn set_override(
        &mut self,
        tenant: &TenantId,
        mut edited: Placement,
        revision: u32,
    ) -> Result<(), Refused> {
        let base = self
            .placement(&edited.key)
            .ok_or(Refused::NoSuchPlacement)?
            .clone();
        let had = self
            .override_of(tenant, &base.key)
            .map_or(0, |o| o.revision);
        if had != revision {
            return Err(Refused::Stale);
        }
        edited.page = base.page;
        edited.slot = base.slot.clone();
        check(&edited)
            .into_result(|| ())
            .map_err(Refused::Invalid)?;
        let o = difference(&base, &edited, had + 1);
        let overrides = self.overrides.entry(tenant.clone()).or_default();
        if o.is_empty() {
            overrides.remove(&base.key);
        } else {
            overrides.insert(base.key, o);
        }
        self.overrides.retain(|_, o| !o.is_empty());
        Ok(())
    }

    /// `tenant` inherits everything of the placement again.
    pub fn clear_override(&mut self, tenant: &TenantId, key: &str) -> Result<(), Refused> {
        self.placement(key).ok_or(Refused::NoSuchPlacement)?;
        if let Some(overrides) = self.overrides.get_mut(tenant) {
            overrides.remove(key);
        }
        self.overrides.retain(|_, o| !o.is_empty());
        Ok(())
    }

    /// `incoming` (a restored version, an import) as the next version after this one: every
    /// placement and override counts one more save than it had, so an editor still holding
    /// the old one is refused.
    pub fn adopt(&self, mut incoming: WidgetConfig) -> WidgetConfig {
        for p in &mut incoming.placements {
            p.revision = self
                .placement(&p.key)
                .map_or(0, |c| c.revision.max(p.revision) + 1);
        }
        for (tenant, overrides) in &mut incoming.overrides {
            for (key, o) in overrides.iter_mut() {
                o.revision = self
                    .override_of(tenant, key)
                    .map_or(0, |c| c.revision.max(o.revision) + 1);
            }
        }
        incoming
    }
}

fn sort(placements: &mut [Placement]) {
    placements.sort_by(|a, b| {
        (a.page.as_str(), a.order, &a.key).cmp(&(b.page.as_str(), b.order, &b.key))
    });
}

/// `base` with the override's fields in place of its own.
pub fn apply(base: &Placement, o: &Override) -> Result<Placement, SettingError> {
    let mut p = base.clone();
    if let Some(enabled) = o.enabled {
        p.enabled = enabled;
    }
    if let Some(order) = o.order {
        p.order = order;
    }
    if let Some(title) = &o.title {
        p.title = title.clone();
    }
    for (name, value) in &o.settings {
        p.settings.set(name, value.clone())?;
    }
    Ok(p)
}

/// The override that turns `base` into `edited`: only what differs.
pub fn difference(base: &Placement, edited: &Placement, revision: u32) -> Override {
    let ours = base.settings.values();
    Override {
        enabled: (edited.enabled != base.enabled).then_some(edited.enabled),
        order: (edited.order != base.order).then_some(edited.order),
        title: (edited.title != base.title).then(|| edited.title.clone()),
        settings: edited
            .settings
            .values()
            .iter()
            .filter(|(k, v)| ours.get(*k) != Some(v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        revision,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::{PageKind, WidgetType, blank};
    use serde_json::json;

    fn contoso() -> TenantId {
        TenantId::parse("c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70").unwrap()
    }

    fn seeded(key: &str) -> Placement {
        WidgetConfig::seeded().placement(key).unwrap().clone()
    }

    fn new_flows(key: &str) -> Placement {
        Placement {
            key: key.into(),
            title: "Flows".into(),
            ..blank(WidgetType::Flows, PageKind::Ticket)
        }
    }

    #[test]
    fn an_override_changes_only_its_fields_and_follows_the_rest() {
        let base = seeded("account-templates");
        let mut edited = base.clone();
        edited.enabled = false;
        edited.settings.set("searchTerm", json!("digest")).unwrap();
        let o = difference(&base, &edited, 1);
        assert_eq!(o.enabled, Some(false));
        assert_eq!(o.title, None);
        assert_eq!(o.fields(), ["enabled", "searchTerm"]);
        assert_eq!(apply(&base, &o).unwrap(), edited);

        // The ISV changes the title later: the tenant follows it.
        let mut config = WidgetConfig::seeded();
        config
            .overrides
            .insert(contoso(), BTreeMap::from([("account-templates".into(), o)]));
        config.placements[0].title = "New title".into();
        let theirs = config.for_tenant(&contoso());
        let p = theirs
            .iter()
            .find(|p| p.key == "account-templates")
            .unwrap();
        assert_eq!((p.title.as_str(), p.enabled), ("New title", false));
        let other = TenantId::parse("fab0c1d2-e3f4-4a5b-8c6d-7e8f9a0b1c2d").unwrap();
        assert!(config.for_tenant(&other).iter().all(|p| p.enabled));
    }

    #[test]
    fn add_checks_the_rules_and_refuses_a_taken_key() {
        let mut config = WidgetConfig::seeded();
        config.add(new_flows("ticket-flows")).unwrap();
        assert_eq!(config.placement("ticket-flows").unwrap().revision, 0);
        let Err(Refused::Invalid(errors)) = config.add(new_flows("ticket-flows")) else {
            panic!("a second placement with the same key");
        };
        let said = errors.get("key").map(|m| m.show(i18n::Lang::En));
        assert_eq!(said.as_deref(), Some("Another placement has this key."));
        let mut bad = new_flows("history");
        bad.title.clear();
        let Err(Refused::Invalid(errors)) = config.add(bad) else {
            panic!("a reserved key and no title");
        };
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["key", "title"]);
        assert_eq!(config.placements.len(), 7, "nothing refused was added");
    }

    #[test]
    fn edit_counts_revisions_and_refuses_a_stale_one() {
        let mut config = WidgetConfig::seeded();
        let mut edited = seeded("flows");
        edited.title = "Everything".into();
        config.edit(edited.clone(), 0).unwrap();
        assert_eq!(config.placement("flows").unwrap().revision, 1);
        edited.title = "Late".into();
        assert_eq!(config.edit(edited.clone(), 0), Err(Refused::Stale));
        assert_eq!(config.placement("flows").unwrap().title, "Everything");
        edited.key = "gone".into();
        assert_eq!(config.edit(edited, 1), Err(Refused::NoSuchPlacement));
    }

    #[test]
    fn remove_takes_every_override_of_the_placement_with_it() {
        let mut config = WidgetConfig::seeded();
        let mut theirs = seeded("flows");
        theirs.enabled = false;
        config.set_override(&contoso(), theirs, 0).unwrap();
        config.remove("flows").unwrap();
        assert!(config.placement("flows").is_none());
        assert!(config.overrides.is_empty());
        assert_eq!(config.remove("flows"), Err(Refused::NoSuchPlacement));
    }

    #[test]
    fn overrides_store_differences_keep_the_placement_where_it_is_and_clear() {
        let mut config = WidgetConfig::seeded();
        let mut theirs = seeded("account-flows");
        theirs.order = 5;
        theirs.page = PageKind::Flows;
        theirs.slot = "top".into();
        config.set_override(&contoso(), theirs.clone(), 0).unwrap();
        let o = config.override_of(&contoso(), "account-flows").unwrap();
        assert_eq!(
            (o.order, o.revision, o.fields()),
            (Some(5), 1, vec!["order".to_owned()])
        );
        let seen = config.for_tenant(&contoso());
        let p = seen.iter().find(|p| p.key == "account-flows").unwrap();
        assert_eq!((p.page, p.slot.as_str()), (PageKind::Account, "main"));

        assert_eq!(
            config.set_override(&contoso(), theirs.clone(), 0),
            Err(Refused::Stale)
        );
        // Back to the placement's own values: nothing is left to store.
        config
            .set_override(&contoso(), seeded("account-flows"), 1)
            .unwrap();
        assert!(config.overrides.is_empty());

        config.set_override(&contoso(), theirs, 0).unwrap();
        config.clear_override(&contoso(), "account-flows").unwrap();
        assert!(config.overrides.is_empty());
    }

    #[test]
    fn an_adopted_configuration_counts_one_more_save_everywhere() {
        let mut current = WidgetConfig::seeded();
        let mut edited = seeded("flows");
        edited.title = "Mine".into();
        current.edit(edited, 0).unwrap();
        let restored = current.adopt(WidgetConfig::seeded());
        assert_eq!(restored.placement("flows").unwrap().revision, 2);
        assert_eq!(restored.placement("approvals").unwrap().revision, 1);
        assert_eq!(restored.placement("flows").unwrap().title, "My flows");
    }
}
