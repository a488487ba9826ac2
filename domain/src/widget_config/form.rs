//! A placement as the console's form shows it, and the placement a submitted form describes.
//! The settings' fields follow their type's description: one field a setting, named as the
//! setting, except a trigger's two (`{name}Kind`, `{name}Id`).

use super::check;
use crate::placement::{
    Kind, PageKind, Placement, Setting, Settings, WidgetType, settings::TRIGGER_KINDS,
};
use crate::validation::FieldErrors;
use i18n::Msg;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// A placement form as submitted: every field as typed, by the form's field names.
pub type FormValues = BTreeMap<String, String>;

fn flag(on: bool) -> String {
    if on { "on" } else { "" }.to_owned()
}

/// One setting's value as its form fields show it.
fn show(s: &Setting, value: &Value, out: &mut FormValues) {
    let mut put = |k: String, v: String| {
        out.insert(k, v);
    };
    match s.kind {
        Kind::Flag => put(s.name.into(), flag(value.as_bool().unwrap_or_default())),
        Kind::Number { .. } => put(
            s.name.into(),
            value.as_u64().map(|n| n.to_string()).unwrap_or_default(),
        ),
        Kind::Params => put(
            s.name.into(),
            value
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Kind::Trigger => {
            put(
                format!("{}Kind", s.name),
                value["kind"].as_str().unwrap_or("template").into(),
            );
            put(
                format!("{}Id", s.name),
                value["id"].as_str().unwrap_or_default().into(),
            );
        }
        Kind::Text { .. } | Kind::Filter | Kind::Choice(_) | Kind::Id => {
            put(s.name.into(), value.as_str().unwrap_or_default().into())
        }
    }
}

/// One setting's value from what was typed into its fields.
fn parse(s: &Setting, values: &FormValues, errors: &mut FieldErrors) -> Value {
    let text = |k: &str| {
        values
            .get(k)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    match s.kind {
        Kind::Flag => json!(values.get(s.name).is_some_and(|v| !v.is_empty())),
        Kind::Number { .. } => match text(s.name) {
            t if t.is_empty() => Value::Null,
            t => match t.parse::<u32>() {
                Ok(n) => json!(n),
                Err(_) => {
                    errors.add(s.name, Msg::new(s.rule));
                    Value::Null
                }
            },
        },
        Kind::Params => {
            let mut params = Map::new();
            let typed = text(s.name);
            for line in typed.lines().map(str::trim).filter(|l| !l.is_empty()) {
                match line.split_once('=') {
                    Some((k, v)) => {
                        params.insert(k.trim().to_owned(), json!(v.trim()));
                    }
                    None => errors.add(
                        s.name,
                        Msg::new("rule-not-a-parameter-line").with("line", line),
                    ),
                }
            }
            Value::Object(params)
        }
        Kind::Trigger => {
            let kind_field = format!("{}Kind", s.name);
            let mut kind = text(&kind_field);
            if !TRIGGER_KINDS.iter().any(|(w, _)| *w == kind) {
                errors.add(&kind_field, Msg::new("rule-trigger-kind"));
                kind = "template".into();
            }
            json!({"kind": kind, "id": text(&format!("{}Id", s.name))})
        }
        Kind::Text { .. } | Kind::Filter | Kind::Choice(_) | Kind::Id => json!(text(s.name)),
    }
}

/// A placement as its form shows it.
pub fn to_form(p: &Placement) -> FormValues {
    let mut v = FormValues::new();
    v.insert("key".into(), p.key.clone());
    v.insert("page".into(), p.page.as_str().into());
    v.insert("slot".into(), p.slot.clone());
    v.insert("order".into(), p.order.to_string());
    v.insert("enabled".into(), flag(p.enabled));
    v.insert("title".into(), p.title.clone());
    for s in p.settings.spec().settings {
        show(s, p.settings.get(s.name), &mut v);
    }
    v
}

/// The placement a form describes, checked by [`check`]; every error next to its field.
pub fn from_form(
    values: &FormValues,
    widget: WidgetType,
    revision: u32,
) -> Result<Placement, FieldErrors> {
    let text = |k: &str| {
        values
            .get(k)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut errors = FieldErrors::default();
    let page = PageKind::from_field(&mut errors, "page", &text("page"));
    let order = text("order").parse::<i32>().unwrap_or_else(|_| {
        errors.add("order", Msg::new("rule-order"));
        0
    });
    let mut settings = Settings::defaults(widget);
    for s in settings.spec().settings {
        let value = parse(s, values, &mut errors);
        settings
            .set(s.name, value)
            .expect("parsed to the setting's kind");
    }
    let Some(page) = page else {
        return Err(errors);
    };
    let placement = Placement {
        key: text("key"),
        page,
        slot: text("slot"),
        order,
        enabled: values.get("enabled").is_some_and(|v| !v.is_empty()),
        title: text("title"),
        settings,
        revision,
    };
    for (field, message) in check(&placement).iter() {
        errors.add(field, message.clone());
    }
    errors.into_result(|| placement)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::widget_config::WidgetConfig;

    #[test]
    fn every_seeded_placement_survives_its_form() {
        for p in WidgetConfig::seeded().placements {
            let back = from_form(&to_form(&p), p.settings.widget_type(), p.revision).unwrap();
            assert_eq!(back, p);
        }
    }

    #[test]
    fn a_bad_form_keeps_every_error_next_to_its_field() {
        let mut values = to_form(
            WidgetConfig::seeded()
                .placement("account-templates")
                .unwrap(),
        );
        values.insert("pageSize".into(), "lots".into());
        values.insert("order".into(), "first".into());
        values.insert("defaultParams".into(), "parameters.x".into());
        let errors = from_form(&values, WidgetType::Templates, 0).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["defaultParams", "order", "pageSize"]);
    }

    #[test]
    fn a_runtime_form_has_the_trigger_as_two_fields() {
        let p = WidgetConfig::seeded()
            .placement("ticket-runtime")
            .unwrap()
            .clone();
        let mut values = to_form(&p);
        assert_eq!(values["triggerKind"], "template");
        values.insert("triggerKind".into(), "flow".into());
        values.insert("triggerId".into(), "my-flow".into());
        let back = from_form(&values, WidgetType::FlowsRuntime, 0).unwrap();
        assert_eq!(
            back.settings.get("trigger"),
            &json!({"kind": "flow", "id": "my-flow"})
        );
        values.insert("triggerKind".into(), "macro".into());
        let errors = from_form(&values, WidgetType::FlowsRuntime, 0).unwrap_err();
        let said = |lang| errors.get("triggerKind").map(|m| m.show(lang));
        assert_eq!(
            said(i18n::Lang::En).as_deref(),
            Some("Either a template or a flow.")
        );
        assert_eq!(
            said(i18n::Lang::Nl).as_deref(),
            Some("Een sjabloon of een stroom.")
        );
    }
}
