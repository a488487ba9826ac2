//! One Dataverse organisation's Web API (`{organisation URL}/api/data/v9.2`): the `workflows`
//! rows of cloud flows and their `connectionreferences`.

use super::{PlatformError, PowerPlatform};
use app::deployments::LastRun;
use reqwest::Method;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

/// The Web API's version.
const API: &str = "api/data/v9.2";

/// A connection reference of the organisation.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    pub id: String,
    /// The connection it is bound to.
    pub connection: Option<String>,
}

impl Reference {
    /// The reference a `connectionreferences` row describes.
    fn of(row: &Value) -> Option<Reference> {
        Some(Reference {
            id: row["connectionreferenceid"].as_str()?.to_owned(),
            connection: row["connectionid"]
                .as_str()
                .filter(|c| !c.is_empty())
                .map(str::to_owned),
        })
    }
}

pub struct Dataverse<'p> {
    platform: &'p PowerPlatform,
    api: String,
    token: String,
}

impl<'p> Dataverse<'p> {
    pub(super) fn new(platform: &'p PowerPlatform, organisation: &str, token: String) -> Self {
        Dataverse {
            platform,
            api: format!("{organisation}/{API}"),
            token,
        }
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Result<Value, PlatformError> {
        let url = format!("{}/{path}", self.api);
        let answer = self
            .platform
            .call(method, &url, &self.token, body, headers)
            .await?;
        debug_assert!((200..300).contains(&answer.status));
        Ok(answer.body)
    }

    /// The cloud flow `id` (`statecode`, `clientdata`, `description`), if it exists.
    pub async fn workflow(&self, id: &str) -> Result<Option<Value>, PlatformError> {
        let path = format!("workflows({id})?$select=statecode,clientdata,description");
        match self.call(Method::GET, &path, None, &[]).await {
            Ok(row) => Ok(Some(row)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The latest finished run of flow `id` in the `flowrun` table, if it has one.
    pub async fn last_run(&self, id: &str) -> Result<Option<LastRun>, PlatformError> {
        let path = format!(
            "flowruns?$select=status,starttime,errormessage&$filter=_workflow_value eq {id}"
        );
        let listed = self.call(Method::GET, &path, None, &[]).await?;
        let run = |row: &Value| {
            Some(LastRun {
                succeeded: row["status"] == "Success",
                at: time::OffsetDateTime::parse(row["starttime"].as_str()?, &Rfc3339).ok()?,
                error: row["errormessage"].as_str().map(str::to_owned),
            })
        };
        Ok(listed["value"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(run)
            .max_by_key(|run| run.at))
    }

    /// Makes the cloud flow `id`, off.
    pub async fn create_workflow(
        &self,
        id: &str,
        name: &str,
        description: &str,
        clientdata: &str,
    ) -> Result<(), PlatformError> {
        let row = json!({
            "workflowid": id, "category": 5, "type": 1, "primaryentity": "none",
            "name": name, "description": description, "clientdata": clientdata,
        });
        self.call(Method::POST, "workflows", Some(&row), &[])
            .await
            .map(drop)
    }

    /// Changes the given columns of flow `id`, whatever its row version.
    pub async fn update_workflow(&self, id: &str, change: &Value) -> Result<(), PlatformError> {
        let path = format!("workflows({id})");
        self.call(Method::PATCH, &path, Some(change), &[("If-Match", "*")])
            .await
            .map(drop)
    }

    /// Turns flow `id` on.
    pub async fn turn_on(&self, id: &str) -> Result<(), PlatformError> {
        self.update_workflow(id, &json!({"statecode": 1, "statuscode": 2}))
            .await
    }

    /// Deletes flow `id`, and with it its trigger's subscription; a flow already gone is fine.
    pub async fn delete_workflow(&self, id: &str) -> Result<(), PlatformError> {
        match self
            .call(Method::DELETE, &format!("workflows({id})"), None, &[])
            .await
        {
            Err(e) if !e.is_not_found() => Err(e),
            _ => Ok(()),
        }
    }

    /// The connection reference whose logical name is `logical`, if there is one.
    pub async fn reference(&self, logical: &str) -> Result<Option<Reference>, PlatformError> {
        let path = format!(
            "connectionreferences?$select=connectionreferenceid,connectionid&$filter=connectionreferencelogicalname eq '{logical}'"
        );
        let listed = self.call(Method::GET, &path, None, &[]).await?;
        Ok(listed["value"]
            .as_array()
            .and_then(|rows| rows.first())
            .and_then(Reference::of))
    }

    /// Makes the connection reference `logical` to `connector`, bound to `connection` if given;
    /// the row made, as Dataverse answers it (`Prefer: return=representation`).
    pub async fn create_reference(
        &self,
        logical: &str,
        display: &str,
        connector: &str,
        connection: Option<&str>,
    ) -> Result<Reference, PlatformError> {
        let mut row = json!({
            "connectionreferencelogicalname": logical,
            "connectionreferencedisplayname": display,
            "connectorid": format!("/providers/Microsoft.PowerApps/apis/{connector}"),
        });
        if let Some(connection) = connection {
            row["connectionid"] = json!(connection);
        }
        let prefer = [("Prefer", "return=representation")];
        let made = self
            .call(Method::POST, "connectionreferences", Some(&row), &prefer)
            .await?;
        Reference::of(&made).ok_or_else(|| {
            PlatformError::Unreachable(
                "the connection reference made came back without its id".into(),
            )
        })
    }

    /// Binds the connection reference `id` to `connection`.
    pub async fn bind_reference(&self, id: &str, connection: &str) -> Result<(), PlatformError> {
        let path = format!("connectionreferences({id})");
        let change = json!({"connectionid": connection});
        self.call(Method::PATCH, &path, Some(&change), &[("If-Match", "*")])
            .await
            .map(drop)
    }

    /// Deletes the connection reference `id`; one already gone is fine.
    pub async fn delete_reference(&self, id: &str) -> Result<(), PlatformError> {
        match self
            .call(
                Method::DELETE,
                &format!("connectionreferences({id})"),
                None,
                &[],
            )
            .await
        {
            Err(e) if !e.is_not_found() => Err(e),
            _ => Ok(()),
        }
    }
}
