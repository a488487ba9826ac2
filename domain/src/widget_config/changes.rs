//! The readable difference between two configurations: one message a change, for the history,
//! put in words in the reader's language when it is shown.

use super::{Override, WidgetConfig};
use crate::placement::Placement;
use crate::tenant::TenantId;
use i18n::{Arg, Msg};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn on_off(on: bool) -> Arg {
    if on {
        Msg::new("change-on").into()
    } else {
        Msg::new("change-off").into()
    }
}

/// One placement's fields as `(name, shown value)`, in form order.
fn fields(p: &Placement) -> Vec<(String, Arg)> {
    let mut out = vec![
        ("page".to_owned(), p.page.label().into()),
        ("slot".to_owned(), p.slot.clone().into()),
        ("order".to_owned(), p.order.to_string().into()),
        ("enabled".to_owned(), on_off(p.enabled)),
        ("title".to_owned(), p.title.clone().into()),
    ];
    out.extend(
        p.settings
            .values()
            .iter()
            .map(|(k, v)| (k.clone(), shown(v).into())),
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

fn override_fields(o: &Override) -> BTreeMap<String, Arg> {
    let mut out = BTreeMap::new();
    if let Some(e) = o.enabled {
        out.insert("enabled".to_owned(), on_off(e));
    }
    if let Some(n) = o.order {
        out.insert("order".to_owned(), n.to_string().into());
    }
    if let Some(t) = &o.title {
        out.insert("title".to_owned(), t.clone().into());
    }
    out.extend(o.settings.iter().map(|(k, v)| (k.clone(), shown(v).into())));
    out
}

/// What changed from `old` to `new`, one message a change. `tenant_name` names tenants.
pub fn changes(
    old: &WidgetConfig,
    new: &WidgetConfig,
    tenant_name: &dyn Fn(&TenantId) -> String,
) -> Vec<Msg> {
    let mut lines = Vec::new();
    for p in &new.placements {
        match old.placement(&p.key) {
            None => lines.push(
                Msg::new("change-added")
                    .with("key", p.key.as_str())
                    .with("title", p.title.as_str())
                    .with("widget", p.settings.widget_type().label())
                    .with("page", p.page.label()),
            ),
            Some(before) => {
                let was: BTreeMap<_, _> = fields(before).into_iter().collect();
                for (name, value) in fields(p) {
                    let old_value = was
                        .get(&name)
                        .cloned()
                        .unwrap_or_else(|| String::new().into());
                    if old_value != value {
                        lines.push(
                            Msg::new("change-field")
                                .with("key", p.key.as_str())
                                .with("field", name)
                                .with("old", old_value)
                                .with("new", value),
                        );
                    }
                }
            }
        }
    }
    for p in &old.placements {
        if new.placement(&p.key).is_none() {
            lines.push(
                Msg::new("change-removed")
                    .with("key", p.key.as_str())
                    .with("title", p.title.as_str())
                    .with("page", p.page.label()),
            );
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
                    (_, Some(v)) if was.get(name) != Some(v) => lines.push(
                        Msg::new("change-overridden")
                            .with("organisation", who)
                            .with("key", key.as_str())
                            .with("field", name.as_str())
                            .with("value", v.clone()),
                    ),
                    (Some(_), None) => lines.push(
                        Msg::new("change-inherited")
                            .with("organisation", who)
                            .with("key", key.as_str())
                            .with("field", name.as_str()),
                    ),
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
    use i18n::Lang;

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
        let said =
            |lines: Vec<Msg>, lang| -> Vec<String> { lines.iter().map(|m| m.show(lang)).collect() };
        let lines = changes(&old, &new, &|_| "Contoso".into());
        assert_eq!(
            said(lines.clone(), Lang::En),
            [
                "account-templates: searchTerm \u{201c}flowhost account\u{201d} \u{2192} \u{201c}digest\u{201d}",
                "Added ticket-flows \u{201c}Flows\u{201d} (Flows) to the Ticket page",
                "Removed approvals \u{201c}Approvals\u{201d} from the Approvals page",
                "Contoso: account-flows: enabled overridden \u{201c}off\u{201d}",
            ]
        );
        assert_eq!(
            said(lines, Lang::Nl),
            [
                "account-templates: searchTerm \u{2018}flowhost account\u{2019} \u{2192} \u{2018}digest\u{2019}",
                "ticket-flows \u{2018}Flows\u{2019} (Stromen) toegevoegd aan de Ticketpagina",
                "approvals \u{2018}Approvals\u{2019} verwijderd van de Pagina Goedkeuringen",
                "Contoso: account-flows: enabled overschreven met \u{2018}uit\u{2019}",
            ]
        );
        let back = said(changes(&new, &old, &|_| "Contoso".into()), Lang::En);
        assert_eq!(
            back.last().unwrap(),
            "Contoso: account-flows: enabled inherited again"
        );
    }
}
