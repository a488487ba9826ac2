//! The licence fixture (`fixtures/licences.toml`): the product table, and each tenant's
//! subscribed SKUs and licensing groups at start.

use serde::Deserialize;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};
use toml::value::{Datetime, Offset};

use super::licences::{AppliesTo, CapabilityStatus};
use crate::directory::{Directory, Tenant};

const FIXTURE: &str = include_str!("../../../fixtures/licences.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    pub products: Vec<Product>,
    #[serde(default)]
    pub tenants: Vec<TenantFixture>,
}

/// A product a tenant can subscribe to, as Microsoft's licensing reference names it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub sku_id: String,
    pub sku_part_number: String,
    pub display_name: String,
    pub service_plans: Vec<PlanFixture>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFixture {
    pub id: String,
    pub name: String,
    /// The service a user's assigned plan names (`ProcessSimple` for Power Automate).
    pub service: String,
    #[serde(default)]
    pub applies_to: AppliesTo,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantFixture {
    pub id: String,
    #[serde(default)]
    pub skus: Vec<SkuFixture>,
    #[serde(default)]
    pub groups: Vec<GroupFixture>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkuFixture {
    pub sku_id: String,
    pub enabled: i64,
    #[serde(default)]
    pub warning: i64,
    #[serde(default)]
    pub suspended: i64,
    #[serde(default)]
    pub locked_out: i64,
    #[serde(default)]
    pub capability_status: CapabilityStatus,
    /// People of the organisation the directory does not list who use a seat.
    #[serde(default)]
    pub unlisted: i64,
    /// Listed people with a licence assigned directly.
    #[serde(default)]
    pub assigned: Vec<String>,
    pub subscription_ids: Vec<String>,
    /// When the seats in use were assigned.
    pub since: Datetime,
}

/// A group whose members get its SKU (group-based licensing).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupFixture {
    pub id: String,
    pub display_name: String,
    pub sku_id: String,
    pub members: Vec<String>,
}

impl Fixture {
    /// The fixture shipped with the crate, checked against `directory`.
    pub fn embedded(directory: &Directory) -> Fixture {
        Fixture::parse(FIXTURE, directory).expect("fixtures/licences.toml is valid")
    }

    pub fn parse(text: &str, directory: &Directory) -> Result<Fixture, String> {
        let fixture: Fixture = toml::from_str(text).map_err(|e| e.to_string())?;
        fixture.check(directory)?;
        Ok(fixture)
    }

    /// A product of the table by skuId.
    pub fn product(&self, sku_id: &str) -> Option<&Product> {
        self.products
            .iter()
            .find(|p| p.sku_id.eq_ignore_ascii_case(sku_id))
    }

    fn check(&self, directory: &Directory) -> Result<(), String> {
        for (i, product) in self.products.iter().enumerate() {
            guid(&product.sku_id)?;
            if self.products[..i]
                .iter()
                .any(|p| p.sku_id.eq_ignore_ascii_case(&product.sku_id))
            {
                return Err(format!(
                    "{} ({}) is listed twice",
                    product.display_name, product.sku_id
                ));
            }
            for plan in &product.service_plans {
                guid(&plan.id)?;
            }
        }
        for (i, licences) in self.tenants.iter().enumerate() {
            let tenant = directory
                .tenant(&licences.id)
                .filter(|t| t.id == licences.id)
                .ok_or_else(|| format!("unknown tenant {}", licences.id))?;
            if self.tenants[..i].iter().any(|t| t.id == licences.id) {
                return Err(format!("{} is listed twice", licences.id));
            }
            for (j, sku) in licences.skus.iter().enumerate() {
                self.check_sku(tenant, sku)?;
                if licences.skus[..j].iter().any(|s| s.sku_id == sku.sku_id) {
                    return Err(format!("{} has {} twice", tenant.domain, sku.sku_id));
                }
            }
            for group in &licences.groups {
                guid(&group.id)?;
                if !licences.skus.iter().any(|s| s.sku_id == group.sku_id) {
                    return Err(format!(
                        "{} gives {}, which {} has not",
                        group.display_name, group.sku_id, tenant.domain
                    ));
                }
                people(tenant, &group.members)?;
            }
        }
        Ok(())
    }

    fn check_sku(&self, tenant: &Tenant, sku: &SkuFixture) -> Result<(), String> {
        self.product(&sku.sku_id)
            .ok_or_else(|| format!("{} is not in the product table", sku.sku_id))?;
        let counters = [
            sku.enabled,
            sku.warning,
            sku.suspended,
            sku.locked_out,
            sku.unlisted,
        ];
        if counters.iter().any(|c| *c < 0) {
            return Err(format!(
                "{} of {} counts below zero",
                sku.sku_id, tenant.domain
            ));
        }
        people(tenant, &sku.assigned)?;
        let units = sku.enabled + sku.warning + sku.suspended + sku.locked_out;
        if sku.unlisted + sku.assigned.len() as i64 > units {
            return Err(format!(
                "{} of {} has more people than seats",
                sku.sku_id, tenant.domain
            ));
        }
        if sku.subscription_ids.is_empty() {
            return Err(format!(
                "{} of {} has no subscription",
                sku.sku_id, tenant.domain
            ));
        }
        for id in &sku.subscription_ids {
            guid(id)?;
        }
        instant(&sku.since)?;
        Ok(())
    }
}

fn guid(text: &str) -> Result<(), String> {
    uuid::Uuid::parse_str(text)
        .map(drop)
        .map_err(|_| format!("{text} is not a GUID"))
}

/// Each of `upns` names a different person of `tenant`.
fn people(tenant: &Tenant, upns: &[String]) -> Result<(), String> {
    for (i, upn) in upns.iter().enumerate() {
        if !tenant.users.iter().any(|u| u.upn.eq_ignore_ascii_case(upn)) {
            return Err(format!("{upn} is not in {}", tenant.domain));
        }
        if upns[..i].iter().any(|u| u.eq_ignore_ascii_case(upn)) {
            return Err(format!("{upn} is listed twice"));
        }
    }
    Ok(())
}

/// A TOML date-time with a UTC offset (`2025-02-03T09:15:00Z`) as an instant.
pub fn instant(value: &Datetime) -> Result<OffsetDateTime, String> {
    let invalid = || format!("{value} is not a UTC date and time");
    let (Some(date), Some(time), Some(Offset::Z)) = (value.date, value.time, value.offset) else {
        return Err(invalid());
    };
    let month = Month::try_from(date.month).map_err(|_| invalid())?;
    let date = Date::from_calendar_date(i32::from(date.year), month, date.day);
    let time = Time::from_hms_nano(time.hour, time.minute, time.second, time.nanosecond);
    match (date, time) {
        (Ok(date), Ok(time)) => Ok(PrimitiveDateTime::new(date, time).assume_utc()),
        _ => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contoso_sku<'f>(fixture: &'f Fixture, sku_id: &str) -> &'f SkuFixture {
        fixture.tenants[0]
            .skus
            .iter()
            .find(|s| s.sku_id == sku_id)
            .unwrap()
    }

    #[test]
    fn the_fixture_parses_with_contosos_figures() {
        let directory = Directory::embedded();
        let fixture = Fixture::embedded(&directory);
        assert_eq!(
            fixture.tenants[0].id,
            "c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70"
        );
        let e3 = contoso_sku(&fixture, "6fd2c87f-b296-42f0-b197-1e91e994b900");
        assert_eq!((e3.enabled, e3.unlisted, e3.assigned.len()), (40, 37, 3));
        let premium = fixture
            .product("EDA1941C-3C4F-4995-B5EB-E85A42175AB9")
            .unwrap();
        assert_eq!(premium.sku_part_number, "POWERAUTOMATE_ATTENDED_RPA");
        assert!(
            premium
                .service_plans
                .iter()
                .any(|p| p.name == "POWER_AUTOMATE_ATTENDED_RPA" && p.service == "ProcessSimple")
        );
    }

    #[test]
    fn fixture_errors_are_reported() {
        let directory = Directory::embedded();
        let stranger =
            FIXTURE.replace("\"bianca@fabrikam.example\"", "\"nobody@fabrikam.example\"");
        let error = Fixture::parse(&stranger, &directory).unwrap_err();
        assert!(error.contains("nobody@fabrikam.example"), "{error}");
        let crowded = FIXTURE.replace("unlisted = 37", "unlisted = 38");
        let error = Fixture::parse(&crowded, &directory).unwrap_err();
        assert!(error.contains("more people than seats"), "{error}");
        let local = FIXTURE.replace(
            "since = 2025-02-03T09:15:00Z",
            "since = 2025-02-03T09:15:00",
        );
        assert!(Fixture::parse(&local, &directory).is_err());
    }
}
