//! Power Automate licences: which Microsoft service plans let a person run flows that use a
//! custom connector (Flowhost's), an organisation's licences as Microsoft Graph reports them,
//! and a person's rights.
//!
//! Premium and custom connectors are not part of the Power Automate that Office 365 and
//! Microsoft 365 include (`FLOW_O365_*`); only the standalone plans cover them:
//! `FLOW_PER_USER`, `POWER_AUTOMATE_ATTENDED_RPA` (Power Automate Premium) and the
//! grandfathered `FLOW_P2`, while their state is `Enabled` or `Warning`.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Service plans that cover flows using a custom connector: (id, name).
pub const PREMIUM_PLANS: [(&str, &str); 3] = [
    ("c5002c70-f725-4367-b409-f0eff4fee6c0", "FLOW_PER_USER"),
    (
        "375cd0ad-c407-49fd-866a-0bff4f8a9a4d",
        "POWER_AUTOMATE_ATTENDED_RPA",
    ),
    ("56be9436-e4b2-446c-bb7f-cc15d16cca4d", "FLOW_P2"),
];

/// Service plans with Power Automate for standard connectors only: (id, name).
pub const STANDARD_PLANS: [(&str, &str); 7] = [
    ("0f9b09cb-62d1-4ff4-9129-43f4996f83f4", "FLOW_O365_P1"),
    ("76846ad7-7776-4c40-a281-a386362dd1b9", "FLOW_O365_P2"),
    ("07699545-9485-468e-95b6-2fca3738be01", "FLOW_O365_P3"),
    ("bd91b1a4-9f94-4ecf-b45b-3a65e5c8128a", "FLOW_O365_S1"),
    ("7e6d7d78-73de-46ba-83b1-6d25117334ba", "FLOW_DYN_APPS"),
    (
        "dc789ed8-0170-4b65-a415-eb77d5bb350a",
        "Flow_PowerApps_PerUser",
    ),
    ("50e68c76-46c6-4674-81f9-75456511b170", "FLOW_P2_VIRAL"),
];

/// The names of licences organisations commonly have: part number, a tab, the name.
const PRODUCT_NAMES: &str = include_str!("products.tsv");

/// The name people know a licence by; the part number itself for one Flowhost has no name for.
pub fn product_name(part_number: &str) -> String {
    PRODUCT_NAMES
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once('\t'))
        .find(|(p, _)| p.eq_ignore_ascii_case(part_number))
        .map_or_else(|| part_number.to_owned(), |(_, name)| name.to_owned())
}

/// What a service plan gives for flows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rights {
    /// No Power Automate.
    None,
    /// Power Automate with standard connectors: flows that use Flowhost do not run.
    Standard,
    /// Premium and custom connectors: flows that use Flowhost run.
    Premium,
}

impl Rights {
    /// A service plan's rights, by its id or else its name.
    pub fn of_plan(id: &str, name: &str) -> Rights {
        let known = |list: &[(&str, &str)]| {
            list.iter()
                .any(|(i, n)| i.eq_ignore_ascii_case(id) || n.eq_ignore_ascii_case(name))
        };
        if known(&PREMIUM_PLANS) {
            Rights::Premium
        } else if known(&STANDARD_PLANS) || name.to_ascii_uppercase().starts_with("FLOW_") {
            Rights::Standard
        } else {
            Rights::None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Rights::None => "none",
            Rights::Standard => "standard",
            Rights::Premium => "premium",
        }
    }

    pub fn parse(s: &str) -> Option<Rights> {
        Some(match s {
            "none" => Rights::None,
            "standard" => Rights::Standard,
            "premium" => Rights::Premium,
            _ => return None,
        })
    }
}

/// A licence's state (`capabilityStatus`), in its lifecycle order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Capability {
    Enabled,
    /// Past its end, in its grace period: still works.
    Warning,
    /// Does not work; can still be renewed.
    Suspended,
    /// Does not work and can no longer be renewed.
    LockedOut,
    Deleted,
}

impl Capability {
    pub fn parse(s: &str) -> Option<Capability> {
        Some(match s {
            "Enabled" => Capability::Enabled,
            "Warning" => Capability::Warning,
            "Suspended" => Capability::Suspended,
            "LockedOut" => Capability::LockedOut,
            "Deleted" => Capability::Deleted,
            _ => return None,
        })
    }

    /// People with a seat of it can use what it includes.
    pub fn works(self) -> bool {
        matches!(self, Capability::Enabled | Capability::Warning)
    }
}

/// One of an organisation's licences (a `subscribedSku`), as Flowhost keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SkuReading {
    pub sku_id: String,
    pub part_number: String,
    /// `None`: a state Flowhost does not know, which it treats as not working.
    pub capability: Option<Capability>,
    pub enabled: i64,
    pub warning: i64,
    pub suspended: i64,
    pub locked_out: i64,
    /// Seats assigned.
    pub consumed: i64,
    /// The best rights for flows among its service plans that are provisioned.
    pub rights: Rights,
    /// A Power Automate plan of it is still being activated (`PendingActivation`,
    /// `PendingProvisioning`, `PendingInput`).
    pub pending: bool,
    /// Its Power Automate plans (ids, lower case) that are provisioned.
    #[serde(default)]
    pub plans: Vec<String>,
    /// Its Power Automate plans (ids, lower case) still being activated.
    #[serde(default)]
    pub pending_plans: Vec<String>,
}

impl SkuReading {
    pub fn name(&self) -> String {
        product_name(&self.part_number)
    }

    /// People with a seat of it can run flows that use Flowhost.
    pub fn covers(&self) -> bool {
        self.rights == Rights::Premium && self.capability.is_some_and(Capability::works)
    }
}

/// What an organisation's licences mean for flows that use Flowhost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// Seats assigned of licences that cover such flows.
    pub covered: i64,
    /// People with a licence: the seats assigned of its most used licence.
    pub people: i64,
    /// Seats bought of covering licences that nobody uses yet.
    pub free: i64,
}

impl Coverage {
    pub fn of(skus: &[SkuReading]) -> Coverage {
        let covering = skus.iter().filter(|s| s.covers());
        let covered: i64 = covering.clone().map(|s| s.consumed).sum();
        let free = covering
            .map(|s| (s.enabled + s.warning - s.consumed).max(0))
            .sum();
        let people = skus.iter().map(|s| s.consumed).max().unwrap_or(0);
        Coverage {
            covered,
            people: people.max(covered),
            free,
        }
    }
}

/// How Flowhost's latest attempt to read an organisation's licences went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReadOutcome {
    Read,
    /// Graph refused: the administrator's consent to read licences is missing or withdrawn.
    NoConsent,
    Unreachable,
    /// Graph asked Flowhost to wait; it reads again after `retry_at`.
    Throttled,
}

impl ReadOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            ReadOutcome::Read => "read",
            ReadOutcome::NoConsent => "no-consent",
            ReadOutcome::Unreachable => "unreachable",
            ReadOutcome::Throttled => "throttled",
        }
    }

    pub fn parse(s: &str) -> Option<ReadOutcome> {
        Some(match s {
            "read" => ReadOutcome::Read,
            "no-consent" => ReadOutcome::NoConsent,
            "unreachable" => ReadOutcome::Unreachable,
            "throttled" => ReadOutcome::Throttled,
            _ => return None,
        })
    }
}

/// An organisation's licences: the last good reading, and how the latest attempt went.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LicenceReading {
    /// `None` until Graph was read once.
    pub skus: Option<Vec<SkuReading>>,
    pub read_at: Option<OffsetDateTime>,
    pub attempt_at: OffsetDateTime,
    pub outcome: ReadOutcome,
    pub retry_at: Option<OffsetDateTime>,
    pub detail: String,
}

impl LicenceReading {
    pub fn coverage(&self) -> Option<Coverage> {
        self.skus.as_deref().map(Coverage::of)
    }
}

/// Where a person's rights were read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RightsSource {
    /// The organisation's directory (`assignedPlans` of every person), read daily.
    Directory,
    /// The person's own licences (`licenseDetails`), read when they signed in.
    SignIn,
}

impl RightsSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RightsSource::Directory => "directory",
            RightsSource::SignIn => "sign-in",
        }
    }

    pub fn parse(s: &str) -> Option<RightsSource> {
        match s {
            "directory" => Some(RightsSource::Directory),
            "sign-in" => Some(RightsSource::SignIn),
            _ => None,
        }
    }
}

/// One person's Power Automate rights.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonRights {
    pub object_id: String,
    pub name: String,
    pub email: String,
    pub rights: Rights,
    /// A covering plan is assigned but still being activated.
    pub pending: bool,
    pub source: RightsSource,
    pub read_at: OffsetDateTime,
}

/// A person's rights from their assigned plans (`assignedPlans`: plan id, Graph's `service`,
/// `capabilityStatus`): premium only from a premium plan that is `Enabled` or `Warning`.
pub fn rights_of_assigned<'a>(
    plans: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
) -> Rights {
    plans
        .into_iter()
        .filter(|(_, _, status)| Capability::parse(status).is_some_and(Capability::works))
        .map(|(id, service, _)| match Rights::of_plan(id, "") {
            Rights::None if service.eq_ignore_ascii_case("ProcessSimple") => Rights::Standard,
            rights => rights,
        })
        .max()
        .unwrap_or(Rights::None)
}

/// A person's rights from their licences' service plans (`licenseDetails`: id, name,
/// `provisioningStatus`), and whether a covering plan is still being activated.
pub fn rights_of_details<'a>(
    plans: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
) -> (Rights, bool) {
    let mut rights = Rights::None;
    let mut pending = false;
    for (id, name, status) in plans {
        let of = Rights::of_plan(id, name);
        match status {
            "Success" => rights = rights.max(of),
            s if s.starts_with("Pending") && of == Rights::Premium => pending = true,
            _ => {}
        }
    }
    (rights, pending && rights != Rights::Premium)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sku(
        part: &str,
        rights: Rights,
        capability: &str,
        enabled: i64,
        consumed: i64,
    ) -> SkuReading {
        SkuReading {
            sku_id: part.into(),
            part_number: part.into(),
            capability: Capability::parse(capability),
            enabled,
            warning: 0,
            suspended: 0,
            locked_out: 0,
            consumed,
            rights,
            pending: false,
            plans: Vec::new(),
            pending_plans: Vec::new(),
        }
    }

    #[test]
    fn office_365_flow_is_not_enough_for_a_custom_connector() {
        assert_eq!(
            Rights::of_plan("76846ad7-7776-4c40-a281-a386362dd1b9", "FLOW_O365_P2"),
            Rights::Standard
        );
        assert_eq!(
            Rights::of_plan("375cd0ad-c407-49fd-866a-0bff4f8a9a4d", ""),
            Rights::Premium
        );
        assert_eq!(Rights::of_plan("x", "FLOW_PER_USER"), Rights::Premium);
        assert_eq!(Rights::of_plan("x", "EXCHANGE_S_ENTERPRISE"), Rights::None);
        assert_eq!(Rights::of_plan("x", "FLOW_SOMETHING_NEW"), Rights::Standard);
    }

    #[test]
    fn coverage_counts_working_premium_seats_only() {
        let skus = [
            sku("ENTERPRISEPACK", Rights::Standard, "Enabled", 40, 40),
            sku(
                "POWERAUTOMATE_ATTENDED_RPA",
                Rights::Premium,
                "Enabled",
                18,
                18,
            ),
            sku("FLOW_PER_USER", Rights::Premium, "Suspended", 5, 5),
            sku("FLOW_P2", Rights::Premium, "Warning", 3, 1),
        ];
        let c = Coverage::of(&skus);
        assert_eq!((c.covered, c.people, c.free), (19, 40, 2));
        assert_eq!(product_name("ENTERPRISEPACK"), "Office 365 E3");
        assert_eq!(product_name("CONTOSO_BUNDLE"), "CONTOSO_BUNDLE");
    }

    #[test]
    fn a_persons_rights_follow_plan_states() {
        let premium = "375cd0ad-c407-49fd-866a-0bff4f8a9a4d";
        assert_eq!(
            rights_of_assigned([(premium, "ProcessSimple", "Enabled")]),
            Rights::Premium
        );
        assert_eq!(
            rights_of_assigned([(premium, "ProcessSimple", "Suspended")]),
            Rights::None
        );
        assert_eq!(
            rights_of_assigned([
                ("unknown", "ProcessSimple", "Enabled"),
                ("x", "exchange", "Enabled")
            ]),
            Rights::Standard
        );
        assert_eq!(
            rights_of_details([(premium, "POWER_AUTOMATE_ATTENDED_RPA", "PendingActivation")]),
            (Rights::None, true)
        );
        assert_eq!(
            rights_of_details([
                (premium, "POWER_AUTOMATE_ATTENDED_RPA", "Success"),
                (
                    "76846ad7-7776-4c40-a281-a386362dd1b9",
                    "FLOW_O365_P2",
                    "Success"
                ),
            ]),
            (Rights::Premium, false)
        );
    }
}
