//! The whole configuration as a file for another instance, and reading such a file back.

use super::{WidgetConfig, problems};
use i18n::Msg;
use serde::{Deserialize, Serialize};

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

    /// Reads an export; every problem of its configuration is reported, each to be put in the
    /// reader's language, and any makes it unusable.
    pub fn read(text: &str) -> Result<WidgetConfig, Vec<Msg>> {
        let export: Export = serde_json::from_str(text)
            .map_err(|e| vec![Msg::new("import-not-an-export").with("reason", e.to_string())])?;
        if export.format != EXPORT_FORMAT || export.format_version != EXPORT_VERSION {
            return Err(vec![
                Msg::new("import-other-format")
                    .with("format", export.format.as_str())
                    .with("version", i64::from(export.format_version))
                    .with("expected", EXPORT_FORMAT)
                    .with("expected_version", i64::from(EXPORT_VERSION)),
            ]);
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
    use crate::TenantId;
    use crate::widget_config::Override;
    use i18n::Lang;
    use serde_json::Value;
    use std::collections::BTreeMap;

    fn contoso() -> TenantId {
        TenantId::parse("c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70").unwrap()
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

        let said = |problems: Vec<Msg>, lang| -> Vec<String> {
            problems.iter().map(|m| m.show(lang)).collect()
        };
        let bad = text.replace("\"pageSize\": 6", "\"pageSize\": 0");
        let found = Export::read(&bad).unwrap_err();
        assert_eq!(
            said(found.clone(), Lang::En),
            ["account-templates: pageSize: A number of templates from 1 to 50."]
        );
        assert_eq!(
            said(found, Lang::Nl),
            ["account-templates: pageSize: Een aantal sjablonen van 1 tot 50."]
        );
        let newer = text.replace("\"formatVersion\": 1", "\"formatVersion\": 2");
        let other = said(Export::read(&newer).unwrap_err(), Lang::En);
        assert_eq!(
            other,
            [
                "This file is format \"flowhost.widget-configuration\" version 2; Flowhost reads \"flowhost.widget-configuration\" version 1."
            ]
        );
        let unreadable = said(Export::read("{}").unwrap_err(), Lang::Nl);
        assert!(
            unreadable[0]
                .starts_with("Dit is geen export van een widgetconfiguratie: missing field"),
            "{unreadable:?}"
        );
        let dangling = text.replace("\"account-templates\": {\n", "\"gone\": {\n");
        assert!(
            said(Export::read(&dangling).unwrap_err(), Lang::En)
                .iter()
                .any(|p| p.contains("gone: no such placement"))
        );
    }
}
