//! What each widget type can be set to, described once per type. Resolving a widget's
//! options, the rules a placement must pass, the console's form fields and the parsing of that
//! form all read these descriptions: adding a setting to a type is one entry in [`spec`].

use super::WidgetType;
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
    /// One of a closed set of words, each with its label.
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

/// One setting of a widget type.
#[derive(Clone, Copy, Debug)]
pub struct Setting {
    /// The SDK's name for it; also its form field and its key in an override.
    pub name: &'static str,
    pub label: &'static str,
    /// Shown under the field in the console.
    pub hint: &'static str,
    pub kind: Kind,
    pub sdk: Sdk,
    /// Whether an empty value is refused.
    pub required: bool,
    /// The message when the value breaks its rule (empty though required, out of range, not
    /// one of the choices, not an id).
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

const FLOW_TABS: &[(&str, &str)] = &[("myFlows", "My flows"), ("sharedFlows", "Shared with me")];
const APPROVAL_TABS: &[(&str, &str)] =
    &[("receivedApprovals", "Received"), ("sentApprovals", "Sent")];

const fn setting(name: &'static str, label: &'static str, kind: Kind, sdk: Sdk) -> Setting {
    Setting {
        name,
        label,
        hint: "",
        kind,
        sdk,
        required: false,
        rule: "",
        default: Default::Text(""),
    }
}

impl Setting {
    const fn hint(mut self, hint: &'static str) -> Setting {
        self.hint = hint;
        self
    }

    const fn rule(mut self, required: bool, rule: &'static str) -> Setting {
        self.required = required;
        self.rule = rule;
        self
    }

    const fn default(mut self, default: Default) -> Setting {
        self.default = default;
        self
    }
}

static TEMPLATES: WidgetSpec = WidgetSpec {
    widget: WidgetType::Templates,
    options: Some("templatesSettings"),
    settings: &[
        setting(
            "searchTerm",
            "Search term",
            Kind::Text { max: 200 },
            Sdk::UriComponent,
        ),
        setting(
            "templateCategory",
            "Template category",
            Kind::Text { max: 100 },
            Sdk::UriComponent,
        ),
        setting(
            "pageSize",
            "Templates shown (page size)",
            Kind::Number { min: 1, max: 50 },
            Sdk::UnlessEmpty,
        )
        .hint("1 to 50; empty: the widget's default (6).")
        .rule(false, "A number of templates from 1 to 50.")
        .default(Default::Number(Some(6))),
        setting(
            "destination",
            "On a template, open",
            Kind::Choice(&[("details", "its details"), ("new", "the designer")]),
            Sdk::UnlessEmpty,
        )
        .rule(false, "Either details or new.")
        .default(Default::Text("details")),
        setting(
            "defaultParams",
            "Design-time parameters",
            Kind::Params,
            Sdk::Always,
        )
        .hint("One a line: parameters.flowhost.accountId={account.id}")
        .default(Default::Params),
    ],
};

static FLOWS: WidgetSpec = WidgetSpec {
    widget: WidgetType::Flows,
    options: Some("flowsSettings"),
    settings: &[
        setting("tab", "Tab", Kind::Choice(FLOW_TABS), Sdk::Always)
            .rule(true, "Flows has the tabs myFlows and sharedFlows.")
            .default(Default::Text("myFlows")),
        setting("hideTabs", "Hide the tabs", Kind::Flag, Sdk::Always).default(Default::Flag(false)),
        setting(
            "flowsFilter",
            "Flows filter (OData)",
            Kind::Filter,
            Sdk::UnlessEmpty,
        )
        .hint("e.g. operations/any(operation: operation/flowhost.accountId eq '{account.id}')"),
        setting(
            "createFromBlankTemplateId",
            "Template for \u{201c}New flow\u{201d}",
            Kind::Id,
            Sdk::UnlessEmpty,
        )
        .rule(
            true,
            "The template id for \u{201c}New flow\u{201d} is required (letters, digits, hyphens).",
        )
        .default(Default::Text(super::templates::BLANK)),
    ],
};

static APPROVAL_CENTER: WidgetSpec = WidgetSpec {
    widget: WidgetType::ApprovalCenter,
    options: Some("approvalCenterSettings"),
    settings: &[
        setting("tab", "Tab", Kind::Choice(APPROVAL_TABS), Sdk::Always)
            .rule(
                true,
                "Approvals has the tabs receivedApprovals and sentApprovals.",
            )
            .default(Default::Text("receivedApprovals")),
        setting("hideTabs", "Hide the tabs", Kind::Flag, Sdk::Always).default(Default::Flag(false)),
        setting(
            "approvalsFilter",
            "Approvals filter (OData)",
            Kind::Filter,
            Sdk::UnlessEmpty,
        )
        .hint("e.g. properties/itemlink eq '{ticket.url}'"),
        setting(
            "hideLink",
            "Hide the link to the item",
            Kind::Flag,
            Sdk::WhenOn,
        )
        .default(Default::Flag(false)),
    ],
};

static FLOWS_RUNTIME: WidgetSpec = WidgetSpec {
    widget: WidgetType::FlowsRuntime,
    options: None,
    settings: &[
        setting("trigger", "Run", Kind::Trigger, Sdk::Action)
            .rule(
                true,
                "The template or flow to run is required (letters, digits, hyphens).",
            )
            .default(Default::Template("")),
        setting(
            "buttonText",
            "Button text",
            Kind::Text { max: 60 },
            Sdk::Action,
        )
        .rule(true, "The button needs a text."),
    ],
};

static FLOW_CREATION: WidgetSpec = WidgetSpec {
    widget: WidgetType::FlowCreation,
    options: None,
    settings: &[setting(
        "templateName",
        "Template to create from",
        Kind::Id,
        Sdk::Action,
    )
    .rule(
        true,
        "The template to create from is required (letters, digits, hyphens).",
    )],
};

/// The description of a widget type's settings.
pub fn spec(widget: WidgetType) -> &'static WidgetSpec {
    match widget {
        WidgetType::Templates => &TEMPLATES,
        WidgetType::Flows => &FLOWS,
        WidgetType::ApprovalCenter => &APPROVAL_CENTER,
        WidgetType::FlowsRuntime => &FLOWS_RUNTIME,
        WidgetType::FlowCreation => &FLOW_CREATION,
    }
}

/// Whether a trigger runs a template's flow or one flow.
pub const TRIGGER_KINDS: &[(&str, &str)] = &[
    ("template", "the user's flow from a template"),
    ("flow", "one flow"),
];

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

impl TryFrom<Stored> for Settings {
    type Error = String;
    fn try_from(stored: Stored) -> Result<Settings, String> {
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
    pub fn set(&mut self, name: &str, value: Value) -> Result<(), String> {
        let Some(setting) = self.spec().setting(name) else {
            return Err(format!(
                "{name} is not a setting of {}",
                self.widget.label()
            ));
        };
        if !setting.kind.fits(&value) {
            return Err(format!("{name} has a value of the wrong kind: {value}"));
        }
        self.values.insert(name.to_owned(), value);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            unknown.contains("searchTerm is not a setting of Flows"),
            "{unknown}"
        );
        let wrong = Settings::of(WidgetType::Flows, json!({"hideTabs": "yes"})).unwrap_err();
        assert!(
            wrong.contains("hideTabs has a value of the wrong kind"),
            "{wrong}"
        );
        let trigger = Settings::of(
            WidgetType::FlowsRuntime,
            json!({"trigger": {"kind": "macro", "id": "x"}}),
        );
        assert!(trigger.is_err());
    }
}
