//! Customers, agreements and the catalog: the paged customer list, a new customer (a
//! directory organisation or a new tenant) with its agreement, and the offers of a market.

use super::*;
use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn paging_with_the_continuation_finds_contoso() {
    let sandbox = Sandbox::start().await;
    let partner = Partner::new(&sandbox).await;

    let mut page = partner.get("/customers?size=2").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.body["attributes"]["objectType"], "Collection");
    let mut seen: Vec<Value> = Vec::new();
    let mut pages = 1;
    loop {
        let items = page.body["items"].as_array().unwrap().clone();
        assert!(items.len() <= 2);
        assert_eq!(page.body["totalCount"], items.len());
        seen.extend(items);
        let next = &page.body["links"]["next"];
        if next.is_null() {
            break;
        }
        assert_eq!(next["method"], "GET");
        assert_eq!(next["headers"][0]["key"], "MS-ContinuationToken");
        let token = next["headers"][0]["value"].as_str().unwrap().to_owned();
        assert_eq!(page.body["continuationToken"], token.as_str());
        let uri = next["uri"].as_str().unwrap();
        let path = uri.strip_prefix("/v1").expect("relative to the API's base");
        page = partner
            .send(
                Method::GET,
                path,
                None,
                &[("MS-ContinuationToken", token.as_str())],
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        pages += 1;
    }
    assert_eq!(seen.len(), 7);
    assert_eq!(pages, 4);
    let contoso = seen
        .iter()
        .position(|c| c["companyProfile"]["tenantId"] == CONTOSO)
        .expect("Contoso is a customer");
    assert!(contoso >= 2, "Contoso is not on the first page");
    let c = &seen[contoso];
    assert_eq!(c["id"], CONTOSO);
    assert_eq!(c["companyProfile"]["domain"], "contoso.example");
    assert_eq!(c["relationshipToPartner"], "reseller");
    assert_eq!(c["attributes"]["objectType"], "Customer");
    assert!(
        !seen
            .iter()
            .any(|c| c["id"] == FABRIKAM || c["id"] == NORTHWIND)
    );

    partner
        .send(
            Method::GET,
            "/customers?size=2&seekOperation=Next",
            None,
            &[("MS-ContinuationToken", "bm90IGEgdG9rZW4=")],
        )
        .await
        .refused(StatusCode::BAD_REQUEST, 800002);
    partner
        .get("/customers?size=0")
        .await
        .refused(StatusCode::BAD_REQUEST, 800002);

    let one = partner.get(&format!("/customers/{CONTOSO}")).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(
        one.body["billingProfile"]["defaultAddress"]["country"],
        "US"
    );
    partner
        .get(&format!("/customers/{FABRIKAM}"))
        .await
        .refused(StatusCode::NOT_FOUND, 1000);
}

#[tokio::test]
async fn a_new_customer_is_a_new_tenant_and_an_organisation_accepts_the_invitation() {
    let sandbox = Sandbox::start().await;
    let partner = Partner::new(&sandbox).await;

    // An organisation the directory has is not created again: it accepts an invitation.
    partner
        .post("/customers", &new_customer("fabrikam.example", "Fabrikam"))
        .await
        .refused(StatusCode::CONFLICT, 3000);
    let invitation = partner.get("/customers/relationshiprequests").await;
    assert_eq!(invitation.status, StatusCode::OK, "{}", invitation.body);
    let url = invitation.body["url"].as_str().unwrap();
    assert!(url.contains("/_sandbox/partner-center/invitation"), "{url}");
    let accepted = sandbox
        .flow_post(
            "/_sandbox/partner-center/accept",
            &json!({"tenant": FABRIKAM}),
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::OK);
    let fabrikam = partner.get(&format!("/customers/{FABRIKAM}")).await;
    assert_eq!(fabrikam.body["companyProfile"]["tenantId"], FABRIKAM);
    assert_eq!(fabrikam.body["relationshipToPartner"], "reseller");
    let agreements = partner
        .get(&format!("/customers/{FABRIKAM}/agreements"))
        .await;
    assert_eq!(agreements.body["totalCount"], 1);
    assert_eq!(agreements.body["items"][0]["templateId"], MCA_TEMPLATE);
    let twice = sandbox
        .flow_post(
            "/_sandbox/partner-center/accept",
            &json!({"tenant": FABRIKAM}),
        )
        .await;
    assert_eq!(
        twice.status(),
        StatusCode::BAD_REQUEST,
        "a customer already"
    );

    // A new customer is a new tenant; the same request again is answered the same, and
    // makes no second customer; property names match in any case.
    let mut fresh = new_customer("newco.example", "NewCo");
    fresh["companyProfile"] = fresh["CompanyProfile"].take();
    fresh.as_object_mut().unwrap().remove("CompanyProfile");
    let headers = [("MS-RequestId", "6b1d5c2e-4a3f-4e8d-9c7b-1a2b3c4d5e6f")];
    let newco = partner
        .send(Method::POST, "/customers", Some(&fresh), &headers)
        .await;
    assert_eq!(newco.status, StatusCode::CREATED, "{}", newco.body);
    let id = newco.body["id"].as_str().unwrap().to_owned();
    assert!(![CONTOSO, FABRIKAM, NORTHWIND, ISV, TAILSPIN].contains(&id.as_str()));
    assert_eq!(newco.body["companyProfile"]["tenantId"], id);
    assert_eq!(newco.body["userCredentials"]["userName"], "admin");
    assert!(newco.body["commerceId"].is_string());
    let again = partner
        .send(Method::POST, "/customers", Some(&fresh), &headers)
        .await;
    assert_eq!(again.body, newco.body);
    let listed = partner.get("/customers?size=100").await;
    let newcos = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == id.as_str())
        .count();
    assert_eq!(newcos, 1);
    partner
        .post("/customers", &fresh)
        .await
        .refused(StatusCode::CONFLICT, 3000);

    // Missing fields are named.
    let mut partial = new_customer("partial.example", "Partial");
    let billing = partial["BillingProfile"].as_object_mut().unwrap();
    billing.remove("Email");
    billing["DefaultAddress"]
        .as_object_mut()
        .unwrap()
        .remove("City");
    let refused = partner.post("/customers", &partial).await;
    let why = refused.refused(StatusCode::BAD_REQUEST, 800002);
    assert!(why.contains("BillingProfile.Email"), "{why}");
    assert!(why.contains("BillingProfile.DefaultAddress.City"), "{why}");

    // The agreement's template; confirming it takes a person of the partner.
    let templates = partner
        .get("/agreements?agreementType=MicrosoftCustomerAgreement")
        .await;
    assert_eq!(templates.body["items"][0]["templateId"], MCA_TEMPLATE);
    agree(&partner, &id)
        .await
        .refused(StatusCode::FORBIDDEN, 600008);

    // The sandbox's reset forgets the new customers.
    let reset = sandbox.flow_post("/_sandbox/reset", &json!({})).await;
    assert_eq!(reset.status(), StatusCode::OK);
    partner
        .get(&format!("/customers/{FABRIKAM}"))
        .await
        .refused(StatusCode::NOT_FOUND, 1000);
}

#[tokio::test]
async fn the_offers_of_a_market_need_a_locale() {
    let sandbox = Sandbox::start().await;
    let partner = Partner::new(&sandbox).await;

    let why = partner
        .get("/offers?country=US")
        .await
        .refused(StatusCode::BAD_REQUEST, 800002)
        .to_owned();
    assert!(why.contains("X-Locale"), "{why}");

    let locale = [("X-Locale", "en-US")];
    let offers = partner
        .send(Method::GET, "/offers?country=US", None, &locale)
        .await;
    assert_eq!(offers.status, StatusCode::OK, "{}", offers.body);
    assert_eq!(offers.body["totalCount"], 5);
    assert_eq!(offers.body["attributes"]["objectType"], "Collection");
    let items = offers.body["items"].as_array().unwrap();
    let premium = items
        .iter()
        .find(|o| o["name"] == "Power Automate Premium")
        .unwrap();
    let id = premium["id"].as_str().unwrap();
    assert_eq!(id.split(':').count(), 3, "PRODUCT:SKU:AVAILABILITY");
    assert_eq!(premium["product"]["id"], id.split(':').next().unwrap());
    assert_eq!(premium["billing"], "license");
    assert_eq!(premium["unitType"], "Licenses");
    assert_eq!(premium["isAvailableForPurchase"], true);
    assert_eq!(premium["country"], "US");
    assert_eq!(premium["locale"], "en-US");
    assert_eq!(premium["minimumQuantity"], 1);
    assert!(premium["category"]["name"].is_string());
    for name in [
        "Power Automate per user plan (legacy)",
        "Power Automate Process",
        "Office 365 E3",
        "Microsoft 365 Business Basic",
    ] {
        assert!(items.iter().any(|o| o["name"] == name), "{name}");
    }
    let one = partner
        .send(
            Method::GET,
            &format!("/offers/{id}?country=US"),
            None,
            &locale,
        )
        .await;
    assert_eq!(one.body["id"], id);

    partner
        .send(Method::GET, "/offers?country=ZZ", None, &locale)
        .await
        .refused(StatusCode::BAD_REQUEST, 800002);
    partner
        .send(Method::GET, "/offers", None, &locale)
        .await
        .refused(StatusCode::BAD_REQUEST, 800002);
}
