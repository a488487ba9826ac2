//! The whole configuration as a file for another instance, and reading such a file back.

use super::{WidgetConfig, problems};
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
    use crate::TenantId;
    use crate::widget_config::Override;
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
