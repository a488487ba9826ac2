//! What `/settings/flows` shows of the Power Platform, read with the admin's tokens: the
//! environments, the admin's connections to Flowhost, and each pre-built flow with what
//! Dataverse holds of it now.

use super::work;
use crate::power_platform::PowerPlatform;
use crate::power_platform::dataverse::Dataverse;
use app::deployments::{DeployedRow, LastRun, Live, ParameterField, PlatformView, PrebuiltRow};
use app::ssr::PlatformReader;
use domain::CurrentUser;
use domain::db::FlowSettings;
use domain::deployment::Deployment;
use i18n::Msg;
use std::future::Future;
use std::pin::Pin;
use tower_sessions::Session;

/// The parameters the admin chooses for `flow`, with their defaults (`{maker}`: the admin's
/// address). Flowhost fills in its own (`flowhost.…`).
pub fn parameter_fields(flow: &catalog::Flow, user: &CurrentUser) -> Vec<ParameterField> {
    flow.meta
        .parameters
        .iter()
        .filter(|p| !p.name.starts_with("flowhost."))
        .map(|p| ParameterField {
            name: p.name.clone(),
            description: p.description.clone(),
            value: p
                .default
                .as_deref()
                .map(|d| d.replace(catalog::MAKER, &user.email))
                .unwrap_or_default(),
        })
        .collect()
}

impl PowerPlatform {
    async fn read_view(
        &self,
        session: &Session,
        user: &CurrentUser,
        settings: &FlowSettings,
        deployments: &[Deployment],
    ) -> PlatformView {
        let environments = self.environments(session, user).await.map_err(|e| e.msg());
        let environment = settings.environment.clone().or_else(|| {
            environments
                .as_ref()
                .ok()
                .and_then(|list| list.iter().find(|e| e.default))
                .map(|e| e.name.clone())
        });
        let connections = match &environment {
            Some(name) => self
                .connections(session, user, name)
                .await
                .map_err(|e| e.msg()),
            None => Err(Msg::new("platform-no-environment")),
        };
        let mut prebuilt = Vec::new();
        for flow in &self.catalog.prebuilt() {
            let deployed = match deployments.iter().find(|d| d.flow_id == flow.meta.id) {
                Some(d) => {
                    let (live, last_run) =
                        match self.dataverse(session, user, &d.organisation_url).await {
                            Ok(dv) => tokio::join!(live(&dv, flow, d), last_run(&dv, d)),
                            Err(why) => (Live::Unknown(why.msg()), None),
                        };
                    Some(DeployedRow {
                        version: d.version,
                        state: d.state,
                        live,
                        last_run,
                        error: d.failure(),
                        changed_by: d.changed_by.clone(),
                        changed_at: d.changed_at,
                    })
                }
                None => None,
            };
            prebuilt.push(PrebuiltRow {
                id: flow.meta.id.clone(),
                title: flow.meta.title.clone(),
                description: flow.meta.description.clone(),
                version: i64::from(flow.meta.version),
                parameters: parameter_fields(flow, user),
                deployed,
            });
        }
        let listed = environments.as_deref().unwrap_or_default();
        let dataverse = crate::power_platform::organisation_of(settings, listed);
        PlatformView {
            environments,
            dataverse,
            connections,
            prebuilt,
            leave: None,
            connections_page: environment.map(|name| self.connections_page(&name)),
        }
    }
}

/// The latest finished run of the deployment's flow; none when Dataverse cannot say (the flow's
/// state then says why).
async fn last_run(dv: &Dataverse<'_>, d: &Deployment) -> Option<LastRun> {
    dv.last_run(&d.workflow_id).await.ok().flatten()
}

/// What Dataverse holds of the deployment `d` now.
async fn live(dv: &Dataverse<'_>, flow: &catalog::Flow, d: &Deployment) -> Live {
    let row = match dv.workflow(&d.workflow_id).await {
        Ok(Some(row)) => row,
        Ok(None) => return Live::Deleted,
        Err(why) => return Live::Unknown(why.msg()),
    };
    let expected = work::clientdata(flow, &work::parameters(d), &d.reference_name);
    if d.version == i64::from(flow.meta.version) && !work::holds(&row, &expected) {
        return Live::Changed;
    }
    if row["statecode"] == 1 {
        return Live::On;
    }
    match dv.reference(&d.reference_name).await {
        Ok(Some(r)) if r.connection.is_some() => Live::Off,
        Ok(_) => Live::NeedsConnection,
        Err(why) => Live::Unknown(why.msg()),
    }
}

impl PlatformReader for PowerPlatform {
    fn view<'a>(
        &'a self,
        session: &'a Session,
        user: &'a CurrentUser,
        settings: &'a FlowSettings,
        deployments: &'a [Deployment],
    ) -> Pin<Box<dyn Future<Output = PlatformView> + Send + 'a>> {
        Box::pin(self.read_view(session, user, settings, deployments))
    }

    fn catalog(&self) -> Vec<app::deployments::CatalogEntry> {
        self.catalog
            .prebuilt()
            .into_iter()
            .map(|f| app::deployments::CatalogEntry {
                version: i64::from(f.meta.version),
                title: f.meta.title,
                id: f.meta.id,
            })
            .collect()
    }
}
