//! Each tenant's licences as they stand: its subscribed SKUs with their prepaid units, who
//! holds a seat of each, and the groups that hand seats out (group-based licensing).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::fixture::{Fixture, Product, instant};

/// A subscription's (and its assigned plans') state, in lifecycle order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CapabilityStatus {
    #[default]
    Enabled,
    Warning,
    Suspended,
    LockedOut,
    Deleted,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProvisioningStatus {
    #[default]
    Success,
    Disabled,
    Error,
    PendingInput,
    PendingActivation,
    PendingProvisioning,
}

/// Whom a service plan serves: each licensed person, or the organisation as a whole.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppliesTo {
    #[default]
    User,
    Company,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrepaidUnits {
    pub enabled: i64,
    pub locked_out: i64,
    pub suspended: i64,
    pub warning: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePlan {
    pub id: String,
    pub name: String,
    pub service: String,
    pub applies_to: AppliesTo,
    pub provisioning_status: ProvisioningStatus,
}

/// A listed person holding a seat, and since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub upn: String,
    pub since: OffsetDateTime,
}

/// One subscribed SKU of a tenant.
#[derive(Debug, Clone)]
pub struct Sku {
    pub sku_id: String,
    pub sku_part_number: String,
    pub capability_status: CapabilityStatus,
    pub prepaid: PrepaidUnits,
    /// People the directory does not list who use a seat.
    pub unlisted: i64,
    pub service_plans: Vec<ServicePlan>,
    pub subscription_ids: Vec<String>,
    pub assignments: Vec<Assignment>,
}

/// A licensing group: its SKU and its members, in order.
#[derive(Debug, Clone)]
pub struct Group {
    pub sku_id: String,
    pub members: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct TenantLicences {
    pub skus: Vec<Sku>,
    pub groups: Vec<Group>,
}

/// Every tenant's licences, by tenant id; a tenant without an entry has none.
#[derive(Debug, Clone, Default)]
pub struct Licences {
    tenants: Vec<(String, TenantLicences)>,
}

impl Sku {
    /// The product with no seats yet, on a new subscription.
    pub fn from_product(product: &Product) -> Sku {
        Sku {
            sku_id: product.sku_id.clone(),
            sku_part_number: product.sku_part_number.clone(),
            capability_status: CapabilityStatus::Enabled,
            prepaid: PrepaidUnits::default(),
            unlisted: 0,
            service_plans: product
                .service_plans
                .iter()
                .map(|p| ServicePlan {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    service: p.service.clone(),
                    applies_to: p.applies_to,
                    provisioning_status: ProvisioningStatus::Success,
                })
                .collect(),
            subscription_ids: vec![uuid::Uuid::new_v4().to_string()],
            assignments: Vec::new(),
        }
    }

    pub fn consumed(&self) -> i64 {
        self.unlisted + self.assignments.len() as i64
    }

    /// Enabled units nobody uses.
    pub fn free(&self) -> i64 {
        self.prepaid.enabled - self.consumed()
    }

    pub fn assignment(&self, upn: &str) -> Option<&Assignment> {
        self.assignments
            .iter()
            .find(|a| a.upn.eq_ignore_ascii_case(upn))
    }

    pub fn is(&self, sku_id: &str) -> bool {
        self.sku_id.eq_ignore_ascii_case(sku_id)
    }
}

impl TenantLicences {
    pub fn sku(&self, sku_id: &str) -> Option<&Sku> {
        self.skus.iter().find(|s| s.is(sku_id))
    }

    /// The SKUs `upn` holds a seat of, with the assignment.
    pub fn held_by<'a>(&'a self, upn: &'a str) -> impl Iterator<Item = (&'a Sku, &'a Assignment)> {
        self.skus
            .iter()
            .filter_map(move |s| s.assignment(upn).map(|a| (s, a)))
    }

    /// Group-based licensing: each member without a seat of the group's SKU gets one while
    /// one is free, group by group and in member order.
    pub fn apply_groups(&mut self, now: OffsetDateTime) {
        for index in 0..self.groups.len() {
            self.apply_group(index, now);
        }
    }

    fn apply_group(&mut self, index: usize, now: OffsetDateTime) {
        let group = &self.groups[index];
        let Some(sku) = self.skus.iter_mut().find(|s| s.is(&group.sku_id)) else {
            return;
        };
        for member in &group.members {
            if sku.free() <= 0 {
                break;
            }
            if sku.assignment(member).is_none() {
                sku.assignments.push(Assignment {
                    upn: member.clone(),
                    since: now,
                });
            }
        }
    }

    /// Adds `sku`, or replaces the SKU of its id (keeping that one's subscriptions when it
    /// names none), then hands out seats to the groups' waiting members.
    pub fn put(&mut self, mut sku: Sku, now: OffsetDateTime) {
        match self.skus.iter_mut().find(|s| s.is(&sku.sku_id)) {
            Some(old) => {
                if sku.subscription_ids.is_empty() {
                    sku.subscription_ids = std::mem::take(&mut old.subscription_ids);
                }
                *old = sku;
            }
            None => {
                if sku.subscription_ids.is_empty() {
                    sku.subscription_ids = vec![uuid::Uuid::new_v4().to_string()];
                }
                self.skus.push(sku);
            }
        }
        self.apply_groups(now);
    }
}

impl Licences {
    /// The licences at start; group members get their seats as of each SKU's `since`.
    pub fn from_fixture(fixture: &Fixture) -> Licences {
        let tenants = fixture
            .tenants
            .iter()
            .map(|t| {
                let skus: Vec<Sku> = t
                    .skus
                    .iter()
                    .map(|s| {
                        let since = instant(&s.since).expect("checked with the fixture");
                        let product = fixture.product(&s.sku_id).expect("checked too");
                        Sku {
                            capability_status: s.capability_status,
                            prepaid: PrepaidUnits {
                                enabled: s.enabled,
                                locked_out: s.locked_out,
                                suspended: s.suspended,
                                warning: s.warning,
                            },
                            unlisted: s.unlisted,
                            subscription_ids: s.subscription_ids.clone(),
                            assignments: s
                                .assigned
                                .iter()
                                .map(|upn| Assignment {
                                    upn: upn.clone(),
                                    since,
                                })
                                .collect(),
                            ..Sku::from_product(product)
                        }
                    })
                    .collect();
                let mut licences = TenantLicences {
                    skus,
                    groups: t
                        .groups
                        .iter()
                        .map(|g| Group {
                            sku_id: g.sku_id.clone(),
                            members: g.members.clone(),
                        })
                        .collect(),
                };
                for (index, group) in t.groups.iter().enumerate() {
                    let since = t
                        .skus
                        .iter()
                        .find(|s| s.sku_id == group.sku_id)
                        .and_then(|s| instant(&s.since).ok())
                        .expect("checked with the fixture");
                    licences.apply_group(index, since);
                }
                (t.id.clone(), licences)
            })
            .collect();
        Licences { tenants }
    }

    pub fn tenant(&self, tenant_id: &str) -> Option<&TenantLicences> {
        self.tenants
            .iter()
            .find(|(id, _)| id.eq_ignore_ascii_case(tenant_id))
            .map(|(_, t)| t)
    }

    /// The tenant's licences, an empty set if it has none yet.
    pub fn tenant_mut(&mut self, tenant_id: &str) -> &mut TenantLicences {
        let index = match self
            .tenants
            .iter()
            .position(|(id, _)| id.eq_ignore_ascii_case(tenant_id))
        {
            Some(index) => index,
            None => {
                self.tenants
                    .push((tenant_id.to_ascii_lowercase(), TenantLicences::default()));
                self.tenants.len() - 1
            }
        };
        &mut self.tenants[index].1
    }

    /// Adds `delta` enabled units of `sku_id` (removes them when negative, down to none),
    /// giving the tenant the product first if it has no such SKU; then the groups' waiting
    /// members get the freed seats. False when neither the tenant nor the product table
    /// knows the SKU.
    pub fn adjust(
        &mut self,
        fixture: &Fixture,
        tenant_id: &str,
        sku_id: &str,
        delta: i64,
        now: OffsetDateTime,
    ) -> bool {
        let licences = self.tenant_mut(tenant_id);
        if licences.sku(sku_id).is_none() {
            let Some(product) = fixture.product(sku_id) else {
                return false;
            };
            if delta <= 0 {
                return true;
            }
            licences.skus.push(Sku::from_product(product));
        }
        if let Some(sku) = licences.skus.iter_mut().find(|s| s.is(sku_id)) {
            sku.prepaid.enabled = sku.prepaid.enabled.saturating_add(delta).max(0);
        }
        licences.apply_groups(now);
        true
    }
}
