//! Which SDK script the Power Automate stand-in serves at `/Content/msflowsdk-1.1.js`, and
//! which real host its own origin stands for. Microsoft shipped two generations at that path:
//! the original 1.1 bundle and the 2.x bundle (2.2.0); the second part decides how either
//! treats the sandbox's origin (as make.powerautomate.com or as flow.microsoft.com).

use std::fmt;
use std::str::FromStr;

use serde_json::{Value, json};

/// The generation of the SDK script.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum SdkGeneration {
    /// The 2.x bundle (`config.version` 2.2.0), what Microsoft serves today.
    #[default]
    V2,
    /// The original 1.1 bundle.
    V1_1,
}

/// The real host the sandbox's origin stands for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum FlowPortal {
    /// make.powerautomate.com.
    #[default]
    Maker,
    /// flow.microsoft.com.
    Classic,
}

/// Both parts of the setting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct SdkSetting {
    pub sdk: SdkGeneration,
    pub host: FlowPortal,
}

const SDK_VALUES: &str = "\"2.2\" or \"1.1\"";
const HOST_VALUES: &str = "\"maker\" or \"classic\"";

/// A value none of the accepted ones; its message lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidValue {
    expected: &'static str,
}

impl fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}", self.expected)
    }
}

impl std::error::Error for InvalidValue {}

impl SdkGeneration {
    pub const ALL: [SdkGeneration; 2] = [SdkGeneration::V2, SdkGeneration::V1_1];

    pub fn as_str(self) -> &'static str {
        match self {
            SdkGeneration::V2 => "2.2",
            SdkGeneration::V1_1 => "1.1",
        }
    }
}

impl FromStr for SdkGeneration {
    type Err = InvalidValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SdkGeneration::ALL
            .into_iter()
            .find(|g| g.as_str() == s)
            .ok_or(InvalidValue {
                expected: SDK_VALUES,
            })
    }
}

impl fmt::Display for SdkGeneration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FlowPortal {
    pub const ALL: [FlowPortal; 2] = [FlowPortal::Maker, FlowPortal::Classic];

    pub fn as_str(self) -> &'static str {
        match self {
            FlowPortal::Maker => "maker",
            FlowPortal::Classic => "classic",
        }
    }

    /// The real host's name.
    pub fn host_name(self) -> &'static str {
        match self {
            FlowPortal::Maker => "make.powerautomate.com",
            FlowPortal::Classic => "flow.microsoft.com",
        }
    }
}

impl FromStr for FlowPortal {
    type Err = InvalidValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FlowPortal::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or(InvalidValue {
                expected: HOST_VALUES,
            })
    }
}

impl fmt::Display for FlowPortal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a submitted setting was refused; nothing is changed then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SettingError {
    /// `sdk` is not "2.2" or "1.1": the value as given, `None` when it is not text.
    Sdk(Option<String>),
    /// `host` is not "maker" or "classic".
    Host(Option<String>),
    /// A field the setting does not have.
    Unknown(String),
    /// The JSON body is not an object.
    NotAnObject,
}

impl SettingError {
    /// The field at fault, if one is.
    pub fn field(&self) -> Option<&str> {
        match self {
            SettingError::Sdk(_) => Some("sdk"),
            SettingError::Host(_) => Some("host"),
            SettingError::Unknown(name) => Some(name),
            SettingError::NotAnObject => None,
        }
    }

    /// The control's JSON answer: `{"error": message, "field": name}`.
    pub fn to_json(&self) -> Value {
        let shown = |value: &Option<String>| {
            value
                .as_ref()
                .map_or_else(|| "(not a string)".to_owned(), |v| format!("{v:?}"))
        };
        let message = match self {
            SettingError::Sdk(value) => format!("sdk {}: expected {SDK_VALUES}", shown(value)),
            SettingError::Host(value) => format!("host {}: expected {HOST_VALUES}", shown(value)),
            SettingError::Unknown(name) => {
                format!("unknown field {name:?}; the fields are sdk and host")
            }
            SettingError::NotAnObject => "the body must be a JSON object".to_owned(),
        };
        json!({ "error": message, "field": self.field() })
    }
}

impl SdkSetting {
    /// A setting from named text values; a field left out keeps its default. A value of `None`
    /// (JSON that is not a string) is refused like an unknown value.
    pub(crate) fn from_fields<'a>(
        fields: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
    ) -> Result<SdkSetting, SettingError> {
        let mut setting = SdkSetting::default();
        for (name, value) in fields {
            let given = || value.map(str::to_owned);
            match name {
                "sdk" => {
                    setting.sdk = value
                        .and_then(|v| v.parse().ok())
                        .ok_or_else(|| SettingError::Sdk(given()))?
                }
                "host" => {
                    setting.host = value
                        .and_then(|v| v.parse().ok())
                        .ok_or_else(|| SettingError::Host(given()))?
                }
                other => return Err(SettingError::Unknown(other.to_owned())),
            }
        }
        Ok(setting)
    }

    /// A setting from a JSON object such as `{"sdk": "1.1", "host": "classic"}`.
    pub(crate) fn from_json(body: &Value) -> Result<SdkSetting, SettingError> {
        let object = body.as_object().ok_or(SettingError::NotAnObject)?;
        SdkSetting::from_fields(object.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    pub fn to_json(self) -> Value {
        json!({ "sdk": self.sdk.as_str(), "host": self.host.as_str() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_values_are_exactly_the_documented_ones() {
        assert_eq!("1.1".parse(), Ok(SdkGeneration::V1_1));
        assert_eq!("2.2".parse(), Ok(SdkGeneration::V2));
        assert!("2.2.0".parse::<SdkGeneration>().is_err());
        assert!("Maker".parse::<FlowPortal>().is_err());
        assert_eq!("classic".parse(), Ok(FlowPortal::Classic));
        let setting = SdkSetting::from_json(&json!({"host": "classic"})).unwrap();
        assert_eq!(setting.sdk, SdkGeneration::V2);
        assert_eq!(setting.host, FlowPortal::Classic);
        let refused = SdkSetting::from_json(&json!({"sdk": 1.1})).unwrap_err();
        assert_eq!(refused.field(), Some("sdk"));
        let refused = SdkSetting::from_json(&json!({"portal": "maker"})).unwrap_err();
        assert_eq!(refused.to_json()["field"], "portal");
    }
}
