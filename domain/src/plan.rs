//! What an organisation gets: the plans of the ISV's marketplace offer, each naming the
//! features it includes and how its seats are counted, and the access a subscription leaves
//! an organisation with.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A part of Flowhost a plan may include. The widgets on record pages come with every plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Feature {
    /// Power Automate's widgets on record pages.
    Widgets,
    /// The REST API behind the custom connector, with its webhook triggers.
    Connector,
    /// The ISV's pre-built flows, deployed into the organisation's environment.
    PrebuiltFlows,
}

impl Feature {
    pub const ALL: [Feature; 3] = [Feature::Widgets, Feature::Connector, Feature::PrebuiltFlows];

    pub fn as_str(self) -> &'static str {
        match self {
            Feature::Widgets => "widgets",
            Feature::Connector => "connector",
            Feature::PrebuiltFlows => "prebuilt-flows",
        }
    }
}

/// How a plan's seats are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Seats {
    /// The subscription's quantity: people who signed in during the calendar month (UTC).
    MonthlyActive,
    /// Flat rate: any number of people.
    Unlimited,
}

/// One plan of the offer, by its marketplace plan id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// As people read it, e.g. "Standard".
    pub name: String,
    pub features: Vec<Feature>,
    pub seats: Seats,
}

impl Plan {
    pub fn includes(&self, feature: Feature) -> bool {
        self.features.contains(&feature)
    }
}

/// Every plan Flowhost knows, by plan id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plans {
    pub plans: BTreeMap<String, Plan>,
}

impl Plans {
    /// What is wrong with the plans, in words naming the plan; nothing when they can be used.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.plans.is_empty() {
            problems.push("names no plan".to_owned());
        }
        for (id, plan) in &self.plans {
            let shape = !id.is_empty()
                && id.len() <= 50
                && id.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                });
            if !shape {
                problems.push(format!(
                    "plan {id:?}: a plan id is 1 to 50 of a-z, 0-9, - and _, as on the marketplace"
                ));
            }
            if plan.name.trim().is_empty() {
                problems.push(format!("plan {id:?}: has no name"));
            }
            if !plan.includes(Feature::Widgets) {
                problems.push(format!(
                    "plan {id:?}: every plan includes \"widgets\", the record pages' Power Automate"
                ));
            }
        }
        problems
    }

    pub fn get(&self, id: &str) -> Option<&Plan> {
        self.plans.get(id)
    }
}

/// Where an organisation stands with Flowhost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    /// Admitted without the marketplace (registered, or listed in the settings): everything.
    Open,
    /// A marketplace subscription is active: what its plan includes.
    Subscribed,
    /// The subscription is suspended (unpaid): its people see why, nothing is deleted.
    Suspended,
    /// The subscription ended: nobody of the organisation may sign in.
    Ended,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Open => "open",
            Access::Subscribed => "subscribed",
            Access::Suspended => "suspended",
            Access::Ended => "ended",
        }
    }

    pub fn parse(raw: &str) -> Option<Access> {
        Some(match raw {
            "open" => Access::Open,
            "subscribed" => Access::Subscribed,
            "suspended" => Access::Suspended,
            "ended" => Access::Ended,
            _ => return None,
        })
    }
}

/// An organisation's standing and plan, as admission reads it on every request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub access: Access,
    pub plan_id: Option<String>,
}

impl Standing {
    pub const OPEN: Standing = Standing {
        access: Access::Open,
        plan_id: None,
    };

    /// Whether the organisation has `feature`: all of them without a subscription; with one,
    /// what its plan includes (a plan Flowhost does not know includes the widgets only).
    pub fn has(&self, plans: &Plans, feature: Feature) -> bool {
        match (self.access, &self.plan_id) {
            (Access::Open, _) => true,
            (_, Some(id)) => plans
                .get(id)
                .map_or(feature == Feature::Widgets, |p| p.includes(feature)),
            (_, None) => feature == Feature::Widgets,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plans() -> Plans {
        let mut plans = BTreeMap::new();
        plans.insert(
            "widgets".to_owned(),
            Plan {
                name: "Widgets".into(),
                features: vec![Feature::Widgets],
                seats: Seats::MonthlyActive,
            },
        );
        plans.insert(
            "standard".to_owned(),
            Plan {
                name: "Standard".into(),
                features: Feature::ALL.to_vec(),
                seats: Seats::MonthlyActive,
            },
        );
        Plans { plans }
    }

    #[test]
    fn a_plan_gives_what_it_includes_and_an_open_organisation_everything() {
        let plans = plans();
        let on = |plan: &str| Standing {
            access: Access::Subscribed,
            plan_id: Some(plan.into()),
        };
        assert!(on("widgets").has(&plans, Feature::Widgets));
        assert!(!on("widgets").has(&plans, Feature::Connector));
        assert!(on("standard").has(&plans, Feature::PrebuiltFlows));
        assert!(!on("unknown").has(&plans, Feature::Connector));
        assert!(on("unknown").has(&plans, Feature::Widgets));
        assert!(Standing::OPEN.has(&plans, Feature::Connector));
    }

    #[test]
    fn plans_that_cannot_be_sold_or_used_are_named() {
        let mut plans = plans();
        assert!(plans.problems().is_empty());
        plans.plans.insert(
            "Bad Id".into(),
            Plan {
                name: " ".into(),
                features: vec![Feature::Connector],
                seats: Seats::Unlimited,
            },
        );
        let problems = plans.problems();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.iter().all(|p| p.contains("\"Bad Id\"")));
        assert_eq!(Plans::default().problems(), ["names no plan"]);
    }
}
