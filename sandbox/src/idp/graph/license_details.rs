//! `GET /me/licenseDetails` and `GET /users/{id | upn}/licenseDetails`: one entry per
//! licence a person holds, group-assigned ones included. Delegated only: User.Read for
//! oneself, User.Read.All, Directory.Read.All or LicenseAssignment.Read.All for anyone. An
//! app's own token is refused (`/me` has no user; `/users/…` is not supported app-only).

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use serde_json::{Value, json};

use super::super::Idp;
use super::admit;
use super::errors::{Ctx, GraphError};
use super::query::{Query, context, project};
use super::shapes::license_details;
use super::users::{find, only_delegated, tenant_of};

const PROPERTIES: [&str; 4] = ["id", "servicePlans", "skuId", "skuPartNumber"];
const ANYONE: [&str; 3] = [
    "User.Read.All",
    "Directory.Read.All",
    "LicenseAssignment.Read.All",
];

pub async fn mine(State(idp): State<Arc<Idp>>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let result = details(&idp, &ctx, None, &Query::parse(raw.as_deref()));
    ctx.respond(&idp, result)
}

pub async fn of_user(
    State(idp): State<Arc<Idp>>,
    ctx: Ctx,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let result = details(&idp, &ctx, Some(&id), &Query::parse(raw.as_deref()));
    ctx.respond(&idp, result)
}

/// The licence details of `id`, or of the signed-in user when `id` is None.
fn details(idp: &Idp, ctx: &Ctx, id: Option<&str>, query: &Query) -> Result<Value, GraphError> {
    let caller = admit(idp, ctx)?;
    let Some(own) = caller.user() else {
        return Err(match id {
            None => only_delegated(),
            Some(_) => GraphError::denied(),
        });
    };
    let tenant = tenant_of(idp, &caller);
    let user = find(tenant, id.unwrap_or(own));
    let is_own = user.is_some_and(|u| u.object_id.eq_ignore_ascii_case(own));
    let allowed =
        caller.has_scope(&ANYONE) || (is_own && caller.has_scope(&["User.Read", "User.ReadWrite"]));
    if !allowed {
        return Err(GraphError::denied());
    }
    let named = id.unwrap_or(own);
    let user = user.ok_or_else(|| GraphError::not_found(named))?;
    let select = query.select(&PROPERTIES, "licenseDetails")?;
    let st = idp.lock();
    let value: Vec<Value> = license_details(st.graph.licences.tenant(&tenant.id), user)
        .into_iter()
        .map(|d| {
            let detail = serde_json::to_value(d).expect("serialises");
            project(detail, select.as_deref(), &PROPERTIES)
        })
        .collect();
    let set = format!("users('{named}')/licenseDetails");
    Ok(json!({
        "@odata.context": context(&idp.graph_base(), &set, select.as_deref()),
        "value": value,
    }))
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue, header};

    use super::*;
    use crate::idp::mint::{self, Subject};
    use crate::idp::scopes::{GRAPH, Grant};

    /// A request of alex's, with a Graph token carrying `permissions`.
    fn alex_asks(idp: &Idp, permissions: &[&str]) -> Ctx {
        let (tenant, user) = idp.directory.user("alex@contoso.example").unwrap();
        let grant = Grant {
            audience: GRAPH.to_owned(),
            permissions: permissions.iter().map(|p| (*p).to_owned()).collect(),
            scope: permissions.join(" "),
            app_id: "00000003-0000-0000-c000-000000000000".to_owned(),
            version: 1,
        };
        let token = mint::access_token(idp, &idp.lock(), Subject { tenant, user }, &grant);
        let mut headers = HeaderMap::new();
        let bearer = HeaderValue::from_str(&format!("Bearer {token}")).unwrap();
        headers.insert(header::AUTHORIZATION, bearer);
        Ctx {
            request_id: "r".into(),
            client_request_id: "c".into(),
            headers,
        }
    }

    fn idp() -> Idp {
        Idp::new("http://idp.test".into(), Vec::new(), ("", Vec::new()))
    }

    #[test]
    fn user_read_all_reads_anyones_details_and_finds_nobody_unknown() {
        let idp = idp();
        let ctx = alex_asks(&idp, &["User.Read.All"]);
        let query = Query::parse(Some("$select=skuPartNumber"));
        let megan = details(&idp, &ctx, Some("megan@contoso.example"), &query).unwrap();
        assert_eq!(megan["value"], json!([{"skuPartNumber": "ENTERPRISEPACK"}]));
        let error = details(&idp, &ctx, Some("nobody@contoso.example"), &query).unwrap_err();
        assert_eq!(
            (error.status.as_u16(), error.code),
            (404, "Request_ResourceNotFound")
        );
        // People of other organisations are not found either.
        let error = details(&idp, &ctx, Some("bianca@fabrikam.example"), &query).unwrap_err();
        assert_eq!(error.status.as_u16(), 404);
    }

    #[test]
    fn without_a_user_permission_nothing_is_read() {
        let idp = idp();
        let ctx = alex_asks(&idp, &["openid", "profile"]);
        let error = details(&idp, &ctx, None, &Query::parse(None)).unwrap_err();
        assert_eq!(error.code, "Authorization_RequestDenied");
    }
}
