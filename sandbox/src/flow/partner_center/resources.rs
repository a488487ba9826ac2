//! The resources as the API gives them: customers, agreements, carts, orders, subscriptions,
//! and collections of them.

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::catalog::{self, link};
use super::state::{Agreement, Cart, Customer, Order, Subscription};

pub fn timestamp(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// `{totalCount, items, links: {self}, attributes}`.
pub fn collection(items: Vec<Value>, self_uri: &str) -> Value {
    json!({
        "totalCount": items.len(),
        "items": items,
        "links": {"self": link(self_uri)},
        "attributes": {"objectType": "Collection"},
    })
}

impl Customer {
    fn company_profile(&self) -> Value {
        json!({
            "tenantId": self.id,
            "domain": self.domain,
            "companyName": self.company_name,
            "links": {"self": link(&format!("/customers/{}/profiles/company", self.id))},
            "attributes": {"objectType": "CustomerCompanyProfile"},
        })
    }

    /// As the customer list gives it.
    pub fn summary(&self) -> Value {
        json!({
            "id": self.id,
            "commerceId": self.commerce_id,
            "companyProfile": self.company_profile(),
            "relationshipToPartner": "reseller",
            "allowDelegatedAccess": true,
            "links": {"self": link(&format!("/customers/{}", self.id))},
            "attributes": {"objectType": "Customer"},
        })
    }

    /// With its billing profile, as one customer is read or created.
    pub fn full(&self) -> Value {
        let b = &self.billing;
        let a = &b.address;
        let mut value = self.summary();
        value["billingProfile"] = json!({
            "id": b.id,
            "firstName": a.first_name,
            "lastName": a.last_name,
            "email": b.email,
            "culture": b.culture,
            "language": b.language,
            "companyName": b.company_name,
            "defaultAddress": {
                "country": a.country,
                "city": a.city,
                "state": a.state,
                "addressLine1": a.address_line1,
                "postalCode": a.postal_code,
                "firstName": a.first_name,
                "lastName": a.last_name,
                "phoneNumber": a.phone_number,
            },
            "links": {"self": link(&format!("/customers/{}/profiles/billing", self.id))},
            "attributes": {"etag": b.etag, "objectType": "CustomerBillingProfile"},
        });
        value
    }
}

impl Agreement {
    pub fn json(&self) -> Value {
        let link = catalog::AGREEMENTS
            .iter()
            .find(|(kind, _, _)| *kind == self.kind)
            .map(|(_, _, link)| *link);
        json!({
            "userId": self.user_id,
            "primaryContact": {
                "firstName": self.first_name,
                "lastName": self.last_name,
                "email": self.email,
                "phoneNumber": self.phone_number,
            },
            "templateId": self.template_id,
            "dateAgreed": self.date_agreed,
            "type": self.kind,
            "agreementLink": link,
            "attributes": {"objectType": "Agreement"},
        })
    }
}

impl Cart {
    pub fn json(&self) -> Value {
        let lines: Vec<Value> = self
            .lines
            .iter()
            .map(|l| {
                let mut line = json!({
                    "id": l.id,
                    "catalogItemId": l.offer_id,
                    "quantity": l.quantity,
                    "currencyCode": l.currency,
                    "billingCycle": l.billing_cycle.name(),
                    "termDuration": l.term.name(),
                    "participants": [],
                    "orderGroup": l.order_group,
                });
                if let Some(name) = &l.friendly_name {
                    line["friendlyName"] = json!(name);
                }
                if let Some(context) = &l.provisioning_context {
                    line["provisioningContext"] = context.clone();
                }
                line
            })
            .collect();
        json!({
            "id": self.id,
            "creationTimestamp": timestamp(self.created),
            "lastModifiedTimestamp": timestamp(self.modified),
            "expirationTimestamp": timestamp(self.expires),
            "lastModifiedUser": self.user,
            "status": if self.ordered { "Ordered" } else { "Active" },
            "lineItems": lines,
            "links": {"self": link(&format!("/customers/{}/carts/{}", self.customer_id, self.id))},
            "attributes": {"objectType": "Cart"},
        })
    }
}

impl Order {
    pub fn json(&self) -> Value {
        let path = format!("/customers/{}/orders/{}", self.customer_id, self.id);
        let lines: Vec<Value> = self
            .lines
            .iter()
            .map(|l| {
                let mut links = json!({
                    "product": link(&format!("/products/{}?country=US", l.offer_id.split(':').next().unwrap_or_default())),
                    "provisioningStatus": link(&format!("{path}/lineitems/{}/provisioningstatus", l.number)),
                });
                if self.completed {
                    links["subscription"] = link(&format!(
                        "/customers/{}/subscriptions/{}",
                        self.customer_id, l.subscription_id
                    ));
                }
                json!({
                    "lineItemNumber": l.number,
                    "offerId": l.offer_id,
                    "subscriptionId": l.subscription_id,
                    "termDuration": l.term.name(),
                    "transactionType": "New",
                    "friendlyName": l.friendly_name,
                    "quantity": l.quantity,
                    "links": links,
                })
            })
            .collect();
        json!({
            "id": self.id,
            "alternateId": self.alternate_id,
            "referenceCustomerId": self.customer_id,
            "billingCycle": self.billing_cycle.name(),
            "currencyCode": self.currency,
            "lineItems": lines,
            "creationDate": timestamp(self.created),
            "status": if self.completed { "completed" } else { "pending" },
            "transactionType": "UserPurchase",
            "links": {
                "provisioningStatus": link(&format!("{path}/provisioningstatus")),
                "self": link(&path),
            },
            "attributes": {"objectType": "Order"},
        })
    }
}

impl Subscription {
    pub fn json(&self) -> Value {
        let offer = catalog::offer(&self.offer_id);
        let path = format!("/customers/{}/subscriptions/{}", self.customer_id, self.id);
        json!({
            "id": self.id,
            "offerId": self.offer_id,
            "offerName": offer.map(|o| o.name.as_str()),
            "friendlyName": self.friendly_name,
            "productType": {"id": "OnlineServicesNCE", "displayName": "OnlineServicesNCE"},
            "quantity": self.quantity,
            "unitType": "Licenses",
            "parentSubscriptionId": null,
            "creationDate": timestamp(self.created),
            "effectiveStartDate": timestamp(self.effective_start),
            "commitmentEndDate": timestamp(self.commitment_end()),
            "status": "active",
            "autoRenewEnabled": self.auto_renew,
            "isTrial": false,
            "billingType": "license",
            "billingCycle": self.billing_cycle.name(),
            "termDuration": self.term.name(),
            "isMicrosoftProduct": true,
            "publisherName": "Microsoft Corporation",
            "actions": ["edit", "cancel"],
            "contractType": "subscription",
            "orderId": self.order_id,
            "links": {
                "offer": link(&format!("/offers/{}", self.offer_id)),
                "self": link(&path),
            },
            "attributes": {"etag": self.etag(), "objectType": "Subscription"},
        })
    }
}
