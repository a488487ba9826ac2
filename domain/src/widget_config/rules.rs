//! The rules a placement must pass before it is stored, and the check of a whole configuration
//! an import must pass.

use super::{WidgetConfig, apply};
use crate::flow_filter::Filter;
use crate::placeholders::{self, Needs};
use crate::placement::{Kind, PageKind, Placement, Setting};
use crate::validation::FieldErrors;
use i18n::Msg;
use serde_json::Value;

/// The slots a page has for widgets: `top`, above the record, and `main`, the Power Automate
/// section below it.
pub const SLOTS: [&str; 2] = ["top", "main"];

/// Keys a placement may not take: they name the console's own pages.
pub const RESERVED_KEYS: [&str; 4] = ["new", "history", "import", "export"];

/// What a page offers placeholders.
fn offers(page: PageKind) -> Needs {
    match page {
        PageKind::Account => Needs::Account,
        PageKind::Ticket => Needs::Ticket,
        PageKind::Flows | PageKind::Approvals => Needs::Nothing,
    }
}

fn id_like(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Checks text with placeholders: known ones only, and only those the page can fill.
fn placeholder_text(errors: &mut FieldErrors, field: &str, text: &str, page: PageKind, max: usize) {
    if text.chars().count() > max {
        errors.add(field, Msg::new("rule-at-most-characters").with("max", max));
        return;
    }
    match placeholders::used(text) {
        Err(e) => errors.add(field, e.message()),
        Ok(used) => {
            if let Some((name, _)) = used.iter().find(|(_, needs)| *needs > offers(page)) {
                errors.add(
                    field,
                    Msg::new("rule-placeholder-not-on-page")
                        .with("placeholder", format!("{{{name}}}"))
                        .with("page", page.label()),
                );
            }
        }
    }
}

/// Checks an OData filter with placeholders, as the widget will get it. Placeholders stand in
/// for values of their own length, so a position in the message points into what was typed.
fn filter_text(errors: &mut FieldErrors, field: &str, text: &str, page: PageKind) {
    let before = errors.get(field).is_some();
    placeholder_text(errors, field, text, page, 1000);
    if before || errors.get(field).is_some() || text.trim().is_empty() {
        return;
    }
    let mut sample = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let end = start + rest[start..].find('}').expect("placeholders were checked");
        sample.push_str(&rest[..start]);
        sample.push_str(&"a".repeat(rest[start..=end].chars().count()));
        rest = &rest[end + 1..];
    }
    sample.push_str(rest);
    if let Err(e) = Filter::parse(&sample) {
        errors.add(
            field,
            Msg::new("rule-not-a-filter").with("reason", e.to_string()),
        );
    }
}

/// Checks one setting's value by its kind. Errors are keyed by the form's field names.
fn setting(errors: &mut FieldErrors, s: &Setting, value: &Value, page: PageKind) {
    let text = value.as_str().unwrap_or_default();
    if s.required && value.as_str().is_some_and(|t| t.trim().is_empty()) {
        errors.add(s.name, Msg::new(s.rule));
    }
    match s.kind {
        Kind::Text { max } => placeholder_text(errors, s.name, text, page, max),
        Kind::Filter => filter_text(errors, s.name, text, page),
        Kind::Choice(choices) => {
            if !(text.is_empty() || choices.iter().any(|(w, _)| *w == text)) {
                errors.add(s.name, Msg::new(s.rule));
            }
        }
        Kind::Flag => {}
        Kind::Number { min, max } => {
            if value
                .as_u64()
                .is_some_and(|n| !(min as u64..=max as u64).contains(&n))
            {
                errors.add(s.name, Msg::new(s.rule));
            }
        }
        Kind::Id => {
            if !(text.is_empty() || id_like(text)) {
                errors.add(s.name, Msg::new(s.rule));
            }
        }
        Kind::Trigger => {
            if !id_like(value["id"].as_str().unwrap_or_default()) {
                errors.add(&format!("{}Id", s.name), Msg::new(s.rule));
            }
        }
        Kind::Params => {
            for (name, value) in value.as_object().into_iter().flatten() {
                let bare = name.strip_prefix("parameters.").unwrap_or_default();
                if bare.is_empty()
                    || !bare
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
                {
                    errors.add(
                        s.name,
                        Msg::new("rule-not-a-parameter-name").with("name", name.as_str()),
                    );
                }
                let text = value.as_str().unwrap_or_default();
                placeholder_text(errors, s.name, text, page, 500);
            }
        }
    }
}

/// The rules a placement must pass before it is stored. Errors are keyed by the form's field
/// names: `key`, `slot`, `order`, `title`, and the settings' own names.
pub fn check(p: &Placement) -> FieldErrors {
    let mut errors = FieldErrors::default();
    let page = p.page;
    if !(p
        .key
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && (1..=40).contains(&p.key.len()))
    {
        errors.add("key", Msg::new("rule-key"));
    } else if RESERVED_KEYS.contains(&p.key.as_str()) {
        errors.add(
            "key",
            Msg::new("rule-key-reserved").with("key", p.key.as_str()),
        );
    }
    if !SLOTS.contains(&p.slot.as_str()) {
        errors.add(
            "slot",
            Msg::new("rule-slot").with("slots", SLOTS.join(", ")),
        );
    }
    if !(-1000..=1000).contains(&p.order) {
        errors.add("order", Msg::new("rule-order"));
    }
    if p.title.trim().is_empty() {
        errors.add("title", Msg::new("rule-title-required"));
    }
    placeholder_text(&mut errors, "title", &p.title, page, 80);
    for s in p.settings.spec().settings {
        setting(&mut errors, s, p.settings.get(s.name), page);
    }
    errors
}

/// Every problem of a whole configuration, each naming its placement: what an import must
/// pass, all of it, before anything is applied.
pub fn problems(config: &WidgetConfig) -> Vec<Msg> {
    let mut found = Vec::new();
    let mut keys: Vec<&str> = Vec::new();
    for p in &config.placements {
        if keys.contains(&p.key.as_str()) {
            found.push(Msg::new("import-key-twice").with("key", p.key.as_str()));
        }
        keys.push(&p.key);
        found.extend(check(p).iter().map(|(field, message)| {
            Msg::new("import-problem")
                .with("key", p.key.as_str())
                .with("field", field)
                .with("message", message.clone())
        }));
    }
    for (tenant, overrides) in &config.overrides {
        for (key, o) in overrides {
            let Some(base) = config.placement(key) else {
                found.push(
                    Msg::new("import-no-such-placement")
                        .with("tenant", tenant.to_string())
                        .with("key", key.as_str()),
                );
                continue;
            };
            match apply(base, o) {
                Err(e) => found.push(
                    Msg::new("import-override-unusable")
                        .with("tenant", tenant.to_string())
                        .with("key", key.as_str())
                        .with("message", e.message()),
                ),
                Ok(merged) => found.extend(check(&merged).iter().map(|(field, message)| {
                    Msg::new("import-override-problem")
                        .with("tenant", tenant.to_string())
                        .with("key", key.as_str())
                        .with("field", field)
                        .with("message", message.clone())
                })),
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use i18n::Lang;
    use serde_json::json;

    fn seeded(key: &str) -> Placement {
        WidgetConfig::seeded().placement(key).unwrap().clone()
    }

    fn errors_of(p: &Placement) -> Vec<(String, String)> {
        check(p)
            .iter()
            .map(|(f, m)| (f.to_owned(), m.show(Lang::En)))
            .collect()
    }

    #[test]
    fn the_seeded_configuration_passes_every_rule() {
        assert_eq!(problems(&WidgetConfig::seeded()), Vec::<Msg>::new());
    }

    #[test]
    fn an_invalid_filter_is_refused_with_its_position_in_what_was_typed() {
        let mut p = seeded("account-flows");
        let typed = "operations/any(o: o/flowhost.accountId = '{account.id}')";
        p.settings.set("flowsFilter", json!(typed)).unwrap();
        let errors = errors_of(&p);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, "flowsFilter");
        assert!(
            errors[0]
                .1
                .contains("'=' is not allowed here at character 40"),
            "{}",
            errors[0].1
        );
    }

    #[test]
    fn unknown_placeholders_and_ones_the_page_cannot_fill_are_refused() {
        let mut p = seeded("account-templates");
        p.title = "Automate {account.owner}".into();
        assert!(
            errors_of(&p)[0]
                .1
                .starts_with("{account.owner} is not a placeholder")
        );
        p.title = "Automate {ticket.title}".into();
        assert_eq!(
            errors_of(&p),
            [(
                "title".into(),
                "{ticket.title} cannot be filled on the Account page.".into()
            )]
        );
        let mut approvals = seeded("approvals");
        let filter = json!("properties/itemlink eq '{ticket.url}'");
        approvals.settings.set("approvalsFilter", filter).unwrap();
        assert_eq!(errors_of(&approvals)[0].0, "approvalsFilter");
    }

    #[test]
    fn page_size_tabs_and_required_settings_are_checked() {
        let mut p = seeded("account-templates");
        p.settings.set("pageSize", json!(500)).unwrap();
        p.settings.set("destination", json!("elsewhere")).unwrap();
        assert_eq!(
            errors_of(&p),
            [
                ("destination".into(), "Either details or new.".into()),
                (
                    "pageSize".into(),
                    "A number of templates from 1 to 50.".into()
                )
            ]
        );
        let mut flows = seeded("account-flows");
        flows
            .settings
            .set("tab", json!("receivedApprovals"))
            .unwrap();
        flows
            .settings
            .set("createFromBlankTemplateId", json!(""))
            .unwrap();
        let fields: Vec<String> = errors_of(&flows).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["createFromBlankTemplateId", "tab"]);
        let mut run = seeded("ticket-runtime");
        run.settings.set("buttonText", json!(" ")).unwrap();
        run.settings
            .set("trigger", json!({"kind": "flow", "id": "a b"}))
            .unwrap();
        let fields: Vec<String> = errors_of(&run).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["buttonText", "triggerId"]);
    }

    #[test]
    fn an_override_that_breaks_a_rule_or_names_a_stranger_is_a_problem() {
        let mut config = WidgetConfig::seeded();
        let tenant = crate::TenantId::parse("c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70").unwrap();
        let o = super::super::Override {
            settings: [("pageSize".to_owned(), json!(0))].into(),
            ..Default::default()
        };
        let stranger = super::super::Override {
            settings: [("flowsFilter".to_owned(), json!("x eq 'y'"))].into(),
            ..Default::default()
        };
        config.overrides.insert(
            tenant.clone(),
            [
                ("account-templates".to_owned(), o.clone()),
                ("approvals".to_owned(), stranger),
                ("gone".to_owned(), o),
            ]
            .into(),
        );
        let found: Vec<String> = problems(&config).iter().map(|m| m.show(Lang::En)).collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found[0].ends_with("account-templates: pageSize: A number of templates from 1 to 50.")
        );
        assert!(found[1].ends_with("approvals: flowsFilter is not a setting of Approvals"));
        assert!(found[2].ends_with("gone: no such placement to override"));
        let dutch: Vec<String> = problems(&config).iter().map(|m| m.show(Lang::Nl)).collect();
        assert_eq!(
            dutch[0],
            format!("{tenant}: account-templates: pageSize: Een aantal sjablonen van 1 tot 50.")
        );
        assert_eq!(
            dutch[1],
            format!("{tenant}: approvals: flowsFilter is geen instelling van Goedkeuringen")
        );
        assert_eq!(
            dutch[2],
            format!("{tenant}: gone: er is geen plaatsing met deze sleutel om te overschrijven")
        );
    }
}
