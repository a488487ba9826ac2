//! What record pages keep in memory between requests (the widget configuration and each
//! organisation's settings): a save shows at once on the instance that made it, and within
//! `FRESH_FOR` on every other instance on the same database.

use crate::console::{IRIS, alex_panel, post_placement, search_term};
use crate::support::*;
use domain::db::FRESH_FOR;
use serde_json::Value;
use std::time::Duration;

fn keys(panel: &Value) -> Vec<&str> {
    panel["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["key"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_save_shows_at_once_where_it_was_made_and_within_the_bound_on_another_instance() {
    let app = spawn().await;
    let other = app.another_instance().await;
    // Both instances have read the configuration and Contoso's settings.
    for instance in [&app, &other] {
        let panel = alex_panel(instance, "account").await;
        assert_eq!(search_term(&panel), "flowhost%20account");
        assert_eq!(keys(&panel), ["account-templates", "account-flows"]);
    }

    let iris = signed_in(&app, IRIS).await;
    let csrf = iris.csrf("/admin/widgets/account-templates").await;
    let changes = [("searchTerm", "flowhost digest")];
    post_placement(&iris, "account-templates", &changes, 0, "save", &csrf).await;
    // Adele turns every widget off but the account's templates.
    let adele = app.browser_with(&app.sign_in(ADELE).await);
    let csrf = adele.csrf("/settings/flows").await;
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("on.account-templates", "on"),
    ];
    adele.post_form("/settings/flows", &fields).await;

    let here = alex_panel(&app, "account").await;
    assert_eq!(search_term(&here), "flowhost%20digest");
    assert_eq!(keys(&here), ["account-templates"]);

    tokio::time::sleep(FRESH_FOR + Duration::from_millis(100)).await;
    let there = alex_panel(&other, "account").await;
    assert_eq!(search_term(&there), "flowhost%20digest");
    assert_eq!(keys(&there), ["account-templates"]);
}
