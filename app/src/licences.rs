//! Power Automate licences as Flowhost last read them from Microsoft Graph: what an
//! organisation's admin sees on `/settings/flows`, what the ISV's staff see in the console
//! (`/admin/licences`), and the note a person without a covering licence sees next to the
//! widgets. The reads themselves are the server's (`server::licensing`).

use crate::errors::AppError;
use crate::forms::FormState;
use domain::licence::{LicenceReading, PersonRights, ReadOutcome};
use domain::widget_config::FormValues;
use i18n::Msg;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::ssr;

/// The session key of the settings page's refresh outcome.
pub const LICENCES_FORM: &str = "licences";
/// The session key of the console's licence forms' outcome.
pub const CONSOLE_LICENCES_FORM: &str = "console-licences";
/// Where the settings page's "read now" posts.
pub const SETTINGS_REFRESH_PATH: &str = "/settings/licences/refresh";
/// Where the console's "read now" posts (the organisation in the field `tenant`).
pub const CONSOLE_REFRESH_PATH: &str = "/admin/licences/refresh";

/// The console's page of one organisation's licences.
pub fn console_page(tenant: &str) -> String {
    format!(
        "/admin/licences/{}",
        domain::encode::uri_component(tenant.trim())
    )
}

/// A failed read in words.
pub fn outcome_msg(outcome: ReadOutcome) -> Msg {
    Msg::new(match outcome {
        ReadOutcome::Read => "licences-outcome-read",
        ReadOutcome::NoConsent => "licences-outcome-no-consent",
        ReadOutcome::Unreachable => "licences-outcome-unreachable",
        ReadOutcome::Throttled => "licences-outcome-throttled",
    })
}

/// An organisation's licences, and the people whose rights do not cover flows that use
/// Flowhost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgLicences {
    pub reading: Option<LicenceReading>,
    /// At most `PEOPLE_SHOWN`, by name.
    pub people: Vec<PersonRights>,
    pub people_total: i64,
    pub form: FormState<FormValues>,
}

/// One organisation in the console's overview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoverageRow {
    pub tenant_id: String,
    pub organisation: String,
    pub reading: Option<LicenceReading>,
}

/// What a person without a covering licence reads next to the widgets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LicenceNote {
    /// A covering licence is assigned but still being activated.
    pub pending: bool,
    /// The organisation's Flowhost admins, to ask.
    pub ask: Vec<String>,
}

#[cfg(feature = "ssr")]
pub async fn org_licences(
    signed: &ssr::Signed,
    tenant: &domain::TenantId,
    form_key: &str,
) -> Result<OrgLicences, AppError> {
    let reading = signed
        .db
        .licence_reading(tenant)
        .await
        .map_err(ssr::db_error)?;
    let (people, people_total) = signed
        .db
        .people_without_cover(tenant)
        .await
        .map_err(ssr::db_error)?;
    let kept = ssr::take_flash(&signed.session, form_key).await?;
    Ok(OrgLicences {
        reading,
        people,
        people_total,
        form: FormState::shown(kept, FormValues::new()),
    })
}

/// The note for the signed-in person, whose `rights` Flowhost read (if it did), when they do
/// not cover flows that use Flowhost.
#[cfg(feature = "ssr")]
pub async fn licence_note(
    signed: &ssr::Signed,
    rights: Option<domain::licence::PersonRights>,
) -> Result<Option<LicenceNote>, AppError> {
    let user = &signed.user;
    let Some(rights) = rights.filter(|r| r.rights != domain::licence::Rights::Premium) else {
        return Ok(None);
    };
    let ask = signed
        .db
        .tenant_admin_names(&user.tenant_id)
        .await
        .map_err(ssr::db_error)?
        .into_iter()
        .filter(|name| name != &user.name)
        .collect();
    Ok(Some(LicenceNote {
        pending: rights.pending,
        ask,
    }))
}

/// Every organisation's coverage, for the ISV's staff only.
#[leptos::server]
pub async fn get_licence_overview() -> Result<Vec<CoverageRow>, AppError> {
    let signed = ssr::signed_in().await?;
    signed.require(domain::Role::IsvAdmin)?;
    Ok(signed
        .db
        .licence_readings()
        .await
        .map_err(ssr::db_error)?
        .into_iter()
        .map(|(tenant, reading)| CoverageRow {
            tenant_id: tenant.id.to_string(),
            organisation: tenant.name,
            reading,
        })
        .collect())
}

/// One organisation's licences and, for a CSP, its Partner Center customer, subscriptions,
/// the catalog's offers and the orders placed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LicenceDetail {
    pub tenant_id: String,
    pub organisation: String,
    pub licences: OrgLicences,
    /// `None`: the ISV does not order through CSP.
    pub csp: Option<crate::csp::CspView>,
    pub csrf: String,
}

#[leptos::server]
pub async fn get_licence_detail(tenant: String) -> Result<LicenceDetail, AppError> {
    let signed = ssr::signed_in().await?;
    signed.require(domain::Role::IsvAdmin)?;
    let id = domain::TenantId::parse(tenant.trim()).map_err(|_| AppError::NotFound)?;
    let found = signed.db.tenant(&id).await.map_err(ssr::db_error)?;
    let found = found.ok_or(AppError::NotFound)?;
    // One outcome for the page: the form that posted last.
    let licences = org_licences(&signed, &id, CONSOLE_LICENCES_FORM).await?;
    let csp = crate::csp::csp_view(&signed, &id, licences.form.clone()).await?;
    Ok(LicenceDetail {
        tenant_id: id.to_string(),
        organisation: found.name,
        licences,
        csp,
        csrf: ssr::csrf_token(&signed.session).await?,
    })
}
