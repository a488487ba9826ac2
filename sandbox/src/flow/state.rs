//! What the Power Automate stand-in remembers: flows, runs and approvals per tenant and
//! environment, the test controls' faults, and which SDK script it serves.
//! `/_sandbox/reset` puts it back to empty, the SDK setting aside.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use time::OffsetDateTime;

use crate::engine::definition::Definition;
use crate::engine::run::ActionRun;

use super::sdk_setting::SdkSetting;

#[derive(Default)]
pub struct FlowState {
    pub flows: Vec<Flow>,
    pub runs: Vec<Run>,
    pub approvals: Vec<Approval>,
    pub connections: Vec<Connection>,
    /// Template packages submitted for the gallery, in review.
    pub submissions: Vec<Value>,
    /// Rows of the Dataverse organisations' `connectionreference` tables.
    pub connection_references: Vec<ConnectionReference>,
    /// The marketplace's subscriptions, operations and landing tokens.
    pub market: super::marketplace::state::Market,
    /// Partner Center's customers, carts, orders and subscriptions.
    pub partner_center: super::partner_center::state::PartnerCenter,
    /// The maker portal's sign-in sessions.
    pub portal: super::portal::PortalSessions,
    /// Application users of the Dataverse organisations: apps that may call them with tokens of
    /// their own.
    pub app_users: Vec<AppUser>,
    /// What Dataverse's calls do (fail, hang), and how many there were since it was set.
    pub dataverse_faults: DataverseFaults,
    pub dataverse_calls: u64,
    /// Runs waiting for an approval's answer, by approval name.
    pub waiting: BTreeMap<String, tokio::sync::oneshot::Sender<Value>>,
    pub faults: Faults,
    /// The next authenticated API call answers `ExpiredAuthenticationToken`, so the widget
    /// must ask its host for a fresh token.
    pub expire_next_token: bool,
    pub stats: Stats,
    /// The SDK script's generation and the host the origin stands for; reset keeps it.
    pub sdk: SdkSetting,
}

impl FlowState {
    /// Empty, serving the SDK script as `sdk` says.
    pub fn new(sdk: SdkSetting) -> FlowState {
        FlowState {
            sdk,
            ..FlowState::default()
        }
    }
}

/// An application user: a `systemuser` row of organisation `org` for an app (its
/// `applicationid`), with the System Administrator role.
#[derive(Debug, Clone)]
pub struct AppUser {
    pub org: String,
    pub app_id: String,
    pub systemuserid: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Ok,
    /// Answer 500.
    Fail,
    /// Never answer.
    Hang,
    /// Pages only: load, but never speak to the host (as when the browser blocks the
    /// widget's third-party cookies and storage).
    Silent,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Faults {
    /// The SDK script at `/Content/msflowsdk-1.1.js`.
    pub script: Mode,
    /// The widget pages under `/{locale}/widgets/`.
    pub pages: Mode,
    /// How long a widget waits before it fires `WIDGET_READY`.
    pub ready_delay_ms: u64,
    /// The service refuses every token, as it does one that was revoked.
    pub reject_tokens: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub script_requests: u64,
    pub page_requests: u64,
    /// Bearer tokens checked by the widget API, and how many were refused.
    pub tokens_checked: u64,
    pub tokens_refused: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlowStatus {
    Started,
    Stopped,
}

#[derive(Debug, Clone)]
pub struct Flow {
    pub name: String,
    pub tenant: String,
    pub environment: String,
    pub owner: String,
    pub display_name: String,
    pub template: Option<String>,
    pub trigger: String,
    pub state: FlowStatus,
    /// Design-time parameters without their `parameters.` prefix.
    pub parameters: BTreeMap<String, String>,
    /// One object per operation: `api`, `swaggerOperationId` and its bound parameters, which
    /// is what `flowsFilter` looks at.
    pub operations: Vec<Value>,
    /// The flow the engine runs, for a template that has one.
    pub workflow: Option<Workflow>,
    /// Its row of the `workflow` table, for a flow made through Dataverse.
    pub solution: Option<SolutionFlow>,
    pub created: OffsetDateTime,
    /// When it was made or last turned on or off.
    pub modified: OffsetDateTime,
}

/// A row of an organisation's `connectionreference` table: a solution's name for a connection
/// its flows use, bound to one of the environment's connections or not yet.
#[derive(Debug, Clone)]
pub struct ConnectionReference {
    pub id: String,
    pub organisation: String,
    pub logical_name: String,
    pub display_name: String,
    /// `/providers/Microsoft.PowerApps/apis/{connector}`.
    pub connector_id: String,
    /// The connection's name, once bound.
    pub connection_id: Option<String>,
    pub version: u64,
}

/// What the Dataverse calls counted from when this was set do: the ones numbered in `fail`
/// answer `status` with Dataverse's error `code` and `message`; the ones in `hang` never answer.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DataverseFaults {
    pub fail: Vec<u64>,
    pub status: Option<u16>,
    pub code: Option<String>,
    pub message: Option<String>,
    pub hang: Vec<u64>,
}

/// What Dataverse keeps of a flow made through its Web API.
#[derive(Debug, Clone)]
pub struct SolutionFlow {
    /// The organisation (`org…`) whose table holds it.
    pub organisation: String,
    /// `workflowidunique`: this installation's id.
    pub unique: String,
    pub description: String,
    /// As it was written: the definition and connection references, a JSON string.
    pub clientdata: String,
    /// The `connectionreference` (logical name) its Flowhost connection comes from, when
    /// `clientdata` names one rather than a connection.
    pub reference: Option<String>,
    /// Raised by every change; the row's etag.
    pub version: u64,
}

/// A flow the engine runs: its checked definition, the values of its parameters, the
/// connection its connector calls go through, and its trigger's subscription.
#[derive(Debug, Clone)]
pub struct Workflow {
    pub definition: Arc<Definition>,
    pub parameters: Map<String, Value>,
    /// The maker's connection to the Flowhost connector.
    pub connection: String,
    /// The hook's `Location`, while the trigger is subscribed.
    pub hook: Option<String>,
}

/// A user's connection to a connector that signs in with Azure AD: the user's tokens for the
/// connector's resource, refreshed before they run out.
#[derive(Debug, Clone)]
pub struct Connection {
    pub name: String,
    pub tenant: String,
    pub environment: String,
    pub owner: String,
    /// The connector, e.g. `shared_flowhost`.
    pub api: String,
    /// Who signed in, once someone did.
    pub account: Option<String>,
    /// The `state` of the sign-in under way.
    pub consent_state: Option<String>,
    pub tokens: Option<ConnectionTokens>,
    pub created: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct ConnectionTokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_at: OffsetDateTime,
}

impl Connection {
    /// `Connected` once signed in, `Error` (Unauthenticated) before.
    pub fn connected(&self) -> bool {
        self.tokens.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunStatus {
    Running,
    Succeeded,
    Failed,
}

#[derive(Debug, Clone)]
pub struct Run {
    pub name: String,
    pub flow: String,
    pub environment: String,
    pub status: RunStatus,
    pub start: OffsetDateTime,
    pub end: Option<OffsetDateTime>,
    /// The trigger's name and outputs (`{"headers", "body"}`), for a run the engine makes.
    pub trigger: Option<(String, Value)>,
    /// Each action's record, once the run has finished.
    pub actions: BTreeMap<String, ActionRun>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApprovalStatus {
    Pending,
    Approved,
    Rejected,
}

#[derive(Debug, Clone)]
pub struct Approval {
    pub name: String,
    pub tenant: String,
    pub environment: String,
    pub title: String,
    pub details: String,
    pub item_link: String,
    pub item_link_description: String,
    /// Object ids.
    pub requester: String,
    pub assigned_to: Vec<String>,
    pub status: ApprovalStatus,
    pub responder: Option<String>,
    pub comments: Option<String>,
    pub flow: String,
    pub run: String,
    pub created: OffsetDateTime,
    pub completed: Option<OffsetDateTime>,
}

pub fn timestamp(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .expect("UTC times format")
}

impl Flow {
    /// The record `flowsFilter` is evaluated against.
    pub fn filter_record(&self) -> Value {
        json!({
            "name": self.name,
            "displayName": self.display_name,
            "state": self.state,
            "templateName": self.template,
            "operations": self.operations,
        })
    }
}

impl Approval {
    /// The record `approvalsFilter` is evaluated against (`properties/itemlink`, and the
    /// base64 `properties/itemlinkencoded`).
    pub fn filter_record(&self) -> Value {
        use base64::Engine as _;
        let encoded = base64::engine::general_purpose::STANDARD.encode(&self.item_link);
        json!({
            "name": self.name,
            "properties": {
                "title": self.title,
                "itemlink": self.item_link,
                "itemlinkencoded": encoded,
                "status": self.status,
            }
        })
    }
}
