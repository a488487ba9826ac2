//! A widget the SDK rejects, as the browser reports it: logged for the ISV with what to change,
//! counted for the console, and shown on the console's diagnostics page to its staff only.

use crate::logs;
use crate::support::*;
use app::diagnostics::GetDiagnostics;
use app::widgets::ReportRejectedWidget;
use reqwest::StatusCode;

#[tokio::test]
async fn a_rejected_widget_is_logged_counted_and_shown_to_the_isv_staff() {
    let (log, _guard) = logs::capture();
    let app = spawn().await;
    let iris = signed_in(&app, IRIS).await;
    let console = iris.get("/admin/widgets").await.text().await.unwrap();
    assert!(!console.contains("rejected-notice"), "nothing reported yet");
    let page = iris.get("/admin/diagnostics").await.text().await.unwrap();
    assert!(page.contains("No widget was reported rejected"), "{page}");

    let alex = signed_in(&app, ALEX).await;
    // What the browser sends is bounded: a version that is not one is kept as `unknown`.
    let (status, _) = alex
        .call::<ReportRejectedWidget>(&[("sdk_version", "<b>1</b>"), ("page", "javascript:x")])
        .await;
    assert_eq!(status, StatusCode::OK);
    for (version, path) in [("1.1", "/accounts/3"), ("1.1", "/flows")] {
        let (status, answer) = alex
            .call::<ReportRejectedWidget>(&[("sdk_version", version), ("page", path)])
            .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }

    let line = log
        .lines()
        .into_iter()
        .rfind(|l| l.contains("rejected its own widget"))
        .expect("the rejection is logged");
    for part in [
        "FLOW_HOST",
        app.flow.as_str(),
        "sdk_version=\"1.1\"",
        "https://make.powerautomate.com",
    ] {
        assert!(line.contains(part), "{part}: {line}");
    }

    let console = iris.get("/admin/widgets").await.text().await.unwrap();
    assert!(console.contains("rejected-notice"), "{console}");
    assert!(console.contains("rejected 2 times"), "{console}");
    assert!(console.contains(&app.flow), "{console}");

    let (status, diagnostics) = iris.call::<GetDiagnostics>(&[]).await;
    assert_eq!(status, StatusCode::OK, "{diagnostics}");
    assert_eq!(diagnostics["flow_host"], app.flow);
    assert_eq!(
        diagnostics["flow_resource"],
        "https://service.flow.microsoft.com/"
    );
    let rejections = diagnostics["rejections"].as_array().unwrap();
    let versions: Vec<(&str, i64, &str, &str)> = rejections
        .iter()
        .map(|r| {
            (
                r["sdk_version"].as_str().unwrap(),
                r["reports"].as_i64().unwrap(),
                r["organisation"].as_str().unwrap(),
                r["page"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        versions.contains(&("1.1", 2, "Contoso", "/flows")),
        "{versions:?}"
    );
    assert!(
        versions.contains(&("unknown", 1, "Contoso", "/")),
        "{versions:?}"
    );
    let page = iris.get("/admin/diagnostics").await.text().await.unwrap();
    assert!(page.contains("data-testid=\"rejections\""), "{page}");
    assert!(page.contains(&format!("{}/Content/msflowsdk-1.1.js", app.flow)));
}

#[tokio::test]
async fn only_the_isv_staff_see_the_diagnostics_and_anonymous_reports_are_refused() {
    let app = spawn().await;
    let alex = signed_in(&app, ALEX).await;
    assert_eq!(
        alex.get("/admin/diagnostics").await.status(),
        StatusCode::FORBIDDEN
    );
    let (status, _) = alex.call::<GetDiagnostics>(&[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .browser()
        .call::<ReportRejectedWidget>(&[("sdk_version", "1.1"), ("page", "/")])
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        app.db
            .widget_rejections(&app.flow)
            .await
            .unwrap()
            .is_empty()
    );
}
