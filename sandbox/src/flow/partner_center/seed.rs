//! Partner Center as the sandbox starts it (and `/_sandbox/reset` restores it): the fixture's
//! customers, their agreements, and their subscriptions, each with the completed order that
//! bought it.

use std::collections::HashMap;

use time::OffsetDateTime;

use super::catalog::{self, MCA_TEMPLATE};
use super::state::{
    Address, Agreement, BillingCycle, BillingProfile, Customer, Order, OrderLine, PartnerCenter,
    Settings, Subscription, Term, alternate_id, midnight, new_id,
};

impl Default for PartnerCenter {
    /// The fixture's customers, agreements and subscriptions (each with its completed order).
    fn default() -> Self {
        let now = OffsetDateTime::now_utc();
        let fixture = catalog::fixture();
        let customers = fixture
            .customers
            .iter()
            .map(|c| Customer {
                id: c.tenant_id.clone(),
                commerce_id: new_id(),
                domain: c.domain.clone(),
                company_name: c.company_name.clone(),
                billing: BillingProfile {
                    id: new_id(),
                    email: c.email.clone(),
                    culture: "en-US".into(),
                    language: "en".into(),
                    company_name: c.company_name.clone(),
                    address: Address {
                        first_name: c.first_name.clone(),
                        last_name: c.last_name.clone(),
                        address_line1: c.address_line1.clone(),
                        city: c.city.clone(),
                        state: c.state.clone(),
                        postal_code: c.postal_code.clone(),
                        country: c.country.clone(),
                        phone_number: String::new(),
                    },
                    etag: rand::random::<u64>().to_string(),
                },
            })
            .collect();
        let agreements = fixture
            .agreements
            .iter()
            .map(|a| Agreement {
                customer_id: a.customer.clone(),
                user_id: new_id(),
                first_name: a.first_name.clone(),
                last_name: a.last_name.clone(),
                email: a.email.clone(),
                phone_number: a.phone_number.clone(),
                template_id: MCA_TEMPLATE.into(),
                date_agreed: a.date_agreed.clone(),
                kind: "MicrosoftCustomerAgreement".into(),
            })
            .collect();
        let mut orders = Vec::new();
        let mut subscriptions = Vec::new();
        for s in &fixture.subscriptions {
            let offer = catalog::offer(&s.offer).expect("a seeded subscription's offer exists");
            let created = now - time::Duration::days(s.days_ago);
            let currency = fixture
                .customers
                .iter()
                .find(|c| c.tenant_id == s.customer)
                .and_then(|c| catalog::currency(&c.country))
                .unwrap_or("USD");
            orders.push(Order {
                id: s.order_id.clone(),
                alternate_id: alternate_id(),
                customer_id: s.customer.clone(),
                billing_cycle: BillingCycle::Monthly,
                currency: currency.to_owned(),
                lines: vec![OrderLine {
                    number: 0,
                    offer_id: offer.id.clone(),
                    subscription_id: s.id.clone(),
                    term: Term::P1Y,
                    friendly_name: offer.name.clone(),
                    quantity: s.quantity,
                }],
                created,
                completed: true,
                historical: true,
            });
            subscriptions.push(Subscription {
                id: s.id.clone(),
                customer_id: s.customer.clone(),
                offer_id: offer.id.clone(),
                friendly_name: offer.name.clone(),
                quantity: s.quantity,
                created,
                effective_start: midnight(created),
                billing_cycle: BillingCycle::Monthly,
                term: Term::P1Y,
                auto_renew: true,
                order_id: s.order_id.clone(),
                version: 1,
            });
        }
        PartnerCenter {
            customers,
            agreements,
            carts: Vec::new(),
            orders,
            subscriptions,
            answers: HashMap::new(),
            settings: Settings {
                inventory_available: true,
                timeout_next_checkout: false,
                order_delay: super::state::ORDER_DELAY,
            },
        }
    }
}
