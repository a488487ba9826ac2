//! Who may call Partner Center: the partner's own tenant with a valid token for it; and the
//! headers every answer carries.

use super::*;
use crate::support::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn only_a_valid_token_of_the_partners_tenant_is_admitted() {
    let sandbox = Sandbox::start().await;

    let anonymous = Partner::with_token(&sandbox, None);
    anonymous
        .get("/customers?size=2")
        .await
        .refused(StatusCode::UNAUTHORIZED, 800001);

    let garbage = Partner::with_token(&sandbox, Some("not.a.token".into()));
    garbage
        .get("/customers?size=2")
        .await
        .refused(StatusCode::UNAUTHORIZED, 900420);

    // A token of the partner's tenant, but for Graph rather than Partner Center.
    let graph = app_token(&sandbox, ISV, "https://graph.microsoft.com/.default").await;
    Partner::with_token(&sandbox, Some(graph))
        .get("/customers?size=2")
        .await
        .refused(StatusCode::UNAUTHORIZED, 900420);

    // Partner Center's token of another organisation, which is no partner.
    let contoso = app_token(&sandbox, CONTOSO, &format!("{PARTNER_CENTER}/.default")).await;
    Partner::with_token(&sandbox, Some(contoso))
        .get("/customers?size=2")
        .await
        .refused(StatusCode::FORBIDDEN, 2032);

    // Asked for by application id, the token is Partner Center's as well.
    let by_app_id = app_token(
        &sandbox,
        ISV,
        "fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd/.default",
    )
    .await;
    let listed = Partner::with_token(&sandbox, Some(by_app_id))
        .get("/customers?size=2")
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);

    // Once expired, the partner's own token is refused.
    let partner = Partner::new(&sandbox).await;
    sandbox
        .control("/_sandbox/clock", json!({"offset_seconds": 7200}))
        .await;
    partner
        .get("/customers?size=2")
        .await
        .refused(StatusCode::UNAUTHORIZED, 900420);
}

#[tokio::test]
async fn answers_echo_the_request_and_correlation_ids() {
    let sandbox = Sandbox::start().await;
    let partner = Partner::new(&sandbox).await;
    let answer = partner
        .send(
            reqwest::Method::GET,
            &format!("/customers/{CONTOSO}"),
            None,
            &[
                ("MS-RequestId", "7f9c3f0e-2f7e-4b8e-9d61-0b1f1d3a6c01"),
                ("MS-CorrelationId", "0e93c70c-977a-4a88-9580-7cf084c73286"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.header("ms-requestid"),
        Some("7f9c3f0e-2f7e-4b8e-9d61-0b1f1d3a6c01")
    );
    assert_eq!(
        answer.header("ms-correlationid"),
        Some("0e93c70c-977a-4a88-9580-7cf084c73286")
    );
    // Made up when the call names none.
    let plain = partner.get(&format!("/customers/{CONTOSO}")).await;
    assert!(
        plain
            .header("ms-correlationid")
            .is_some_and(|c| c.len() == 36)
    );
}
