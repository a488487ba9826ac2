use crate::tenant::TenantId;
use serde::{Deserialize, Serialize};

/// App roles Flowhost knows, as they appear in the ID token's `roles` claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    IsvAdmin,
    TenantAdmin,
}

impl Role {
    pub fn claim(self) -> &'static str {
        match self {
            Role::IsvAdmin => "Flowhost.IsvAdmin",
            Role::TenantAdmin => "Flowhost.TenantAdmin",
        }
    }

    pub fn from_claim(claim: &str) -> Option<Self> {
        [Role::IsvAdmin, Role::TenantAdmin]
            .into_iter()
            .find(|r| r.claim() == claim)
    }
}

/// The signed-in user, as the session holds it. Users are keyed by (`tenant_id`, `object_id`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub tenant_id: TenantId,
    pub tenant_name: String,
    pub object_id: String,
    pub name: String,
    pub email: String,
    pub roles: Vec<Role>,
}

impl CurrentUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// A user as listed to their tenant's admins.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserSummary {
    pub name: String,
    pub email: String,
    pub roles: Vec<Role>,
    pub last_seen_at: time::OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_claims() {
        for role in [Role::IsvAdmin, Role::TenantAdmin] {
            assert_eq!(Role::from_claim(role.claim()), Some(role));
        }
        assert_eq!(Role::from_claim("Flowhost.Unknown"), None);
    }
}
