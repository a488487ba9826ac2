//! The Graph resources made of the licences: subscribedSku, servicePlanInfo, licenseDetails,
//! assignedPlan and assignedLicense, and the user with them.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde_json::Value;

use super::errors::timestamp;
use super::licences::{
    AppliesTo, Assignment, CapabilityStatus, PrepaidUnits, ProvisioningStatus, ServicePlan, Sku,
    TenantLicences,
};
use crate::directory::{Tenant, User};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscribedSku {
    account_name: String,
    account_id: String,
    applies_to: AppliesTo,
    capability_status: CapabilityStatus,
    consumed_units: i64,
    id: String,
    prepaid_units: PrepaidUnits,
    service_plans: Vec<ServicePlanInfo>,
    sku_id: String,
    sku_part_number: String,
    subscription_ids: Vec<String>,
}

/// The properties of a subscribedSku.
pub const SKU_PROPERTIES: [&str; 11] = [
    "accountName",
    "accountId",
    "appliesTo",
    "capabilityStatus",
    "consumedUnits",
    "id",
    "prepaidUnits",
    "servicePlans",
    "skuId",
    "skuPartNumber",
    "subscriptionIds",
];

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePlanInfo {
    service_plan_id: String,
    service_plan_name: String,
    provisioning_status: ProvisioningStatus,
    applies_to: AppliesTo,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LicenseDetails {
    id: String,
    service_plans: Vec<ServicePlanInfo>,
    sku_id: String,
    sku_part_number: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignedPlan {
    assigned_date_time: String,
    capability_status: CapabilityStatus,
    service: String,
    service_plan_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignedLicense {
    disabled_plans: Vec<String>,
    sku_id: String,
}

/// The user properties this Graph knows, and those it answers without `$select`.
pub const USER_PROPERTIES: [&str; 14] = [
    "id",
    "displayName",
    "userPrincipalName",
    "mail",
    "givenName",
    "surname",
    "jobTitle",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "businessPhones",
    "accountEnabled",
    "assignedLicenses",
    "assignedPlans",
];
pub const USER_DEFAULTS: [&str; 11] = [
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "id",
];
/// What `User.ReadBasic.All` lets a caller read.
pub const USER_BASICS: [&str; 6] = [
    "id",
    "displayName",
    "userPrincipalName",
    "mail",
    "givenName",
    "surname",
];

fn plan_info(plan: &ServicePlan) -> ServicePlanInfo {
    ServicePlanInfo {
        service_plan_id: plan.id.clone(),
        service_plan_name: plan.name.clone(),
        provisioning_status: plan.provisioning_status,
        applies_to: plan.applies_to,
    }
}

pub fn subscribed_sku(tenant: &Tenant, sku: &Sku) -> SubscribedSku {
    SubscribedSku {
        account_name: tenant.display_name.replace(' ', ""),
        account_id: tenant.id.clone(),
        applies_to: AppliesTo::User,
        capability_status: sku.capability_status,
        consumed_units: sku.consumed(),
        id: format!("{}_{}", tenant.id, sku.sku_id),
        prepaid_units: sku.prepaid,
        service_plans: sku.service_plans.iter().map(plan_info).collect(),
        sku_id: sku.sku_id.clone(),
        sku_part_number: sku.sku_part_number.clone(),
        subscription_ids: sku.subscription_ids.clone(),
    }
}

/// The licence details of `user`, one per SKU they hold a seat of.
pub fn license_details(licences: Option<&TenantLicences>, user: &User) -> Vec<LicenseDetails> {
    held(licences, user)
        .map(|(sku, _)| LicenseDetails {
            id: detail_id(&user.object_id, &sku.sku_id),
            service_plans: sku.service_plans.iter().map(plan_info).collect(),
            sku_id: sku.sku_id.clone(),
            sku_part_number: sku.sku_part_number.clone(),
        })
        .collect()
}

/// One assigned plan per service plan of each licence `user` holds; a plan's capability
/// follows its subscription's.
pub fn assigned_plans(licences: Option<&TenantLicences>, user: &User) -> Vec<AssignedPlan> {
    held(licences, user)
        .flat_map(|(sku, assignment)| {
            sku.service_plans.iter().map(|plan| AssignedPlan {
                assigned_date_time: timestamp(assignment.since),
                capability_status: sku.capability_status,
                service: plan.service.clone(),
                service_plan_id: plan.id.clone(),
            })
        })
        .collect()
}

/// The user with every property this Graph knows.
pub fn user(licences: Option<&TenantLicences>, user: &User) -> Value {
    let (given, surname) = user
        .display_name
        .split_once(' ')
        .unwrap_or((&user.display_name, ""));
    let licenses: Vec<AssignedLicense> = held(licences, user)
        .map(|(sku, _)| AssignedLicense {
            disabled_plans: Vec::new(),
            sku_id: sku.sku_id.clone(),
        })
        .collect();
    serde_json::json!({
        "id": user.object_id,
        "displayName": user.display_name,
        "userPrincipalName": user.upn,
        "mail": user.upn,
        "givenName": given,
        "surname": surname,
        "jobTitle": null,
        "mobilePhone": null,
        "officeLocation": null,
        "preferredLanguage": null,
        "businessPhones": [],
        "accountEnabled": true,
        "assignedLicenses": licenses,
        "assignedPlans": assigned_plans(licences, user),
    })
}

fn held<'a>(
    licences: Option<&'a TenantLicences>,
    user: &'a User,
) -> impl Iterator<Item = (&'a Sku, &'a Assignment)> {
    licences.into_iter().flat_map(move |l| l.held_by(&user.upn))
}

/// A licence detail's id: the user's and the SKU's GUID bytes, base64url.
fn detail_id(object_id: &str, sku_id: &str) -> String {
    let bytes = |id: &str| {
        uuid::Uuid::parse_str(id)
            .map(|u| u.as_bytes().to_vec())
            .unwrap_or_else(|_| id.as_bytes().to_vec())
    };
    URL_SAFE_NO_PAD.encode([bytes(object_id), bytes(sku_id)].concat())
}
