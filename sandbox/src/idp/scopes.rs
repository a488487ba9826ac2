//! Scope strings: OIDC scopes, and `{resource}/{permission}` scopes, of which
//! one access token covers a single resource, the first one named.

use super::errors::{self, AadError};
use crate::directory::{Directory, Resource, Tenant};

pub const OIDC: [&str; 4] = ["openid", "profile", "email", "offline_access"];
pub const GRAPH: &str = "https://graph.microsoft.com";
pub const FLOW_SERVICE: &str = "https://service.flow.microsoft.com/";

pub fn includes(scope: &str, name: &str) -> bool {
    scope
        .split_whitespace()
        .any(|s| s.eq_ignore_ascii_case(name))
}

fn is_oidc(scope: &str) -> bool {
    OIDC.iter().any(|o| o.eq_ignore_ascii_case(scope))
}

/// Whether `scope` names a resource's permission besides the OpenID Connect scopes.
pub fn names_resource(scope: &str) -> bool {
    scope.split_whitespace().any(|s| !is_oidc(s))
}

/// A resource scope: the resource, its identifier as written, and the permission.
struct ResourceScope<'d> {
    resource: &'d Resource,
    identifier: String,
    permission: String,
}

/// Splits at the last `/`, so `https://service.flow.microsoft.com//.default` names the
/// resource `https://service.flow.microsoft.com/`; a bare permission means Graph.
fn parse<'d>(directory: &'d Directory, scope: &str) -> Result<ResourceScope<'d>, String> {
    let (identifier, permission) = scope.rsplit_once('/').unwrap_or((GRAPH, scope));
    let resource = directory
        .resource(identifier)
        .ok_or_else(|| identifier.to_owned())?;
    Ok(ResourceScope {
        resource,
        identifier: identifier.to_owned(),
        permission: permission.to_owned(),
    })
}

/// The first resource named in `scope` that the directory doesn't know.
pub fn unknown_resource(directory: &Directory, scope: &str) -> Option<String> {
    scope
        .split_whitespace()
        .filter(|s| !is_oidc(s))
        .find_map(|s| parse(directory, s).err())
}

/// What an access token is issued for.
#[derive(Debug)]
pub struct Grant {
    /// The resource identifier as requested, which a v1 token carries as `aud`.
    pub audience: String,
    /// Delegated permissions for `scp`.
    pub permissions: Vec<String>,
    /// The `scope` member of the token response.
    pub scope: String,
    /// The resource's application id, which a v2.0 token carries as `aud`.
    pub app_id: String,
    /// The token version the resource accepts (1 or 2).
    pub version: u8,
}

/// Decides the access token for `scope` (Graph when only OIDC scopes are asked for), in the
/// order Azure AD reports problems.
pub fn grant(
    directory: &Directory,
    tenant: &Tenant,
    consented: bool,
    scope: &str,
) -> Result<Grant, AadError> {
    let app = &directory.app;
    let mut requested = Vec::new();
    for s in scope.split_whitespace().filter(|s| !is_oidc(s)) {
        let parsed = parse(directory, s)
            .map_err(|unknown| errors::unknown_resource(&unknown, &tenant.display_name))?;
        requested.push(parsed);
    }
    let (resource, identifier) = match requested.first() {
        Some(first) => (first.resource, first.identifier.clone()),
        None => (
            directory.resource(GRAPH).expect("the fixture has Graph"),
            GRAPH.to_owned(),
        ),
    };
    let wanted: Vec<&str> = requested
        .iter()
        .filter(|r| std::ptr::eq(r.resource, resource))
        .map(|r| r.permission.as_str())
        .collect();
    let invalid_scope = |s: &str| {
        AadError::new(
            "invalid_scope",
            70011,
            format!(
                "The provided value for the input parameter 'scope' is not valid. The scope '{s}' is not valid."
            ),
        )
    };
    let registered = app
        .required_scopes(resource)
        .ok_or_else(|| invalid_scope(scope))?;
    let mut permissions: Vec<String> = if wanted.is_empty() || wanted.contains(&".default") {
        registered.to_vec()
    } else {
        let mut permissions = Vec::new();
        for permission in wanted {
            if !resource.offers(permission) {
                return Err(invalid_scope(permission));
            }
            if !registered
                .iter()
                .any(|r| r.eq_ignore_ascii_case(permission))
            {
                return Err(not_consented(directory));
            }
            permissions.push(permission.to_owned());
        }
        permissions
    };
    if !consented {
        return Err(not_consented(directory));
    }
    let is = |name: &str| resource.identifier_uris[0] == name;
    if is(FLOW_SERVICE) && !tenant.flow_service {
        return Err(errors::unknown_resource(&identifier, &tenant.display_name));
    }
    let scope = if is(GRAPH) {
        // Graph tokens carry the OIDC scopes too, by their short names.
        let mut with_oidc: Vec<String> = ["openid", "profile", "email"]
            .into_iter()
            .filter(|o| includes(scope, o) && !permissions.iter().any(|p| p == o))
            .map(str::to_owned)
            .collect();
        with_oidc.append(&mut permissions);
        with_oidc.retain(|p| p != "offline_access");
        permissions = with_oidc;
        permissions.join(" ")
    } else {
        permissions
            .iter()
            .map(|p| format!("{identifier}/{p}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    Ok(Grant {
        audience: identifier,
        permissions,
        scope,
        app_id: resource.app_id.clone(),
        version: resource.access_token_version,
    })
}

fn not_consented(directory: &Directory) -> AadError {
    let app = &directory.app;
    errors::not_consented("invalid_grant", &app.client_id, &app.display_name)
        .with_suberror("consent_required")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow_grant(scope: &str) -> Result<Grant, AadError> {
        let directory = Directory::embedded();
        let contoso = directory.tenant("contoso.example").unwrap();
        grant(&directory, contoso, true, scope)
    }

    #[test]
    fn double_slash_default_names_the_flow_service() {
        let grant = flow_grant("https://service.flow.microsoft.com//.default openid").unwrap();
        assert_eq!(grant.audience, FLOW_SERVICE);
        assert!(grant.permissions.contains(&"Flows.Read.All".to_owned()));
        assert!(
            grant
                .scope
                .starts_with("https://service.flow.microsoft.com//Flows.Read.All")
        );
    }

    #[test]
    fn flowhost_api_scopes_name_its_registration() {
        let grant = flow_grant("api://f10a0057-0000-4000-8000-00000000f10a/Tickets.Read").unwrap();
        assert_eq!(grant.permissions, ["Tickets.Read"]);
        assert_eq!(
            (grant.app_id.as_str(), grant.version),
            (crate::CLIENT_ID, 2)
        );
        let all = flow_grant("api://f10a0057-0000-4000-8000-00000000f10a/.default").unwrap();
        assert_eq!(all.permissions, ["Tickets.Read", "Tickets.ReadWrite"]);
        assert_eq!(
            flow_grant("api://f10a0057-0000-4000-8000-00000000f10a/Tickets.Delete")
                .unwrap_err()
                .code,
            70011
        );
    }

    #[test]
    fn oidc_only_is_graph() {
        let grant = flow_grant("openid profile offline_access").unwrap();
        assert_eq!(grant.audience, GRAPH);
        assert_eq!(grant.scope, "openid profile email User.Read");
    }

    #[test]
    fn tenant_without_the_flow_service_has_no_flow_principal() {
        let directory = Directory::embedded();
        let mut tenant = directory.tenant("contoso.example").unwrap().clone();
        tenant.flow_service = false;
        let flow = grant(
            &directory,
            &tenant,
            true,
            "https://service.flow.microsoft.com//.default",
        );
        assert_eq!(flow.unwrap_err().code, 500011);
        assert!(grant(&directory, &tenant, true, "openid User.Read").is_ok());
    }

    #[test]
    fn unconsented_tenant_needs_consent() {
        let directory = Directory::embedded();
        let tailspin = directory.tenant("tailspin.example").unwrap();
        let error = grant(&directory, tailspin, false, "openid").unwrap_err();
        assert_eq!(
            (error.error, error.code, error.suberror),
            ("invalid_grant", 65001, Some("consent_required"))
        );
    }

    #[test]
    fn problems_are_told_apart() {
        assert_eq!(
            flow_grant("https://nowhere.example/.default")
                .unwrap_err()
                .code,
            500011
        );
        assert_eq!(
            flow_grant("https://management.azure.com//.default")
                .unwrap_err()
                .code,
            70011
        );
        assert_eq!(flow_grant("Mail.Read").unwrap_err().code, 65001);
        assert_eq!(flow_grant("Nonsense.Scope").unwrap_err().code, 70011);
    }
}
