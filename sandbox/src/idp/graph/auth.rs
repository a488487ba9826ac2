//! Who calls Graph: the bearer token must be an RS256 JWT signed by one of the identity
//! provider's published keys, for Graph (`aud`), from its tenant's issuer and within its
//! lifetime. A token with delegated permissions (`scp`) speaks for the signed-in user
//! (`oid`); a token of the app itself (`idtyp: app`, or no `scp`) carries the application
//! permissions granted to it (`roles`).

use serde::Deserialize;

use super::super::Idp;
use super::errors::GraphError;

/// The identifiers a Graph token's audience may have.
const AUDIENCES: [&str; 3] = [
    "https://graph.microsoft.com",
    "https://graph.microsoft.com/",
    "00000003-0000-0000-c000-000000000000",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The app itself, with its application permissions.
    App { roles: Vec<String> },
    /// A signed-in user, with the delegated permissions.
    Delegated {
        object_id: String,
        scopes: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub tenant: String,
    pub kind: Kind,
}

impl Caller {
    /// Whether an app token carries any of `roles`.
    pub fn has_role(&self, roles: &[&str]) -> bool {
        match &self.kind {
            Kind::App { roles: granted } => granted
                .iter()
                .any(|g| roles.iter().any(|r| g.eq_ignore_ascii_case(r))),
            Kind::Delegated { .. } => false,
        }
    }

    /// Whether a delegated token carries any of `scopes`.
    pub fn has_scope(&self, scopes: &[&str]) -> bool {
        match &self.kind {
            Kind::Delegated {
                scopes: granted, ..
            } => granted
                .iter()
                .any(|g| scopes.iter().any(|s| g.eq_ignore_ascii_case(s))),
            Kind::App { .. } => false,
        }
    }

    /// Whether the token allows a call that needs one of `permissions`, delegated or
    /// application alike.
    pub fn may(&self, permissions: &[&str]) -> bool {
        self.has_role(permissions) || self.has_scope(permissions)
    }

    /// The signed-in user's object id, for a delegated token.
    pub fn user(&self) -> Option<&str> {
        match &self.kind {
            Kind::Delegated { object_id, .. } => Some(object_id),
            Kind::App { .. } => None,
        }
    }
}

#[derive(Deserialize)]
struct Claims {
    aud: String,
    iss: String,
    exp: i64,
    nbf: Option<i64>,
    tid: String,
    oid: String,
    scp: Option<String>,
    #[serde(default)]
    roles: Vec<String>,
    idtyp: Option<String>,
}

/// Checks the `Authorization: Bearer …` value of a Graph request.
pub fn authenticate(idp: &Idp, authorization: Option<&str>) -> Result<Caller, GraphError> {
    let token = authorization
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| GraphError::unauthenticated("Access token is empty."))?;
    let malformed =
        || GraphError::unauthenticated("CompactToken parsing failed with error code: 80049217");
    let invalid = || GraphError::unauthenticated("Access token validation failure.");
    let claims: Claims = idp
        .signed_claims(token)
        .map_err(|e| if e.malformed { malformed() } else { invalid() })?;
    if !AUDIENCES
        .iter()
        .any(|a| a.eq_ignore_ascii_case(&claims.aud))
    {
        return Err(GraphError::unauthenticated(
            "Access token validation failure. Invalid audience.",
        ));
    }
    let tenant = idp
        .directory
        .tenant(&claims.tid)
        .filter(|t| t.id.eq_ignore_ascii_case(&claims.tid))
        .ok_or_else(invalid)?;
    let issuers = [
        format!("https://sts.windows.net/{}/", tenant.id),
        format!("{}/{}/v2.0", idp.origin, tenant.id),
    ];
    if !issuers.contains(&claims.iss) {
        return Err(invalid());
    }
    let now = idp.now().unix_timestamp();
    if claims.nbf.is_some_and(|nbf| nbf > now) {
        return Err(GraphError::unauthenticated(
            "Lifetime validation failed, the token is not yet valid.",
        ));
    }
    if now >= claims.exp {
        return Err(GraphError::unauthenticated(
            "Lifetime validation failed, the token is expired.",
        ));
    }
    let kind = match claims.scp {
        Some(scp) if claims.idtyp.as_deref() != Some("app") => Kind::Delegated {
            object_id: claims.oid,
            scopes: scp.split_whitespace().map(str::to_owned).collect(),
        },
        _ => Kind::App {
            roles: claims.roles,
        },
    };
    Ok(Caller {
        tenant: tenant.id.clone(),
        kind,
    })
}
