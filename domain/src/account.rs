use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountId(pub i64);

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountTier {
    Standard,
    Premium,
    Enterprise,
}

impl AccountTier {
    pub const ALL: [AccountTier; 3] = [Self::Standard, Self::Premium, Self::Enterprise];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Premium => "premium",
            Self::Enterprise => "enterprise",
        }
    }

    /// The tier's name, to be put in the reader's language.
    pub fn label(self) -> i18n::Msg {
        match self {
            Self::Standard => i18n::Msg::new("tier-standard"),
            Self::Premium => i18n::Msg::new("tier-premium"),
            Self::Enterprise => i18n::Msg::new("tier-enterprise"),
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw)
    }
}

impl TryFrom<String> for AccountTier {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value).ok_or_else(|| format!("unknown account tier {value:?}"))
    }
}

/// A customer's customer: the organisation a ticket is raised for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "db", derive(sqlx::FromRow))]
pub struct Account {
    #[cfg_attr(feature = "db", sqlx(try_from = "i64"))]
    pub id: AccountId,
    pub name: String,
    /// The account's website domain, e.g. `adventure-works.example`.
    pub domain: String,
    #[cfg_attr(feature = "db", sqlx(try_from = "String"))]
    pub tier: AccountTier,
    /// The person at the ISV's customer who looks after this account.
    pub owner: String,
    /// Tickets that are open or pending.
    pub open_tickets: i64,
}

impl From<i64> for AccountId {
    fn from(value: i64) -> Self {
        Self(value)
    }
}
