//! The fixture directory (`fixtures/directory.toml`): the demo app registration, the
//! first-party resources it may ask for, and the tenants with their users.

use serde::Deserialize;

const FIXTURE: &str = include_str!("../fixtures/directory.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Directory {
    pub app: App,
    pub resources: Vec<Resource>,
    pub tenants: Vec<Tenant>,
}

/// The app registration Flowhost signs in with.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct App {
    pub client_id: String,
    pub client_secret: String,
    pub display_name: String,
    pub app_roles: Vec<String>,
    pub required_resources: Vec<RequiredResource>,
    /// Application permissions the registration statically asks for; an administrator's
    /// tenant-wide consent grants them.
    #[serde(default)]
    pub application_permissions: Vec<ApplicationPermission>,
}

/// Delegated permissions the registration statically asks for on one resource.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequiredResource {
    pub resource: String,
    pub scopes: Vec<String>,
}

/// Application permissions (app roles of a resource) the registration asks for on one
/// resource.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationPermission {
    pub resource: String,
    pub roles: Vec<String>,
}

/// A first-party API (service principal) that tokens can be issued for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    pub display_name: String,
    pub app_id: String,
    /// Any of these names the resource; the first is canonical.
    pub identifier_uris: Vec<String>,
    /// The delegated permissions the resource offers.
    pub scopes: Vec<String>,
    /// The application permissions (app roles) the resource offers.
    #[serde(default)]
    pub app_roles: Vec<String>,
    /// The access token version its registration accepts (`accessTokenAcceptedVersion`):
    /// 1 (the default, as for Microsoft's own APIs) or 2.
    #[serde(default = "version_one")]
    pub access_token_version: u8,
}

fn version_one() -> u8 {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    pub id: String,
    pub display_name: String,
    pub domain: String,
    /// Whether an administrator has consented to the app for the whole tenant.
    pub admin_consented: bool,
    /// Whether the Power Automate service principal exists in the tenant.
    #[serde(default = "yes")]
    pub flow_service: bool,
    #[serde(default)]
    pub users: Vec<User>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// The user principal name, which is also the e-mail address.
    pub upn: String,
    pub display_name: String,
    pub object_id: String,
    /// App roles of the registration assigned to the user.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Whether the user may grant admin consent for the tenant.
    #[serde(default)]
    pub directory_admin: bool,
}

fn yes() -> bool {
    true
}

impl Directory {
    /// The directory shipped with the crate.
    pub fn embedded() -> Directory {
        Directory::parse(FIXTURE).expect("fixtures/directory.toml is valid")
    }

    pub fn parse(text: &str) -> Result<Directory, String> {
        let directory: Directory = toml::from_str(text).map_err(|e| e.to_string())?;
        directory.check()?;
        Ok(directory)
    }

    fn check(&self) -> Result<(), String> {
        if let Some(r) = self
            .resources
            .iter()
            .find(|r| !matches!(r.access_token_version, 1 | 2))
        {
            return Err(format!(
                "{} asks for access token version {}",
                r.display_name, r.access_token_version
            ));
        }
        for required in &self.app.required_resources {
            let resource = self
                .resource(&required.resource)
                .ok_or_else(|| format!("unknown resource {}", required.resource))?;
            if let Some(scope) = required.scopes.iter().find(|s| !resource.offers(s)) {
                return Err(format!("{} does not offer {scope}", required.resource));
            }
        }
        for wanted in &self.app.application_permissions {
            let resource = self
                .resource(&wanted.resource)
                .ok_or_else(|| format!("unknown resource {}", wanted.resource))?;
            if let Some(role) = wanted.roles.iter().find(|r| !resource.offers_role(r)) {
                return Err(format!(
                    "{} does not offer the role {role}",
                    wanted.resource
                ));
            }
        }
        for (tenant, user) in self.users() {
            if !user.upn.ends_with(&format!("@{}", tenant.domain)) {
                return Err(format!("{} is not in {}", user.upn, tenant.domain));
            }
            if let Some(role) = user.roles.iter().find(|r| !self.app.app_roles.contains(r)) {
                return Err(format!("{} has unknown role {role}", user.upn));
            }
        }
        Ok(())
    }

    /// A tenant by GUID or verified domain.
    pub fn tenant(&self, id_or_domain: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| {
            t.id.eq_ignore_ascii_case(id_or_domain) || t.domain.eq_ignore_ascii_case(id_or_domain)
        })
    }

    pub fn users(&self) -> impl Iterator<Item = (&Tenant, &User)> {
        self.tenants
            .iter()
            .flat_map(|t| t.users.iter().map(move |u| (t, u)))
    }

    pub fn user(&self, upn: &str) -> Option<(&Tenant, &User)> {
        self.users().find(|(_, u)| u.upn.eq_ignore_ascii_case(upn))
    }

    /// A resource by any of its identifier URIs.
    pub fn resource(&self, identifier: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| {
            r.identifier_uris
                .iter()
                .any(|i| i.eq_ignore_ascii_case(identifier))
        })
    }
}

impl App {
    /// The permissions the registration asks for on `resource`, if it asks for any.
    pub fn required_scopes(&self, resource: &Resource) -> Option<&[String]> {
        self.required_resources
            .iter()
            .find(|r| resource.is_named(&r.resource))
            .map(|r| r.scopes.as_slice())
    }

    /// The application permissions the registration asks for on `resource`.
    pub fn required_roles(&self, resource: &Resource) -> &[String] {
        self.application_permissions
            .iter()
            .find(|p| resource.is_named(&p.resource))
            .map_or(&[], |p| p.roles.as_slice())
    }
}

impl Resource {
    pub fn offers(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s.eq_ignore_ascii_case(scope))
    }

    pub fn offers_role(&self, role: &str) -> bool {
        self.app_roles.iter().any(|r| r.eq_ignore_ascii_case(role))
    }

    /// Whether `identifier` is one of the resource's identifier URIs.
    pub fn is_named(&self, identifier: &str) -> bool {
        self.identifier_uris
            .iter()
            .any(|i| i.eq_ignore_ascii_case(identifier))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_parses_and_matches_the_constants() {
        let directory = Directory::embedded();
        assert_eq!(directory.app.client_id, crate::CLIENT_ID);
        assert_eq!(directory.app.client_secret, crate::CLIENT_SECRET);
        let isv = directory.tenant(crate::ISV_TENANT_ID).unwrap();
        assert_eq!(isv.domain, "flowhost.example");
        let (tenant, adele) = directory.user("adele@contoso.example").unwrap();
        assert_eq!(tenant.id, "c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70");
        assert!(adele.directory_admin);
        assert!(
            !directory
                .tenant("tailspin.example")
                .unwrap()
                .admin_consented
        );
    }

    #[test]
    fn fixture_errors_are_reported() {
        let broken = FIXTURE.replace("roles = [\"Flowhost.IsvAdmin\"]", "roles = [\"Nope\"]");
        assert!(Directory::parse(&broken).unwrap_err().contains("Nope"));
        let unoffered = FIXTURE.replace(
            "\"Organization.Read.All\", \"User.Read.All\"]",
            "\"Sites.FullControl.All\"]",
        );
        assert!(
            Directory::parse(&unoffered)
                .unwrap_err()
                .contains("Sites.FullControl.All")
        );
    }

    #[test]
    fn the_app_asks_graph_for_licence_data() {
        let directory = Directory::embedded();
        let graph = directory.resource("https://graph.microsoft.com/").unwrap();
        assert_eq!(
            directory.app.required_roles(graph),
            ["Organization.Read.All", "User.Read.All"]
        );
        let flow = directory.resource(crate::FLOW_RESOURCE).unwrap();
        assert!(directory.app.required_roles(flow).is_empty());
    }
}
