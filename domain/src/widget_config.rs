//! The widget configuration ISV staff edit: the placements, each tenant's overrides of them,
//! the rules a placement must pass before it is stored, the readable difference between two
//! configurations, and the export format.

use crate::flow_filter::Filter;
use crate::placeholders::{self, Needs};
use crate::placement::{PageKind, Placement, RunTrigger, Settings, WidgetType};
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
}

/// The slots a page has for widgets: `top`, above the record, and `main`, the Power Automate
/// section below it.
pub const SLOTS: [&str; 2] = ["top", "main"];

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
        all.sort_by(|a, b| {
            (a.page.as_str(), a.order, &a.key).cmp(&(b.page.as_str(), b.order, &b.key))
        });
        all
    }
}

/// `base` with the override's fields in place of its own.
pub fn apply(base: &Placement, o: &Override) -> Result<Placement, String> {
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
    if !o.settings.is_empty() {
        let mut settings = settings_fields(&p.settings);
        for (name, value) in &o.settings {
            if !settings.contains_key(name) {
                return Err(format!(
                    "{name} is not a setting of {}",
                    p.settings.widget_type().label()
                ));
            }
            settings.insert(name.clone(), value.clone());
        }
        let mut object: serde_json::Map<String, Value> = settings.into_iter().collect();
        object.insert(
            "type".into(),
            Value::String(p.settings.widget_type().as_str().into()),
        );
        p.settings = serde_json::from_value(Value::Object(object)).map_err(|e| e.to_string())?;
    }
    Ok(p)
}

/// The override that turns `base` into `edited`: only what differs.
pub fn difference(base: &Placement, edited: &Placement, revision: u32) -> Override {
    let (ours, theirs) = (
        settings_fields(&base.settings),
        settings_fields(&edited.settings),
    );
    Override {
        enabled: (edited.enabled != base.enabled).then_some(edited.enabled),
        order: (edited.order != base.order).then_some(edited.order),
        title: (edited.title != base.title).then(|| edited.title.clone()),
        settings: theirs
            .into_iter()
            .filter(|(k, v)| ours.get(k) != Some(v))
            .collect(),
        revision,
    }
}

/// A placement's settings by name, without the type tag.
pub fn settings_fields(settings: &Settings) -> BTreeMap<String, Value> {
    match serde_json::to_value(settings) {
        Ok(Value::Object(map)) => map.into_iter().filter(|(k, _)| k != "type").collect(),
        _ => BTreeMap::new(),
    }
}

/// The tabs each widget type has (reference §2.1).
fn tabs(widget: WidgetType) -> &'static [&'static str] {
    match widget {
        WidgetType::Flows => &["myFlows", "sharedFlows"],
        WidgetType::ApprovalCenter => &["receivedApprovals", "sentApprovals"],
        _ => &[],
    }
}

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
        errors.add(field, format!("At most {max} characters."));
        return;
    }
    match placeholders::used(text) {
        Err(e) => errors.add(field, format!("{e}.")),
        Ok(used) => {
            if let Some((name, _)) = used.iter().find(|(_, needs)| *needs > offers(page)) {
                errors.add(
                    field,
                    format!("{{{name}}} cannot be filled on the {}.", page.label()),
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
            format!("Not a filter Power Automate understands: {e}."),
        );
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
        errors.add("key", "1 to 40 lower-case letters, digits and hyphens.");
    } else if RESERVED_KEYS.contains(&p.key.as_str()) {
        errors.add(
            "key",
            format!(
                "{:?} names a page of the console; choose another key.",
                p.key
            ),
        );
    }
    if !SLOTS.contains(&p.slot.as_str()) {
        errors.add("slot", format!("One of: {}.", SLOTS.join(", ")));
    }
    if !(-1000..=1000).contains(&p.order) {
        errors.add("order", "A whole number from -1000 to 1000.");
    }
    if p.title.trim().is_empty() {
        errors.add("title", "A title is required.");
    }
    placeholder_text(&mut errors, "title", &p.title, page, 80);
    let widget = p.settings.widget_type();
    let tab = |errors: &mut FieldErrors, tab: &str| {
        if !tabs(widget).contains(&tab) {
            errors.add(
                "tab",
                format!(
                    "{} has the tabs {}.",
                    widget.label(),
                    tabs(widget).join(" and ")
                ),
            );
        }
    };
    match &p.settings {
        Settings::Templates {
            search_term,
            template_category,
            page_size,
            destination,
            default_params,
        } => {
            placeholder_text(&mut errors, "searchTerm", search_term, page, 200);
            placeholder_text(
                &mut errors,
                "templateCategory",
                template_category,
                page,
                100,
            );
            if page_size.is_some_and(|n| !(1..=50).contains(&n)) {
                errors.add("pageSize", "A number of templates from 1 to 50.");
            }
            if !["", "details", "new"].contains(&destination.as_str()) {
                errors.add("destination", "Either details or new.");
            }
            for (name, value) in default_params {
                let bare = name.strip_prefix("parameters.").unwrap_or_default();
                if bare.is_empty()
                    || !bare
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
                {
                    errors.add(
                        "defaultParams",
                        format!("{name:?} is not a parameter name such as parameters.flowhost.accountId."),
                    );
                }
                placeholder_text(&mut errors, "defaultParams", value, page, 500);
            }
        }
        Settings::Flows {
            tab: t,
            flows_filter,
            create_from_blank_template_id,
            ..
        } => {
            tab(&mut errors, t);
            filter_text(&mut errors, "flowsFilter", flows_filter, page);
            if !id_like(create_from_blank_template_id) {
                errors.add(
                    "createFromBlankTemplateId",
                    "The template id for \u{201c}New flow\u{201d} is required (letters, digits, hyphens).",
                );
            }
        }
        Settings::ApprovalCenter {
            tab: t,
            approvals_filter,
            ..
        } => {
            tab(&mut errors, t);
            filter_text(&mut errors, "approvalsFilter", approvals_filter, page);
        }
        Settings::FlowsRuntime {
            trigger,
            button_text,
        } => {
            let (RunTrigger::Template(id) | RunTrigger::Flow(id)) = trigger;
            if !id_like(id) {
                errors.add(
                    "triggerId",
                    "The template or flow to run is required (letters, digits, hyphens).",
                );
            }
            if button_text.trim().is_empty() {
                errors.add("buttonText", "The button needs a text.");
            }
            placeholder_text(&mut errors, "buttonText", button_text, page, 60);
        }
        Settings::FlowCreation { template_name } => {
            if !id_like(template_name) {
                errors.add(
                    "templateName",
                    "The template to create from is required (letters, digits, hyphens).",
                );
            }
        }
    }
    errors
}

/// Every problem of a whole configuration, each naming its placement: what an import must
/// pass, all of it, before anything is applied.
pub fn problems(config: &WidgetConfig) -> Vec<String> {
    let mut found = Vec::new();
    let mut keys: Vec<&str> = Vec::new();
    for p in &config.placements {
        if keys.contains(&p.key.as_str()) {
            found.push(format!("{}: the key is used twice", p.key));
        }
        keys.push(&p.key);
        found.extend(
            check(p)
                .iter()
                .map(|(field, message)| format!("{}: {field}: {message}", p.key)),
        );
    }
    for (tenant, overrides) in &config.overrides {
        for (key, o) in overrides {
            let Some(base) = config.placement(key) else {
                found.push(format!("{tenant}: {key}: no such placement to override"));
                continue;
            };
            match apply(base, o) {
                Err(e) => found.push(format!("{tenant}: {key}: {e}")),
                Ok(merged) => found.extend(
                    check(&merged)
                        .iter()
                        .map(|(field, message)| format!("{tenant}: {key}: {field}: {message}")),
                ),
            }
        }
    }
    found
}

/// Keys a placement may not take: they name the console's own pages.
pub const RESERVED_KEYS: [&str; 4] = ["new", "history", "import", "export"];

/// `incoming` as the next version after `current`: every placement and override counts one
/// more save than it had, so an editor still holding the old one is refused.
pub fn adopt(current: &WidgetConfig, mut incoming: WidgetConfig) -> WidgetConfig {
    for p in &mut incoming.placements {
        p.revision = current
            .placement(&p.key)
            .map_or(0, |c| c.revision.max(p.revision) + 1);
    }
    for (tenant, overrides) in &mut incoming.overrides {
        for (key, o) in overrides.iter_mut() {
            o.revision = current
                .override_of(tenant, key)
                .map_or(0, |c| c.revision.max(o.revision) + 1);
        }
    }
    incoming
}

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
        settings_fields(&p.settings)
            .into_iter()
            .map(|(k, v)| (k, shown(&v))),
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
    let tenants: std::collections::BTreeSet<&TenantId> =
        old.overrides.keys().chain(new.overrides.keys()).collect();
    let empty = Override::default();
    for tenant in tenants {
        let keys: std::collections::BTreeSet<&String> = old
            .overrides
            .get(tenant)
            .into_iter()
            .chain(new.overrides.get(tenant))
            .flat_map(|m| m.keys())
            .collect();
        for key in keys {
            let was = override_fields(old.override_of(tenant, key).unwrap_or(&empty));
            let now = override_fields(new.override_of(tenant, key).unwrap_or(&empty));
            let names: std::collections::BTreeSet<&String> = was.keys().chain(now.keys()).collect();
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

/// The export's `format` member.
pub const EXPORT_FORMAT: &str = "flowhost.widget-configuration";
/// The export format's version; an import of another version is refused.
pub const EXPORT_VERSION: u32 = 1;

/// The whole configuration as a file for another instance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Export {
    pub format: String,
    pub format_version: u32,
    /// The version of the configuration exported, on the instance it came from.
    pub configuration_version: i64,
    pub exported_at: String,
    pub configuration: WidgetConfig,
}

impl Export {
    pub fn new(configuration: WidgetConfig, version: i64, exported_at: String) -> Export {
        Export {
            format: EXPORT_FORMAT.into(),
            format_version: EXPORT_VERSION,
            configuration_version: version,
            exported_at,
            configuration,
        }
    }

    /// Reads an export; every problem of its configuration is reported, and any makes it
    /// unusable.
    pub fn read(text: &str) -> Result<WidgetConfig, Vec<String>> {
        let export: Export = serde_json::from_str(text)
            .map_err(|e| vec![format!("This is not a widget configuration export: {e}.")])?;
        if export.format != EXPORT_FORMAT || export.format_version != EXPORT_VERSION {
            return Err(vec![format!(
                "This file is format {:?} version {}; Flowhost reads {EXPORT_FORMAT:?} version {EXPORT_VERSION}.",
                export.format, export.format_version
            )]);
        }
        let found = problems(&export.configuration);
        if found.is_empty() {
            Ok(export.configuration)
        } else {
            Err(found)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contoso() -> TenantId {
        TenantId::parse("c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70").unwrap()
    }

    fn seeded(key: &str) -> Placement {
        WidgetConfig::seeded().placement(key).unwrap().clone()
    }

    fn errors_of(p: &Placement) -> Vec<(String, String)> {
        check(p)
            .iter()
            .map(|(f, m)| (f.to_owned(), m.to_owned()))
            .collect()
    }

    #[test]
    fn the_seeded_configuration_passes_every_rule() {
        assert_eq!(problems(&WidgetConfig::seeded()), Vec::<String>::new());
    }

    #[test]
    fn an_invalid_filter_is_refused_with_its_position_in_what_was_typed() {
        let mut p = seeded("account-flows");
        if let Settings::Flows { flows_filter, .. } = &mut p.settings {
            *flows_filter = "operations/any(o: o/flowhost.accountId = '{account.id}')".into();
        }
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
        if let Settings::ApprovalCenter {
            approvals_filter, ..
        } = &mut approvals.settings
        {
            *approvals_filter = "properties/itemlink eq '{ticket.url}'".into();
        }
        assert_eq!(errors_of(&approvals)[0].0, "approvalsFilter");
    }

    #[test]
    fn page_size_tabs_and_required_settings_are_checked() {
        let mut p = seeded("account-templates");
        if let Settings::Templates { page_size, .. } = &mut p.settings {
            *page_size = Some(500);
        }
        assert_eq!(
            errors_of(&p),
            [(
                "pageSize".into(),
                "A number of templates from 1 to 50.".into()
            )]
        );
        let mut flows = seeded("account-flows");
        if let Settings::Flows {
            tab,
            create_from_blank_template_id,
            ..
        } = &mut flows.settings
        {
            *tab = "receivedApprovals".into();
            create_from_blank_template_id.clear();
        }
        let fields: Vec<String> = errors_of(&flows).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["createFromBlankTemplateId", "tab"]);
        let mut run = seeded("ticket-runtime");
        if let Settings::FlowsRuntime { button_text, .. } = &mut run.settings {
            button_text.clear();
        }
        assert_eq!(errors_of(&run)[0].0, "buttonText");
    }

    #[test]
    fn an_override_changes_only_its_fields_and_follows_the_rest() {
        let base = seeded("account-templates");
        let mut edited = base.clone();
        edited.enabled = false;
        if let Settings::Templates { search_term, .. } = &mut edited.settings {
            *search_term = "digest".into();
        }
        let o = difference(&base, &edited, 1);
        assert_eq!(o.enabled, Some(false));
        assert_eq!(o.title, None);
        assert_eq!(
            o.settings,
            BTreeMap::from([("searchTerm".into(), Value::from("digest"))])
        );
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
    fn changes_read_as_sentences() {
        let old = WidgetConfig::seeded();
        let mut new = old.clone();
        if let Settings::Templates { search_term, .. } = &mut new.placements[0].settings {
            *search_term = "digest".into();
        }
        let mut added = seeded("account-flows");
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

    #[test]
    fn the_export_round_trips_and_refuses_what_it_cannot_use() {
        let mut config = WidgetConfig::seeded();
        config.overrides.insert(
            contoso(),
            BTreeMap::from([(
                "account-templates".into(),
                Override {
                    settings: BTreeMap::from([("pageSize".into(), Value::from(3))]),
                    ..Default::default()
                },
            )]),
        );
        let text = serde_json::to_string_pretty(&Export::new(
            config.clone(),
            7,
            "2026-12-01T00:00:00Z".into(),
        ))
        .unwrap();
        assert!(text.contains("\"format\": \"flowhost.widget-configuration\""));
        assert_eq!(Export::read(&text).unwrap(), config);

        let bad = text.replace("\"pageSize\": 6", "\"pageSize\": 0");
        let found = Export::read(&bad).unwrap_err();
        assert_eq!(
            found,
            ["account-templates: pageSize: A number of templates from 1 to 50."]
        );
        let newer = text.replace("\"formatVersion\": 1", "\"formatVersion\": 2");
        assert!(Export::read(&newer).unwrap_err()[0].contains("version 2"));
        assert!(Export::read("{}").is_err());
        let dangling = text.replace("\"account-templates\": {\n", "\"gone\": {\n");
        assert!(
            Export::read(&dangling)
                .unwrap_err()
                .iter()
                .any(|p| p.contains("gone: no such placement"))
        );
    }
}

/// A placement form as submitted: every field as typed, by the form's field names.
pub type FormValues = BTreeMap<String, String>;

/// A placement as its form shows it.
pub fn to_form(p: &Placement) -> FormValues {
    let mut v = FormValues::new();
    let mut put = |k: &str, value: String| {
        v.insert(k.to_owned(), value);
    };
    put("key", p.key.clone());
    put("page", p.page.as_str().to_owned());
    put("slot", p.slot.clone());
    put("order", p.order.to_string());
    put("enabled", flag(p.enabled));
    put("title", p.title.clone());
    match &p.settings {
        Settings::Templates {
            search_term,
            template_category,
            page_size,
            destination,
            default_params,
        } => {
            put("searchTerm", search_term.clone());
            put("templateCategory", template_category.clone());
            put(
                "pageSize",
                page_size.map(|n| n.to_string()).unwrap_or_default(),
            );
            put("destination", destination.clone());
            put(
                "defaultParams",
                default_params
                    .iter()
                    .map(|(k, val)| format!("{k}={val}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
        Settings::Flows {
            tab,
            hide_tabs,
            flows_filter,
            create_from_blank_template_id,
        } => {
            put("tab", tab.clone());
            put("hideTabs", flag(*hide_tabs));
            put("flowsFilter", flows_filter.clone());
            put(
                "createFromBlankTemplateId",
                create_from_blank_template_id.clone(),
            );
        }
        Settings::ApprovalCenter {
            tab,
            hide_tabs,
            approvals_filter,
            hide_link,
        } => {
            put("tab", tab.clone());
            put("hideTabs", flag(*hide_tabs));
            put("approvalsFilter", approvals_filter.clone());
            put("hideLink", flag(*hide_link));
        }
        Settings::FlowsRuntime {
            trigger,
            button_text,
        } => {
            let (kind, id) = match trigger {
                RunTrigger::Template(id) => ("template", id),
                RunTrigger::Flow(id) => ("flow", id),
            };
            put("triggerKind", kind.to_owned());
            put("triggerId", id.clone());
            put("buttonText", button_text.clone());
        }
        Settings::FlowCreation { template_name } => put("templateName", template_name.clone()),
    }
    v
}

fn flag(on: bool) -> String {
    if on { "on" } else { "" }.to_owned()
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
    let on = |k: &str| values.get(k).is_some_and(|v| !v.is_empty());
    let mut errors = FieldErrors::default();
    let page = PageKind::from_field(&mut errors, "page", &text("page"));
    let order = match text("order").parse::<i32>() {
        Ok(n) => n,
        Err(_) => {
            errors.add("order", "A whole number from -1000 to 1000.");
            0
        }
    };
    let settings = match widget {
        WidgetType::Templates => {
            let page_size = match text("pageSize") {
                s if s.is_empty() => None,
                s => match s.parse::<u32>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        errors.add("pageSize", "A number of templates from 1 to 50.");
                        None
                    }
                },
            };
            let mut default_params = BTreeMap::new();
            for line in text("defaultParams")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
            {
                match line.split_once('=') {
                    Some((k, val)) => {
                        default_params.insert(k.trim().to_owned(), val.trim().to_owned());
                    }
                    None => errors.add(
                        "defaultParams",
                        format!("{line:?} is not a line such as parameters.flowhost.accountId={{account.id}}."),
                    ),
                }
            }
            Settings::Templates {
                search_term: text("searchTerm"),
                template_category: text("templateCategory"),
                page_size,
                destination: text("destination"),
                default_params,
            }
        }
        WidgetType::Flows => Settings::Flows {
            tab: text("tab"),
            hide_tabs: on("hideTabs"),
            flows_filter: text("flowsFilter"),
            create_from_blank_template_id: text("createFromBlankTemplateId"),
        },
        WidgetType::ApprovalCenter => Settings::ApprovalCenter {
            tab: text("tab"),
            hide_tabs: on("hideTabs"),
            approvals_filter: text("approvalsFilter"),
            hide_link: on("hideLink"),
        },
        WidgetType::FlowsRuntime => Settings::FlowsRuntime {
            trigger: match text("triggerKind").as_str() {
                "flow" => RunTrigger::Flow(text("triggerId")),
                "template" => RunTrigger::Template(text("triggerId")),
                _ => {
                    errors.add("triggerKind", "Either a template or a flow.");
                    RunTrigger::Template(text("triggerId"))
                }
            },
            button_text: text("buttonText"),
        },
        WidgetType::FlowCreation => Settings::FlowCreation {
            template_name: text("templateName"),
        },
    };
    let Some(page) = page else {
        return Err(errors);
    };
    let placement = Placement {
        key: text("key"),
        page,
        slot: text("slot"),
        order,
        enabled: on("enabled"),
        title: text("title"),
        settings,
        revision,
    };
    for (field, message) in check(&placement).iter() {
        errors.add(field, message);
    }
    errors.into_result(|| placement)
}

#[cfg(test)]
mod form_tests {
    use super::*;

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
}
