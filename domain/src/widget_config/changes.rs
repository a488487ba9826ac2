//! The readable difference between two configurations: one line a change, for the history.

use super::{Override, WidgetConfig};
use crate::placement::Placement;
use crate::tenant::TenantId;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One placement's fields as `(name, shown value)`, in form order.
fn fields(p: &Placement) -> Vec<(String, String)> {
    let mut out = vec![
        ("page".to_owned(), p.page.label().to_owned()),
        ("slot".to_owned(), p.slot.clone()),
        ("order".to_owned(), p.order.to_string()),
        (
            "enabled".to_owned(),
            if p.enabled { "on" } else { "off" }.to_owned(),
        ),
        ("title".to_owned(), p.title.clone()),
    ];
    out.extend(
        p.settings
            .values()
            .iter()
            .map(|(k, v)| (k.clone(), shown(v))),
    );
    out
}

fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}={}", shown(v)))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

fn override_fields(o: &Override) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(e) = o.enabled {
        out.insert(
            "enabled".to_owned(),
            if e { "on" } else { "off" }.to_owned(),
        );
    }
    if let Some(n) = o.order {
        out.insert("order".to_owned(), n.to_string());
    }
    if let Some(t) = &o.title {
        out.insert("title".to_owned(), t.clone());
    }
    out.extend(o.settings.iter().map(|(k, v)| (k.clone(), shown(v))));
    out
}

/// What changed from `old` to `new`, one readable line a change. `tenant_name` names tenants.
pub fn changes(
    old: &WidgetConfig,
    new: &WidgetConfig,
    tenant_name: &dyn Fn(&TenantId) -> String,
) -> Vec<String> {
    let mut lines = Vec::new();
    for p in &new.placements {
        match old.placement(&p.key) {
            None => lines.push(format!(
                "Added {} \u{201c}{}\u{201d} ({}) to the {}",
                p.key,
                p.title,
                p.settings.widget_type().label(),
                p.page.label()
            )),
            Some(before) => {
                let was: BTreeMap<_, _> = fields(before).into_iter().collect();
                for (name, value) in fields(p) {
                    let old_value = was.get(&name).cloned().unwrap_or_default();
                    if old_value != value {
                        lines.push(format!(
                            "{}: {name} \u{201c}{old_value}\u{201d} \u{2192} \u{201c}{value}\u{201d}",
                            p.key
                        ));
                    }
                }
            }
        }
    }
    for p in &old.placements {
        if new.placement(&p.key).is_none() {
            lines.push(format!(
                "Removed {} \u{201c}{}\u{201d} from the {}",
                p.key,
                p.title,
                p.page.label()
            ));
        }
    }
    let tenants: BTreeSet<&TenantId> = old.overrides.keys().chain(new.overrides.keys()).collect();
    let empty = Override::default();
    for tenant in tenants {
        let keys: BTreeSet<&String> = old
            .overrides
            .get(tenant)
            .into_iter()
            .chain(new.overrides.get(tenant))
            .flat_map(|m| m.keys())
            .collect();
        for key in keys {
            let was = override_fields(old.override_of(tenant, key).unwrap_or(&empty));
            let now = override_fields(new.override_of(tenant, key).unwrap_or(&empty));
            let names: BTreeSet<&String> = was.keys().chain(now.keys()).collect();
            for name in names {
                let who = tenant_name(tenant);
                match (was.get(name), now.get(name)) {
                    (_, Some(v)) if was.get(name) != Some(v) => lines.push(format!(
                        "{who}: {key}: {name} overridden \u{201c}{v}\u{201d}"
                    )),
                    (Some(_), None) => lines.push(format!("{who}: {key}: {name} inherited again")),
                    _ => {}
                }
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::PageKind;

    fn contoso() -> TenantId {
        TenantId::parse("c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70").unwrap()
    }

    #[test]
    fn changes_read_as_sentences() {
        let old = WidgetConfig::seeded();
        let mut new = old.clone();
        new.placements[0]
            .settings
            .set("searchTerm", serde_json::json!("digest"))
            .unwrap();
        let mut added = new.placement("account-flows").unwrap().clone();
        added.key = "ticket-flows".into();
        added.page = PageKind::Ticket;
        added.title = "Flows".into();
        new.placements.push(added);
        new.placements.retain(|p| p.key != "approvals");
        new.overrides.insert(
            contoso(),
            BTreeMap::from([(
                "account-flows".into(),
                Override {
                    enabled: Some(false),
                    ..Default::default()
                },
            )]),
        );
        let lines = changes(&old, &new, &|_| "Contoso".into());
        assert_eq!(
            lines,
            [
                "account-templates: searchTerm \u{201c}flowhost account\u{201d} \u{2192} \u{201c}digest\u{201d}",
                "Added ticket-flows \u{201c}Flows\u{201d} (Flows) to the Ticket page",
                "Removed approvals \u{201c}Approvals\u{201d} from the Approvals page",
                "Contoso: account-flows: enabled overridden \u{201c}off\u{201d}",
            ]
        );
        assert_eq!(
            changes(&new, &old, &|_| "Contoso".into()).last().unwrap(),
            "Contoso: account-flows: enabled inherited again"
        );
    }
}
