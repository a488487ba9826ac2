//! The `{tenant}` path segment and whom it lets sign in: `common` (any work account or
//! personal account), `organizations` (work accounts), `consumers` (personal accounts), or
//! one tenant by GUID or verified domain.

use crate::directory::{Directory, Tenant};

/// The tenant id of personal Microsoft accounts.
pub const CONSUMERS_TENANT_ID: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

#[derive(Debug, Clone, Copy)]
pub enum TenantScope<'d> {
    Common,
    Organizations,
    /// Personal accounts only.
    Consumers,
    Tenant(&'d Tenant),
}

impl<'d> TenantScope<'d> {
    pub fn resolve(directory: &'d Directory, segment: &str) -> Option<TenantScope<'d>> {
        let scope = match segment.to_ascii_lowercase().as_str() {
            "common" => TenantScope::Common,
            "organizations" => TenantScope::Organizations,
            "consumers" | CONSUMERS_TENANT_ID => TenantScope::Consumers,
            _ => TenantScope::Tenant(directory.tenant(segment)?),
        };
        Some(scope)
    }

    /// Whether accounts of `tenant` may sign in here: work accounts everywhere but at
    /// `consumers`, personal accounts (the directory's tenant [`CONSUMERS_TENANT_ID`]) at
    /// `common` and `consumers` only.
    pub fn admits(&self, tenant: &Tenant) -> bool {
        let personal = tenant.id == CONSUMERS_TENANT_ID;
        match self {
            TenantScope::Common => true,
            TenantScope::Organizations => !personal,
            TenantScope::Consumers => personal,
            TenantScope::Tenant(t) => t.id == tenant.id,
        }
    }

    /// What stands for the tenant in the issuer: the literal `{tenantid}` template for
    /// tenant-independent segments.
    pub fn issuer_tenant(&self) -> &str {
        match self {
            TenantScope::Common | TenantScope::Organizations => "{tenantid}",
            TenantScope::Consumers => CONSUMERS_TENANT_ID,
            TenantScope::Tenant(t) => &t.id,
        }
    }

    /// How error messages name the tenant.
    pub fn name(&self) -> String {
        match self {
            TenantScope::Common => "common".to_owned(),
            TenantScope::Organizations => "organizations".to_owned(),
            TenantScope::Consumers => "consumers".to_owned(),
            TenantScope::Tenant(t) => t.display_name.clone(),
        }
    }
}
