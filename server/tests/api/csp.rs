//! Ordering licences through the Cloud Solution Provider program, over real HTTP between
//! Flowhost and the sandbox's Partner Center and Microsoft Graph: linking an organisation,
//! creating a customer with its agreement, an order whose checkout times out placed exactly
//! once, a seat change with the subscription's ETag, and Partner Center's refusals in words.

use crate::licences::{CONTOSO, FABRIKAM, MEGAN, testid};
use crate::support::*;
use domain::TenantId;
use domain::csp::OrderStatus;
use domain::licence::Rights;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

const MEGAN_ID: &str = "0e6a0b00-8888-4e6a-8c00-00000000e6a0";

async fn spawn_csp() -> TestApp {
    spawn_following(Duration::from_millis(300)).await
}

/// A Flowhost whose calls to Partner Center time out after two seconds and whose follower
/// looks at open orders every `every`.
async fn spawn_following(every: Duration) -> TestApp {
    spawn_adjusted(
        |_| None,
        |config| {
            config.licensing.partner_timeout = Duration::from_secs(2);
            config.licensing.follow_every = every;
        },
    )
    .await
}

fn console(tenant: &str) -> String {
    format!("/admin/licences/{tenant}")
}

/// The value of the first `name="{name}" value="…"` after `after` in `html`.
fn value_after(html: &str, after: &str, name: &str) -> String {
    let start = html
        .find(after)
        .unwrap_or_else(|| panic!("{after}: {html}"));
    let rest = &html[start..];
    let field = rest
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("{name}: {rest}"));
    let value = rest[field..].find("value=\"").unwrap() + field + 7;
    rest[value..].split('"').next().unwrap().to_owned()
}

/// The `<option>` value whose text starts with `name`.
fn option(html: &str, name: &str) -> String {
    let text = html
        .find(&format!(">{name} ("))
        .unwrap_or_else(|| panic!("{name}: {html}"));
    let open = html[..text].rfind("value=\"").unwrap() + 7;
    html[open..].split('"').next().unwrap().to_owned()
}

/// Posts a console form of `tenant`'s page as shown (its CSRF token and order key), then
/// shows the page again.
async fn post(iris: &Browser, path: &str, tenant: &str, fields: &[(&str, &str)]) -> String {
    let page = iris.page(&console(tenant)).await;
    post_on(iris, &page, path, tenant, fields).await
}

/// Posts a form of the console `page` already shown.
async fn post_on(
    iris: &Browser,
    page: &str,
    path: &str,
    tenant: &str,
    fields: &[(&str, &str)],
) -> String {
    let csrf = value_after(page, "<form", "csrf_token");
    let key = if page.contains("name=\"key\"") {
        value_after(page, "<form", "key")
    } else {
        String::new()
    };
    let mut all = vec![
        ("csrf_token", csrf.as_str()),
        ("tenant", tenant),
        ("key", key.as_str()),
    ];
    all.extend_from_slice(fields);
    let response = iris.post_form(path, &all).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
    iris.page(&console(tenant)).await
}

async fn sandbox_orders(app: &TestApp) -> Vec<Value> {
    let all: Value = reqwest::get(format!("{}/_sandbox/partner-center/orders", app.flow))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    all.as_array().cloned().unwrap_or_default()
}

async fn linked_contoso(app: &TestApp) -> (Browser, String) {
    let iris = signed_in(app, IRIS).await;
    let page = iris.page(&console(CONTOSO)).await;
    assert!(
        page.contains("Partner Center has a customer with this organisation"),
        "{page}"
    );
    let customer = value_after(&page, "action=\"/admin/licences/link\"", "customer");
    let page = post(
        &iris,
        "/admin/licences/link",
        CONTOSO,
        &[("customer", &customer)],
    )
    .await;
    assert!(
        testid(&page, "csp-customer")
            .unwrap()
            .contains("linked by Iris Novak"),
        "{page}"
    );
    (iris, page)
}

#[tokio::test]
async fn a_timed_out_checkout_is_sent_again_and_orders_once() {
    // The follower waits long enough that the form's own second try is what places it.
    let app = spawn_following(Duration::from_secs(4)).await;
    let (iris, page) = linked_contoso(&app).await;
    assert!(page.contains("Office 365 E3"), "its subscriptions: {page}");
    let premium = option(&page, "Power Automate Premium");
    assert!(
        !page.contains(">Office 365 E3 ("),
        "only Power Automate offers are offered"
    );

    flow_control(&app, "partner-center", json!({"timeoutNextCheckout": true})).await;
    let page = post(
        &iris,
        "/admin/licences/order",
        CONTOSO,
        &[("offer", &premium), ("quantity", "5")],
    )
    .await;
    assert!(!page.contains("did not carry out"), "{page}");
    assert_eq!(sandbox_orders(&app).await.len(), 1, "exactly one order");
    let tenant = TenantId::parse(CONTOSO).unwrap();
    let mut completed = false;
    for _ in 0..100 {
        let orders = app.db.csp_orders(&tenant).await.unwrap();
        assert_eq!(orders.len(), 1);
        if orders[0].status == OrderStatus::Completed {
            completed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(completed, "the order is followed until it completes");
    assert_eq!(
        sandbox_orders(&app).await.len(),
        1,
        "still exactly one order"
    );
    // Completed: the organisation's licences were read again, and Megan got a seat.
    let mut covered = false;
    for _ in 0..50 {
        let megan = app.db.person_rights(&tenant, MEGAN_ID).await.unwrap();
        if megan.is_some_and(|m| m.rights == Rights::Premium) {
            covered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(covered, "Megan is covered after the order");
    let page = iris.page(&console(CONTOSO)).await;
    assert!(page.contains("19 of 40 people"), "{page}");
    let orders = testid(&page, "csp-orders").unwrap();
    assert!(
        orders.contains("5 seats of Power Automate Premium"),
        "{orders}"
    );
    assert!(orders.contains("Iris Novak"), "{orders}");
    let (account, _) = app.first_records(CONTOSO).await;
    let megan = signed_in(&app, MEGAN).await;
    let record = megan.page(&format!("/accounts/{account}")).await;
    assert!(
        !record.contains("data-testid=\"licence-note\""),
        "the note is gone"
    );
}

#[tokio::test]
async fn seats_change_with_the_etag_and_refusals_are_said_in_words() {
    let app = spawn_csp().await;
    let (iris, page) = linked_contoso(&app).await;
    let premium = option(&page, "Power Automate Premium");
    post(
        &iris,
        "/admin/licences/order",
        CONTOSO,
        &[("offer", &premium), ("quantity", "5")],
    )
    .await;
    // Once the order completed (a seat change waits for an open order of its offer).
    let mut subscription = String::new();
    for _ in 0..50 {
        let page = iris.page(&console(CONTOSO)).await;
        let row = page
            .split("<tr data-subscription=\"")
            .skip(1)
            .find(|row| row.contains(">Power Automate Premium<"))
            .filter(|_| page.contains("data-status=\"completed\""));
        if let Some(row) = row {
            subscription = row.split('"').next().unwrap().to_owned();
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        !subscription.is_empty(),
        "the order made a subscription: {}",
        iris.page(&console(CONTOSO)).await
    );
    let page = post(
        &iris,
        "/admin/licences/seats",
        CONTOSO,
        &[
            ("subscription", &subscription),
            ("quantity", "7"),
            ("seen", "5"),
        ],
    )
    .await;
    let orders = testid(&page, "csp-orders").unwrap();
    let changed = orders
        .split("<tr data-order=")
        .find(|row| row.contains("Power Automate Premium to 7 seats"))
        .unwrap_or_else(|| panic!("{orders}"));
    assert!(changed.contains("data-status=\"completed\""), "{changed}");
    assert!(page.contains("value=\"7\""), "{page}");
    // A count that changed since the page showed it is not overwritten.
    let page = post(
        &iris,
        "/admin/licences/seats",
        CONTOSO,
        &[
            ("subscription", &subscription),
            ("quantity", "9"),
            ("seen", "5"),
        ],
    )
    .await;
    assert!(page.contains("changed in the meantime"), "{page}");
    // Office 365 E3 is not a Power Automate subscription: its seats are not Flowhost's to change.
    let page = post(
        &iris,
        "/admin/licences/seats",
        CONTOSO,
        &[
            ("subscription", "5e3c0a7f-0e30-4e3a-9c40-0000000e3040"),
            ("quantity", "41"),
            ("seen", "40"),
        ],
    )
    .await;
    assert!(!page.contains("Office 365 E3 to 41 seats"), "{page}");

    // Out of the offer's range: refused on the field, nothing ordered.
    let before = sandbox_orders(&app).await.len();
    let page = post(
        &iris,
        "/admin/licences/order",
        CONTOSO,
        &[("offer", &premium), ("quantity", "0")],
    )
    .await;
    assert!(field_error(&page, "order-quantity").is_some(), "{page}");
    // Partner Center has no inventory: said in words, kept as failed.
    flow_control(&app, "partner-center", json!({"inventoryAvailable": false})).await;
    let page = post(
        &iris,
        "/admin/licences/order",
        CONTOSO,
        &[("offer", &premium), ("quantity", "2")],
    )
    .await;
    assert!(
        page.contains("inventory is not available, code 2093"),
        "{page}"
    );
    assert!(page.contains("data-status=\"failed\""), "{page}");
    assert_eq!(sandbox_orders(&app).await.len(), before);
}

#[tokio::test]
async fn the_same_order_form_sent_twice_orders_once() {
    let app = spawn_csp().await;
    let (iris, page) = linked_contoso(&app).await;
    let premium = option(&page, "Power Automate Premium");
    let fields = [("offer", premium.as_str()), ("quantity", "3")];
    post_on(&iris, &page, "/admin/licences/order", CONTOSO, &fields).await;
    let again = post_on(&iris, &page, "/admin/licences/order", CONTOSO, &fields).await;
    assert!(again.contains("This order was sent before"), "{again}");
    // Another form while that order is open is refused too.
    let other = post(&iris, "/admin/licences/order", CONTOSO, &fields).await;
    assert!(other.contains("still being placed or set up"), "{other}");
    assert_eq!(sandbox_orders(&app).await.len(), 1, "one order");
    let kept = app
        .db
        .csp_orders(&TenantId::parse(CONTOSO).unwrap())
        .await
        .unwrap();
    assert_eq!(kept.len(), 1);
}

#[tokio::test]
async fn an_organisation_accepts_the_invitation_and_is_linked() {
    let app = spawn_csp().await;
    let iris = signed_in(&app, IRIS).await;
    let page = iris.page(&console(FABRIKAM)).await;
    assert!(
        page.contains("not a Partner Center customer of yours yet"),
        "{page}"
    );
    let invitation = testid(&page, "csp-invitation").expect("the invitation link");
    assert!(
        invitation.contains("/_sandbox/partner-center/invitation"),
        "{invitation}"
    );
    assert!(
        !page.contains("data-testid=\"csp-order\""),
        "nothing to order yet"
    );

    // Fabrikam's administrator accepts, with the Microsoft Customer Agreement.
    flow_control(&app, "partner-center/accept", json!({"tenant": FABRIKAM})).await;
    let page = iris.page(&console(FABRIKAM)).await;
    assert!(
        page.contains("Partner Center has a customer with this organisation"),
        "{page}"
    );
    let customer = value_after(&page, "action=\"/admin/licences/link\"", "customer");
    let page = post(
        &iris,
        "/admin/licences/link",
        FABRIKAM,
        &[("customer", &customer)],
    )
    .await;
    assert!(
        testid(&page, "csp-customer").unwrap().contains("Fabrikam"),
        "{page}"
    );
    assert!(!page.contains("data-testid=\"csp-no-agreement\""), "{page}");
    assert!(
        page.contains("data-testid=\"csp-order\""),
        "ordering is open now"
    );
}

#[tokio::test]
async fn a_customer_id_not_the_organisations_is_not_linked() {
    let app = spawn_csp().await;
    let iris = signed_in(&app, IRIS).await;
    // Adatum is a customer of the partner, but not Contoso's tenant.
    let page = post(
        &iris,
        "/admin/licences/link",
        CONTOSO,
        &[("customer", "adaf0c1e-2b3d-4c5e-8f60-718293a4b5c6")],
    )
    .await;
    assert!(
        page.contains("Partner Center has a customer with this organisation"),
        "{page}"
    );
    assert!(
        app.db
            .csp_customer(&TenantId::parse(CONTOSO).unwrap())
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn only_the_isv_staff_order() {
    let app = spawn_csp().await;
    let adele = signed_in(&app, ADELE).await;
    let csrf = adele.csrf("/").await;
    let refused = adele
        .post_form(
            "/admin/licences/order",
            &[
                ("csrf_token", &csrf),
                ("tenant", CONTOSO),
                ("offer", "x"),
                ("quantity", "5"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(sandbox_orders(&app).await.is_empty());
}
