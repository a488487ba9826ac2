//! What each widget type can be set to, described once per type. Resolving a widget's
//! options, the rules a placement must pass, the console's form fields and the parsing of that
//! form all read these descriptions: adding a setting to a type is one entry in [`spec`].

mod specs;

pub use specs::{TRIGGER_KINDS, spec};

use super::WidgetType;
use i18n::Msg;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// What kind of value a setting holds, and so how it is checked and typed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Text that may hold record placeholders, at most `max` characters.
    Text { max: usize },
    /// An OData filter that may hold record placeholders (their values quoted for OData).
    Filter,
    /// One of a closed set of words, each with the message id of its label.
    Choice(&'static [(&'static str, &'static str)]),
    /// On or off.
    Flag,
    /// A whole number from `min` to `max`, or empty for the widget's own default.
    Number { min: u32, max: u32 },
    /// Template parameters (`parameters.{name}` → text with placeholders); one
    /// `name=value` a line in the form.
    Params,
    /// An id of a template or a flow: 1 to 64 letters, digits, hyphens and underscores.
    Id,
    /// What a runtime widget runs: the user's flow from a template, or one flow, by id. In
    /// the form it is two fields, `{name}Kind` and `{name}Id`.
    Trigger,
}

/// How a setting reaches `renderWidget`'s options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sdk {
    /// Always, as it is (placeholders filled).
    Always,
    /// Left out when empty.
    UnlessEmpty,
    /// Encoded as `encodeURIComponent` would, and left out when empty: the SDK inserts it
    /// into the widget's URL without encoding it.
    UriComponent,
    /// Only when on.
    WhenOn,
    /// Not an option: the widget's action (the runtime's button, flow creation) uses it.
    Action,
}

/// One setting of a widget type. Its words are message ids, put in the reader's language
/// where they are shown.
#[derive(Clone, Copy, Debug)]
pub struct Setting {
    /// The SDK's name for it; also its form field and its key in an override.
    pub name: &'static str,
    /// The message id of its label.
    pub label: &'static str,
    /// The message id of the line under the field in the console; empty for none.
    pub hint: &'static str,
    pub kind: Kind,
    pub sdk: Sdk,
    /// Whether an empty value is refused.
    pub required: bool,
    /// The message id said when the value breaks its rule (empty though required, out of
    /// range, not one of the choices, not an id); empty for a setting without one.
    pub rule: &'static str,
    /// The value of a new placement.
    pub default: Default,
}

/// A setting's value in a new placement.
#[derive(Clone, Copy, Debug)]
pub enum Default {
    Text(&'static str),
    Flag(bool),
    Number(Option<u32>),
    /// No parameters.
    Params,
    /// A template, by id.
    Template(&'static str),
}

/// A widget type's settings, and where `renderWidget` takes them.
#[derive(Debug)]
pub struct WidgetSpec {
    pub widget: WidgetType,
    /// The member of the options that holds the settings (`templatesSettings`, …); `None` for
    /// a widget driven by its action.
    pub options: Option<&'static str>,
    pub settings: &'static [Setting],
}

impl WidgetSpec {
    pub fn setting(&self, name: &str) -> Option<&'static Setting> {
        self.settings.iter().find(|s| s.name == name)
    }
}

impl Default {
    fn value(self) -> Value {
        match self {
            Default::Text(t) => json!(t),
            Default::Flag(on) => json!(on),
            Default::Number(n) => json!(n),
            Default::Params => json!({}),
            Default::Template(id) => json!({"kind": "template", "id": id}),
        }
    }
}

impl Kind {
    /// Whether `value` has this kind's shape; the rules check its content.
    fn fits(self, value: &Value) -> bool {
        match self {
            Kind::Text { .. } | Kind::Filter | Kind::Choice(_) | Kind::Id => value.is_string(),
            Kind::Flag => value.is_boolean(),
            Kind::Number { .. } => {
                value.is_null() || value.as_u64().is_some_and(|n| n <= u32::MAX as u64)
            }
            Kind::Params => value
                .as_object()
                .is_some_and(|m| m.values().all(Value::is_string)),
            Kind::Trigger => value.as_object().is_some_and(|m| {
                m.len() == 2
                    && m.get("id").is_some_and(Value::is_string)
                    && m.get("kind")
                        .and_then(Value::as_str)
                        .is_some_and(|k| TRIGGER_KINDS.iter().any(|(w, _)| *w == k))
            }),
        }
    }
}

/// A placement's settings: its widget type and a value for each setting the type has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Stored", into = "Stored")]
pub struct Settings {
    widget: WidgetType,
    values: BTreeMap<String, Value>,
}

/// Settings as stored and exported: `{"type": "templates", "searchTerm": …, …}`.
#[derive(Serialize, Deserialize)]
struct Stored {
    #[serde(rename = "type")]
    widget: WidgetType,
    #[serde(flatten)]
    values: BTreeMap<String, Value>,
}

/// Why a value was not taken as a setting.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SettingError {
    #[error("{name} is not a setting of {}", .widget.as_str())]
    Unknown { name: String, widget: WidgetType },
    #[error("{name} has a value of the wrong kind: {value}")]
    WrongKind { name: String, value: Value },
}

impl SettingError {
    /// What it says, in the reader's language.
    pub fn message(&self) -> Msg {
        match self {
            SettingError::Unknown { name, widget } => Msg::new("setting-unknown")
                .with("name", name.as_str())
                .with("widget", widget.label()),
            SettingError::WrongKind { name, value } => Msg::new("setting-wrong-kind")
                .with("name", name.as_str())
                .with("value", value.to_string()),
        }
    }
}

impl TryFrom<Stored> for Settings {
    type Error = SettingError;
    fn try_from(stored: Stored) -> Result<Settings, SettingError> {
        let mut settings = Settings::defaults(stored.widget);
        for (name, value) in stored.values {
            settings.set(&name, value)?;
        }
        Ok(settings)
    }
}

impl From<Settings> for Stored {
    fn from(s: Settings) -> Stored {
        Stored {
            widget: s.widget,
            values: s.values,
        }
    }
}

impl Settings {
    /// Every setting of `widget` at its default.
    pub fn defaults(widget: WidgetType) -> Settings {
        Settings {
            widget,
            values: spec(widget)
                .settings
                .iter()
                .map(|s| (s.name.to_owned(), s.default.value()))
                .collect(),
        }
    }

    /// The defaults of `widget` with `values` in their place.
    pub fn of(widget: WidgetType, values: Value) -> Result<Settings, String> {
        let mut object = match values {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        object.insert("type".into(), json!(widget.as_str()));
        serde_json::from_value(Value::Object(object)).map_err(|e| e.to_string())
    }

    pub fn widget_type(&self) -> WidgetType {
        self.widget
    }

    pub fn spec(&self) -> &'static WidgetSpec {
        spec(self.widget)
    }

    /// The settings by name.
    pub fn values(&self) -> &BTreeMap<String, Value> {
        &self.values
    }

    pub fn get(&self, name: &str) -> &Value {
        self.values.get(name).unwrap_or(&Value::Null)
    }

    pub fn text(&self, name: &str) -> &str {
        self.get(name).as_str().unwrap_or_default()
    }

    pub fn flag(&self, name: &str) -> bool {
        self.get(name).as_bool().unwrap_or_default()
    }

    /// Sets one setting; refused when the type has no such setting or the value has the wrong
    /// shape.
    pub fn set(&mut self, name: &str, value: Value) -> Result<(), SettingError> {
        let Some(setting) = self.spec().setting(name) else {
            return Err(SettingError::Unknown {
                name: name.to_owned(),
                widget: self.widget,
            });
        };
        if !setting.kind.fits(&value) {
            return Err(SettingError::WrongKind {
                name: name.to_owned(),
                value,
            });
        }
        self.values.insert(name.to_owned(), value);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use i18n::Lang;

    /// Every message id the descriptions name, with where it is named.
    fn message_ids() -> Vec<(String, &'static str)> {
        let mut ids = Vec::new();
        for widget in WidgetType::ALL {
            for s in spec(*widget).settings {
                let at = |what: &str| format!("{widget:?} {} {what}", s.name);
                ids.push((at("label"), s.label));
                for (what, id) in [("hint", s.hint), ("rule", s.rule)] {
                    if !id.is_empty() {
                        ids.push((at(what), id));
                    }
                }
                if let Kind::Choice(choices) = s.kind {
                    ids.extend(choices.iter().map(|(word, id)| (at(word), *id)));
                }
            }
        }
        ids.extend(
            TRIGGER_KINDS
                .iter()
                .map(|(word, id)| (format!("trigger {word}"), *id)),
        );
        ids
    }

    #[test]
    fn every_label_hint_rule_and_choice_is_a_message_in_both_languages() {
        let ids = message_ids();
        assert!(ids.len() > 30, "{ids:?}");
        for (at, id) in ids {
            for lang in Lang::ALL {
                assert!(
                    i18n::exists(lang, id),
                    "{at}: {id} is not a message in {lang:?}"
                );
            }
        }
        let rule = spec(WidgetType::Templates)
            .setting("pageSize")
            .unwrap()
            .rule;
        assert_eq!(
            i18n::text(Lang::En, rule),
            "A number of templates from 1 to 50."
        );
        assert_eq!(
            i18n::text(Lang::Nl, rule),
            "Een aantal sjablonen van 1 tot 50."
        );
    }

    #[test]
    fn every_type_describes_unique_settings_whose_defaults_fit() {
        for widget in WidgetType::ALL {
            let spec = spec(*widget);
            assert_eq!(spec.widget, *widget);
            let mut names: Vec<_> = spec.settings.iter().map(|s| s.name).collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), spec.settings.len(), "{widget:?}");
            for s in spec.settings {
                assert!(s.kind.fits(&s.default.value()), "{}", s.name);
                assert!(
                    !s.required || !s.rule.is_empty(),
                    "{} needs its message",
                    s.name
                );
            }
        }
    }

    #[test]
    fn stored_settings_round_trip_and_refuse_strangers() {
        let s = Settings::of(
            WidgetType::Templates,
            json!({"searchTerm": "digest", "pageSize": null}),
        )
        .unwrap();
        assert_eq!(s.text("searchTerm"), "digest");
        assert_eq!(s.get("pageSize"), &Value::Null);
        assert_eq!(s.text("destination"), "details", "left out: the default");
        let text = serde_json::to_string(&s).unwrap();
        assert!(text.starts_with(r#"{"type":"templates","#), "{text}");
        assert_eq!(serde_json::from_str::<Settings>(&text).unwrap(), s);

        let unknown = Settings::of(WidgetType::Flows, json!({"searchTerm": "x"})).unwrap_err();
        assert!(
            unknown.contains("searchTerm is not a setting of flows"),
            "{unknown}"
        );
        let wrong = Settings::of(WidgetType::Flows, json!({"hideTabs": "yes"})).unwrap_err();
        assert!(
            wrong.contains("hideTabs has a value of the wrong kind"),
            "{wrong}"
        );
        let mut approvals = Settings::defaults(WidgetType::ApprovalCenter);
        let said = approvals
            .set("flowsFilter", json!("x"))
            .unwrap_err()
            .message();
        assert_eq!(
            said.show(Lang::En),
            "flowsFilter is not a setting of Approvals"
        );
        assert_eq!(
            said.show(Lang::Nl),
            "flowsFilter is geen instelling van Goedkeuringen"
        );
        let trigger = Settings::of(
            WidgetType::FlowsRuntime,
            json!({"trigger": {"kind": "macro", "id": "x"}}),
        );
        assert!(trigger.is_err());
    }
}
