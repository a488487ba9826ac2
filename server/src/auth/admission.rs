//! Who may use Flowhost, decided at sign-in and again on every request: a signed-in session
//! counts only while its organisation is admitted, and each role only where it may come from.
//! A session put into the store any other way than sign-in (another tool on the same
//! database) gets no more than sign-in would have given it.

use super::Auth;
use crate::AppState;
use app::ssr::Visitor;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use domain::db::Db;
use domain::plan::{Access, Standing};
use domain::{CurrentUser, Role, TenantId};
use tower_sessions::Session;

impl Auth {
    /// Whether a tenant's users may use Flowhost: the ISV's staff always; others if listed in
    /// `ALLOWED_TENANTS`, or, without that list, if registered in the database.
    pub(super) fn admits(&self, tenant: &TenantId, registered: bool) -> bool {
        *tenant == self.app().isv_tenant
            || match &self.allowed_tenants {
                Some(list) => list.contains(tenant),
                None => registered,
            }
    }

    /// Whether `role` counts for a user of `tenant`: IsvAdmin only from the ISV's own tenant.
    fn honours(&self, tenant: &TenantId, role: Role) -> bool {
        role != Role::IsvAdmin || *tenant == self.app().isv_tenant
    }

    /// The roles Flowhost honours from a token's claims.
    pub(super) fn roles(&self, tenant: &TenantId, claims: &[String]) -> Vec<Role> {
        let mut roles: Vec<Role> = claims
            .iter()
            .filter_map(|c| Role::from_claim(c))
            .filter(|r| self.honours(tenant, *r))
            .collect();
        roles.sort_by_key(|r| r.claim());
        roles.dedup();
        roles
    }

    /// `tenant`'s standing now, `None` when it is not admitted. The ISV's tenant always has
    /// everything. An organisation that arrived through the marketplace stands as its
    /// subscription says (an ended one is not admitted); any other is admitted by
    /// `ALLOWED_TENANTS`, or without that list by being registered, and has everything.
    pub async fn standing_now(
        &self,
        db: &Db,
        tenant: &TenantId,
    ) -> Result<Option<Standing>, sqlx::Error> {
        self.standing_from(tenant, db.standing(tenant)).await
    }

    /// As [`Auth::standing_now`], from a copy at most `domain::db::FRESH_FOR` old: what
    /// admits each request.
    pub async fn standing_held(
        &self,
        db: &Db,
        tenant: &TenantId,
    ) -> Result<Option<Standing>, sqlx::Error> {
        self.standing_from(tenant, self.standings.get(db, tenant))
            .await
    }

    /// `tenant`'s standing by what `read` gives (asked only for a tenant not the ISV's).
    async fn standing_from(
        &self,
        tenant: &TenantId,
        read: impl Future<Output = Result<Option<Standing>, sqlx::Error>>,
    ) -> Result<Option<Standing>, sqlx::Error> {
        if *tenant == self.app().isv_tenant {
            return Ok(Some(Standing::OPEN));
        }
        Ok(match read.await? {
            Some(sold) if sold.access != Access::Open => {
                (sold.access != Access::Ended).then_some(sold)
            }
            registered => self
                .admits(tenant, registered.is_some())
                .then_some(Standing::OPEN),
        })
    }

    /// `user` with only the roles their tenant may hold.
    fn honoured(&self, mut user: CurrentUser) -> CurrentUser {
        let held = user.roles.len();
        user.roles.retain(|r| self.honours(&user.tenant_id, *r));
        if user.roles.len() != held {
            tracing::warn!(
                tenant = %user.tenant_id,
                "a session holds a role its organisation cannot give; it does not count"
            );
        }
        user
    }
}

/// Checks the request's signed-in visitor (read by `sessions::load_visitor`) against what
/// Flowhost admits now, before any page, server function or form sees it. A visitor whose
/// organisation is no longer admitted is signed out: the session ends, and the request goes
/// on as anonymous (pages ask to sign in, which then ends on the "not set up" page; server
/// functions answer 401). If the database cannot say, the visitor is unknown (503). The
/// people of an organisation whose subscription is suspended see why on every page, and can
/// still sign out; the organisation's standing goes on with the request.
pub async fn admission(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(Visitor::Signed(user)) = request.extensions().get::<Visitor>().cloned() else {
        return next.run(request).await;
    };
    let visitor = match state.auth.standing_held(&state.db, &user.tenant_id).await {
        Ok(Some(standing)) if standing.access == Access::Suspended => {
            let path = request.uri().path();
            let open = ["/auth/", "/pkg/", "/marketplace/"]
                .iter()
                .any(|p| path.starts_with(p));
            if !open {
                return crate::marketplace::suspended(request.headers());
            }
            request.extensions_mut().insert(standing);
            Visitor::Signed(state.auth.honoured(user))
        }
        Ok(Some(standing)) => {
            request.extensions_mut().insert(standing);
            Visitor::Signed(state.auth.honoured(user))
        }
        Ok(None) => {
            tracing::info!(
                tenant = %user.tenant_id,
                "signed out a session whose organisation is no longer admitted"
            );
            if let Err(e) = session.flush().await {
                tracing::warn!(error = %e, "could not end the session of an organisation no longer admitted");
            }
            Visitor::Anonymous
        }
        Err(e) => {
            tracing::error!(error = %e, "database failed while checking an organisation's admission");
            Visitor::Unknown
        }
    };
    request.extensions_mut().insert(visitor);
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ISV, OTHER, auth, tenant};
    use super::*;

    #[test]
    fn the_isv_tenant_is_always_admitted_others_by_list_or_registration() {
        let open = auth(None);
        assert!(open.admits(&tenant(ISV), false));
        assert!(open.admits(&tenant(OTHER), true));
        assert!(!open.admits(&tenant(OTHER), false));
        let listed = auth(Some(vec![tenant(OTHER)]));
        assert!(listed.admits(&tenant(OTHER), false));
        let closed = auth(Some(vec![]));
        assert!(
            !closed.admits(&tenant(OTHER), true),
            "the list wins over registration"
        );
        assert!(closed.admits(&tenant(ISV), false));
    }

    #[test]
    fn isv_admin_counts_only_from_the_isv_tenant() {
        let auth = auth(None);
        let claims = [
            "Flowhost.IsvAdmin".to_owned(),
            "Flowhost.TenantAdmin".to_owned(),
            "Other".to_owned(),
        ];
        assert_eq!(
            auth.roles(&tenant(ISV), &claims),
            [Role::IsvAdmin, Role::TenantAdmin]
        );
        assert_eq!(auth.roles(&tenant(OTHER), &claims), [Role::TenantAdmin]);
    }

    #[test]
    fn a_session_keeps_only_the_roles_its_tenant_may_hold() {
        let auth = auth(None);
        let user = |id: &str| CurrentUser {
            tenant_id: tenant(id),
            tenant_name: "T".into(),
            object_id: "o".into(),
            name: "N".into(),
            email: "n@example.com".into(),
            roles: vec![Role::IsvAdmin, Role::TenantAdmin],
        };
        assert_eq!(auth.honoured(user(OTHER)).roles, [Role::TenantAdmin]);
        assert_eq!(
            auth.honoured(user(ISV)).roles,
            [Role::IsvAdmin, Role::TenantAdmin]
        );
    }
}
